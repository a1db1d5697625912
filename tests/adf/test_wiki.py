"""Wiki markup for Server/Data Center, both directions."""

from __future__ import annotations

import pytest

from jiramcp.adf import markdown_to_wiki, validate_adf, wiki_to_adf, wiki_to_markdown


@pytest.mark.parametrize(
    ("md", "wiki"),
    [
        ("# T", "h1. T"),
        ("**b** *i* ~~s~~ `c`", "*b* _i_ -s- {{c}}"),
        ("[x](https://e.com)", "[x|https://e.com]"),
        ("<https://e.com>", "[https://e.com]"),
        ("[@Jane](accountid:jsmith)", "[~jsmith]"),
        ("- a\n  - b\n- c", "* a\n** b\n* c"),
        ("1. a\n   - b", "# a\n#* b"),
        ("```java\nint x;\n```", "{code:java}\nint x;\n{code}"),
        ("> q", "{quote}\nq\n{quote}"),
        ("> [!WARNING]\n> w", "{panel:bgColor=#fffae6}\nw\n{panel}"),
        ("| A | B |\n|---|---|\n| 1 | 2 |", "||A||B||\n|1|2|"),
        ("a\\\nb", "a\\\\b"),
        ("---", "----"),
        ("H<sub>2</sub>O", "H~2~O"),
        ("- [ ] t\n- [x] d", "* \\[ \\] t\n* \\[x\\] d"),
        ("a * b [c]", "a \\* b \\[c\\]"),
    ],
)  # fmt: skip
def test_markdown_to_wiki_per_construct(md: str, wiki: str) -> None:
    assert markdown_to_wiki(md) == wiki + "\n"


@pytest.mark.parametrize(
    ("wiki", "md"),
    [
        ("h2. Title", "## Title"),
        ("*b* _i_ -s- +u+ {{c}} ??cite??", "**b** *i* ~~s~~ <u>u</u> `c` *cite*"),
        ("x^2^ H~2~O", "x<sup>2</sup> H<sub>2</sub>O"),
        ("{color:red}r{color}", '<span style="color:#ff0000">r</span>'),
        ("[x|https://e.com] [https://f.com]", "[x](https://e.com) [https\\://f.com](https://f.com)"),
        ("[~jsmith] and [~accountid:5b10]", "[@jsmith](accountid:jsmith) and [@5b10](accountid:5b10)"),
        ("* a\n** b\n*** c\n* d", "- a\n  - b\n    - c\n- d"),
        ("# one\n#* bullet\n## two", "1. one\n   - bullet\n\n   1. two"),
        ("{code:python}\nx = '*'\n{code}", "```python\nx = '*'\n```"),
        ("{code:title=A.java|borderStyle=solid}\nx\n{code}", "```\nx\n```"),
        ("{noformat}\n*raw*\n{noformat}", "```\n*raw*\n```"),
        ("{quote}\nquoted\n{quote}", "> quoted"),
        ("bq. short", "> short"),
        ("{info}\nheads up\n{info}", "> [!NOTE]\n> heads up"),
        ("{warning}careful{warning}", "> [!WARNING]\n> careful"),
        ("{panel:title=Notes}\nbody\n{panel}", "> [!NOTE]\n> ###### Notes\n>\n> body"),
        ("||h1||h2||\n|a|b \\\\ c|", "| h1 | h2 |\n|---|---|\n| a | b<br>c |"),
        ("line\\\\next", "line\\\nnext"),
        ("----", "---"),
        ("escaped \\* star", "escaped \\* star"),
        ("a - b - c", "a - b - c"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2\\*3\\*4"),
    ],
)  # fmt: skip
def test_wiki_to_markdown_per_construct(wiki: str, md: str) -> None:
    assert wiki_to_markdown(wiki) == md + "\n"
    assert validate_adf(wiki_to_adf(wiki)) == []


def test_markdown_survives_a_trip_through_wiki() -> None:
    md = "## Steps\n\n1. open\n   - check *this*\n\n| A | B |\n|---|---|\n| 1 | **2** |\n\n```sql\nselect 1\n```"
    assert wiki_to_markdown(markdown_to_wiki(md)) == md + "\n"
