#!/usr/bin/env python3
"""Batch throughput and memory benchmark (not part of the test suite).

Prints, in one run, on the same generated book with realistic variety
(tests/bench/gen_book.py: unique names, every amount spelling, every service and
industry set, 10% with a current policy, ~1% bad rows):

  * rows/s of `eo-advisor batch book.csv -o out.csv` on 100,000 rows, and of a plain
    csv.DictReader -> csv.DictWriter copy of the same file; their ratio
    (target <= 4: assessing costs at most four plain copies);
  * rows/s of `batch --format jsonl` (full results with reasons) against CSV's
    (target >= 1/3);
  * `--jobs 2` against `--jobs 1` on the same book (target >= 1.6x faster, on 2 cores);
  * peak RSS on 10,000 and on 1,000,000 rows, per process, with --jobs 1 and 2
    (target: within 20 MB; streaming, not loading). --quick skips the 1M-row book.

    python tests/bench/bench_batch.py            # full run (the 1M-row book takes minutes)
    python tests/bench/bench_batch.py --quick    # 100k rows only, no 1M RSS check
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import gen_book  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "EO_ADVISOR_JOBS")}
ENV["PYTHONPATH"] = str(ROOT)

COPY = """
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as src, open(sys.argv[2], 'w', newline='', encoding='utf-8') as dst:
    r = csv.DictReader(src)
    w = csv.DictWriter(dst, fieldnames=r.fieldnames)
    w.writeheader()
    for row in r:
        w.writerow(row)
"""

# The same `batch` run with the engine's decisions replaced by one fixed result: what
# reading, validating and writing cost on their own, so the ratio shows how much of the
# budget is left for the engine (the floor under any engine, however fast).
NO_ENGINE = """
import sys
from eo_advisor.batch import records
from eo_advisor.api import assess
fixed = assess("profiles/freelance-web-developer.toml")  # one result, written for every row
records.engine = type("NoEngine", (), {"assess": staticmethod(lambda profile, rules=None, **kw: fixed)})  # where batch calls it
sys.argv = ["eo-advisor", *sys.argv[1:]]
from eo_advisor.cli.app import main
main()
"""

# Peak RSS of each process in the tree (the parent and every worker), reported by the
# child itself at exit: ru_maxrss of RUSAGE_SELF and of RUSAGE_CHILDREN (the largest
# waited-for worker), so "per worker" is measured, not a sum.
RSS_WRAPPER = """
import atexit, os, resource, sys
def report():
    s = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with open(os.environ['EO_BENCH_RSS'], 'w') as fh:
        fh.write(f'{s} {c}')
atexit.register(report)
sys.argv = ['eo-advisor', *sys.argv[1:]]
from eo_advisor.cli.app import main
main()
"""


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one child process (exit 0 or 3 expected)."""
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 3):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()}")
    return wall


def batch_args(book: Path, out: Path, *extra: str) -> list[str]:
    return ["batch", str(book), "--output", str(out), "--force", *extra]


def batch_cmd(book: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "eo_advisor", *batch_args(book, out, *extra)]


def peak_rss(book: Path, out: Path, tmp: Path, *extra: str) -> tuple[float, float, float]:
    """(seconds, parent's peak RSS MB, largest worker's peak RSS MB or 0)."""
    rss = tmp / "rss.txt"
    env = {**ENV, "EO_BENCH_RSS": str(rss)}
    wall = run_measured([sys.executable, "-c", RSS_WRAPPER, *batch_args(book, out, *extra)], env)
    parent, worker = map(float, rss.read_text().split())
    return wall, parent, worker


