"""The readers of a book: CSV rows, JSON lines, TOML profiles and directories of
them, each record failing alone (see docs/cli.md, "Readers")."""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, Iterator

from eo_advisor.batch.lines import BoundedLines, ByteMeter, _LineTooLong, _not_utf8, _open_text, _RecordTooLong
from eo_advisor.batch.records import CONTRACT_FILES, Record
from eo_advisor.edge.caps import MAX_JSON_ARRAY_BYTES, MAX_NESTING, MAX_RECORD_CHARS, MAX_RECORD_LINES
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
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix == "json":
        return "json"
    if suffix == "toml":
        return "toml"
    raise InputError(f"{path}: cannot tell the format from the extension; use --input-format csv|jsonl|toml")


def sniff_delimiter(header_line: str, path: str) -> str:
    """The delimiter of a CSV book: a tab for ``.tsv``; otherwise whichever of comma,
    semicolon (what Excel writes where the comma is the decimal mark) and tab the
    header line holds most of (header names never contain any of them)."""
    if path.lower().endswith(".tsv"):
        return "\t"
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _csv_header(lines: BoundedLines, name: str, path: str) -> tuple[list[str], str]:
    """The header (stripped names) and the delimiter, or one InputError for the whole
    file: empty, too long, a quote that does not close, not UTF-8, or columns that are
    unknown, repeated or missing (a required column is named once, not once a row)."""
    try:
        line = next(lines)
    except StopIteration:
        raise InputError(f"{name}: empty file, expected a CSV header") from None
    except (_LineTooLong, _RecordTooLong):
        raise InputError(f"{name}: the CSV header is longer than {MAX_RECORD_CHARS:,} characters; is this a CSV book?") from None
    except UnicodeError as exc:
        raise InputError(f"{name}: unreadable CSV header ({exc})") from None
    delimiter = sniff_delimiter(line, path)
    try:
        header = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, strict=True), [])
    except csv.Error:
        raise InputError(f"{name}: the CSV header has a quote that does not close on its line") from None
    if _not_utf8(header):
        raise InputError(f"{name}: header is not valid UTF-8; save the file as UTF-8")
    header = [h.strip() for h in header]
    _check_columns(header, name)
    return header, delimiter


def _check_columns(header: list[str], name: str) -> None:
    unknown = [h for h in header if h not in FIELD_BY_KEY and h not in ("id", CONTRACT_FILES)]
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
    # current_policy.* are required only for a client with a policy: their cells may be empty
    missing = [f.key for f in FIELDS if f.required and f.section != "current_policy" and f.key not in header]
    if missing:
        raise InputError(
            f"{name}: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; every row needs "
            f"{'them' if len(missing) > 1 else 'it'} (`eo-advisor profile template --format csv` prints every column)"
        )


