"""`python -m bench [--quick | --smoke] [--only NAME ...] [--no-json]`: every benchmark, one table.

jiramcp's own benchmarks (`rate`, `agents`, `tokens`, `overhead`) are imported and return rows.
The engines' benchmarks written alongside them (`jql`, `adf`, `client`, `startup`) are run as they
are, each in its own process with its own command line; their headline figures are read from their
output into the table and their full output is printed after it. A missing or failing benchmark
shows as `n/a` with the reason, and the others still run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench._harness import Row

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


# -- jiramcp's own benchmarks (imported) -----------------------------------------------------------

OWN: dict[str, str] = {
    "tokens": "bench.bench_tokens",
    "overhead": "bench.bench_overhead",
    "rate": "bench.bench_rate",
    "agents": "bench.bench_agents",
}


def run_own(name: str, quick: bool) -> tuple[list[Row], str]:
    try:
        module = importlib.import_module(OWN[name])
        return module.run(quick), ""
    except Exception as exc:  # one broken benchmark must not hide the others' figures
        return [Row(name, "(benchmark failed)", None, note=f"n/a: {type(exc).__name__}: {exc}"[:160])], (
            traceback.format_exc()
        )


# -- the engines' benchmarks (run as scripts, output parsed) ----------------------------------------


@dataclass(frozen=True)
class Script:
    """A benchmark script by another area: how to run it and how to read its headline figures."""

    file: str
    full_args: tuple[str, ...]
    quick_args: tuple[str, ...]
    parse: Callable[[str], list[Row]]
    timeout: float = 900.0


_NUM = r"([\d,]+(?:\.\d+)?)"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _parse_jql(out: str) -> list[Row]:
    rows = []
    for label, metric in (("parse", "JQL parse"), ("lint (with catalog)", "JQL lint with catalog")):
        match = re.search(rf"^{re.escape(label)}\s+{_NUM}\s+{_NUM}\s+{_NUM}x", out, re.M)
        if match:
            rate = _num(match.group(1))
            target = ">= 20,000/s" if label == "parse" else "<= 2x parse time"
            ok = rate >= 20_000 if label == "parse" else _num(match.group(3)) <= 2
            rows.append(
                Row("jql", metric, rate, "queries/CPU-s", ratio=f"{match.group(3)}x parse time", target=target, ok=ok)
            )
    return rows


def _parse_client(out: str) -> list[Row]:
    rows = []
    match = re.search(r"^jiramcp JiraClient.*?\)\s+" + r"\s+".join([_NUM] * 5) + r"\s*$", out, re.M)
    if match:
        wall, ideal, ratio, limited = (_num(match.group(i)) for i in (1, 2, 3, 4))
        rows.append(
            Row(
                "client",
                "JiraClient, 20 tasks at 10 req/s: wall",
                wall,
                "s",
                ratio=f"wall/ideal {ratio:.3f}; 429s {limited:.0f}",
                target="<= 1.10x ideal, 0 429s",
                ok=ratio <= 1.10 and limited == 0,
                extra={"ideal_s": ideal},
            )
        )
    match = re.search(
        r"^in-process \(httpx\.MockTransport\)\s+" + r"\s+".join([_NUM + r" us"] * 3) + r"\s+" + _NUM, out, re.M
    )
    if match:
        rows.append(
            Row(
                "client",
                "JiraClient overhead per request (in-process)",
                _num(match.group(3)),
                "us",
                ratio=f"{match.group(4)}x raw httpx",
            )
        )
    return rows


def _parse_startup(out: str) -> list[Row]:
    rows = []
    line = r"^(\S.*?)\s{2,}(\d+)\s+" + r"\s+".join([_NUM] * 4) + r"\s+(-|" + _NUM + r")\s*$"
    for match in re.finditer(line, out, re.M):
        name, tools, median, _min, floor, rss, first_call = match.groups()[:7]
        rows.append(
            Row(
                "startup",
                f"{name}: spawn -> tools/list ({tools} tools)",
                _num(median),
                "s",
                ratio=f"{_num(floor):.2f}x bare SDK; peak RSS {_num(rss):.0f} MiB"
                + ("" if first_call == "-" else f"; first call {_num(first_call):.2f} s"),
                extra={"peak_rss_mib": _num(rss)} | ({} if first_call == "-" else {"first_call_s": _num(first_call)}),
            )
        )
    return rows


def _parse_adf(out: str) -> list[Row]:
    # Its table is Markdown: | converter | docs/s (median) | valid ADF | speed vs peer |
    rows = []
    for match in re.finditer(r"^\|\s*([^|]+?)\s*\|\s*" + _NUM + r"\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|", out, re.M):
        name, rate, valid, ratio = match.groups()
        row = Row("adf", name, _num(rate), "docs/s", ratio=f"{ratio} vs peer; valid ADF {valid}")
        if name.startswith("jiramcp markdown_to_adf (pyromark"):  # what markdown_to_adf runs
            speedup = re.match(_NUM + "x", ratio)
            row.target = ">= 2x peer, 100% valid"
            row.ok = bool(speedup and _num(speedup.group(1)) >= 2 and valid == "100.0%")
        rows.append(row)
    return rows


SCRIPTS: dict[str, Script] = {
    "jql": Script("bench_jql.py", (), ("--rounds", "3", "--repeat", "10"), _parse_jql),
    "adf": Script("bench_adf.py", (), ("--docs", "60", "--rounds", "2"), _parse_adf),
    "client": Script("bench_client.py", (), ("--quick",), _parse_client),
    "startup": Script("bench_startup.py", (), ("--runs", "3"), _parse_startup),
}


def run_script(name: str, quick: bool) -> tuple[list[Row], str]:
    script = SCRIPTS[name]
    path = ROOT / "bench" / script.file
    if not path.exists():
        return [Row(name, f"bench/{script.file}", None, note="n/a: file missing")], ""
    command = [sys.executable, str(path), *(script.quick_args if quick else script.full_args)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=script.timeout)
    except subprocess.TimeoutExpired:
        return [Row(name, f"bench/{script.file}", None, note=f"n/a: no answer within {script.timeout:.0f} s")], ""
    output = done.stdout + (f"\n[stderr]\n{done.stderr}" if done.returncode else "")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return [Row(name, f"bench/{script.file}", None, note=f"n/a: exit {done.returncode}: {last}"[:160])], output
    try:
        rows = script.parse(done.stdout)
    except Exception as exc:
        rows = [Row(name, f"bench/{script.file}", None, note=f"n/a: output not understood ({exc})")]
    return rows or [Row(name, f"bench/{script.file}", None, note="ran; figures in its output below")], output


# -- output ------------------------------------------------------------------------------------------


def _value(row: Row) -> str:
    if row.value is None:
        return "n/a"
    if float(row.value).is_integer() and abs(row.value) >= 10:
        return f"{row.value:,.0f}"
    return f"{row.value:,.3g}" if abs(row.value) < 100 else f"{row.value:,.0f}"


def print_table(rows: list[Row]) -> None:
    """One table: benchmark, metric, median, side-by-side ratio, target, verdict."""
    header = ("bench", "metric", "value", "unit", "side by side", "target", "ok")
    cells = [
        (
            r.bench,
            r.metric,
            _value(r),
            r.unit,
            r.ratio,
            r.target,
            r.note
            if r.value is None
            else ("yes" if r.ok else "NO" if r.ok is not None else "") + (f" {r.note}" if r.note else ""),
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]
    right = {2}
    for line in [header, tuple("-" * w for w in widths), *cells]:
        print(
            "  ".join(
                str(c).rjust(w) if i in right else str(c).ljust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def machine() -> dict[str, str | int | None]:
    model = ""
    with contextlib.suppress(OSError):
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def main(argv: list[str] | None = None) -> int:
    names = [*OWN, *SCRIPTS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the CI smoke subset: shorter runs, fewer rounds")
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(names)}",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="what CI runs: the quick subset, failing only when a benchmark cannot run "
        "(timing targets are reported, not enforced, on a shared machine)",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/*.json")
    args = parser.parse_args(argv)
    args.quick = args.quick or args.smoke
    chosen = args.only or names
    rows: list[Row] = []
    outputs: dict[str, str] = {}
    started = time.perf_counter()
    for name in chosen:
        sys.stderr.write(f"bench: {name} ...\n")
        sys.stderr.flush()
        got, output = run_own(name, args.quick) if name in OWN else run_script(name, args.quick)
        rows += got
        if output:
            outputs[name] = output
    info = machine()
    print(
        f"jiramcp benchmarks ({'quick' if args.quick else 'full'}) on {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}, {time.perf_counter() - started:.0f} s"
    )
    print_table(rows)
    for name, output in outputs.items():
        print(f"\n--- {name} (its own output) ---\n{output.rstrip()}")
    if not args.no_json:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        report = {
            "when": stamp,
            "quick": args.quick,
            "machine": info,
            "rows": [r.as_dict() for r in rows],
            "outputs": outputs,
        }
        for target in (RESULTS / f"{stamp}.json", RESULTS / "latest.json"):
            target.write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"\nJSON: {RESULTS / f'{stamp}.json'}")
    broken = [r for r in rows if r.value is None and r.note.startswith("n/a")]
    missed = [r for r in rows if r.ok is False]
    if args.smoke:
        return 1 if broken else 0
    return 1 if missed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
