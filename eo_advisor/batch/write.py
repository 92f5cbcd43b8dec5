"""The writers of a book's results (CSV, JSON lines) and the templates of a book."""

from __future__ import annotations

import csv
import datetime
import io
from typing import IO, Any, Callable

from eo_advisor.batch.read import CSV_INPUT_COLUMNS
from eo_advisor.batch.records import Outcome
from eo_advisor.formats.data import to_json
from eo_advisor.formats.render import Renderer, default_renderer
from eo_advisor.formats.table import RESULT_COLUMNS, csv_writer, neutralise, result_cells
from eo_advisor.profile.schema import FIELDS

OUTPUT_FORMATS = ("csv", "jsonl", "jsonl-compact")
CSV_COLUMNS = ("id", "source", "status", "error", "business_name", *RESULT_COLUMNS)


def csv_cells(o: Outcome) -> tuple[Any, ...]:
    """One outcome's cells for CSV_COLUMNS, as ``batch --format csv`` writes them (string
    cells made safe for spreadsheets; ``None`` is an empty cell)."""
    r = o.record
    if o.result is not None:
        return (neutralise(r.id), neutralise(r.source), "ok", "", neutralise(o.result.business_name or ""), *result_cells(o.result))
    return (neutralise(r.id), neutralise(r.source), "error", neutralise(o.error or ""), "", *_EMPTY_RESULT)


_EMPTY_RESULT = ("",) * len(RESULT_COLUMNS)


class CsvWriter:
    """``batch --format csv``: rows end with ``\n``, a cell holding ``\r`` or ``\n`` is
    quoted and every text cell is neutralised (see :mod:`eo_advisor.formats.table`), so
    any CSV reader gets back exactly one row per record, none starting a formula."""

    def __init__(self, fh: IO[str], *, header: bool = True, as_of: datetime.date | None = None) -> None:
        self.writer = csv_writer(fh)
        self.writerow = self.writer.writerow
        if header:
            self.writerow(CSV_COLUMNS)

    def write(self, o: Outcome) -> None:
        self.writerow(csv_cells(o))


class JsonlWriter:
    """``batch --format jsonl``: one JSON object per line, written by
    :func:`~eo_advisor.formats.data.to_json`, which escapes every character a line
    splitter could break at (U+2028/U+2029, NEL) and any lone surrogate, so one record
    is one line and the write never fails."""

    def __init__(self, fh: IO[str], render: Renderer | None = None, *, header: bool = True, as_of: datetime.date | None = None) -> None:
        self.fh = fh
        self.render = render or default_renderer()

    def result(self, o: Outcome) -> dict[str, Any] | None:
        return o.result.to_dict(self.render) if o.result is not None else None

    def write(self, o: Outcome) -> None:
        r = o.record
        obj = {"id": r.id, "source": r.source, "status": "ok" if o.ok else "error", "error": o.error, "result": self.result(o)}
        self.fh.write(to_json(obj, indent=None))
        self.fh.write("\n")


COMPACT_FORMAT = "eo-advisor batch jsonl-compact 1"


class CompactJsonlWriter(JsonlWriter):
    """``batch --format jsonl-compact``, for scripts over big books: a header record
    first (``{"format", "eo_advisor", "rules_version", "as_of", "sources": {id: {title,
    url, ...}}}``), then one line a record as ``jsonl`` writes it, except that a result's
    ``sources`` are ids into the header's table (not their titles and addresses every
    row) and each finding is written once: ``warnings`` that repeat a finding (its text,
    or its text and its ask) are left out, and ``policy_review`` lists the ids of its
    findings (they are in ``findings``, each with its ``id``)."""

    def __init__(self, fh: IO[str], render: Renderer | None = None, *, header: bool = True, as_of: datetime.date | None = None) -> None:
        super().__init__(fh, render, header=header, as_of=as_of)
        if header:
            from eo_advisor import __version__

            rules = self.render.rules
            table = {src["id"]: {k: v for k, v in src.items() if k != "id"} for src in self.render.sources(rules.sources)}
            head = {
                "format": COMPACT_FORMAT,
                "eo_advisor": __version__,
                "rules_version": rules.version,
                "as_of": as_of.isoformat() if as_of else None,
                "sources": table,
            }
            fh.write(to_json(head, indent=None) + "\n")

    def result(self, o: Outcome) -> dict[str, Any] | None:
        obj = super().result(o)
        if obj is None or o.result is None:
            return obj
        obj["sources"] = list(o.result.sources)
        findings = [f for f in obj.get("findings") or () if isinstance(f, dict)]
        said = {f.get("finding") for f in findings} | {f"{f.get('finding')} {f.get('ask')}" for f in findings}
        if "warnings" in obj:  # a warning is a finding and its ask, worded again
            obj["warnings"] = [w for w in obj["warnings"] if w not in said]
        ids = {f.get("id") for f in findings}
        review = obj.get("policy_review")
        if review and all(isinstance(f, dict) and f.get("id") in ids for f in review):  # the same findings again
            obj["policy_review"] = [f["id"] for f in review]
        return obj


WRITERS: dict[str, Callable[..., Any]] = {"csv": CsvWriter, "jsonl": JsonlWriter, "jsonl-compact": CompactJsonlWriter}


def csv_template() -> str:
    """Header plus one example row: valid input for ``batch`` as it stands."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_INPUT_COLUMNS)
    w.writerow(["client-001", *(_cell(f.example) for f in FIELDS)])
    return buf.getvalue()


def jsonl_template() -> str:
    from eo_advisor.profile.parse import unflatten

    nested = unflatten({f.key: f.example for f in FIELDS})
    return to_json({"id": "client-001", "schema_version": 1, **nested}, indent=None) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(value)
    return str(value)
