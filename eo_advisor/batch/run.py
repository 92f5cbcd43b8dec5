"""Batch: a whole book of clients, streamed one record at a time.

read (CSV rows, JSON lines, TOML files) -> validate -> assess -> write, one record at
a time, so memory does not grow with the book. A bad record becomes an ``error``
record naming its field; it never stops the others. The same profile model, engine
and row formatter as ``assess`` (no second copy of any of them).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import stat
import sys
import time
from collections import deque
from itertools import accumulate, chain, islice
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, NamedTuple

from eo_advisor.advice import engine
from eo_advisor.advice.result import Result
from eo_advisor.edge.caps import MAX_NESTING, MAX_RECORD_CHARS, MAX_RECORD_LINES, MAX_SKIP_CHARS
from eo_advisor.edge.files import display_name, input_errors, parse_toml, read_text
from eo_advisor.errors import InputError, ProfileError
from eo_advisor.formats.data import to_json
from eo_advisor.formats.render import Renderer, default_renderer
from eo_advisor.formats.table import RESULT_COLUMNS, csv_writer, neutralise, result_cells
from eo_advisor.profile.model import validate, validate_flat
from eo_advisor.profile.schema import FIELD_BY_KEY, FIELDS
from eo_advisor.rules import Rules, load_rules

INPUT_FORMATS = ("csv", "jsonl", "toml")
OUTPUT_FORMATS = ("csv", "jsonl")
CSV_COLUMNS = ("id", "source", "status", "error", "business_name", *RESULT_COLUMNS)
CSV_INPUT_COLUMNS = ("id", *(f.key for f in FIELDS))
MAX_LINE_CHARS = MAX_RECORD_CHARS  # one CSV row or JSON line (kept for callers of the old name)


class Record(NamedTuple):
    """One client read from the input: its data, or why it could not be read."""

    id: str
    source: str  # file:row / file:line / file
    data: dict[str, Any] | None  # nested (TOML/JSON) or flat (CSV) profile data
    flat: bool = False
    error: str | None = None
    unreadable: bool = False  # a whole input (file) could not be read


class Outcome(NamedTuple):
    record: Record
    result: Result | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.result is not None


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------
def detect_format(path: str, declared: str | None) -> str:
    if declared:
        return declared
    if path == "-":
        raise InputError("reading stdin ('-'): say what it is with --input-format csv|jsonl|toml")
    p = Path(path)
    if p.is_dir():
        return "dir"
    suffix = p.suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv"):
        return "csv"
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix == "toml":
        return "toml"
    raise InputError(f"{path}: cannot tell the format from the extension; use --input-format csv|jsonl|toml")


class ByteMeter:
    """Counts the bytes read from input files, for a progress bar with a real total."""

    def __init__(self) -> None:
        self.done = 0

    def total(self, paths: list[str]) -> int | None:
        """Total bytes of the inputs, or None when one of them has no known size (stdin)."""
        total = 0
        for path in paths:
            p = Path(path)
            if path == "-" or not p.exists():
                return None if path == "-" else total
            total += sum(f.stat().st_size for f in p.glob("*.toml")) if p.is_dir() else p.stat().st_size
        return total


class _CountingReader(io.RawIOBase):
    """The raw bytes of an input file: counted for the progress bar, and checked at
    the end against the size the file had when it was opened, so a file cut short
    while it is read (truncated by another program) is an error, not a short book."""

    def __init__(self, raw: Any, meter: ByteMeter | None, name: str) -> None:
        self.raw, self.meter, self.name = raw, meter, name
        st = os.fstat(raw.fileno())
        self.size = st.st_size if stat.S_ISREG(st.st_mode) else None
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.done += n
            if self.meter is not None:
                self.meter.done += n
        elif n == 0 and self.size is not None and self.done < self.size:
            raise InputError(
                f"{self.name}: the file was truncated while being read ({self.size:,} bytes when opened, it ended after {self.done:,}); "
                "the records after this point were not read"
            )
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _open_text(path: str, stdin: IO[str] | None, meter: ByteMeter | None = None, newline: str = "") -> IO[str]:
    """A text stream that never raises on bad bytes: they become lone surrogates,
    which the row check reports for that row alone. ``newline=""`` (CSV) ends lines at
    \\n, \\r or \\r\\n and leaves them to the csv module; ``"\\n"`` (JSON lines) only at \\n."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            return stream
        return io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="surrogateescape", newline=newline)
    with input_errors(path):
        raw = io.BufferedReader(_CountingReader(open(path, "rb", buffering=0), meter, display_name(path)), buffer_size=1 << 16)
        return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline=newline)


