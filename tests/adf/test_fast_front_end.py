"""The pyromark front end gives exactly the ADF of the markdown-it-py one, or steps aside.

`markdown_to_adf` parses with pyromark (pulldown-cmark) when it can map the document exactly and
falls back to markdown-it-py, the reference, otherwise. These tests convert the same input through
both front ends and require identical documents: generated Markdown (the property generators
and a nastier one aimed at the places the two parsers differ), the benchmark corpus, every golden
file and every string used as input in this folder's tests.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import random
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jiramcp.adf import _fast_tokens, _mdit_rules, markdown_to_adf
from jiramcp.adf._fast_tokens import fast_tokens, pyromark_available, read_tokens
from jiramcp.adf._from_markdown import _convert, parser
from jiramcp.adf._token_stream import Bail

from .test_properties import _DOC

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

pytestmark = pytest.mark.skipif(not pyromark_available(), reason="pyromark is not installed")


def _both(md: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return _convert(md, None, "fast"), _convert(md, None, "markdown-it")


def _assert_same(md: str) -> None:
    # The front end falls back on any exception; here only a deliberate bail-out may happen.
    with contextlib.suppress(Bail):
        read_tokens(md, parser())
    fast, reference = _both(md)
    assert fast == reference, md


# Fragments chosen where CommonMark implementations and our mapping could drift apart.
_NASTY = st.sampled_from(
    [
        "word", "Word", "x", "ü", "日本", "\u00a0", " ", "  ", "\t", "*", "**", "***", "_", "__", "~", "~~", "~~~",
        "\\", "\\\\", "\\*", "\\|", "\\[", "\\:", "\\a", "[", "]", "](", ")", "(", "[ ]", "[x]", "[!NOTE]", "<", ">",
        "&", "&amp;", "&#35;", "&#x41;", "&#0;", "&#127;", "&nbsp;", "&bogus;", "`", "``", "`code`", ":smile:",
        ":", "//", "http://e.com/a_b", "https://e.com/x*y*", "http://e.com/p?q=1&r=2", "mailto:a@b.co",
        "//cdn.example.com/x", "http\\://e.com", "[a](https://e.com/a \"t\")", "[@Ann](accountid:5b10)",
        "[DONE](status:green)", "![alt *e*](https://e.com/i.png)", "![](https://e.com/i.png)", "<https://e.com/y>",
        "<a@b.co>", "<u>", "</u>", "<sub>", "</sub>", "<a href=\"https://e.com\">", "</a>", "<br>", "<b>raw</b>",
        "|", "#", "!", "-", "+", "1.", "2)", "= ",
    ]
)  # fmt: skip
_LINE_PREFIX = st.sampled_from(
    ["", "", "", "> ", "- ", "* ", "1. ", "3) ", "  ", "    ", "\t", "# ", "### ", "> - ", "- > ", "  - ", "- [ ] ",
     "> [!WARNING] ", "| ", "```", "~~~ ", "<details>", "</details>", "<summary>S</summary>", "---", "***", "===="]
)  # fmt: skip


@st.composite
def _nasty_line(draw: st.DrawFn) -> str:
    prefix = draw(_LINE_PREFIX)
    body = draw(st.lists(_NASTY, max_size=8))
    sep = draw(st.sampled_from(["", " "]))
    return prefix + sep.join(body)


@st.composite
def _nasty_table(draw: st.DrawFn) -> str:
    cols = draw(st.integers(1, 3))
    indent = draw(st.sampled_from(["", "", "   ", "> ", "- "]))
    cell = st.lists(_NASTY, min_size=0, max_size=3).map(" ".join)
    rows = [" | ".join(draw(cell) for _ in range(cols)) for _ in range(draw(st.integers(1, 3)))]
    lines = ["| " + " | ".join(f"H{c}" for c in range(cols)) + " |", "|" + "---|" * cols]
    lines += [f"| {r} |" for r in rows]
    return "\n".join(indent + line if k == 0 or indent != "- " else "  " + line for k, line in enumerate(lines))


_NASTY_DOC = st.lists(st.one_of(_nasty_line(), _nasty_line(), _nasty_table()), min_size=1, max_size=10).flatmap(
    lambda lines: st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(lines), max_size=len(lines)).map(
        lambda seps: "".join(line + sep for line, sep in zip(lines, seps, strict=True))
    )
)

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(md=_DOC)
def test_both_front_ends_agree_on_the_property_generators_documents(md: str) -> None:
    _assert_same(md)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(md=_NASTY_DOC)
@example(md="a\\b :smile:\n")
@example(md="http\\://e.com and https://e.com/x*y* and *https://e.com/z*\n")
@example(md="| a\\|b | `c\\|d` |\n|---|---|\n| &amp; | \\* |\n")
def test_both_front_ends_agree_on_nasty_markdown(md: str) -> None:
    _assert_same(md)


@pytest.mark.parametrize(
    "md",
    [
        "- `\n\t`\n",  # a tab in a continuation line: markdown-it expands it by column
        "word \t\nword\n",  # pulldown breaks the line after a space and a tab, markdown-it does not
        "![foo ![bar](/url)](/url2)\n",  # an image in an image's alt text
        "### h\n[ref]: /uri\n0. ok\n",  # after a definition, markdown-it starts a list
        "\n\n\n- \n\n\n- \n",  # empty items and blank lines: one list or two
        "```\n```\t\n",  # a tab after a closing fence: whether it closes, the two disagree
        "```\n```\t\n\n",
        "- \n  \n\n- \n",
        "1. `\n  word`\n",  # a lazy line in a code span: pulldown keeps its indentation
        "word~~*~~\n",  # markdown-it's `~~` must flank as emphasis does; pulldown's need not
        "> \\|\n---\n",  # markdown-it tries a table before a quote: its head here is "> \\|"
        "a | b\n---\n",  # a table to markdown-it, a setext heading to pulldown
        "~~x[~](~~",  # pulldown splits the text and pairs no `~~`; markdown-it strikes through
        "> \n    >\n",  # an empty quote, then an indented line: a lazy line to markdown-it
        "```\na | b\n---\n```\n",  # in a code block neither reads a table: no need to step aside
    ],
)
def test_both_front_ends_agree_where_fuzzing_once_found_them_apart(md: str) -> None:
    _assert_same(md)


@pytest.mark.slow
@pytest.mark.timeout(600)
@settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(md=_NASTY_DOC)
def test_both_front_ends_agree_on_nasty_markdown_at_length(md: str) -> None:
    # `-m slow`: a longer fuzzing run, for changes to the fast front end (about 2 minutes).
    _assert_same(md)


_URL_CHARS = "abcxyzABC0129._~!$&'()*+,;=:@/?#-%[] \\\"<>^`{|}ü"
_URLS = st.one_of(
    st.from_regex(_mdit_rules._PLAIN_URL, fullmatch=True),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["https://", "http://", "HTTP://", "mailto:", "//", "ftp://", "javascript:", ""]),
            st.sampled_from(["e.com", "E.com", "xn--bcher-kva.example", "bücher.example", "a..b", "[::1]", ""]),
            st.text(_URL_CHARS, max_size=30),
        ),
    ),
)


@settings(max_examples=600, deadline=None, database=None)
@given(url=_URLS)
@example(url="https://e.com")
@example(url="https://e.com/a%20b")
@example(url="https://" + "a" * 300 + ".com/")
def test_the_link_shortcut_gives_markdown_its_own_normalised_link(url: str) -> None:
    md = parser()
    assert _mdit_rules.normalize_link(md, url) == md.normalizeLink(url)


def _bench_corpus(count: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("_bench_adf_for_tests", ROOT / "bench" / "bench_adf.py")
    if spec is None or spec.loader is None or not (ROOT / "bench" / "bench_adf.py").is_file():
        pytest.skip("bench/bench_adf.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_corpus(count)


def test_both_front_ends_agree_on_the_benchmark_corpus() -> None:
    corpus = _bench_corpus(120)
    for md in corpus:
        _assert_same(md)
    # The corpus is what the speed target is about: it must take the fast path, not fall back.
    assert all(fast_tokens(md, parser()) is not None for md in corpus)


@pytest.mark.parametrize("path", sorted((HERE / "golden").glob("*.md")), ids=lambda p: p.name)
def test_both_front_ends_agree_on_every_golden_markdown_file(path: Path) -> None:
    _assert_same(path.read_text(encoding="utf-8"))


def _strings_in_tests() -> list[str]:
    """Every string literal in this folder's other tests: table-driven inputs among them."""
    found: set[str] = set()
    for path in sorted(HERE.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
                found.add(node.value)
    return sorted(found)


def test_both_front_ends_agree_on_every_string_in_the_adf_tests() -> None:
    strings = _strings_in_tests()
    assert len(strings) > 100
    for md in strings:
        _assert_same(md)


def test_random_mixes_of_test_strings_agree_too() -> None:
    strings = _strings_in_tests()
    rng = random.Random(4)
    for _ in range(150):
        md = rng.choice(["\n", "\n\n", " "]).join(rng.sample(strings, 4))
        _assert_same(md)


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        # Reference links: not mapped, markdown-it-py resolves them.
        ("[docs][d]\n\n[d]: https://e.com/docs", [{"type": "paragraph", "content": [
            {"type": "text", "text": "docs", "marks": [{"type": "link", "attrs": {"href": "https://e.com/docs"}}]}]}]),
        # Single tildes: pulldown-cmark strikes them through, markdown-it does not.
        ("~a~ b", [{"type": "paragraph", "content": [{"type": "text", "text": "~a~ b"}]}]),
        # A link whose end markdown-it reads in the raw source (`*` inside the URL).
        ("https://e.com/a*b*c", [{"type": "paragraph", "content": [
            {"type": "text", "text": "https://e.com/a*b*c",
             "marks": [{"type": "link", "attrs": {"href": "https://e.com/a*b*c"}}]}]}]),
    ],
)  # fmt: skip
def test_what_the_fast_front_end_does_not_map_falls_back_to_markdown_it(
    md: str, expected: list[dict[str, Any]]
) -> None:
    assert fast_tokens(md, parser()) is None
    assert markdown_to_adf(md)["content"] == expected
    _assert_same(md)


