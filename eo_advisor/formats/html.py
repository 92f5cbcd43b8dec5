"""A self-contained HTML report a consultant can send to a client or a broker: the
report's blocks (:mod:`eo_advisor.formats.outline`) as HTML.

Written for people: labels, never ids; sources as titles with links; one disclaimer.
No network fetches: the CSS is inline, the chart is inline SVG, there are no scripts,
fonts or images to load, and a Content-Security-Policy (:data:`CSP`) forbids them. The
options grid fits a 1200 px window: a cell's lines wrap between the form and its range. Every text is escaped. Printed (Letter or A4) the summary is
on page 1 and a typical report takes at most 3 pages; at 400 px nothing is wider than
the screen (tables scroll inside their own box, the chart's text keeps its size).
"""

from __future__ import annotations

from typing import Any

from eo_advisor.edge.safe_html import escape
from eo_advisor.formats import Report
from eo_advisor.formats import blocks as B
from eo_advisor.profile.amounts import format_amount as usd

# nothing to load, nothing to run: no scripts, no fetches, no frames; styles only inline
# (the <style> element and the chart key's style attributes), images only as data: URLs
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
BAR_ERODING = "#5b8fc7"
BAR_NON_ERODING = "#0b4f8a"

CSS = """
*{box-sizing:border-box}
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;max-width:960px;margin:1.5em auto;padding:0 1em;overflow-wrap:break-word}
h1,header p{overflow-wrap:anywhere}
header{border-left:6px solid #0b4f8a;background:#eef4fa;padding:.7em 1em;border-radius:4px}
h1{font-size:1.55em;margin:0 0 .15em;color:#0b2f52}h2{font-size:1.15em;margin:1.4em 0 .45em;border-bottom:2px solid #dfe6ee;padding-bottom:.15em}
h3{font-size:1em;margin:.8em 0 .3em}
.sub{color:#4d5d6e;margin:.15em 0}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:.7em;margin:.9em 0}
.card{border:1px solid #dfe6ee;border-radius:8px;padding:.6em .8em;background:#f7fafc}.card b{display:block;font-size:1.25em;color:#0b4f8a}
.why{columns:2 300px;column-gap:.7em}.box{border:1px solid #dfe6ee;border-radius:8px;padding:.2em .8em;margin-bottom:.7em;break-inside:avoid}
.box h3{margin:.5em 0 .2em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #dfe6ee;padding:.3em .5em;text-align:left;vertical-align:top}
thead th,tr.head th{background:#f0f4f8}td.num,th.num{text-align:right;white-space:nowrap}.rec{background:#e3f1ff;font-weight:600}.below{color:#7b8794}
.cell>span{display:block}.cell .r{white-space:nowrap}.cell i{font-style:normal;color:#4d5d6e;font-size:.85em}
.sev{font-weight:700;white-space:nowrap}.high{color:#b3261e}.medium{color:#a15c00}.low{color:#2a6f97}.info{color:#4d5d6e}
ul{padding-left:1.2em;margin:.3em 0}li{margin:.15em 0}
.disclaimer{border-left:4px solid #a15c00;background:#fff8ec;padding:.6em .9em;margin:1.2em 0}
small,.src,.note{color:#4d5d6e;font-size:.85em}
.answers{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 1em}
.answers table th{width:62%;font-weight:normal;background:none}
figure{margin:.5em 0}svg.chart{display:block;width:100%;overflow:visible}svg.chart text{font:12px sans-serif;fill:#1d2733}
svg.chart text.in{fill:#fff}.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;border-radius:2px;margin:0 .25em 0 .6em}
.appendix{break-before:page}
@page{margin:10mm 11mm 11mm}
@media print{
 body{font-size:8pt;line-height:1.22;max-width:none;margin:0;padding:0}
 header,.card,.rec,.key,.disclaimer,thead th,tr.head th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{font-size:1.15em;margin:.8em 0 .25em;break-after:avoid}h3{margin:.4em 0 .15em;break-after:avoid}
 header{padding:.4em .8em}.box{margin-bottom:.5em}.box ul{margin:.15em 0 .4em}
 .opts,.answers{font-size:7.5pt}.src{font-size:6.8pt;line-height:1.15}.answers h3{margin:.3em 0 .1em}
 .cards{grid-template-columns:repeat(4,1fr);gap:.5em;margin:.6em 0}.card b{font-size:1.15em}
 .answers{display:block;columns:3;column-gap:.8em}.answers>div{break-inside:avoid}.answers table th{width:60%}
 ol.src{columns:3;column-gap:1.2em}
 .scroll{overflow:visible}
 th,td{padding:.1em .3em}li{margin:.05em 0}
 header,.card,.box,tr,li,figure,.disclaimer,.answers>div,.keep{break-inside:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _cell(cell: str | B.Cell, column: B.Column) -> str:
    cls = "num" if column.align in ("num", "ref") else ""
    if isinstance(cell, str):
        text = _e(cell)
    else:
        cls = f"sev {_e(cell.severity)}" if cell.severity else cls
        text = f'<a href="#src-{cell.cite}">[{cell.cite}]</a>' if cell.cite else (f"<b>{_e(cell.text)}</b>" if cell.strong else _e(cell.text))
    return f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>"


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    """A table inside a box that scrolls sideways on a narrow screen (``head`` is markup)."""
    th = "".join(f"<th>{h}</th>" for h in head)
    return f'<div class="scroll"><table{f" class={cls!r}" if cls else ""}><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _grid(g: B.Grid) -> str:
    rows = []
    for r in g.rows:
        cells = []
        for c in r.cells:
            cls = "cell rec" if c.recommended else ("cell below" if c.below else "cell")
            spans = "".join(
                f'<span>{"★ " if x.star else ""}<i>{_e(x.form)}</i> <span class="r">{_e(x.range)}{" ✗" if x.cross else ""}</span></span>'
                for x in c.lines
            )
            cells.append(f'<td class="{cls}">{spans}</td>')
        rows.append(f"<tr><th>{_e(r.label)}{' ✗' if r.cross else ''}</th>{''.join(cells)}</tr>")
    return _table([_e(g.corner), *map(_e, g.columns)], rows, "opts")


def _key_values(b: B.KeyValues, boxed: bool) -> str:
    def value(v: str | B.Cell) -> str:
        return _e(v) if isinstance(v, str) else (f"<b>{_e(v.text)}</b>" if v.strong else _e(v.text))

    table = "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{value(v)}</td></tr>" for k, v in b.rows) + "</table>"
    return table if boxed else f'<div class="scroll">{table}</div>'


def _paragraph(p: B.Paragraph) -> str:
    text = _e(p.text)
    if p.lead:
        text = f"<b>{_e(p.lead)}</b>" + (f" {text}" if p.text else "")
    if p.role == "disclaimer":
        return f'<div class="disclaimer">{text}</div>'
    return f'<p class="{p.role}">{text}</p>' if p.role else f"<p>{text}</p>"


def _section(s: B.Section) -> list[str]:
    if s.level > 2:
        if s.role == "step":
            return [f"<h3>{_e(s.title)}</h3>", *emit(s.blocks)]
        cls = f' class="{s.role}"' if s.role else ""
        return [f"<div{cls}><h3>{_e(s.title)}</h3>" + "".join(emit(s.blocks, boxed=True)) + "</div>"]
    h2 = '<h2 id="sources">' if s.role == "sources" else "<h2>"
    lines = ([f"{h2}{_e(s.title)}</h2>"] if s.title else []) + emit(s.blocks)
    if s.role in ("summary", "appendix"):
        return [f'<section class="{s.role}">' + lines[0], *lines[1:], "</section>"]
    if s.role in ("why", "answers"):
        return [lines[0], f'<div class="{s.role}">', *lines[1:], "</div>"]
    if s.role == "keep":
        return [lines[0] + '<div class="keep">', *lines[1:-1], lines[-1] + "</div>"]
    if s.role == "sources":
        return [lines[0] + lines[1], *lines[2:]]
    return lines


def _chart_block(c: B.Chart) -> list[str]:
    keys = f'<span class="key" style="background:{BAR_ERODING}"></span>{_e(c.keys[0])}<span class="key" style="background:{BAR_NON_ERODING}"></span>{_e(c.keys[1])}'
    return [f'<figure class="keep"><h2>{_e(c.title)}</h2>', f'<p class="note">{_e(c.note)}{keys}</p>', _chart(list(c.points)), "</figure>"]


def _block(b: Any, boxed: bool) -> list[str]:
    if isinstance(b, B.Section):
        return _section(b)
    if isinstance(b, B.Paragraph):
        return [_paragraph(b)]
    if isinstance(b, B.Bullets):
        return ["<ul>" + "".join(f"<li>{_e(x.text)}</li>" for x in b.items) + "</ul>"]
    if isinstance(b, B.Table):
        rows = ["<tr>" + "".join(_cell(c, col) for c, col in zip(row, b.columns, strict=True)) + "</tr>" for row in b.rows]
        return [_table([_e(c.title) for c in b.columns], rows)]
    if isinstance(b, B.KeyValues):
        return [_key_values(b, boxed)]
    if isinstance(b, B.Grid):
        return [_grid(b)]
    if isinstance(b, B.Cards):
        cards = [f'<div class="card">{_e(c.label)}<b>{_e(c.value)}</b>{_e(c.detail)}</div>' for c in b.cards]
        return ['<div class="cards">', *cards, "</div>"]
    if isinstance(b, B.Title):
        sub = f'<p class="sub">{_e(b.subtitle)}</p><p class="sub prepared">{_e(b.prepared)}</p>'
        return [f"<header><h1>{_e(b.text)}</h1>{sub}</header>"]
    if isinstance(b, B.Sources):
        items = [
            f'<li id="src-{x.n}">' + (f'<a href="{_e(x.link)}">{_e(x.title)}</a>' if x.link else _e(x.title)) + f" <i>({_e(x.kind)})</i></li>"
            for x in b.items
        ]
        return ['<ol class="src">', *items, "</ol>"]
    if isinstance(b, B.Chart):
        return _chart_block(b)
    raise TypeError(f"html cannot write {type(b).__name__}")  # pragma: no cover


def emit(blocks: Any, *, boxed: bool = False) -> list[str]:
    """Blocks as HTML lines; ``boxed``: inside a box of its own (its tables need no scroll box)."""
    return [line for b in blocks for line in _block(b, boxed)]


def tick_step(top: float, ticks: int = 4) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``top``."""
    import math

    raw = max(top, 1) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return max(1, int(m * mag))
    return int(10 * mag)  # pragma: no cover


