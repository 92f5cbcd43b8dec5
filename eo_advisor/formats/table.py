r"""Flat rows for spreadsheets: the assess ``csv`` format and the batch runner share them.

Cells are decisions, never sentences: numbers, the defense form, gap coverages and
warning ids (``limit_below_contract;no_cyber``), so nothing is rendered per row.

CSV safety, in one place (documented in docs/cli.md, "Safety"):

* **Rows stay rows.** :func:`csv_writer` ends rows with ``\n`` (as eo-advisor always
  has) and quotes every cell that holds a ``\r`` or a ``\n``, as an RFC 4180 writer
  would (the csv module quotes only the characters of its line terminator, so a plain
  ``\n`` writer would leave a bare ``\r`` unquoted and split the row there). An id like
  ``Acme\r=1+1`` stays inside its quoted cell: every reader that honours quotes (the
  csv module, Excel, LibreOffice, pandas) gets one row per record.
* **No control character**: text cells are normalised first. Line breaks become
  ``\n`` (``\r\n`` and a lone ``\r`` alike, as universal newlines read them), so no
  ``\r`` can overwrite a line when the CSV is shown in a terminal; every other C0
  control (tab excepted), DEL, C1 control, bidi mark and lone surrogate (a file name
  or JSON ``"\ud800"`` that is not text) becomes U+FFFD. Names never hold any of these
  (the profile refuses them); ids, sources and error messages might. Text that is all
  printable (nearly every cell) is checked with one C call and left as it is.
* **No cell runs as a formula** (OWASP CSV injection guidance), decided after that
  normalisation: :func:`neutralise` puts an apostrophe before a text cell that starts
  with ``=``, ``+``, ``-``, ``@``, tab, CR or LF, or that reaches one of ``= + - @``
  (or their full-width forms) after leading blanks, line breaks, format or bidi
  characters or U+FFFD (`` =1+1``, ``\n=cmd``, ``\u200b=1``, ``\x1b=1``), since some
  importers trim those first. Every text cell: ids, sources, errors (which may quote user text), names, rule
  ids. Numbers are never touched: eo-advisor writes only non-negative numbers, as
  numbers, so a ``-`` is never ours.
"""

from __future__ import annotations

import csv
import io
import re
from typing import IO, Any

from eo_advisor.advice.result import Result
from eo_advisor.edge.unsafe import unsafe_chars, unsafe_pattern
from eo_advisor.formats import Report

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
# a cell a spreadsheet may run: it starts with tab/CR/LF, or reaches = + - @ (ASCII or
# full-width) after leading blanks, controls, soft hyphen, zero-width/format and bidi marks,
# or U+FFFD (which stands for a control character that another importer might have skipped)
_FORMULA_START = re.compile(f"[\t\r\n]|[\\s{unsafe_chars()}\ufffd]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
# after line breaks are made \n: the one unsafe class (eo_advisor.edge.unsafe) but tab and LF
_UNSAFE = unsafe_pattern(keep="\t\n")


def normalise(text: str) -> str:
    """Line breaks as ``\n``; other control, bidi and unencodable characters as U+FFFD."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("\ufffd", text)


def neutralise(cell: Any) -> Any:
    """A text cell made inert for spreadsheets and terminals and writable as UTF-8 (see
    the module docstring); anything that is not text (numbers, None) is returned as it is."""
    if not isinstance(cell, str) or not cell:
        return cell
    if not cell.isprintable():  # a control, separator, format character or surrogate: rare
        cell = normalise(cell)
    if cell[0].isalnum() or not _FORMULA_START.match(cell):  # nearly every cell: one C call
        return cell
    return "'" + cell


class _LfRows:
    """What :func:`csv_writer` writes through: the csv module writes each row with one
    ``write`` call ending in ``\r\n``; this turns that ending into ``\n``."""

    __slots__ = ("write",)

    def __init__(self, fh: IO[str]) -> None:
        put = fh.write
        self.write = lambda row: put(row[:-2] + "\n")


def csv_writer(fh: IO[str]) -> Any:
    """A csv writer for every CSV eo-advisor writes: rows end with ``\n``; a cell with a
    ``\r`` or ``\n`` is quoted (the module quotes the characters of its line terminator,
    so it is told ``\r\n`` and the ending is turned back into ``\n``)."""
    return csv.writer(_LfRows(fh), lineterminator="\r\n")


def result_cells(result: Result) -> tuple[Any, ...]:
    """The result's cells for RESULT_COLUMNS, in order; text cells already neutralised
    (they come from the rules, not from the user, but every text cell is treated alike).
    A closing business buys no new policy: its policy cells are empty, its warnings say
    ``close`` (the tail)."""
    if result.closing:
        return ("", "", "", "", "", "", "", "", "", neutralise(";".join([f.id for f in result.warnings])))
    return (
        result.limit.per_claim,
        result.limit.aggregate,
        result.deductible.amount,
        neutralise(result.defense_costs.recommendation),
        result.defense_costs.limit_if_eroding,
        neutralise(";".join([g.coverage for g in result.gaps])),
        result.premium.low,
        result.premium.high,
        result.premium.estimate,
        neutralise(";".join([f.id for f in result.warnings])),
    )


class CsvFormatter:
    name = "csv"
    wants_options = False

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        result = report.result
        buf = io.StringIO()
        columns = ("business_name", *RESULT_COLUMNS)
        writer = csv_writer(buf)
        writer.writerow(columns)
        writer.writerow((neutralise(result.business_name or ""), *result_cells(result)))  # cells already made safe
        return buf.getvalue()
