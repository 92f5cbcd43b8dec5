"""Flat rows for spreadsheets: the assess ``csv`` format and the batch runner share them.

Every string cell is made inert for spreadsheets (OWASP CSV injection guidance):
a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..result import Result

RESULT_COLUMNS = (
    "limit_per_claim",
    "limit_aggregate",
    "deductible",
    "defense_costs",
    "limit_if_eroding",
    "gaps",
    "premium_low",
    "premium_high",
    "premium_estimate",
    "warnings",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(_DANGEROUS):
        return "'" + cell
    return cell


def result_row(result: Result) -> dict[str, Any]:
    return {
        "limit_per_claim": result.limit.per_claim,
        "limit_aggregate": result.limit.aggregate,
        "deductible": result.deductible.amount,
        "defense_costs": result.defense_costs.recommendation,
        "limit_if_eroding": result.defense_costs.limit_if_eroding,
        "gaps": ";".join(f"{g.coverage}" for g in result.gaps),
        "premium_low": result.premium.low,
        "premium_high": result.premium.high,
        "premium_estimate": result.premium.estimate,
        "warnings": ";".join(result.warnings),
    }


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: neutralise(v) for k, v in row.items()}


class CsvFormatter:
    name = "csv"

    def format(self, result: Result, *, color: bool = False) -> str:
        buf = io.StringIO()
        columns = ("business_name", *RESULT_COLUMNS)
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerow(safe_row({"business_name": result.business_name or "", **result_row(result)}))
        return buf.getvalue()