class _LineTooLong(Exception):
    """The next physical line is over MAX_RECORD_CHARS (it has been skipped)."""


class _RecordTooLong(Exception):
    """The record being read runs over MAX_RECORD_LINES lines or MAX_RECORD_CHARS
    characters: a quote that never closes. The line that broke the cap is kept."""


_OVERSIZE: Any = object()  # stands in the push-back queue for a line that was skipped as too long


class BoundedLines:
    """Physical lines of a text stream, none held longer than ``limit`` characters.

    Each line is read with ``readline(limit + 1)``; a longer one is skipped to its end in
    bounded chunks (at most MAX_SKIP_CHARS, past which the input is refused) and raises
    :class:`_LineTooLong` in its place. For CSV, the lines served for the current record
    are kept (at most ``limit`` characters in all) so that, when the record turns out to
    be an unterminated quote, :meth:`rewind` serves again every line after the first.
    """

    def __init__(
        self, fh: IO[str], name: str, ends: tuple[str, ...] = ("\n", "\r"), limit: int = MAX_RECORD_CHARS, max_lines: int = MAX_RECORD_LINES
    ) -> None:
        self.fh, self.name, self.ends, self.limit, self.max_lines = fh, name, ends, limit, max_lines
        self.line_no = 0  # physical lines taken from the stream
        self.pending: deque[tuple[int, str]] = deque()  # (line number, text) served again first
        self.served: list[tuple[int, str]] = []  # this record's lines
        self.chars = 0  # this record's characters
        self.eof_in_record = False  # the input ended while this record was open (a quote)

    def begin_record(self) -> None:
        self.served.clear()
        self.chars = 0
        self.eof_in_record = False

    @property
    def first_text(self) -> str | None:
        """The first physical line of the current record (None if it was too long)."""
        if not self.served or self.served[0][1] is _OVERSIZE:
            return None
        return self.served[0][1]

    @property
    def first_line(self) -> int:
        """Line number where the current record began."""
        return self.served[0][0] if self.served else self.line_no + 1

    def rewind(self) -> None:
        """Give back every line of this record after its first, to be read again (the
        record is then its first line alone)."""
        self.pending.extendleft(reversed(self.served[1:]))
        del self.served[1:]
        self.eof_in_record = False

    def _read(self) -> tuple[int, str]:
        if self.pending:
            return self.pending.popleft()
        line = self.fh.readline(self.limit + 1)
        if not line:
            return 0, ""
        self.line_no += 1
        if len(line) <= self.limit:
            return self.line_no, line
        skipped = len(line)
        while not line.endswith(self.ends):
            line = self.fh.readline(1 << 16)
            if not line:
                break
            skipped += len(line)
            if skipped > MAX_SKIP_CHARS:
                raise InputError(
                    f"{self.name}: line {self.line_no:,} runs past {MAX_SKIP_CHARS:,} characters without a line break; "
                    "the rest of this input is not line-oriented text (a binary file?) and was not read"
                )
        return self.line_no, _OVERSIZE

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        number, line = self._read()
        if number == 0:
            self.eof_in_record = bool(self.served)
            raise StopIteration
        if line is _OVERSIZE or (self.served and (len(self.served) >= self.max_lines or self.chars + len(line) > self.limit)):
            if not self.served:
                self.served.append((number, line))
                raise _LineTooLong
            self.pending.appendleft((number, line))  # read again after the rewind
            raise _RecordTooLong
        self.served.append((number, line))
        self.chars += len(line)
        return line


