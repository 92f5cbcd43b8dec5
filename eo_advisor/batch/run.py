"""Batch: a whole book of clients, streamed one record at a time.

read (CSV rows, JSON lines, TOML files) -> validate -> assess -> write, one record at
a time, so memory does not grow with the book. A bad record becomes an ``error``
record naming its field; it never stops the others. The same profile model, engine
and row formatter as ``assess`` (no second copy of any of them).

The modules: :mod:`~eo_advisor.batch.lines` (bounded physical lines),
:mod:`~eo_advisor.batch.read` (the readers), :mod:`~eo_advisor.batch.records` (a
record and its assessment), :mod:`~eo_advisor.batch.write` (the writers),
:mod:`~eo_advisor.batch.workers` (``--jobs``); this one runs a book through them and
keeps the names scripts import from ``eo_advisor.batch.run``.
"""

from __future__ import annotations

import datetime
import time
from itertools import chain, islice
from typing import IO, Callable, Iterable

from eo_advisor.batch import workers
from eo_advisor.batch.lines import ByteMeter
from eo_advisor.batch.read import CSV_INPUT_COLUMNS, INPUT_FORMATS, MAX_LINE_CHARS, detect_format, json_too_deep, read_inputs
from eo_advisor.batch.records import Outcome, ParseMemo, Record, Summary, assess_record, assess_records
from eo_advisor.batch.workers import CHUNK_ROWS, JOBS_ENV, MAX_JOBS, format_chunk, resolve_jobs
from eo_advisor.batch.write import CSV_COLUMNS, OUTPUT_FORMATS, WRITERS, CsvWriter, JsonlWriter, csv_cells, csv_template, jsonl_template
from eo_advisor.rules import Rules, load_rules


def run(
    records: Iterable[Record],
    out: IO[str],
    output_format: str = "csv",
    *,
    rules: Rules | None = None,
    on_row: Callable[[int], None] | None = None,
    jobs: int = 1,
    as_of: datetime.date | None = None,
) -> Summary:
    """Assess and write every record, in input order. Returns counts for the summary.

    ``as_of``: the one review date of the whole book (default: today, read once here),
    used by validation and the engine for every record, in every worker.
    ``jobs`` worker processes (0 = one per core) assess bounded chunks of
    :data:`CHUNK_ROWS` records; the output, errors and counts are the same as with
    ``jobs=1``, which assesses in this process, one record at a time."""
    start = time.perf_counter()
    as_of = as_of or datetime.date.today()
    n_workers = resolve_jobs(jobs)
    if n_workers > 1:
        records = iter(records)
        first = list(islice(records, CHUNK_ROWS))
        if len(first) == CHUNK_ROWS:  # more than one chunk: worth starting workers
            return workers.run_parallel(chain(first, records), out, output_format, rules, on_row, n_workers, start, as_of)
        records = first
    writer = WRITERS[output_format](out, as_of=as_of)
    n = ok = errors = unreadable = 0
    for outcome in assess_records(records, rules, as_of=as_of):
        writer.write(outcome)
        n += 1
        if outcome.ok:
            ok += 1
        else:
            errors += 1
            unreadable += outcome.record.unreadable
        if on_row is not None:
            on_row(n)
    return Summary(n, ok, errors, unreadable, time.perf_counter() - start, as_of)


__all__ = [
    "CHUNK_ROWS",
    "CSV_COLUMNS",
    "CSV_INPUT_COLUMNS",
    "INPUT_FORMATS",
    "JOBS_ENV",
    "MAX_JOBS",
    "MAX_LINE_CHARS",
    "OUTPUT_FORMATS",
    "ByteMeter",
    "CsvWriter",
    "JsonlWriter",
    "Outcome",
    "ParseMemo",
    "Record",
    "Summary",
    "assess_record",
    "assess_records",
    "csv_cells",
    "csv_template",
    "detect_format",
    "format_chunk",
    "json_too_deep",
    "jsonl_template",
    "load_rules",
    "read_inputs",
    "resolve_jobs",
    "run",
]
