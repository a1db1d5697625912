"""Benchmark: jiramcp's Markdown ↔ ADF against marklassian, side by side in one run.

Run (from the repo root, with the project venv active):

    python bench/bench_adf.py

marklassian is not a project dependency: on first run the script makes its own virtualenv at
`bench/results/.venv-peers` (git-ignored) and `pip install marklassian==0.3.0` there, then runs
marklassian in a subprocess from that venv over the same corpus. Every side runs the same timing
script in a fresh process of its own and times only the conversion calls (a loop over the corpus
after one warm-up loop; the median of several rounds); validity is checked afterwards against the
official schema with jsonschema's Draft4Validator.

jiramcp is timed with each of its two Markdown front ends: pyromark (pulldown-cmark, what
`markdown_to_adf` uses when it is installed) and markdown-it-py (the reference, and the fallback).
Rounds interleave ours and the peer's so that a busy machine slows all of them alike.

The corpus is a few hundred realistic issue descriptions (100 B to 20 KB) generated from a fixed
seed: headings, prose with marks and links, nested lists, task lists, tables, code, quotes,
panels, mentions.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEERS_VENV = ROOT / "bench" / "results" / ".venv-peers"
SCHEMA = ROOT / ".." / "shared" / "adf" / "full.json"
PACKAGED_SCHEMA = ROOT / "src" / "jiramcp" / "adf" / "schema" / "full.json"

_WORDS = [
    "login", "session", "token", "user", "cache", "request", "timeout", "retry", "payload",
    "header", "service", "queue", "worker", "deploy", "rollback", "migration", "index", "query",
    "latency", "error", "warning", "browser", "mobile", "release", "build", "pipeline", "cluster",
    "node", "pod", "config", "flag", "feature", "customer", "report", "dashboard", "export",
    "import",
]  # fmt: skip
_LANGS = ["python", "java", "javascript", "sql", "bash", "json", ""]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 16))]
    k = rng.randrange(len(words))
    style = rng.random()
    if style < 0.15:
        words[k] = f"**{words[k]}**"
    elif style < 0.25:
        words[k] = f"*{words[k]}*"
    elif style < 0.35:
        words[k] = f"`{words[k]}()`"
    elif style < 0.42:
        words[k] = f"[{words[k]}](https://example.com/{words[k]})"
    elif style < 0.46:
        words[k] = "~~" + words[k] + "~~"
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _block(rng: random.Random) -> str:
    kind = rng.choices(
        ["para", "heading", "bullets", "nested", "ordered", "tasks", "code", "table", "quote", "panel", "tricky"],
        weights=[30, 8, 10, 6, 6, 4, 8, 6, 4, 4, 3],
    )[0]
    if kind == "tricky":
        # What models do write and ADF forbids as is: headings in lists and quotes, linked images, empty code.
        word = rng.choice(_WORDS)
        return rng.choice(
            [
                f"- ## {word} step\n- {_sentence(rng)}",
                f"> ### {word}\n> {_sentence(rng)}",
                f"[![{word}](https://example.com/{word}.png)](https://example.com/{word})",
                "```\n```",
                f"1. {word}\n\n   | a | b |\n   |---|---|\n   | {word} | 1 |",
            ]
        )
    if kind == "para":
        return " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
    if kind == "heading":
        return "#" * rng.randint(1, 3) + " " + _sentence(rng).rstrip(".")
    if kind == "bullets":
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 6)))
    if kind == "nested":
        return "\n".join(
            f"{k + 1}. {_sentence(rng)}\n   - {_sentence(rng)}\n     - {_sentence(rng)}"
            for k in range(rng.randint(2, 4))
        )
    if kind == "ordered":
        start = rng.choice([1, 1, 1, 3])
        return "\n".join(f"{start + k}. {_sentence(rng)}" for k in range(rng.randint(2, 5)))
    if kind == "tasks":
        return "\n".join(f"- [{rng.choice([' ', 'x'])}] {_sentence(rng)}" for _ in range(rng.randint(2, 5)))
    if kind == "code":
        body = "\n".join(f"    {rng.choice(_WORDS)} = {rng.randint(0, 999)}" for _ in range(rng.randint(2, 12)))
        return f"```{rng.choice(_LANGS)}\ndef f():\n{body}\n```"
    if kind == "table":
        cols = rng.randint(2, 5)
        head = "| " + " | ".join(rng.choice(_WORDS).title() for _ in range(cols)) + " |"
        rows = [
            "| " + " | ".join(rng.choice([rng.choice(_WORDS), f"**{rng.choice(_WORDS)}**", str(rng.randint(0, 99))])
                              for _ in range(cols)) + " |"
            for _ in range(rng.randint(1, 8))
        ]  # fmt: skip
        return "\n".join([head, "|" + "---|" * cols, *rows])
    if kind == "quote":
        return "\n".join(f"> {_sentence(rng)}" for _ in range(rng.randint(1, 3)))
    alert = rng.choice(["NOTE", "WARNING", "TIP", "CAUTION"])
    return f"> [!{alert}]\n> {_sentence(rng)}"


def make_corpus(count: int, seed: int = 4) -> list[str]:
    """`count` Markdown documents whose sizes spread from ~100 B to ~20 KB (log-uniform)."""
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        target = int(10 ** rng.uniform(2, 4.3))
        parts: list[str] = []
        size = 0
        while size < target:
            block = _block(rng)
            parts.append(block)
            size += len(block) + 2
        text = "\n\n".join(parts)
        docs.append(text[:20_000] if len(text) > 20_000 else text)
    return docs


_CONVERT_SCRIPT = r"""
import json, sys, time
kind, corpus_path, rounds, out_path, keep = sys.argv[1:6]
if kind == "marklassian":
    from marklassian import markdown_to_adf as convert
