#!/usr/bin/env python3
"""Batch throughput and memory benchmark (not part of the test suite).

Prints, in one run on the same generated file:
  * rows/s of `eo-advisor batch book.csv -o out.csv` on 100,000 rows,
  * rows/s of the same file copied by csv.DictReader -> csv.DictWriter (no assessment),
  * their ratio (target <= 5: assessment costs at most four plain copies),
  * peak RSS of `batch` on 10,000 and on 1,000,000 rows, and the difference
    (target < 20 MB: streaming, not loading).

    python tests/bench/bench_batch.py            # full run (the 1M-row book takes a few minutes)
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

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
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


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def batch_cmd(book: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "eo_advisor", "batch", str(book), "--output", str(out), "--force"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="skip the 1,000,000-row memory run")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs of each (best is kept)")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        book = d / "book.csv"
        gen_book.write(args.rows, str(book), "csv")
        # best of three for each, alternating, so machine noise hits both alike
        batch_runs, copy_runs = [], []
        for _ in range(args.repeat):
            batch_runs.append(run_measured(batch_cmd(book, d / "out.csv"))[0])
            copy_runs.append(run_measured([sys.executable, "-c", COPY, str(book), str(d / "copy.csv")])[0])
        batch_s, copy_s = min(batch_runs), min(copy_runs)
        ratio = batch_s / copy_s
        ok &= ratio <= 5
        print(f"batch CSV->CSV      {args.rows:>9,} rows  {batch_s:6.2f} s  {args.rows / batch_s:>9,.0f} rows/s")
        print(f"DictReader->Writer  {args.rows:>9,} rows  {copy_s:6.2f} s  {args.rows / copy_s:>9,.0f} rows/s")
        print(f"ratio               {ratio:.2f}  (target <= 5)  {'OK' if ratio <= 5 else 'TOO SLOW'}")
        if not args.quick:
            small, big = d / "small.csv", d / "big.csv"
            gen_book.write(10_000, str(small), "csv")
            gen_book.write(1_000_000, str(big), "csv")
            _, rss_small = run_measured(batch_cmd(small, d / "o1.csv"))
            big_s, rss_big = run_measured(batch_cmd(big, d / "o2.csv"))
            diff = rss_big - rss_small
            ok &= diff < 20
            print(f"peak RSS   10,000 rows  {rss_small:7.1f} MB")
            print(f"peak RSS 1,000,000 rows  {rss_big:7.1f} MB  ({big_s:.0f} s, {1_000_000 / big_s:,.0f} rows/s)")
            print(f"difference              {diff:7.1f} MB  (target < 20)  {'OK' if diff < 20 else 'TOO MUCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
