"""Sentences with their offsets, headings, and the insurance section(s) of a document.

A *unit* is what evidence quotes: a sentence, one item of a list, one row of a table, or
one part of a sentence between semicolons (contracts list coverages that way). Units are
found in one left-to-right pass; a period after a known abbreviation (``Inc.``,
``A.M.``, ``No.``) or inside a number does not end a sentence.

The insurance sections are the headings that name insurance (``12. INSURANCE``,
``Article 9 - Insurance Requirements``, ``Exhibit C: Insurance``) and what follows each up
to the next heading that does not; without such a heading the whole text is read (a
pasted clause has none). Pure: no I/O.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

# where a unit may end: a blank line, a line that starts a list item or table row, a
# semicolon, or sentence punctuation followed by a capital, a digit, a quote or a bracket
_BREAK = re.compile(
    r"\n[ \t]*\n\s*"
    r"|\n(?=[ \t]*(?:\(?[a-zA-Z0-9]{1,4}[.)][ \t]|\d{1,3}(?:\.\d{1,3})+\.?[ \t]|\(?[ivxIVX]{1,5}\)[ \t]|[•\-*–·▪◦][ \t]|\|))"
    r"|;[ \t]*(?:\n[ \t]*)?(?:and[ \t]+|or[ \t]+)?"
    r"|(?<=[.!?])[\"”’)]?(?:[ \t]+\n?|\n)[ \t]*(?=[\"“(]?[A-Z0-9$£€(])"
    r"|\n(?=[^\n]{0,100}\|)"  # table rows written with bars
)
_ABBREV = re.compile(
    r"(?:\b(?:Inc|Co|Corp|Ltd|LLC|No|Nos|St|Mr|Ms|Mrs|Dr|vs|Sec|Secs|approx|e\.g|i\.e|etc|Art|para|cf|U\.S|A\.M|Jr|Sr|Bros|Ave|Dept|Gov|Govt|Pty|Cal|Civ|Stat|seq|et al)"
    r"|\b[A-Z])\.$"
)
_NUMBER_ONLY = re.compile(r"[ \t]*(?:\(?[0-9a-zA-Z]{1,3}(?:\.[0-9]{1,3})*|[IVXivx]{1,6})\.\Z")
_HEADING = re.compile(
    r"^[ \t]*(?:(?:article|section|exhibit|schedule|appendix|attachment|annex|part|clause)\b[ \t]*[\w.-]*[ \t]*[:.\-–—]?[ \t]*"
    r"|\d{1,3}(?:\.\d{1,3})*\.?[ \t]+|[A-Z]\.[ \t]+|[IVX]{1,6}\.[ \t]+)?"
    r"(?P<title>[A-Z][^\n.;:]{1,90}?)[ \t]*[.:]?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_INSURANCE_TITLE = re.compile(r"insurance|indemnity\s+cover|coverage\s+requirements|liability\s+cover", re.IGNORECASE)
_NUMBERING = re.compile(r"^[ \t]*(?:(?:article|section|exhibit|schedule|appendix|attachment|annex|part|clause)\b[ \t]*)?([\w]+(?:\.\w+)*)?", re.I)


class Unit(NamedTuple):
    start: int
    end: int


class Section(NamedTuple):
    heading: str
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> Unit | None:
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return Unit(start, end) if end > start else None


def units(text: str, start: int = 0, end: int | None = None) -> list[Unit]:
    """The units of ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    out: list[Unit] = []
    begin = start
    for m in _BREAK.finditer(text, start, end):
        s = m.start()
        if text[s - 1 : s] in (".", "!", "?") and "\n\n" not in m.group():
            if _ABBREV.search(text, max(begin, s - 12), s) or _NUMBER_ONLY.match(text[max(begin, text.rfind("\n", 0, s) + 1) : s]):
                continue
        _add(out, text, begin, s + 1 if text[s : s + 1] == ";" else s)
        begin = m.end()
    _add(out, text, begin, end)
    return out


#: A unit longer than this (text with no sentence punctuation) is cut at a blank, so the
#: work on one unit stays bounded whatever the input.
MAX_UNIT_CHARS = 2_000


def _add(out: list[Unit], text: str, start: int, end: int) -> None:
    """Append the unit ``text[start:end]``, a heading on its first line as a unit of its own."""
    unit = _trimmed(text, start, end)
    if unit is None:
        return
    while unit.end - unit.start > MAX_UNIT_CHARS:
        cut = text.rfind(" ", unit.start + MAX_UNIT_CHARS // 2, unit.start + MAX_UNIT_CHARS)
        cut = cut if cut > unit.start else unit.start + MAX_UNIT_CHARS
        out.append(Unit(unit.start, cut))
        rest = _trimmed(text, cut, unit.end)
        if rest is None:
            return
        unit = rest
    newline = text.find("\n", unit.start, unit.end)
    if newline > 0 and _is_heading(text[unit.start : newline]):
        out.append(Unit(unit.start, newline))
        unit = _trimmed(text, newline, unit.end)
        if unit is None:
            return
    out.append(unit)


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 100 or line.rstrip().endswith((",", ";")):
        return False
    if re.search(r"\$|£|€|\d{2,},", line):
        return False
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    numbered = bool(
        re.match(
            r"^[ \t]*(?:(?:article|section|exhibit|schedule|appendix|attachment|annex|part)\b|\d{1,3}(?:\.\d{1,3})*\.?[ \t]|[IVX]{1,6}\.[ \t])",
            line,
            re.I,
        )
    )
    titled = sum(w[:1].isupper() for w in words if w[:1].isalpha()) >= max(1, len([w for w in words if len(w) > 3]) - 1)
    return (
        (upper > 0.8 and len(words) <= 10)
        or (numbered and titled and len(words) <= 10)
        or (line.rstrip().endswith(":") and titled and len(words) <= 6)
    )


def _depth(line: str) -> int:
    m = _NUMBERING.match(line)
    label = (m.group(1) or "") if m else ""
    return label.count(".") + 1 if label and label[0].isdigit() else 1


def headings(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, line)`` of every line that reads as a heading."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if _is_heading(line) and _HEADING.match(line):
            out.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    return out


def insurance_sections(text: str) -> list[Section]:
    """Each heading naming insurance, and the text up to the next heading that does not
    and is not deeper in the numbering (so ``12.1 Professional Liability`` stays in
    ``12. Insurance``)."""
    found = headings(text)
    out: list[Section] = []
    for i, (start, _end, line) in enumerate(found):
        if not _INSURANCE_TITLE.search(line) or (out and out[-1].start <= start < out[-1].end):
            continue
        depth = _depth(line)
        stop = len(text)
        for nstart, _nend, nline in found[i + 1 :]:
            if not _INSURANCE_TITLE.search(nline) and _depth(nline) <= depth and not re.match(r"^[ \t]*\(?[a-z]\)", nline):
                stop = nstart
                break
        out.append(Section(line, start, stop))
    return out


def page_of(page_starts: tuple[int, ...], offset: int) -> int | None:
    """1-based page of a character offset, or None for a document without pages."""
    if not page_starts:
        return None
    return bisect.bisect_right(page_starts, offset)
