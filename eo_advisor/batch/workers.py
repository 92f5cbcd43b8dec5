"""Worker processes for ``batch --jobs N``: bounded chunks of records assessed and
formatted in a :class:`concurrent.futures.ProcessPoolExecutor`, written back in input
order.

Why an executor and not ``multiprocessing.Pool``: a pool does not notice a task lost
with its worker (a worker killed by the OOM killer leaves the parent waiting for
ever, and a worker that dies while starting is respawned for ever). The executor
marks itself broken (:class:`BrokenProcessPool`): the run then ends with one clear
error, exit 1, and no temp file. On an interrupt (Ctrl-C, SIGTERM, SIGHUP) the queued
chunks are cancelled and the workers terminated before the interrupt goes on.
"""

from __future__ import annotations

import datetime
import io
import os
import time
from collections import deque
from itertools import islice
from typing import IO, Any, Callable, Iterator

from eo_advisor.batch.records import Outcome, ParseMemo, Record, Summary, assess_record
from eo_advisor.batch.write import WRITERS
from eo_advisor.errors import EOAdvisorError, UsageError
from eo_advisor.rules import Rules, load_rules

CHUNK_ROWS = 1_000  # records per task sent to a worker
JOBS_ENV = "EO_ADVISOR_JOBS"
MAX_JOBS = 256  # past this, --jobs is a usage error: no machine this runs on has that many cores to give


class WorkerDied(EOAdvisorError):
    """A worker process ended without returning its chunk (killed, out of memory, or
    it could not start): the run stops, no output file is left."""


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int) -> int:
    """Worker count for ``jobs``: 0 means one per core; more than the cores this
    process may use gives one per core (more would only compete for them); more than
    :data:`MAX_JOBS` is a usage error. The executor starts workers only as chunks
    need them, so a book of few chunks starts no more workers than it has chunks."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, got {jobs}")
    if jobs > MAX_JOBS:
        raise UsageError(f"--jobs {jobs} is more than {MAX_JOBS}; give at most {MAX_JOBS}, or 0 for one worker per core ({cpu_count()} here)")
    return cpu_count() if jobs == 0 else min(jobs, cpu_count())


class _Worker:
    """What one worker process keeps between chunks: set once by :func:`_init_worker`."""

    rules: Rules
    as_of: datetime.date
    output_format: str
    memo: ParseMemo


def _init_worker(output_format: str, rules: Rules | None, as_of: datetime.date) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _Worker.rules = rules or load_rules()
    _Worker.as_of = as_of
    _Worker.output_format = output_format
    _Worker.memo = ParseMemo()


def format_chunk(rows: list[tuple[Any, ...]]) -> tuple[str, int, int, int]:
    """In a worker: validate, assess and format a chunk of records (plain tuples of
    :class:`Record` fields), all against the one review date of the run. Returns the
    output text (no header) and the counts (ok, errors, unreadable inputs)."""
    buf = io.StringIO()
    writer = WRITERS[_Worker.output_format](buf, header=False)
    rules, as_of, memo = _Worker.rules, _Worker.as_of, _Worker.memo
    ok = errors = unreadable = 0
    for row in rows:
        outcome: Outcome = assess_record(Record._make(row), rules, as_of=as_of, memo=memo)
        writer.write(outcome)
        if outcome.ok:
            ok += 1
        else:
            errors += 1
            unreadable += outcome.record.unreadable
    memo.trim()
    return buf.getvalue(), ok, errors, unreadable


class _Tally:
    """Counts of the chunks written so far, and the progress callback."""

    def __init__(self, on_row: Callable[[int], None] | None) -> None:
        self.n = self.ok = self.errors = self.unreadable = 0
        self.on_row = on_row

    def add(self, c_ok: int, c_errors: int, c_unreadable: int) -> None:
        self.ok += c_ok
        self.errors += c_errors
        self.unreadable += c_unreadable
        if self.on_row is not None:
            for i in range(self.n + 1, self.n + c_ok + c_errors + 1):
                self.on_row(i)
        self.n += c_ok + c_errors


def run_parallel(
    records: Iterator[Record],
    out: IO[str],
    output_format: str,
    rules: Rules | None,
    on_row: Callable[[int], None] | None,
    workers: int,
    start: float,
    as_of: datetime.date,
) -> Summary:
    """Records are read here and sent to the workers as plain tuples, a chunk at a
    time, with at most ``2 * workers + 1`` chunks in flight (memory stays flat); the
    formatted chunks come back and are written in input order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if rules is load_rules():
        rules = None  # each worker loads the packaged rules itself
    WRITERS[output_format](out, as_of=as_of)  # the header, if the format has one
    tally = _Tally(on_row)
    pending: deque[Any] = deque()
    # spawn: the same on every OS, and safe beside threads (a progress bar's)
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker, initargs=(output_format, rules, as_of)
    )

    def write_next() -> None:
        text, *counts = pending.popleft().result()
        out.write(text)
        tally.add(*counts)

    try:
        while chunk := [tuple(r) for r in islice(records, CHUNK_ROWS)]:
            pending.append(executor.submit(format_chunk, chunk))
            if len(pending) > 2 * workers:
                write_next()
        while pending:
            write_next()
    except BrokenProcessPool:
        _stop(executor, pending)
        raise WorkerDied(
            f"batch: a worker process ended without returning its records (killed, out of memory, or it could not start) "
            f"after {tally.n:,} records were written; the run was stopped"
        ) from None
    except BaseException:  # Ctrl-C, SIGTERM, a full disk: stop the workers, then go on
        _stop(executor, pending)
        raise
    executor.shutdown(wait=True)
    return Summary(tally.n, tally.ok, tally.errors, tally.unreadable, time.perf_counter() - start, as_of)


def _stop(executor: Any, pending: deque[Any]) -> None:
    """Cancel what is queued and end the workers now (not after their chunks)."""
    for future in pending:
        future.cancel()
    for process in list(getattr(executor, "_processes", {}).values()):  # the executor has no public way to end them
        if process.is_alive():
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)
