"""Caps on the size of one input record: every number here bounds the work and the
memory one record can cost, so a hostile or broken record fails alone (naming its
field or its row) and the rest of the book still runs.

One place for all of them; documented in ``docs/cli.md`` ("Safety"). A real profile is
a few hundred characters, so each cap is far above anything legitimate.
"""

from __future__ import annotations

#: A TOML profile file (or one TOML profile on stdin), in bytes.
MAX_PROFILE_BYTES = 1_000_000

#: One batch record: a CSV row (all its physical lines together) or one JSON line.
#: A real row is under 1 kB; 100 k leaves room for hundreds of contracts and stays
#: below the csv module's own 131,072-character cell limit, which therefore never fires
#: (and is never changed: it is process-wide).
MAX_RECORD_CHARS = 100_000

#: A quoted CSV cell may run over at most this many physical lines. A row that spans
#: more, or runs to the end of the input, or spans lines and has the wrong number of
#: cells, is taken to be an unterminated quote: that row is an error and reading
#: resumes at the line after the one where the quote opened.
MAX_RECORD_LINES = 16

#: A line over MAX_RECORD_CHARS is skipped to its end, but no further than this: past
#: it the input is not line-oriented text (``/dev/zero``, a binary file) and the rest of
#: that input is refused as unreadable.
MAX_SKIP_CHARS = 16_000_000

#: Nesting of arrays and tables/objects in one JSON line or one TOML profile. A profile
#: needs 3 (top level, ``contracts``, one contract).
MAX_NESTING = 20

#: Characters of an amount or count written as text, after trimming the blanks around it
#: (``$1,000,000,000.00 USD`` is 21). Bounds the parse and keeps Python's 4,300-digit
#: integer limit out of reach.
MAX_NUMBER_CHARS = 64

#: Characters of a free-text field (``business.name``, a contract's ``client``).
MAX_TEXT_CHARS = 200

#: A ``.json`` book written as one array of profiles is parsed whole: this many bytes
#: at most (about 60,000 profiles); past it, write JSON lines (one profile a line).
MAX_JSON_ARRAY_BYTES = 64_000_000