def _fresh_front_end(monkeypatch: pytest.MonkeyPatch, pyromark: Any) -> Any:
    """A fresh copy of the front end module, imported with `pyromark` standing for the package."""
    monkeypatch.setitem(sys.modules, "pyromark", pyromark)
    spec = importlib.util.spec_from_file_location("_fast_tokens_fresh", _fast_tokens.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SAMPLE = "# Title\n\n- [ ] task with **bold** and https://e.com/x\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def test_without_pyromark_the_markdown_it_front_end_does_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _convert(_SAMPLE, None, "markdown-it")
    module = _fresh_front_end(monkeypatch, None)  # None in sys.modules: the import fails
    assert module.pyromark_available() is False
    assert module.fast_tokens(_SAMPLE, parser()) is None
    monkeypatch.setattr(_fast_tokens, "fast_tokens", module.fast_tokens)
    assert markdown_to_adf(_SAMPLE) == expected


def test_a_pyromark_outside_the_tested_series_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyromark

    untested = types.SimpleNamespace(**{name: getattr(pyromark, name) for name in ("Markdown", "Options")})
    untested.__version__ = "0.11.0"
    module = _fresh_front_end(monkeypatch, untested)
    assert module.pyromark_available() is False
    assert module.fast_tokens(_SAMPLE, parser()) is None
    # The same stand-in with the tested version is used: the version alone decided.
    untested.__version__ = pyromark.__version__
    assert _fresh_front_end(monkeypatch, untested).fast_tokens(_SAMPLE, parser()) is not None


def test_the_fast_front_end_handles_what_it_maps_without_falling_back() -> None:
    md = (
        "# T *e*\n\n> [!NOTE]\n> body \\* &amp; `c`\n\n1. a\n2. b\n   - [x] c\n\n```py x\ncode\n```\n\n"
        '| h |\n|---|\n| <u>v</u> |\n\nsee http://e.com/x and [l](https://e.com "t") ![i](https://e.com/i.png)\n\n'
        "<details>\n<summary>S</summary>\n\nin\n\n</details>\n\nline  \nbreak\\\nend ü\n"
    )
    assert fast_tokens(md, parser()) is not None
    _assert_same(md)