def _chart(points: list[tuple[int, int, int, int, int, bool]]) -> str:
    """Premium range per limit (eroding bar, non-eroding bar), as inline SVG.

    Horizontal bars; x positions in percent and y in pixels, so the chart takes the
    page's width while its text keeps its 12 px size at any width (no viewBox scaling).
    Each bar runs to the high estimate and is labelled with the range.
    """
    if not points:
        return ""
    top_value = max(max(p[2], p[4]) for p in points) or 1
    step = tick_step(top_value)
    axis_max = step * -(-top_value // step)
    left, right = 22.0, 97.0  # plot area, % of the width
    row, bar, gap, top = 40, 15, 2, 4
    height = top + row * len(points) + 28

    def x(v: float) -> float:
        return left + (right - left) * v / axis_max

    parts = [f'<svg class="chart" role="img" aria-label="Estimated annual premium by limit" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    plot_bottom = top + row * len(points)
    for i in range(0, int(axis_max // step) + 1):
        v = i * step
        parts.append(f'<line x1="{x(v):.2f}%" x2="{x(v):.2f}%" y1="{top}" y2="{plot_bottom}" stroke="#e1e8ef"/>')
        anchor = "start" if i == 0 else ("end" if v == axis_max else "middle")
        parts.append(f'<text x="{x(v):.2f}%" y="{plot_bottom + 16}" text-anchor="{anchor}">{_e(usd(v))}</text>')
    for i, (limit, elow, ehigh, nlow, nhigh, rec) in enumerate(points):
        y0 = top + row * i + (row - 2 * bar - gap) / 2
        label = usd(limit) + (" ★" if rec else "")
        weight = ' font-weight="bold"' if rec else ""
        parts.append(f'<text x="0" y="{y0 + bar + gap / 2 + 4:.0f}"{weight}>{_e(label)}</text>')
        for j, (lo, hi, color, form) in enumerate(((elow, ehigh, BAR_ERODING, "eroding"), (nlow, nhigh, BAR_NON_ERODING, "non-eroding"))):
            by = y0 + j * (bar + gap)
            w = max(x(hi) - left, 0.4)
            text = f"{usd(lo)}–{usd(hi)}"
            parts.append(
                f'<rect x="{left}%" y="{by:.0f}" width="{w:.2f}%" height="{bar}" fill="{color}" rx="2"><title>{form}: {_e(text)}</title></rect>'
            )
            inside = hi / axis_max > 0.62  # long bar: the value inside it, else just after it
            tx, anchor, dx, cls = (x(hi), "end", -4, ' class="in"') if inside else (x(hi), "start", 4, "")
            parts.append(f'<text{cls} x="{tx:.2f}%" dx="{dx}" y="{by + bar - 4:.0f}" text-anchor="{anchor}">{_e(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


class HtmlFormatter:
    name = "html"
    wants_options = True

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.outline import outline

        return page(outline(report))


def page(blocks: list[Any]) -> str:
    """A whole page: its title is the first Title block's."""
    title = next(b.text for b in blocks if isinstance(b, B.Title))
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
    ]
    return "\n".join([*head, *emit(blocks), "</body></html>", ""])