def best(cmds: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Best wall time of each command, run alternately so machine noise hits all alike."""
    runs: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            runs[name].append(run_measured(cmd))
    return {k: min(v) for k, v in runs.items()}


def has_jobs() -> bool:
    out = subprocess.run([sys.executable, "-m", "eo_advisor", "batch", "--help"], env=ENV, capture_output=True, text=True).stdout
    return "--jobs" in out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="skip the 1,000,000-row memory run")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs of each (best is kept)")
    args = ap.parse_args()
    n = args.rows
    jobs = has_jobs()
    verdicts: list[bool] = []

    def verdict(ok: bool) -> str:
        verdicts.append(ok)
        return "OK" if ok else "MISSED"

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        book = d / "book.csv"
        gen_book.write(n, str(book), "csv")
        cmds = {
            "csv": batch_cmd(book, d / "out.csv", *(["--jobs", "1"] if jobs else [])),
            "copy": [sys.executable, "-c", COPY, str(book), str(d / "copy.csv")],
            "floor": [sys.executable, "-c", NO_ENGINE, *batch_args(book, d / "floor.csv", *(["--jobs", "1"] if jobs else []))],
            "jsonl": batch_cmd(book, d / "out.jsonl", "--format", "jsonl", *(["--jobs", "1"] if jobs else [])),
        }
        if jobs:
            cmds["jobs2"] = batch_cmd(book, d / "out2.csv", "--jobs", "2")
        t = best(cmds, args.repeat)
        rate = {k: n / v for k, v in t.items()}
        print(f"book: {n:,} rows with realistic variety; best of {args.repeat}; {os.cpu_count()} cores")
        print(f"batch CSV->CSV      {t['csv']:6.2f} s  {rate['csv']:>9,.0f} rows/s")
        print(f"DictReader->Writer  {t['copy']:6.2f} s  {rate['copy']:>9,.0f} rows/s")
        print(f"batch --format jsonl{t['jsonl']:6.2f} s  {rate['jsonl']:>9,.0f} rows/s")
        print(f"batch, no engine    {t['floor']:6.2f} s  {rate['floor']:>9,.0f} rows/s  (read + validate + write alone)")
        ratio = t["csv"] / t["copy"]
        print(f"no engine / copy    {t['floor'] / t['copy']:6.2f}x  (the floor under any engine)")
        print(
            f"engine per row      {(t['csv'] - t['floor']) / n * 1e6:6.1f} us  (budget left by the 4x target: {max(0.0, 4 * t['copy'] - t['floor']) / n * 1e6:.1f} us)"
        )
        print(f"CSV / copy time     {ratio:6.2f}x  (target <= 4)    {verdict(ratio <= 4)}")
        jl = rate["jsonl"] / rate["csv"]
        print(f"JSONL / CSV rows/s  {jl:6.2f}   (target >= 0.33) {verdict(jl >= 1 / 3)}")
        if jobs:
            print(f"batch --jobs 2      {t['jobs2']:6.2f} s  {rate['jobs2']:>9,.0f} rows/s")
            speedup = t["csv"] / t["jobs2"]
            print(f"--jobs 2 speed-up   {speedup:6.2f}x  (target >= 1.6 on 2 cores) {verdict(speedup >= 1.6)}")
        else:
            print("--jobs              (this eo-advisor has no --jobs option)")

        sizes = [10_000] if args.quick else [10_000, 1_000_000]
        for size in sizes:
            gen_book.write(size, str(d / f"b{size}.csv"), "csv")
        for extra in [["--jobs", "1"], ["--jobs", "2"]] if jobs else [[]]:
            label = " ".join(extra) or "default"
            peaks = []
            for size in sizes:
                wall, parent, worker = peak_rss(d / f"b{size}.csv", d / "o.csv", d, *extra)
                peaks.append(max(parent, worker))
                print(f"peak RSS {label:9} {size:>9,} rows  parent {parent:6.1f} MB  worker {worker:6.1f} MB  ({size / wall:,.0f} rows/s)")
            if len(peaks) == 2:
                diff = peaks[1] - peaks[0]
                print(f"peak RSS {label:9} 1M - 10k        {diff:6.1f} MB  (target <= 20) {verdict(diff <= 20)}")
        for size in sizes:
            (d / f"b{size}.csv").unlink()
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
