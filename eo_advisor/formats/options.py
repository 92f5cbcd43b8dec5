"""The options ladder in each format: text and markdown write the one grid
(:mod:`eo_advisor.formats.grid`, the report's Options section); csv and json are data."""

from __future__ import annotations

import io

from eo_advisor.advice.options import Options
from eo_advisor.formats import OptionsReport
from eo_advisor.formats.blocks import Block, Title
from eo_advisor.formats.data import to_json
from eo_advisor.formats.grid import options_blocks
from eo_advisor.formats.outline import Say
from eo_advisor.formats.render import Renderer

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


def options_lines(data: OptionsReport) -> list[Block]:
    """The options command's blocks: a title, then what the report's Options section says."""
    w = Say(None, data.render)
    return [Title(w("options_title")), *options_blocks(data.options, w)]


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


def options_json(opts: Options, render: Renderer) -> str:
    return to_json(opts.to_dict(render)) + "\n"


class OptionsText:
    name = "text"

    def format(self, data: OptionsReport, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.text import render

        return render(options_lines(data), color=color, width=width)


class OptionsMarkdown:
    name = "markdown"

    def format(self, data: OptionsReport, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.markdown import emit

        return "\n".join(emit(options_lines(data)))


class OptionsCsv:
    name = "csv"

    def format(self, data: OptionsReport, *, color: bool = False, width: int = 80) -> str:
        return options_csv(data.options)


class OptionsJson:
    name = "json"

    def format(self, data: OptionsReport, *, color: bool = False, width: int = 80) -> str:
        return options_json(data.options, data.render)
