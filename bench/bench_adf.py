"""Benchmark: jiramcp's Markdown ↔ ADF against marklassian, side by side in one run.

Run (from the repo root, with the project venv active):

    python bench/bench_adf.py

marklassian is not a project dependency: on first run the script makes its own virtualenv at
`bench/results/.venv-peers` (git-ignored) and `pip install marklassian==0.3.0` there, then runs
marklassian in a subprocess from that venv over the same corpus. Both sides time only the
conversion calls (a loop over the corpus, median of several rounds); validity is checked
afterwards against the official schema with jsonschema's Draft4Validator.

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


_PEER_SCRIPT = r"""
import json, sys, time
from marklassian import markdown_to_adf
docs = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2])
outs = [markdown_to_adf(d) for d in docs]
times = []
for _ in range(rounds):
    t = time.perf_counter()
    for d in docs:
        markdown_to_adf(d)
    times.append(time.perf_counter() - t)
json.dump({"times": times, "docs": outs}, open(sys.argv[3], "w"))
"""


def _peer_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEERS_VENV} with marklassian==0.3.0 ...", file=sys.stderr)
        venv.create(PEERS_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "marklassian==0.3.0"], check=True)
    return python


def run_peer(corpus: list[str], rounds: int) -> tuple[list[float], list[Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out, script = Path(tmp, "in.json"), Path(tmp, "out.json"), Path(tmp, "peer.py")
        src.write_text(json.dumps(corpus))
        script.write_text(_PEER_SCRIPT)
        subprocess.run([str(_peer_python()), str(script), str(src), str(rounds), str(out)], check=True)
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

    from jiramcp.adf import adf_to_markdown, markdown_to_adf

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

    ours_docs = [markdown_to_adf(d) for d in corpus]
    ours_md_times = _time(markdown_to_adf, corpus, args.rounds)
    ours_back_times = _time(adf_to_markdown, ours_docs, args.rounds)
    peer_times, peer_docs = run_peer(corpus, args.rounds)

    ours_valid = sum(check(d) for d in ours_docs)
    peer_valid = sum(check(d) for d in peer_docs)
    # Spot-check the fast checker against the reference validator on a sample.
    for d in ours_docs[:20] + peer_docs[:20]:
        assert check(d) == validator.is_valid(d)

    n = len(corpus)
    ours_rate = n / statistics.median(ours_md_times)
    peer_rate = n / statistics.median(peer_times)
    back_rate = n / statistics.median(ours_back_times)
    rows = [
        ("jiramcp markdown_to_adf", f"{ours_rate:,.0f}", f"{100 * ours_valid / n:.1f}%",
         f"{ours_rate / peer_rate:.2f}x"),
        ("marklassian 0.3.0 markdownToAdf", f"{peer_rate:,.0f}", f"{100 * peer_valid / n:.1f}%", "1.00x"),
        ("jiramcp adf_to_markdown", f"{back_rate:,.0f}", "n/a", "(no peer)"),
    ]  # fmt: skip
    print()
    print(f"| {'converter':<32} | {'docs/s (median)':>15} | {'valid ADF':>9} | {'speed vs peer':>13} |")
    print(f"|{'-' * 34}|{'-' * 17}|{'-' * 11}|{'-' * 15}|")
    for name, rate, valid, ratio in rows:
        print(f"| {name:<32} | {rate:>15} | {valid:>9} | {ratio:>13} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