def read_csv(path: str, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    """One record per CSV row (comma, semicolon or tab separated: see
    :func:`sniff_delimiter`). A row is read through :class:`BoundedLines`, so no row
    over MAX_RECORD_CHARS is ever held; an over-long row, a NUL byte or a quote that does
    not close is an error for that row alone, and the rows after it are still read."""
    name = display_name(path)
    with _open_text(path, stdin, meter) as fh:
        lines = BoundedLines(fh, name)
        header, delimiter = _csv_header(lines, name, path)
        yield from _csv_rows(lines, csv.reader(lines, delimiter=delimiter), header, name, delimiter)


def _csv_rows(lines: BoundedLines, reader: Any, header: list[str], name: str, delimiter: str) -> Iterator[Record]:
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
            elif len(lines.served) > 1 and _swallows_rows(lines.served, width, delimiter):
                error = _unclosed(lines, "where it should (the lines after it read as rows of their own)")
        first, last = lines.first_line, (lines.served[-1][0] if lines.served else lines.first_line)
        source = f"{name}:{first}" if last == first else f"{name}:{first}-{last}"
        if error is not None:
            yield Record(_row_id(lines.first_text, id_at, first, delimiter), source, None, error=error)
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


def _row_id(first_line: str | None, id_at: int | None, line_no: int, delimiter: str = ",") -> str:
    """The id of a row that could not be read whole: its ``id`` cell as its first
    physical line has it (the line number when there is none)."""
    if id_at is None or not first_line or not isinstance(first_line, str):
        return str(line_no)
    try:
        cells = next(csv.reader([first_line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return str(line_no)
    return (cells[id_at].strip() if id_at < len(cells) else "") or str(line_no)


def _swallows_rows(served: list[tuple[int, str]], width: int, delimiter: str = ",") -> bool:
    """Does a record read over several physical lines look like an unclosed quote that
    swallowed the rows after it, although it came out with the header's width? Yes when
    a quote closes with text straight after it (``"Beta"`` reopened as ``...,"`` +
    ``Beta``: what a strict reader refuses), or when a line inside it reads, on its own,
    as a row of the header's width; the last line only when, besides, the quote that
    closes the cell stands where a quote opens one (:func:`_closes_as_an_opening`): the
    cells after a quoted one may well add up to that width (``"Acme\nLtd",...``)."""
    try:
        for _ in csv.reader(io.StringIO("".join(text for _, text in served), newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    last = len(served) - 1
    for n, (_, text) in enumerate(served[1:], 1):
        try:
            row_shaped = len(next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter), [])) >= width
        except csv.Error:
            continue
        if row_shaped and (n < last or _closes_as_an_opening(text, delimiter)):
            return True
    return False


def _closes_as_an_opening(line: str, delimiter: str) -> bool:
    """A line read inside a quoted cell whose closing quote stands right after a
    delimiter: that quote was written to open a cell of a row of its own (``r1,x,",0"``),
    so the cell it closes swallowed that row's start."""
    i = 0
    while (i := line.find('"', i)) != -1:
        if line.startswith('""', i):  # an escaped quote inside the cell
            i += 2
            continue
        return i > 0 and line[i - 1] == delimiter
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
            yield _json_record(line, source, str(line_no), "expected a JSON object (one profile per line)")


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that refuses a key given twice (CSV and TOML refuse it too;
    JSON's last-one-wins would drop the first value without a word)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return obj


def _loads(text: str) -> Any:
    """``json.loads`` with duplicate keys refused; every failure is a ValueError whose
    text is the record's error message."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:  # only if the stack is already deep: json_too_deep bounds nesting
        raise ValueError(f"nested too deep (limit {MAX_NESTING})") from None
    except _DuplicateKey as exc:
        key = str(exc.args[0])
        raise ValueError(f"duplicate key {key[:40]!r}{'...' if len(key) > 40 else ''}: each key may be given once") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    except ValueError:  # int('9' * 5000): Python's limit on digits in one integer
        raise ValueError("not valid JSON (a number has too many digits to be read)") from None


def _json_record(text: str, source: str, default_id: str, not_object: str) -> Record:
    """One record from a JSON line's text."""
    try:
        obj = _loads(text)
    except ValueError as exc:
        return Record(default_id, source, None, error=str(exc))
    return _object_record(obj, source, default_id, not_object)


def _object_record(obj: Any, source: str, default_id: str, not_object: str) -> Record:
    """One record from a parsed JSON value (a line's, or an array element)."""
    if not isinstance(obj, dict):
        return Record(default_id, source, None, error=not_object)
    rid = obj.pop("id", None)
    rid = str(rid) if rid not in (None, "") else default_id
    return Record(rid, source, obj, flat=any("." in k for k in obj))


def read_json(path: str, stdin: IO[str] | None = None, meter: ByteMeter | None = None) -> Iterator[Record]:
    """A ``.json`` book: an array of profiles (what a spreadsheet or a script exports),
    one record per element (``book.json[0]``...), or else JSON lines."""
    name = display_name(path)
    with _open_text(path, stdin, None, newline="\n") as fh:
        head = fh.read(4096).lstrip()
    if not head.startswith("["):
        yield from read_jsonl(path, stdin, meter)
        return
    text = read_text(path, max_bytes=MAX_JSON_ARRAY_BYTES)
    if meter is not None:
        meter.done += len(text.encode("utf-8", "surrogatepass"))
    if json_too_deep(text, MAX_NESTING + 1):
        raise InputError(f"{name}: nested too deep (limit {MAX_NESTING})")
    try:
        items = _loads(text)
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None
    for i, item in enumerate(items):
        yield _object_record(item, f"{name}[{i}]", str(i + 1), "expected a JSON object (one profile per element)")


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
            elif fmt == "json":
                yield from read_json(path, stdin, meter)
            elif fmt == "toml":
                yield from read_toml(path, stdin, meter)
            else:
                yield from read_dir(path, meter)
        except InputError as exc:
            yield Record("", display_name(path), None, error=exc.message, unreadable=True)
