"""Input text, a physical line at a time and never more than a cap: the byte meter of
the progress bar, a raw reader that notices a file cut short while it is read, and
:class:`BoundedLines`, which the CSV and JSON-lines readers read through."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections import deque
from pathlib import Path
from typing import IO, Any

from eo_advisor.edge.caps import MAX_RECORD_CHARS, MAX_RECORD_LINES, MAX_SKIP_CHARS
from eo_advisor.edge.files import display_name, input_errors
from eo_advisor.edge.streams import ClosedStream
from eo_advisor.errors import InputError


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
        if isinstance(stream, ClosedStream):  # `<&-`: an unreadable input, said as such
            with input_errors(display_name(path)):
                stream.read()
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
