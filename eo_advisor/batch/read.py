"""The readers of a book: CSV rows, JSON lines, TOML profiles and directories of
them, each record failing alone (see docs/cli.md, "Readers")."""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import accumulate
from pathlib import Path
from typing import IO, Iterator

from eo_advisor.batch.lines import BoundedLines, ByteMeter, _LineTooLong, _not_utf8, _open_text, _RecordTooLong
from eo_advisor.batch.records import Record
from eo_advisor.edge.caps import MAX_NESTING, MAX_RECORD_CHARS, MAX_RECORD_LINES
from eo_advisor.edge.files import display_name, parse_toml, read_text
from eo_advisor.errors import InputError
from eo_advisor.profile.schema import FIELD_BY_KEY, FIELDS

INPUT_FORMATS = ("csv", "jsonl", "toml")
CSV_INPUT_COLUMNS = ("id", *(f.key for f in FIELDS))
MAX_LINE_CHARS = MAX_RECORD_CHARS  # one CSV row or JSON line (kept for callers of the old name)


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
