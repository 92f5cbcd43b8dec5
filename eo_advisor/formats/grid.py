"""The options grid, defined once: a row per limit, a column per deductible, each cell
the eroding and the non-eroding premium range. ★ marks the recommended form in the
recommended cell; ✗ marks a form that does not meet a client contract, and a limit
below what a contract requires. One header wording, one legend: ``options`` in every
format and the grid of the assess report are these blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eo_advisor.formats.blocks import Block, Chart, Grid, GridCell, GridLine, GridRow, Paragraph

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.advice.options import Cell, Options
    from eo_advisor.formats.outline import Say


def _cell(c: Cell, non_eroding: bool, w: Say) -> GridCell:
    eroding = GridLine(
        w("options_eroding"), w("range", low=c.eroding_low, high=c.eroding_high), c.recommended and not non_eroding, not c.eroding_meets_contracts
    )
    other = GridLine(
        w("options_non_eroding"),
        w("range", low=c.non_eroding_low, high=c.non_eroding_high),
        c.recommended and non_eroding,
        not c.non_eroding_meets_contracts,
    )
    return GridCell((eroding, other), c.recommended, not c.meets_contracts)


def grid(opts: Options, w: Say) -> Grid:
    non_eroding = opts.recommended_defense == "non-eroding"
    rows = []
    for limit in opts.limits:
        row = [c for c in opts.cells if c.limit == limit]
        label = w("options_row", limit=limit, aggregate=row[0].aggregate)
        rows.append(GridRow(label, tuple(_cell(c, non_eroding, w) for c in row), not row[0].meets_contracts))
    return Grid(w("options_corner"), tuple(w("options_deductible", amount=d) for d in opts.deductibles), tuple(rows))


def legend(opts: Options, w: Say) -> list[Block]:
    lines = [w("options_legend", limit=opts.recommended_limit, deductible=opts.recommended_deductible, form=opts.recommended_defense)]
    if any(not (c.meets_contracts and c.eroding_meets_contracts and c.non_eroding_meets_contracts) for c in opts.cells):
        lines.append(w("options_legend_cross", minimum=opts.contract_minimum))
    return [Paragraph(x, role="note") for x in lines]


def options_blocks(opts: Options, w: Say) -> list[Block]:
    """What the options say, in the report's Options section and in ``options``."""
    return [Paragraph(w("options_note"), role="note"), grid(opts, w), *legend(opts, w)]


def chart(opts: Options, w: Say) -> Chart:
    """Premium against limit at the recommended deductible."""
    points = []
    for limit in opts.limits:
        c = opts.cell(limit, opts.recommended_deductible)
        points.append((limit, c.eroding_low, c.eroding_high, c.non_eroding_low, c.non_eroding_high, c.recommended))
    keys = (w("options_eroding"), w("options_non_eroding"))
    return Chart(w("chart"), w("chart_note", deductible=opts.recommended_deductible), tuple(points), keys)