else:
    from jiramcp.adf._from_markdown import _convert
    front_end = kind.removeprefix("jiramcp-")
    def convert(md):
        return _convert(md, None, front_end)
docs = json.load(open(corpus_path))
outs = [convert(d) for d in docs]  # a warm-up round, and the output checked for validity
times = []
for _ in range(int(rounds)):
    t = time.perf_counter()
    for d in docs:
        convert(d)
    times.append(time.perf_counter() - t)
json.dump({"times": times, "docs": outs if keep == "1" else []}, open(out_path, "w"))
"""
# Each converter and the Python it runs in: the peer in its own virtualenv, ours in this one.
CONVERTERS = ("jiramcp-fast", "jiramcp-markdown-it", "marklassian")


def _peer_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEERS_VENV} with marklassian==0.3.0 ...", file=sys.stderr)
        venv.create(PEERS_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "marklassian==0.3.0"], check=True)
    return python


def run_converter(kind: str, corpus: list[str], rounds: int, *, with_docs: bool) -> tuple[list[float], list[Any]]:
    """Time `kind` over the corpus in a fresh process of its own (the same script for every side)."""
    python = _peer_python() if kind == "marklassian" else Path(sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        src, out, script = Path(tmp, "in.json"), Path(tmp, "out.json"), Path(tmp, "convert.py")
        src.write_text(json.dumps(corpus))
        script.write_text(_CONVERT_SCRIPT)
        command = [str(python), str(script), kind, str(src), str(rounds), str(out), "1" if with_docs else "0"]
        subprocess.run(command, check=True)
        result = json.loads(out.read_text())
    return result["times"], result["docs"]


def _time(fn: Any, items: list[Any], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            fn(item)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from jsonschema import Draft4Validator

    from jiramcp.adf import adf_to_markdown
    from jiramcp.adf._fast_tokens import fast_tokens
    from jiramcp.adf._from_markdown import parser

    schema_path = SCHEMA if SCHEMA.exists() else PACKAGED_SCHEMA
    validator = Draft4Validator(json.loads(schema_path.read_text()))
    try:
        import jsonschema_rs  # the same schema; used only to make checking 600 documents fast

        check = jsonschema_rs.Draft4Validator(json.loads(schema_path.read_text())).is_valid
    except ImportError:
        check = validator.is_valid

    corpus = make_corpus(args.docs)
    sizes = sorted(len(d.encode()) for d in corpus)
    print(f"corpus: {len(corpus)} docs, {sizes[0]} B .. {sizes[-1]} B, median {statistics.median(sizes):.0f} B")

    fallbacks = sum(fast_tokens(d, parser()) is None for d in corpus)
    # Every converter runs the same script in a fresh process of its own, start-up excluded, and
    # the processes interleave round by round, so a busy machine slows them all alike and none
    # carries another's objects into its garbage collections.
    times: dict[str, list[float]] = {kind: [] for kind in CONVERTERS}
    outputs: dict[str, list[Any]] = {}
    for k in range(args.rounds):
        for kind in CONVERTERS:
            took, docs = run_converter(kind, corpus, 1, with_docs=k == 0)
            times[kind] += took
            outputs.setdefault(kind, docs)
    fast_docs, ref_docs, peer_docs = (outputs[kind] for kind in CONVERTERS)
    fast_times, ref_times, peer_times = (times[kind] for kind in CONVERTERS)
    back_times = _time(adf_to_markdown, fast_docs, args.rounds)

    fast_valid = sum(check(d) for d in fast_docs)
    ref_valid = sum(check(d) for d in ref_docs)
    peer_valid = sum(check(d) for d in peer_docs)
    # Spot-check the fast checker against the reference validator on a sample.
    for d in fast_docs[:20] + peer_docs[:20]:
        assert check(d) == validator.is_valid(d)
    same = sum(a == b for a, b in zip(fast_docs, ref_docs, strict=True))

    n = len(corpus)
    fast_rate = n / statistics.median(fast_times)
    ref_rate = n / statistics.median(ref_times)
    peer_rate = n / statistics.median(peer_times)
    back_rate = n / statistics.median(back_times)
    rows = [
        ("jiramcp markdown_to_adf (pyromark front end)", f"{fast_rate:,.0f}", f"{100 * fast_valid / n:.1f}%",
         f"{fast_rate / peer_rate:.2f}x"),
        ("jiramcp markdown_to_adf (markdown-it-py front end)", f"{ref_rate:,.0f}", f"{100 * ref_valid / n:.1f}%",
         f"{ref_rate / peer_rate:.2f}x"),
        ("marklassian 0.3.0 markdownToAdf", f"{peer_rate:,.0f}", f"{100 * peer_valid / n:.1f}%", "1.00x"),
        ("jiramcp adf_to_markdown", f"{back_rate:,.0f}", "n/a", "(no peer)"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print()
    print(f"| {'converter':<{width}} | {'docs/s (median)':>15} | {'valid ADF':>9} | {'speed vs peer':>13} |")
    print(f"|{'-' * (width + 2)}|{'-' * 17}|{'-' * 11}|{'-' * 15}|")
    for name, rate, valid, ratio in rows:
        print(f"| {name:<{width}} | {rate:>15} | {valid:>9} | {ratio:>13} |")
    print()
    print(f"front ends: identical ADF for {same}/{n} docs; the pyromark one fell back to markdown-it-py on {fallbacks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
