#!/usr/bin/env python3
"""Generate a realistic synthetic book of clients for `eo-advisor batch`.

Realistic variety, so a benchmark cannot live off repetition: unique business names of
varied length (some with commas, quotes or accents), amounts with unique values in
every accepted spelling (``250123``, ``250,123``, ``$250,123``, ``250.12k``,
``$1.251M``, `` 250123 USD``, ``250_123``), every set of one to three services and of
one to three industries (cycled, so every pair of sets appears within 11,868 rows),
yes/no cells in their many spellings, sizes with a long tail, 10% of clients with a
current policy (varied retroactive dates), and about 1% bad rows (unknown service,
negative or non-numeric amount, missing field, misspelt boolean or state) so the
error path is exercised. ``--style simple`` makes the older, repetitive book that the
golden snapshot (tests/golden) is built from.

    python tests/bench/gen_book.py 100000 book.csv          # CSV (default)
    python tests/bench/gen_book.py 100000 book.jsonl --seed 3
    python tests/bench/gen_book.py 1000000 -               # to stdout
    python tests/bench/gen_book.py 1000 old.csv --style simple
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import random
import sys
from typing import Any, Iterator

SERVICES = [
    "it_support",
    "managed_services",
    "software_development",
    "web_development",
    "it_consulting",
    "cybersecurity",
    "cloud_services",
    "data_services",
    "financial_software",
]
SERVICE_WEIGHTS = [14, 10, 16, 18, 16, 6, 8, 8, 4]
INDUSTRIES = ["finance", "healthcare", "government", "education", "legal", "retail", "technology", "other"]
INDUSTRY_WEIGHTS = [8, 10, 6, 8, 6, 20, 24, 18]
STATES = ["CA", "NY", "TX", "FL", "NV", "WA", "IL", "OR", "MA", "CO"]
COLUMNS = [
    "id",
    "business.name",
    "business.annual_revenue",
    "business.employees",
    "business.years_in_business",
    "business.state",
    "work.services",
    "work.largest_contract",
    "work.contractual_minimum",
    "work.client_industries",
    "work.handles_sensitive_data",
    "work.onsite_work",
    "work.builds_products",
    "history.claims_last_5_years",
    "practices.contracts_limit_liability",
    "practices.project_documentation",
    "practices.qa_testing",
    "practices.communication_logs",
    "current_policy.limit",
    "current_policy.deductible",
    "current_policy.defense_costs",
    "current_policy.includes_cyber",
    "current_policy.has_general_liability",
    "current_policy.retroactive_date",
]
WORDS = ["Byte", "Forge", "Pixel", "Harbor", "North", "Cloud", "Logic", "Stack", "Blue", "Iron", "Peak", "Signal"]


# ---------------------------------------------------------------------------
# The simple book: frozen, because the golden snapshot (tests/golden) is built from
# ``rows(1000, 7)``. Names from a 12-word list, amounts that repeat; use it only there.
# ---------------------------------------------------------------------------
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
        row.update(
            {
                "current_policy.limit": str(rng.choice([1_000_000, 1_000_000, 2_000_000, 5_000_000])),
                "current_policy.deductible": str(rng.choice([1_000, 2_500, 5_000, 10_000])),
                "current_policy.defense_costs": rng.choice(["eroding", "eroding", "non-eroding"]),
                "current_policy.includes_cyber": rng.choice(["true", "false"]),
                "current_policy.has_general_liability": rng.choice(["true", "false"]),
                "current_policy.retroactive_date": f"{rng.randint(2005, 2025)}-01-01" if rng.random() < 0.5 else "",
            }
        )
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


# ---------------------------------------------------------------------------
# Realistic variety (the default book): what a broker's spreadsheet really holds
# ---------------------------------------------------------------------------
FIRST = [
    "Acme",
    "Byte",
    "Forge",
    "Pixel",
    "Harbor",
    "North",
    "Cloud",
    "Logic",
    "Stack",
    "Blue",
    "Iron",
    "Peak",
    "Signal",
    "Quantum",
    "Cedar",
    "Summit",
    "Vector",
    "Nimbus",
    "Granite",
    "Orbit",
    "Lumen",
    "Delta",
    "Kite",
    "Maple",
    "Atlas",
    "Beacon",
    "Copper",
    "Drift",
    "Ember",
    "Falcon",
    "Juniper",
    "Keystone",
    "Lattice",
    "Meridian",
    "Nova",
    "Onyx",
    "Prairie",
    "Quarry",
    "Redwood",
    "Sable",
    "Tidal",
    "Umber",
    "Vantage",
    "Willow",
    "Zephyr",
    "Müller",
    "Øresund",
    "São",
    "Zürich",
    "O'Brien",
    "Smith & Sons",
]
SECOND = [
    "Web",
    "Data",
    "Systems",
    "Code",
    "Networks",
    "Digital",
    "Labs",
    "Works",
    "Solutions",
    "Software",
    "Tech",
    "IT",
    "Cyber",
    "Analytics",
    "Apps",
    "Studio",
    "Dev",
    "Ops",
    "Cloud",
    "Security",
    "Consulting",
]
FORMS = ["", "", "", "LLC", "Inc.", "Ltd", "Co.", "GmbH", "& Partners", "Group", "Holdings, LLC"]
STATES_ALL = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]
BOOL_SPELLINGS = {True: ["true", "yes", "TRUE", "Yes", "y", "1"], False: ["false", "no", "FALSE", "No", "n", "0"]}


def _subsets(items: list[str], most: int) -> list[tuple[str, ...]]:
    from itertools import combinations

    return [c for k in range(1, most + 1) for c in combinations(items, k)]


# every subset of 1-3 services and of 1-3 industries: 129 and 92 of them; the two
# counts are coprime, so rows 1..11,868 hold every (service set, industry set) pair
SERVICE_SETS = _subsets(SERVICES, 3)
INDUSTRY_SETS = _subsets(INDUSTRIES, 3)
SPELLINGS = ("plain", "commas", "dollar_commas", "k", "dollar_m", "usd", "underscore")


def spell_amount(value: int, spelling: str) -> tuple[int, str]:
    """(the value the text means, the text) in one of the spellings `batch` accepts.

    ``k`` and ``M`` keep up to two and three decimals, so the value is rounded to
    what the spelling can say (still unique across a book)."""
    if spelling == "plain":
        return value, str(value)
    if spelling == "commas":
        return value, f"{value:,}"
    if spelling == "dollar_commas":
        return value, f"${value:,}"
    if spelling == "usd":
        return value, f" {value} USD"
    if spelling == "underscore":
        return value, f"{value:_}"
    if spelling == "k" or value < 1_000_000:  # below a million, "$1.25M" reads "$250.12k"
        if value < 1_000:
            return value, str(value)
        value = value // 10 * 10
        return value, ("$" if spelling != "k" else "") + f"{value / 1000:.2f}".rstrip("0").rstrip(".") + "k"
    value = value // 1000 * 1000  # dollar_m
    return value, f"${value / 1_000_000:.3f}".rstrip("0").rstrip(".") + "M"


def _amount(rng: random.Random, value: int, i: int, which: int) -> str:
    return spell_amount(value, SPELLINGS[(i * 3 + which + rng.randrange(2)) % len(SPELLINGS)])[1]


def _name(rng: random.Random, i: int) -> str:
    """Unique, of varied length: one to four words, a legal form, a unique tail."""
    words = [rng.choice(FIRST), *rng.sample(SECOND, rng.choice((0, 1, 1, 2, 3)))]
    form = rng.choice(FORMS)
    tail = f"{i:x}" if i % 3 else f"No. {i}"
    return " ".join([*words, tail, *([form] if form else [])])


def _list_cell(rng: random.Random, ids: tuple[str, ...]) -> str:
    items = list(ids)
    rng.shuffle(items)
    return rng.choice((";", ";", "; ", ",")).join(items)


def realistic_client(rng: random.Random, i: int) -> dict[str, Any]:
    revenue = int(min(rng.lognormvariate(12.4, 1.3), 400_000_000)) + 20_000 + rng.randrange(1000)
    employees = 0 if revenue < 150_000 else int(revenue / rng.uniform(90_000, 200_000))
    largest = max(int(revenue * rng.uniform(0.05, 0.5)), 1_000)
    minimum = rng.choice([0, 0, 0, 0, 500_000, 1_000_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000])
    minimum += rng.randrange(1000) * 1000 if minimum and rng.random() < 0.3 else 0
    flags = [rng.random() < p for p in (0.4, 0.3, 0.15, 0.6, 0.7, 0.5, 0.4)]
    spell = lambda b: rng.choice(BOOL_SPELLINGS[b])  # noqa: E731
    row: dict[str, Any] = {
        "id": f"C{i:07d}",
        "business.name": _name(rng, i),
        "business.annual_revenue": _amount(rng, revenue, i, 0),
        "business.employees": str(employees),
        "business.years_in_business": str(rng.randint(0, 40)),
        "business.state": rng.choice(STATES_ALL) if rng.random() < 0.8 else "",
        "work.services": _list_cell(rng, SERVICE_SETS[i % len(SERVICE_SETS)]),
        "work.largest_contract": _amount(rng, largest, i, 1),
        "work.contractual_minimum": _amount(rng, minimum, i, 2) if minimum else "0",
        "work.client_industries": _list_cell(rng, INDUSTRY_SETS[i % len(INDUSTRY_SETS)]),
        "work.handles_sensitive_data": spell(flags[0]),
        "work.onsite_work": spell(flags[1]),
        "work.builds_products": spell(flags[2]),
        "history.claims_last_5_years": str(rng.choices([0, 1, 2, 3, 5], [85, 9, 4, 1, 1])[0]),
        "practices.contracts_limit_liability": spell(flags[3]),
        "practices.project_documentation": spell(flags[4]),
        "practices.qa_testing": spell(flags[5]),
        "practices.communication_logs": spell(flags[6]),
    }
    if rng.random() < 0.10:  # a current policy, with a retroactive date on most
        limit = rng.choice([250_000, 500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000])
        retro = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(26 * 365))
        row.update(
            {
                "current_policy.limit": _amount(rng, limit, i, 3),
                "current_policy.deductible": _amount(rng, rng.choice([1_000, 2_500, 5_000, 10_000, 25_000]), i, 4),
                "current_policy.defense_costs": rng.choice(["eroding", "eroding", "non-eroding", "Eroding"]),
                "current_policy.includes_cyber": spell(rng.random() < 0.4),
                "current_policy.has_general_liability": spell(rng.random() < 0.5),
                "current_policy.retroactive_date": retro.isoformat() if rng.random() < 0.8 else "",
            }
        )
    if rng.random() < 0.01:  # a bad row, as real books have
        kind = rng.randrange(6)
        if kind == 0:
            row["work.services"] = rng.choice(["webdesign", "web-development", "seo"])
        elif kind == 1:
            row["business.annual_revenue"] = "-" + str(revenue)
        elif kind == 2:
            row["work.largest_contract"] = f"about {largest // 1000}k"
        elif kind == 3:
            row["history.claims_last_5_years"] = ""
        elif kind == 4:
            row["work.onsite_work"] = "sometimes"
        else:
            row["business.state"] = "Calif."
    return row


def rows(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """The simple book (frozen: the golden snapshot is built from it)."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield client(rng, i)


def realistic_rows(n: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield realistic_client(rng, i)


STYLES = {"realistic": realistic_rows, "simple": rows}


def write(n: int, path: str, fmt: str, seed: int = 1, style: str = "realistic") -> None:
    out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="")
    try:
        if fmt == "csv":
            w = csv.DictWriter(out, fieldnames=COLUMNS, restval="", lineterminator="\n")
            w.writeheader()
            for row in STYLES[style](n, seed):
                w.writerow(row)
        else:
            for row in STYLES[style](n, seed):
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
    ap.add_argument(
        "--style", choices=list(STYLES), default="realistic", help="realistic (default) or simple (the frozen book of the golden snapshot)"
    )
    a = ap.parse_args()
    fmt = a.format or ("jsonl" if a.path.endswith((".jsonl", ".ndjson")) else "csv")
    write(a.rows, a.path, fmt, a.seed, a.style)


if __name__ == "__main__":
    main()
