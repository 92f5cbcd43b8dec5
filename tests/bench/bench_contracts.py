#!/usr/bin/env python3
"""Contract reading benchmark (not part of the test suite).

Prints the median time of:

  * reading a one-page insurance clause (text in, reading out; target < 50 ms);
  * reading a 50-page PDF, extraction included (target < 2 s), the insurance section
    on page 41 among pages of ordinary contract prose;
  * the same PDF through the command line, `eo-advisor contract read FILE --format json`
    (start-up included), for reference;
  * the largest text accepted (5,000,000 characters of prose with no insurance section),
    to show the bound on one input.

    python tests/bench/bench_contracts.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "contracts"))

from pdfgen import make_pdf, wrap  # noqa: E402

from eo_advisor.contracts.extract import extract  # noqa: E402
from eo_advisor.contracts.reader import read_contract  # noqa: E402

CLAUSE = """12. INSURANCE
12.1 Consultant shall maintain, at its own expense, Professional Liability (Technology Errors and Omissions) insurance with limits of not less than Two Million Dollars ($2,000,000) per claim and $4,000,000 in the aggregate. If such insurance is written on a claims-made basis, the retroactive date shall be on or before the Effective Date, and Consultant shall maintain the coverage, or purchase an extended reporting period, for at least three (3) years after completion of the Services. Defense costs shall be outside the limits of liability.
12.2 Commercial General Liability insurance with limits of $1,000,000 per occurrence and $2,000,000 general aggregate; the County, its officers and employees shall be named as additional insureds, and the insurance shall be primary and non-contributory with a waiver of subrogation in favor of the County.
12.3 Cyber Liability (network security and privacy) insurance of $2,000,000 per claim; Automobile Liability of $1,000,000 combined single limit; Workers' Compensation as required by law and Employer's Liability of $1,000,000 each accident; Umbrella Liability of $5,000,000.
12.4 Each policy shall provide thirty (30) days' prior written notice of cancellation to the County. Insurers shall be rated A- VII or better by A.M. Best.
"""
PROSE = (
    "The Consultant shall perform the Services described in each Statement of Work with the skill and care that a "
    "competent firm would use in similar circumstances, and shall keep the County informed of progress at the "
    "intervals the Statement of Work sets. Invoices are payable within thirty days of receipt, except amounts disputed "
    "in good faith, which the parties shall resolve under the procedure of Section 18. "
)


def median_seconds(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fifty_pages() -> bytes:
    pages = []
    for i in range(50):
        body = CLAUSE if i == 40 else f"{i + 1}. SECTION {i + 1}\n" + PROSE * 6
        pages.append(wrap(body, 95)[:60])
    return make_pdf(pages)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "fifty.pdf"
        pdf.write_bytes(fifty_pages())
        doc = extract(str(pdf))
        assert len(doc.page_starts) == 50 and read_contract(doc.text).coverages, "the benchmark PDF reads"
        clause = median_seconds(lambda: read_contract(CLAUSE), args.runs * 5)
        whole = median_seconds(lambda: read_contract(extract(str(pdf)).text), args.runs)
        exe = str(Path(sys.executable).with_name("eo-advisor"))
        cli = median_seconds(lambda: subprocess.run([exe, "contract", "read", str(pdf), "-f", "json"], check=True, capture_output=True), args.runs)
        big = (PROSE * 40 + "\n") * (5_000_000 // (len(PROSE) * 40 + 1))
        largest = median_seconds(lambda: read_contract(big), 3)
    print(f"one-page clause, read:               {clause * 1000:8.1f} ms   (target < 50 ms)")
    print(f"50-page PDF, extracted and read:     {whole * 1000:8.1f} ms   (target < 2000 ms)")
    print(f"50-page PDF, command line (json):    {cli * 1000:8.1f} ms   (start-up included)")
    print(f"5,000,000 characters of prose, read: {largest * 1000:8.1f} ms   (the largest text accepted)")
    return 0 if clause < 0.05 and whole < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
