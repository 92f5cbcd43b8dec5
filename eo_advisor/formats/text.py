"""Text for a person at a terminal: the report's blocks (:mod:`eo_advisor.formats.outline`,
the brief) rendered with rich (imported only here).

Terminal safety: nothing user-supplied is ever given to rich as a markup string.
Every sentence, name and label goes in as a ``rich.text.Text`` built by :func:`_t`,
which first shows control, bidi and invisible characters as escapes
(:func:`eo_advisor.edge.safe_terminal.terminal_text`).

Width: the caller's (the CLI's ``Env.width``: a terminal's own width, else ``COLUMNS``,
else 80, always within 20-500 columns).
Below :data:`WIDE` columns the two-column layouts (gaps, contracts, the premium
factors) stack each entry under its label instead of squeezing it into a column,
so no word is ever cut.
"""

from __future__ import annotations

from typing import Any, Iterable

from eo_advisor.edge.safe_terminal import terminal_text
from eo_advisor.formats import Report
from eo_advisor.formats import blocks as B

TONE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim", "ok": "green", "strong": "bold"}
STYLE = {"aside": "italic", "muted": "dim", "source": "dim"}  # a paragraph's role as a style
WIDE = 90  # from this width on, label and text side by side; below it, stacked


def make_console(file=None, *, color: bool, width: int):
    """A rich console of exactly ``width`` columns (the caller's Env.width, bounded)."""
    from rich.console import Console

    return Console(
        file=file,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width,
        highlight=False,
        markup=False,  # text arrives as Text; nothing is parsed as markup
        emoji=False,
        soft_wrap=False,
    )


def _t(value: Any, style: str | None = None) -> Any:
    """User-derived text as a rich Text: never parsed as markup, never able to act."""
    from rich.text import Text

    return Text(terminal_text(value), style=style or "")


def _indent(renderable: Any, left: int) -> Any:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, left))


class _Emitter:
    """Prints blocks on a console; ``wide`` decides the layouts that depend on width."""

    def __init__(self, con: Any, color: bool) -> None:
        self.con = con
        self.wide = con.width >= WIDE
        self.color = color
        self.depth = 0  # how far a table is indented

    def emit(self, blocks: Iterable[Any]) -> None:
        for b in blocks:
            getattr(self, type(b).__name__.lower())(b)

    def title(self, b: B.Title) -> None:
        self.con.print(_t(b.text, "bold"))

    def cards(self, b: B.Cards) -> None:
        from rich.panel import Panel
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for c in b.cards:
            grid.add_row(_t(c.label), _t(c.line or f"{c.value} {c.detail}"))
        self.con.print(Panel(grid, expand=False))

    def section(self, b: B.Section) -> None:
        if b.level > 2:  # a part of a section: its title in bold, indented, and its tables under it
            self.con.print(_indent(_t(b.title, "bold"), 2))
            self.depth, depth = 4, self.depth
            self.emit(b.blocks)
            self.depth = depth
            return
        self.con.print()
        self.con.print(_t(b.title, "bold"))
        self.emit(b.blocks)

    def keyvalues(self, b: B.KeyValues) -> None:
        for k, v in b.rows:
            line = _t(f"{k}: ", "dim")
            line.append_text(_t(v) if isinstance(v, str) else _t(v.text, "bold" if v.strong else None))
            self.con.print(_indent(line, 4))

    def paragraph(self, b: B.Paragraph) -> None:
        text = f"{b.lead} {b.text}" if b.lead and b.text else (b.lead or b.text)
        self.con.print(_indent(_t(text, STYLE.get(b.role)), 4 if b.role == "source" else 2))

    def _mark(self, x: B.Item) -> Any:
        return _t(x.mark, TONE.get(x.tone, "dim") if x.tone else None)

    def _body(self, x: B.Item) -> Any:
        body = _t(x.text)
        if x.note:
            body.append_text(_t(x.note, "dim"))
        return body

    def bullets(self, b: B.Bullets) -> None:
        from rich.table import Table

        if b.layout == "stack" or (b.layout == "fit" and not self.wide):
            for x in b.items:
                self.con.print(_indent(self._mark(x), 2))
                self.con.print(_indent(self._body(x), 4))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for x in b.items:
            grid.add_row(self._mark(x), self._body(x))
        self.con.print(_indent(grid, 2))

    def grid(self, b: B.Grid) -> None:
        _Grid(self.con, self.color).emit(b)

    def table(self, b: B.Table) -> None:
        from rich.table import Table

        if b.narrow is not None and not self.wide:
            self.emit([b.narrow])
            return
        table = Table(show_edge=False, box=None, padding=(0, 1))
        for i, c in enumerate(b.columns):
            table.add_column(
                c.title, justify="right" if c.align == "num" else "left", no_wrap=i == 0 or bool(c.align), style="dim" if c.align == "ref" else None
            )
        for row in b.rows:
            table.add_row(*(_t(c if isinstance(c, str) else c.text) for c in row))
        self.con.print(_indent(table, self.depth) if self.depth else table)


class _Grid:
    """The options grid at a terminal: a table when it fits the width, else stacked (each
    limit, then each deductible with its two ranges), so no table is wrapped into pieces."""

    def __init__(self, con: Any, color: bool) -> None:
        self.con, self.color = con, color

    def style(self, c: B.GridCell) -> str:
        return ("reverse" if c.recommended else "dim" if c.below else "") if self.color else ""

    @staticmethod
    def lines(c: B.GridCell) -> list[str]:
        return [("★ " if x.star else "") + f"{x.form} {x.range}" + (" ✗" if x.cross else "") for x in c.lines]

    def emit(self, g: B.Grid) -> None:
        from rich.measure import Measurement
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=True)
        table.add_column(_t(g.corner), style="bold", no_wrap=True)
        for col in g.columns:
            table.add_column(_t(col), justify="right", no_wrap=True)
        for r in g.rows:
            table.add_row(_t(r.label + (" ✗" if r.cross else "")), *(Text("\n".join(self.lines(c)), style=self.style(c)) for c in r.cells))
        if Measurement.get(self.con, self.con.options.update_width(10_000), table).maximum <= self.con.width:
            self.con.print(table)
            return
        for r in g.rows:
            self.con.print(_t(r.label + (" ✗" if r.cross else ""), "bold"))
            for col, c in zip(g.columns, r.cells, strict=True):
                self.con.print(_indent(_t(col, "bold" if c.recommended else None), 2))
                self.con.print(_indent(Text("; ".join(self.lines(c)), style=self.style(c)), 4))


def render(blocks: Iterable[Any], *, color: bool, width: int) -> str:
    """Blocks as terminal text; without colour, no padding spaces at line ends."""
    import io

    buf = io.StringIO()
    con = make_console(buf, color=color, width=width)
    _Emitter(con, color).emit(blocks)
    text = buf.getvalue()
    if not color:  # padding spaces are noise in a pipe or a file
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


class TextFormatter:
    name = "text"
    wants_options = False

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.outline import outline

        return render(outline(report, brief=True), color=color, width=width)
