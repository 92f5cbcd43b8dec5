"""The options ladder in each format: text (rich), markdown, csv and json."""

from __future__ import annotations

import io

from eo_advisor.advice.options import Cell, Options
from eo_advisor.formats.data import to_json
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.amounts import format_amount as usd
from eo_advisor.profile.amounts import short_amount

CSV_COLUMNS = (
    "limit",
    "aggregate",
    "deductible",
    "eroding_low",
    "eroding_high",
    "non_eroding_low",
    "non_eroding_high",
    "non_eroding_extra",
    "recommended",
    "meets_contracts",
    "eroding_meets_contracts",
    "non_eroding_meets_contracts",
)


def _range(low: int, high: int) -> str:
    return f"{usd(low)}–{usd(high)}"


def cell_text(cell: Cell, recommended_defense: str = "") -> str:
    """Eroding range, then the non-eroding one; ★ marks the recommended form in the recommended cell."""
    star_er = "★ " if cell.recommended and recommended_defense != "non-eroding" else ""
    star_ne = "★ " if cell.recommended and recommended_defense == "non-eroding" else ""
    if cell.meets_contracts and not cell.eroding_meets_contracts:
        star_er = "✗ "  # the limit is enough, but a contract refuses eroding cover
    return (
        f"{star_er}eroding {_range(cell.eroding_low, cell.eroding_high)}\n{star_ne}non-eroding {_range(cell.non_eroding_low, cell.non_eroding_high)}"
    )


def legend(opts: Options) -> list[str]:

    form = default_renderer().label(opts.recommended_defense)
    lines = ["★ recommended: " + f"{usd(opts.recommended_limit)} limit, {usd(opts.recommended_deductible)} deductible, {form}"]
    if any(not c.meets_contracts for c in opts.cells):
        lines.append(f"✗ below the {usd(opts.contract_minimum)} a contract requires")
    if any(c.meets_contracts and not c.eroding_meets_contracts for c in opts.cells):
        lines.append("✗ eroding: a contract requires defense costs outside the limit, so only non-eroding meets it")
    lines.append("Each cell: eroding range, then non-eroding range (defense outside the limit). Annual premium estimates, not quotes.")
    return lines


def options_text(opts: Options, *, color: bool = False, width: int = 80) -> str:
    """The ladder as a grid when it fits the width (a terminal's, or 80 / COLUMNS in a
    pipe), else stacked: each limit, then each deductible with its two ranges, so a
    narrow terminal never gets a table wrapped into pieces."""
    from rich.measure import Measurement
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from eo_advisor.formats.text import make_console

    buf = io.StringIO()
    con = make_console(buf, color=color, width=width)
    title = "Tech E&O options: annual premium by limit and deductible"
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("limit / aggregate", style="bold", no_wrap=True)
    for ded in opts.deductibles:
        table.add_column(f"{usd(ded)} deductible", justify="right", no_wrap=True)
    rows = []
    for limit in opts.limits:
        row = [c for c in opts.cells if c.limit == limit]
        mark = "" if row[0].meets_contracts else " ✗"
        label = f"{short_amount(limit)} / {short_amount(row[0].aggregate)}{mark}"
        rows.append((label, row))
        cells = []
        for c in row:
            style = ("reverse" if c.recommended else "dim" if not c.meets_contracts else "") if color else ""
            cells.append(Text(cell_text(c, opts.recommended_defense), style=style))
        table.add_row(label, *cells)
    if Measurement.get(con, con.options.update_width(10_000), table).maximum <= con.width:
        con.print(table)
    else:
        con.print(Text(title, style="italic" if color else ""))
        for label, row in rows:
            con.print(Text(label, style="bold"))
            for c in row:
                style = ("reverse" if c.recommended else "dim" if not c.meets_contracts else "") if color else ""
                con.print(Padding(Text(f"{usd(c.deductible)} deductible", style="bold" if c.recommended else ""), (0, 0, 0, 2)))
                con.print(Padding(Text(cell_text(c, opts.recommended_defense).replace("\n", "; "), style=style), (0, 0, 0, 4)))
    for line in legend(opts):
        con.print(Text(line))
    text = buf.getvalue()
    if not color:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def options_markdown(opts: Options) -> str:
    head = "| limit | " + " | ".join(f"{usd(d)} deductible" for d in opts.deductibles) + " |"
    lines = [head, "|---|" + "---:|" * len(opts.deductibles)]
    for limit in opts.limits:
        row = [c for c in opts.cells if c.limit == limit]
        label = f"{usd(limit)} / {usd(row[0].aggregate)}" + ("" if row[0].meets_contracts else " ✗")
        cells = [
            ("**" if c.recommended else "") + cell_text(c, opts.recommended_defense).replace("\n", "<br>") + ("**" if c.recommended else "")
            for c in row
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines + [""] + [f"- {x}" for x in legend(opts)]) + "\n"


def options_csv(opts: Options) -> str:
    """The ladder as CSV, written as every eo-advisor CSV is (formats/table.py): numbers
    as numbers, booleans as ``true``/``false``, any text cell neutralised."""
    from eo_advisor.formats.table import csv_writer, neutralise

    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(CSV_COLUMNS)
    for c in opts.cells:
        values = (getattr(c, k) for k in CSV_COLUMNS)
        w.writerow([("true" if v else "false") if isinstance(v, bool) else neutralise(v) for v in values])
    return buf.getvalue()


def options_json(opts: Options) -> str:
    return to_json(opts.to_dict(default_renderer())) + "\n"


class OptionsText:
    name = "text"

    def format(self, opts: Options, *, color: bool = False, width: int = 80) -> str:
        return options_text(opts, color=color, width=width)


class OptionsMarkdown:
    name = "markdown"

    def format(self, opts: Options, *, color: bool = False, width: int = 80) -> str:
        return options_markdown(opts)


class OptionsCsv:
    name = "csv"

    def format(self, opts: Options, *, color: bool = False, width: int = 80) -> str:
        return options_csv(opts)


class OptionsJson:
    name = "json"

    def format(self, opts: Options, *, color: bool = False, width: int = 80) -> str:
        return options_json(opts)