def _not_utf8(values: list[str] | tuple[str, ...]) -> bool:
    """True when a value holds bytes that were not UTF-8 (decoded as lone surrogates)."""
    joined = "".join(values)
    if joined.isascii():  # nearly every row: one C call
        return False
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_csv(path: str, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    """One record per CSV row. A row is read through :class:`BoundedLines`, so no row
    over MAX_RECORD_CHARS is ever held; an over-long row, a NUL byte or a quote that does
    not close is an error for that row alone, and the rows after it are still read."""
    name = display_name(path)
    with _open_text(path, stdin, meter) as fh:
        lines = BoundedLines(fh, name)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{name}: empty file, expected a CSV header") from None
        except (_LineTooLong, _RecordTooLong):
            raise InputError(f"{name}: the CSV header is longer than {MAX_RECORD_CHARS:,} characters; is this a CSV book?") from None
        except (csv.Error, UnicodeError) as exc:
            raise InputError(f"{name}: unreadable CSV header ({exc})") from None
        if lines.eof_in_record or len(lines.served) > 1:
            raise InputError(f"{name}: the CSV header has a quote that does not close on its line")
        if _not_utf8(header):
            raise InputError(f"{name}: header is not valid UTF-8; save the file as UTF-8")
        header = [h.strip() for h in header]
        unknown = [h for h in header if h not in FIELD_BY_KEY and h != "id"]
        if unknown:
            import difflib

            hints = []
            for h in unknown:
                close = difflib.get_close_matches(h, CSV_INPUT_COLUMNS, n=1, cutoff=0.6)
                hints.append(f"{h!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise InputError(
                f"{name}: unknown column{'s' if len(hints) > 1 else ''} {', '.join(hints)}; columns are the profile's dotted keys (see `eo-advisor profile template --format csv`)"
            )
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise InputError(f"{name}: duplicate column{'s' if len(dupes) > 1 else ''} {', '.join(dupes)}")
        width = len(header)
        id_at = header.index("id") if "id" in header else None
        while True:
            lines.begin_record()
            error = None
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LineTooLong:
                error = f"row longer than {MAX_RECORD_CHARS:,} characters (skipped)"
            except _RecordTooLong:
                error = _unclosed(lines, f"within {MAX_RECORD_LINES} lines or {MAX_RECORD_CHARS:,} characters")
            except csv.Error as exc:
                error = f"unreadable CSV row ({exc})"
                if len(lines.served) > 1:
                    lines.rewind()
            else:
                if lines.eof_in_record:
                    error = _unclosed(lines, "before the end of the input")
                elif len(lines.served) > 1 and len(row) != width:
                    error = _unclosed(lines, f"where it should (the row would have {len(row)} cells, the header has {width})")
                elif len(lines.served) > 1 and _swallows_rows(lines.served, width):
                    error = _unclosed(lines, "where it should (the lines after it read as rows of their own)")
            first, last = lines.first_line, (lines.served[-1][0] if lines.served else lines.first_line)
            source = f"{name}:{first}" if last == first else f"{name}:{first}-{last}"
            if error is not None:
                yield Record(_row_id(lines.first_text, id_at, first), source, None, error=error)
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            rid = (row[id_at].strip() if id_at is not None and id_at < len(row) else "") or str(first)
            if len(row) != width:
                yield Record(rid, source, None, error=f"row has {len(row)} cells, the header has {width}")
                continue
            # empty and blank cells are absent fields
            flat = {k: v for k, v in zip(header, row, strict=False) if v and not v.isspace()}
            flat.pop("id", None)
            if _not_utf8(row):
                yield Record(rid, source, None, error="row is not valid UTF-8")
                continue
            yield Record(rid, source, flat, flat=True)


def _row_id(first_line: str | None, id_at: int | None, line_no: int) -> str:
    """The id of a row that could not be read whole: its ``id`` cell as its first
    physical line has it (the line number when there is none)."""
    if id_at is None or not first_line or not isinstance(first_line, str):
        return str(line_no)
    try:
        cells = next(csv.reader([first_line.rstrip("\r\n")]), [])
    except csv.Error:
        return str(line_no)
    return (cells[id_at].strip() if id_at < len(cells) else "") or str(line_no)


def _swallows_rows(served: list[tuple[int, str]], width: int) -> bool:
    """Does a record read over several physical lines look like an unclosed quote that
    swallowed the rows after it, although it came out with the header's width? Yes when
    a quote closes with text straight after it (``"Beta"`` reopened as ``...,"`` +
    ``Beta``: what a strict reader refuses), or when a line inside it reads, on its own,
    as a row of the header's width (the last line is left out: it carries the cells
    after the quoted one, which may well add up to that width)."""
    try:
        for _ in csv.reader(io.StringIO("".join(text for _, text in served), newline=""), strict=True):
            pass
    except csv.Error:
        return True
    for _, text in served[1:-1]:
        try:
            if len(next(csv.reader([text.rstrip("\r\n")]), [])) >= width:
                return True
        except csv.Error:
            continue
    return False


def _unclosed(lines: BoundedLines, where: str) -> str:
    """The message for a quote that opens in a row and does not close; the lines after
    that row are given back to be read as rows of their own."""
    first = lines.first_line
    lines.rewind()
    return f"a quoted cell opened in this row (line {first:,}) does not close {where}; reading resumes at line {first + 1:,}"


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # unrolled: linear
_BRACKETS = re.compile(r"[\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_too_deep(line: str, limit: int = MAX_NESTING) -> bool:
    """True when arrays/objects in one JSON text nest deeper than ``limit``; checked
    before ``json.loads``, whose recursion would otherwise end the whole batch."""
    if line.count("[") + line.count("{") <= limit:  # nearly every line: two C calls
        return False
    brackets = _BRACKETS.findall(_JSON_STRING.sub("", line))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > limit


def read_jsonl(path: str, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    """One record per line (lines end at \\n only). A line is read through
    :class:`BoundedLines`: one over MAX_RECORD_CHARS is skipped and reported, never held."""
    name = display_name(path)
    with _open_text(path, stdin, meter, newline="\n") as fh:
        lines = BoundedLines(fh, name, ends=("\n",))
        while True:
            lines.begin_record()
            try:
                line = next(lines)
            except StopIteration:
                return
            except _LineTooLong:
                line_no = lines.first_line
                yield Record(str(line_no), f"{name}:{line_no}", None, error=f"line longer than {MAX_RECORD_CHARS:,} characters (skipped)")
                continue
            line_no = lines.first_line
            if not line.strip():
                continue
            source = f"{name}:{line_no}"
            if _not_utf8((line,)):
                yield Record(str(line_no), source, None, error="line is not valid UTF-8")
                continue
            if json_too_deep(line):
                yield Record(str(line_no), source, None, error=f"nested too deep (limit {MAX_NESTING})")
                continue
            try:
                obj = json.loads(line)
            except RecursionError:  # only if the stack is already deep: the check above bounds nesting
                yield Record(str(line_no), source, None, error=f"nested too deep (limit {MAX_NESTING})")
                continue
            except json.JSONDecodeError as exc:
                yield Record(str(line_no), source, None, error=f"not valid JSON ({exc})")
                continue
            except ValueError:  # int('9' * 5000): Python's limit on digits in one integer
                yield Record(str(line_no), source, None, error="not valid JSON (a number has too many digits to be read)")
                continue
            if not isinstance(obj, dict):
                yield Record(str(line_no), source, None, error="expected a JSON object (one profile per line)")
                continue
            rid = obj.pop("id", None)
            rid = str(rid) if rid not in (None, "") else str(line_no)
            flat = any("." in k for k in obj)
            yield Record(rid, source, obj, flat=flat)


def read_toml(path: str, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    name = display_name(path)
    rid = "stdin" if path == "-" else Path(path).stem
    try:
        text = read_text(path, stdin=stdin)
        data = parse_toml(text, name)
    except InputError as exc:
        yield Record(rid, name, None, error=exc.message.removeprefix(f"{name}: "))
        return
    finally:
        if meter is not None and path != "-":
            meter.done += Path(path).stat().st_size if Path(path).is_file() else 0
    yield Record(rid, name, data)


def read_dir(path: str, meter: ByteMeter | None = None) -> Iterator[Record]:
    files = sorted(p for p in Path(path).iterdir() if p.suffix.lower() == ".toml" and p.is_file())
    if not files:
        raise InputError(f"{path}: no .toml profiles in this directory")
    for p in files:
        yield from read_toml(str(p), meter=meter)


def read_inputs(paths: list[str], input_format: str | None, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    """All records of all inputs, in order. A whole input that cannot be read becomes
    one error record (the others still run); :func:`run` decides the exit code."""
    for path in paths:
        try:
            fmt = detect_format(path, input_format)
            if fmt == "csv":
                yield from read_csv(path, stdin, meter)
            elif fmt == "jsonl":
                yield from read_jsonl(path, stdin, meter)
            elif fmt == "toml":
                yield from read_toml(path, stdin, meter)
            else:
                yield from read_dir(path, meter)
        except InputError as exc:
            yield Record("", display_name(path), None, error=exc.message, unreadable=True)


# ---------------------------------------------------------------------------
# Assess
# ---------------------------------------------------------------------------
def _problems_text(exc: ProfileError) -> str:
    return "; ".join(str(p) for p in exc.problems)


# kinds whose text values repeat across a book ('true', 'web_development;it_consulting',
# 'eroding'); names and amounts are mostly unique, so they are parsed every time
_MEMO_KINDS = frozenset({"count", "bool", "services", "industries", "date", "state", "choice"})
_MEMO_SIZE = 4_096  # per field; past it, a field's memo starts again


class ParseMemo(dict):
    """The batch runner's speed trick, in one place: per field, the text values seen
    so far and what they parsed to (validation looks them up before parsing; errors
    are never remembered). Bounded: a field's memo is cleared when it fills up."""

    def __init__(self) -> None:
        super().__init__({f.key: {} for f in FIELDS if f.kind in _MEMO_KINDS})

    def trim(self) -> None:
        for memo in self.values():
            if len(memo) > _MEMO_SIZE:
                memo.clear()


def assess_record(record: Record, rules: Rules, *, as_of: datetime.date | None = None, memo: ParseMemo | None = None) -> Outcome:
    if record.error is not None:
        return Outcome(record, None, record.error)
    try:
        if record.flat:
            profile = validate_flat(record.data or {}, rules=rules, memo=memo)
        else:
            profile = validate(record.data or {}, rules=rules, memo=memo)
        return Outcome(record, engine.assess(profile, rules, as_of=as_of), None)
    except ProfileError as exc:
        return Outcome(record, None, _problems_text(exc))


def assess_records(records: Iterable[Record], rules: Rules | None = None) -> Iterator[Outcome]:
    rules = rules or load_rules()
    today = datetime.date.today()  # once per book, not per row
    memo = ParseMemo()
    for n, record in enumerate(records, 1):
        yield assess_record(record, rules, as_of=today, memo=memo)
        if not n % 1024:
            memo.trim()


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------
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

    def __init__(self, fh: IO[str], *, header: bool = True) -> None:
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

    def __init__(self, fh: IO[str], render: Renderer | None = None, *, header: bool = True) -> None:
        self.fh = fh
        self.render = render or default_renderer()

    def write(self, o: Outcome) -> None:
        r = o.record
        obj = {
            "id": r.id,
            "source": r.source,
            "status": "ok" if o.ok else "error",
            "error": o.error,
            "result": o.result.to_dict(self.render) if o.result is not None else None,
        }
        self.fh.write(to_json(obj, indent=None))
        self.fh.write("\n")


WRITERS: dict[str, Callable[..., Any]] = {"csv": CsvWriter, "jsonl": JsonlWriter}


class Summary(NamedTuple):
    read: int
    ok: int
    errors: int
    unreadable_inputs: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


def run(
    records: Iterable[Record],
    out: IO[str],
    output_format: str = "csv",
    *,
    rules: Rules | None = None,
    on_row: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> Summary:
    """Assess and write every record, in input order. Returns counts for the summary.

    ``jobs`` worker processes (0 = one per core) assess bounded chunks of
    :data:`CHUNK_ROWS` records; the output, errors and counts are the same as with
    ``jobs=1``, which assesses in this process, one record at a time."""
    start = time.perf_counter()
    workers = resolve_jobs(jobs)
    if workers > 1:
        records = iter(records)
        first = list(islice(records, CHUNK_ROWS))
        if len(first) == CHUNK_ROWS:  # more than one chunk: worth starting workers
            return _run_parallel(chain(first, records), out, output_format, rules, on_row, workers, start)
        records = first
    writer = WRITERS[output_format](out)
    n = ok = errors = unreadable = 0
    for outcome in assess_records(records, rules):
        writer.write(outcome)
        n += 1
        if outcome.ok:
            ok += 1
        else:
            errors += 1
            unreadable += outcome.record.unreadable
        if on_row is not None:
            on_row(n)
    return Summary(n, ok, errors, unreadable, time.perf_counter() - start)


# ---------------------------------------------------------------------------
# Worker processes (--jobs N)
# ---------------------------------------------------------------------------
CHUNK_ROWS = 1_000  # records per task sent to a worker
JOBS_ENV = "EO_ADVISOR_JOBS"


def resolve_jobs(jobs: int) -> int:
    """Worker count for ``jobs``: 0 means one per core this process may use."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, got {jobs}")
    if jobs == 0:
        import os

        try:
            return max(len(os.sched_getaffinity(0)), 1)
        except AttributeError:  # pragma: no cover - not Linux
            return os.cpu_count() or 1
    return jobs


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
    :class:`Record` fields). Returns the output text (no header) and the counts
    (ok, errors, unreadable inputs)."""
    buf = io.StringIO()
    writer = WRITERS[_Worker.output_format](buf, header=False)
    rules, as_of, memo = _Worker.rules, _Worker.as_of, _Worker.memo
    ok = errors = unreadable = 0
    for row in rows:
        outcome = assess_record(Record._make(row), rules, as_of=as_of, memo=memo)
        writer.write(outcome)
        if outcome.ok:
            ok += 1
        else:
            errors += 1
            unreadable += outcome.record.unreadable
    memo.trim()
    return buf.getvalue(), ok, errors, unreadable


def _run_parallel(
    records: Iterator[Record],
    out: IO[str],
    output_format: str,
    rules: Rules | None,
    on_row: Callable[[int], None] | None,
    workers: int,
    start: float,
) -> Summary:
    """Records are read here and sent to the workers as plain tuples, a chunk at a
    time, with at most ``2 * workers + 1`` chunks in flight (memory stays flat); the
    formatted chunks come back and are written in input order."""
    import multiprocessing
    from collections import deque

    if rules is load_rules():
        rules = None  # each worker loads the packaged rules itself
    # spawn: the same on every OS, and safe beside threads (a progress bar's)
    ctx = multiprocessing.get_context("spawn")
    WRITERS[output_format](out)  # the header, if the format has one
    n = ok = errors = unreadable = 0
    pending: deque[Any] = deque()

    def write_next() -> None:
        nonlocal n, ok, errors, unreadable
        text, c_ok, c_errors, c_unreadable = pending.popleft().get()
        out.write(text)
        ok += c_ok
        errors += c_errors
        unreadable += c_unreadable
        if on_row is not None:
            for i in range(n + 1, n + c_ok + c_errors + 1):
                on_row(i)
        n += c_ok + c_errors

    with ctx.Pool(workers, initializer=_init_worker, initargs=(output_format, rules, datetime.date.today())) as pool:
        while True:
            chunk = [tuple(r) for r in islice(records, CHUNK_ROWS)]
            if not chunk:
                break
            pending.append(pool.apply_async(format_chunk, (chunk,)))
            if len(pending) > 2 * workers:
                write_next()
        while pending:
            write_next()
    return Summary(n, ok, errors, unreadable, time.perf_counter() - start)


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


__all__ = [
    "Outcome",
    "Record",
    "Summary",
    "assess_record",
    "assess_records",
    "csv_cells",
    "csv_template",
    "jsonl_template",
    "read_inputs",
    "resolve_jobs",
    "run",
]
