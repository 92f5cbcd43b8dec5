#!/usr/bin/env python3
"""Generate a realistic synthetic book of clients for `eo-advisor batch`.

Mixed services, industries and sizes (most firms small, a long tail of large ones),
some with a current policy, and about 1% bad rows (unknown service, negative or
non-numeric amount, missing field, a misspelt boolean) so the error path is exercised.

    python tests/bench/gen_book.py 100000 book.csv          # CSV (default)
    python tests/bench/gen_book.py 100000 book.jsonl --seed 3
    python tests/bench/gen_book.py 1000000 -               # to stdout
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from typing import Any, Iterator

SERVICES = ["it_support", "managed_services", "software_development", "web_development", "it_consulting",
            "cybersecurity", "cloud_services", "data_services", "financial_software"]
SERVICE_WEIGHTS = [14, 10, 16, 18, 16, 6, 8, 8, 4]
INDUSTRIES = ["finance", "healthcare", "government", "education", "legal", "retail", "technology", "other"]
INDUSTRY_WEIGHTS = [8, 10, 6, 8, 6, 20, 24, 18]
STATES = ["CA", "NY", "TX", "FL", "NV", "WA", "IL", "OR", "MA", "CO"]
COLUMNS = ["id", "business.name", "business.annual_revenue", "business.employees", "business.years_in_business",
           "business.state", "work.services", "work.largest_contract", "work.contractual_minimum",
           "work.client_industries", "work.handles_sensitive_data", "work.onsite_work", "work.builds_products",
           "history.claims_last_5_years", "practices.contracts_limit_liability", "practices.project_documentation",
           "practices.qa_testing", "practices.communication_logs", "current_policy.limit", "current_policy.deductible",
           "current_policy.defense_costs", "current_policy.includes_cyber", "current_policy.has_general_liability",
           "current_policy.retroactive_date"]
WORDS = ["Byte", "Forge", "Pixel", "Harbor", "North", "Cloud", "Logic", "Stack", "Blue", "Iron", "Peak", "Signal"]


def amount_text(rng: random.Random, value: int) -> str:
    """Amounts as brokers' spreadsheets hold them: plain, with commas, or 250k/$1.5M."""
    r = rng.random()
    if r < 0.6:
        return str(value)
    if r < 0.8:
        return f"{value:,}"
    if value >= 1_000_000 and value % 100_000 == 0:
        return f"${value / 1_000_000:g}M"
    if value % 1_000 == 0:
        return f"{value // 1_000}k"
    return str(value)


def client(rng: random.Random, i: int) -> dict[str, Any]:
    revenue = int(min(rng.lognormvariate(12.4, 1.3), 400_000_000) // 1000 * 1000) + 20_000
    employees = 0 if revenue < 150_000 else int(revenue / rng.uniform(90_000, 200_000))
    services = sorted(set(rng.choices(SERVICES, SERVICE_WEIGHTS, k=rng.randint(1, 3))))
    industries = sorted(set(rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS, k=rng.randint(1, 3))))
    largest = int(revenue * rng.uniform(0.05, 0.5) // 1000 * 1000)
    row: dict[str, Any] = {
        "id": f"C{i:07d}",
        "business.name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
        "business.annual_revenue": amount_text(rng, revenue),
        "business.employees": str(employees),
        "business.years_in_business": str(rng.randint(0, 25)),
        "business.state": rng.choice(STATES) if rng.random() < 0.7 else "",
        "work.services": ";".join(services),
        "work.largest_contract": amount_text(rng, largest),
        "work.contractual_minimum": amount_text(rng, rng.choice([0, 0, 0, 1_000_000, 1_000_000, 2_000_000, 5_000_000])),
        "work.client_industries": ";".join(industries),
        "work.handles_sensitive_data": rng.choice(["true", "false", "yes", "no"]),
        "work.onsite_work": rng.choice(["true", "false"]),
        "work.builds_products": "true" if rng.random() < 0.15 else "false",
        "history.claims_last_5_years": str(rng.choices([0, 1, 2, 3], [85, 10, 4, 1])[0]),
        "practices.contracts_limit_liability": rng.choice(["true", "false"]),
        "practices.project_documentation": rng.choice(["true", "false"]),
        "practices.qa_testing": rng.choice(["true", "false"]),
        "practices.communication_logs": rng.choice(["true", "false"]),
    }
    if rng.random() < 0.4:
        row.update({
            "current_policy.limit": str(rng.choice([1_000_000, 1_000_000, 2_000_000, 5_000_000])),
            "current_policy.deductible": str(rng.choice([1_000, 2_500, 5_000, 10_000])),
            "current_policy.defense_costs": rng.choice(["eroding", "eroding", "non-eroding"]),
            "current_policy.includes_cyber": rng.choice(["true", "false"]),
            "current_policy.has_general_liability": rng.choice(["true", "false"]),
            "current_policy.retroactive_date": f"{rng.randint(2005, 2025)}-01-01" if rng.random() < 0.5 else "",
        })
    if rng.random() < 0.01:  # a bad row, as real books have
        kind = rng.randrange(5)
        if kind == 0:
            row["work.services"] = "webdesign"
        elif kind == 1:
            row["business.annual_revenue"] = "-" + row["business.annual_revenue"]
        elif kind == 2:
            row["work.largest_contract"] = "about 50k"
        elif kind == 3:
            row["history.claims_last_5_years"] = ""
        else:
            row["work.onsite_work"] = "sometimes"
    return row


def rows(n: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield client(rng, i)


def write(n: int, path: str, fmt: str, seed: int = 1) -> None:
    out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="")
    try:
        if fmt == "csv":
            w = csv.DictWriter(out, fieldnames=COLUMNS, restval="", lineterminator="\n")
            w.writeheader()
            for row in rows(n, seed):
                w.writerow(row)
        else:
            for row in rows(n, seed):
                obj: dict[str, Any] = {"id": row.pop("id")}
                for key, value in row.items():
                    if value != "":
                        section, _, name = key.partition(".")
                        obj.setdefault(section, {})[name] = value
                out.write(json.dumps(obj) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("path")
    ap.add_argument("--format", choices=["csv", "jsonl"])
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    fmt = a.format or ("jsonl" if a.path.endswith((".jsonl", ".ndjson")) else "csv")
    write(a.rows, a.path, fmt, a.seed)


if __name__ == "__main__":
    main()
