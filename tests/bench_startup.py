#!/usr/bin/env python3
"""Start-up benchmark (not part of the test suite): prints, side by side,

1. wall time of ``python -c "import typer"`` (the floor any Typer CLI pays),
2. wall time of ``eo-advisor assess --profile profiles/<x>.toml --format json``,
3. their ratio (target: at most 1.5), and
4. time until the first interactive prompt appears in a real terminal (target: 0.3 s).

Run: python tests/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# As a user runs it: bytecode caches allowed (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which would make every run recompile every module, ours and typer's alike).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT, env=ENV)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT, env=ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def first_prompt(runs: int) -> float | None:
    try:
        import pexpect
    except ImportError:
        return None
    times = []
    env = {**ENV, "NO_COLOR": "1"}
    for _ in range(runs):
        t = time.perf_counter()
        child = pexpect.spawn(sys.executable, ["-m", "eo_advisor", "assess", "-f", "json"], cwd=str(ROOT), env=env, encoding="utf-8", timeout=10)
        child.expect("Business name")
        times.append(time.perf_counter() - t)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--profile", default="profiles/msp-serving-banks.toml")
    args = ap.parse_args()
    py = sys.executable
    wall([py, "-c", "import typer"], 2)  # warm the file cache
    typer_t = wall([py, "-c", "import typer"], args.runs)
    assess_t = wall([py, "-m", "eo_advisor", "assess", "--profile", args.profile, "--format", "json"], args.runs)
    ratio = assess_t / typer_t
    print(f"python -c 'import typer'          median {typer_t * 1000:7.1f} ms")
    print(f"eo-advisor assess --format json   median {assess_t * 1000:7.1f} ms")
    print(f"ratio                             {ratio:7.2f}  (target <= 1.5)  {'OK' if ratio <= 1.5 else 'TOO SLOW'}")
    prompt_t = first_prompt(max(3, args.runs // 3))
    if prompt_t is None:
        print("first prompt: pexpect not installed")
    else:
        print(f"first interactive prompt          median {prompt_t * 1000:7.1f} ms  (target <= 300)  {'OK' if prompt_t <= 0.3 else 'TOO SLOW'}")
    return 0 if ratio <= 1.5 and (prompt_t is None or prompt_t <= 0.3) else 1


if __name__ == "__main__":
    sys.exit(main())
