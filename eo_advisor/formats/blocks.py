"""What a report is made of: plain blocks, no syntax.

:mod:`eo_advisor.formats.outline` decides what a report says and returns these;
the emitters (:mod:`~eo_advisor.formats.text`, :mod:`~eo_advisor.formats.markdown`,
:mod:`~eo_advisor.formats.html`) only write them in their syntax. Every string here is
plain text, already worded: an emitter escapes it for its destination and never adds
words of its own. Plain NamedTuples, no imports: loading them costs nothing.
"""

from __future__ import annotations

from typing import NamedTuple, Union


class Title(NamedTuple):
    """The report's title, with the lines under it (a subtitle, when it was prepared)."""

    text: str
    subtitle: str = ""
    prepared: str = ""


class Card(NamedTuple):
    """One figure of the summary: ``label``, the ``value`` large, a ``detail`` under it;
    ``line`` is the card in one line where value and detail do not read as one."""

    label: str
    value: str = ""
    detail: str = ""
    line: str = ""


class Cards(NamedTuple):
    cards: tuple[Card, ...]
    title: str = ""  # what the cards are, for a table's header


class Paragraph(NamedTuple):
    """Prose. ``lead`` is said first, strongly; ``role``: "" (plain), "note" (a quiet
    remark), "aside" (an emphasised aside), "muted", "source" (a detail under a line),
    "disclaimer"."""

    text: str
    lead: str = ""
    role: str = ""


class Item(NamedTuple):
    """A list entry: its ``mark`` (a bullet, a severity, met / not met), its text, the
    ``tone`` of the mark (a severity, "ok" or "strong") and a quiet ``note`` after it."""

    text: str
    mark: str = "•"
    tone: str = ""
    note: str = ""


class Bullets(NamedTuple):
    """A list. ``layout``: "side" (mark beside text), "fit" (beside when there is room,
    else the text under its mark: for long marks), "stack" (always under)."""

    items: tuple[Item, ...]
    layout: str = "side"


class Cell(NamedTuple):
    """A table cell that is more than text: said ``strong``ly, a ``severity``, or a
    citation of source number ``cite``."""

    text: str
    strong: bool = False
    severity: str = ""
    cite: int = 0


class Column(NamedTuple):
    """A column: its title and ``align``: "" (text), "num" (numbers, right), "ref"
    (references, right and quiet)."""

    title: str
    align: str = ""


class Table(NamedTuple):
    """Rows under a header; ``narrow`` is how the same rows read where a table does not fit."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str | Cell, ...], ...]
    narrow: Bullets | KeyValues | None = None


class KeyValues(NamedTuple):
    """Two-column facts, a key and its value per row (a value may be a strong :class:`Cell`);
    ``header`` names the columns where the syntax needs a header row."""

    rows: tuple[tuple[str, str | Cell], ...]
    header: tuple[str, str] = ("", "")


class GridLine(NamedTuple):
    """One line of an options cell: a defense form and its premium range."""

    form: str
    range: str
    star: bool = False  # the recommended choice
    cross: bool = False  # does not meet a client contract


class GridCell(NamedTuple):
    lines: tuple[GridLine, ...]
    recommended: bool = False
    below: bool = False  # the limit is below what a contract requires


class GridRow(NamedTuple):
    label: str  # the limit / aggregate
    cells: tuple[GridCell, ...]
    cross: bool = False


class Grid(NamedTuple):
    """The options: a row per limit, a column per deductible."""

    corner: str
    columns: tuple[str, ...]
    rows: tuple[GridRow, ...]


class Chart(NamedTuple):
    """Premium against limit, for formats that draw: (limit, eroding low, eroding high,
    non-eroding low, non-eroding high, recommended) per bar."""

    title: str
    note: str
    points: tuple[tuple[int, int, int, int, int, bool], ...]
    keys: tuple[str, str] = ("eroding", "non-eroding")


class Source(NamedTuple):
    n: int
    title: str
    link: str | None
    kind: str


class Sources(NamedTuple):
    """The numbered list of sources the report cites."""

    items: tuple[Source, ...]


Block = Union[Title, Cards, Paragraph, Bullets, Table, KeyValues, Grid, Chart, Sources, "Section"]


class Section(NamedTuple):
    """A titled group of blocks. ``level`` 2 is a section, 3 a part of one; ``role`` names
    what it is for formats that lay sections out ("summary", "why", "box", "answers",
    "keep", "sources", "appendix", "step")."""

    title: str
    blocks: tuple[Block, ...]
    role: str = ""
    level: int = 2
