"""The options grid as blocks: a row per limit, a column per deductible, each cell the
eroding and the non-eroding premium range; ★ marks the recommended choice and ✗ what
does not meet a client contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eo_advisor.formats.blocks import Chart, Grid, GridCell, GridLine, GridRow

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.advice.options import Options
    from eo_advisor.formats.outline import Say


def report_grid(opts: Options, w: Say) -> tuple[Grid, str]:
    """The grid and its legend."""
    non_eroding = opts.recommended_defense == "non-eroding"
    rows = []
    for limit in opts.limits:
        row = [c for c in opts.cells if c.limit == limit]
        cells = tuple(
            GridCell(
                (
                    GridLine(
                        w("options_eroding"),
                        w("range", low=c.eroding_low, high=c.eroding_high),
                        c.recommended and not non_eroding,
                        not c.eroding_meets_contracts,
                    ),
                    GridLine(
                        w("options_non_eroding"),
                        w("range", low=c.non_eroding_low, high=c.non_eroding_high),
                        c.recommended and non_eroding,
                        not c.non_eroding_meets_contracts,
                    ),
                ),
                c.recommended,
                not c.meets_contracts,
            )
            for c in row
        )
        rows.append(GridRow(w("options_row", limit=limit, aggregate=row[0].aggregate), cells, not row[0].meets_contracts))
    columns = tuple(w("options_deductible", amount=d) for d in opts.deductibles)
    crossed = any(not (c.meets_contracts and c.eroding_meets_contracts and c.non_eroding_meets_contracts) for c in opts.cells)
    legend = w("options_legend_cross", minimum=opts.contract_minimum) if crossed else w("options_legend")
    return Grid(w("options_corner"), columns, tuple(rows)), legend + "."


def chart(opts: Options, w: Say) -> Chart:
    """Premium against limit at the recommended deductible."""
    points = []
    for limit in opts.limits:
        c = opts.cell(limit, opts.recommended_deductible)
        points.append((limit, c.eroding_low, c.eroding_high, c.non_eroding_low, c.non_eroding_high, c.recommended))
    keys = (w("options_eroding"), w("options_non_eroding"))
    return Chart(w("chart"), w("chart_note", deductible=opts.recommended_deductible), tuple(points), keys)
