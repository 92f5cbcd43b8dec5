"""Markdown: the report's blocks (:mod:`eo_advisor.formats.outline`) as Markdown, to paste
into an email, a ticket or a wiki.

Every text goes through :func:`eo_advisor.edge.safe_markup.markdown_text`, so a name
cannot bring links, images or raw HTML into a report meant for clients. The only links
are the sources' own http(s) URLs.
"""

from __future__ import annotations

import re
from html.entities import html5
from typing import Any, Iterable

from eo_advisor.edge.safe_markup import markdown_text
from eo_advisor.formats import Report
from eo_advisor.formats import blocks as B

# an escaped & that starts no character reference CommonMark would decode: "E&O;" stays
# "E&O;", while "&amp;", "&#60;" and "&#x3C;" stay escaped
_AMP = re.compile(r"\\&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][0-9A-Za-z]*;)?")


def _amp(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref and (ref.startswith("#") or ref in html5):
        return m.group(0)
    return "&" + (ref or "")


def t(value: object) -> str:
    """Any text (ours or the user's) as literal Markdown: every text is escaped alike, and
    an ``&`` only where it would start a character reference."""
    text = markdown_text(value)
    return _AMP.sub(_amp, text) if "\\&" in text else text


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _link(title: str, url: str | None) -> str:
    if not url:
        return t(title)
    return f"[{t(title)}](<{url.replace('>', '%3E').replace('<', '%3C').replace(' ', '%20')}>)"


def _cell(cell: str | B.Cell) -> str:
    if isinstance(cell, str):
        return t(cell)
    if cell.cite:
        return f"[{cell.cite}]"
    return f"**{t(cell.text)}**" if cell.strong else t(cell.text)


def _grid_cell(cell: B.GridCell) -> str:
    lines = []
    for x in cell.lines:
        line = f"{t(x.form)} {t(x.range)}" + (" ✗" if x.cross else "")
        lines.append(f"**★ {line}**" if x.star else line)
    return "<br>".join(lines)


def _paragraph(p: B.Paragraph) -> list[str]:
    text = t(p.text)
    if p.lead:
        text = f"**{t(p.lead)}** {text}" if p.text else f"**{t(p.lead)}**"
    return ["> " + text if p.role == "disclaimer" else text, ""]


def _section(s: B.Section) -> list[str]:
    head = [f"{'#' * s.level} {t(s.title)}", ""] if s.title else []
    return head + emit(s.blocks)


def _block(b: Any) -> list[str]:
    if isinstance(b, B.Section):
        return _section(b)
    if isinstance(b, B.Paragraph):
        return _paragraph(b)
    if isinstance(b, B.Bullets):
        return [f"- {t(x.text)}" for x in b.items] + [""]
    if isinstance(b, B.Table):
        rows = [_row(*(_cell(c) for c in row)) for row in b.rows]
        return [_row(*(t(c.title) for c in b.columns)), _row(*("---:" if c.align else "---" for c in b.columns)), *rows, ""]
    if isinstance(b, B.KeyValues):
        return [_row(*(t(h) for h in b.header)), _row("---", "---"), *(_row(t(k), _cell(v)) for k, v in b.rows), ""]
    if isinstance(b, B.Grid):
        rows = [_row(t(r.label) + (" ✗" if r.cross else ""), *map(_grid_cell, r.cells)) for r in b.rows]
        return [_row(t(b.corner), *map(t, b.columns)), _row(*["---"] * (len(b.columns) + 1)), *rows, ""]
    if isinstance(b, B.Cards):
        rows = [_row(t(c.label), t(c.line) if c.line else f"**{t(c.value)}** {t(c.detail)}") for c in b.cards]
        return [_row("", t(b.title)), _row("---", "---"), *rows, ""]
    if isinstance(b, B.Title):
        return [f"# {t(b.text)}", "", *([t(b.subtitle), ""] if b.subtitle else []), *([f"_{t(b.prepared)}_", ""] if b.prepared else [])]
    if isinstance(b, B.Sources):
        return [f"{x.n}. {_link(x.title, x.link)} _({t(x.kind)})_" for x in b.items] + [""]
    if isinstance(b, B.Chart):
        return []  # markdown draws nothing: the grid above holds the same numbers
    raise TypeError(f"markdown cannot write {type(b).__name__}")  # pragma: no cover


def emit(blocks: Iterable[Any]) -> list[str]:
    """Blocks as Markdown lines."""
    return [line for b in blocks for line in _block(b)]


class MarkdownFormatter:
    name = "markdown"
    wants_options = True

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.outline import outline

        return "\n".join(emit(outline(report)))
