"""Flat rows for spreadsheets: the assess ``csv`` format and the batch runner share them.

Cells are decisions, never sentences: numbers, the defense form, gap coverages and
warning ids (``limit_below_contract;no_cyber``), so nothing is rendered per row.

Every string cell is made inert for spreadsheets (OWASP CSV injection guidance):
a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..result import Result
from . import Report

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


def result_cells(result: Result) -> tuple[Any, ...]:
    """The result's cells for RESULT_COLUMNS, in order; string cells already neutralised."""
    return (
        result.limit.per_claim,
        result.limit.aggregate,
        result.deductible.amount,
        result.defense_costs.recommendation,
        result.defense_costs.limit_if_eroding,
        neutralise(";".join([g.coverage for g in result.gaps])),
        result.premium.low,
        result.premium.high,
        result.premium.estimate,
        ";".join([f.id for f in result.warnings]),
    )


def result_row(result: Result) -> dict[str, Any]:
    return dict(zip(RESULT_COLUMNS, result_cells(result)))


class CsvFormatter:
    name = "csv"
    wants_options = False

    def format(self, report: Report, *, color: bool = False) -> str:
        result = report.result
        buf = io.StringIO()
        columns = ("business_name", *RESULT_COLUMNS)
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerow((neutralise(result.business_name or ""), *result_cells(result)))  # cells already made safe
        return buf.getvalue()
