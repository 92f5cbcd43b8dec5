"""Output formats as strategies: one small class per format, one registry for every
command, chosen by ``--format``.

A formatter turns what its command computed into text; it does no domain work (the
HTML report receives the options already computed) and words decisions only through
:mod:`eo_advisor.formats.render`. Modules are imported only when their format is used, so
``--format json`` never loads rich.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.advice.options import Options
    from eo_advisor.advice.result import Result
    from eo_advisor.formats.render import Renderer
    from eo_advisor.profile.model import Profile

# command -> format name -> "module:Class". The CLI's --format choices, their help and
# EO_ADVISOR_FORMAT all come from here.
REGISTRY: dict[str, dict[str, str]] = {
    "assess": {
        "text": "text:TextFormatter",
        "json": "data:JsonFormatter",
        "toml": "data:TomlFormatter",
        "markdown": "markdown:MarkdownFormatter",
        "csv": "table:CsvFormatter",
        "html": "html:HtmlFormatter",
    },
    "options": {
        "text": "options:OptionsText",
        "json": "options:OptionsJson",
        "csv": "options:OptionsCsv",
        "markdown": "options:OptionsMarkdown",
    },
    "compare": {
        "text": "compare:CompareText",
        "json": "compare:CompareJson",
        "markdown": "compare:CompareMarkdown",
        "html": "compare:CompareHtml",
    },
    "rules": {
        "text": "rulesdoc:RulesText",
        "json": "rulesdoc:RulesJson",
        "markdown": "rulesdoc:RulesMarkdown",
    },
}


class Report(NamedTuple):
    """What an ``assess`` formatter receives: the decisions and what goes beside them."""

    result: Result
    render: Renderer
    profile: Profile | None = None  # the answers, for reports that show them
    options: Options | None = None  # computed by the caller when the format wants them
    prepared_on: _dt.date | None = None


class OptionsReport(NamedTuple):
    """What an ``options`` formatter receives: the options and the renderer that words them."""

    options: Options
    render: Renderer


class Formatter(Protocol):
    name: str
    wants_options: bool  # assess formats: the caller computes the options table first

    def format(self, data: Any, *, color: bool = False, width: int = 80) -> str:
        """The command's data as text."""
        ...


def formats(command: str) -> tuple[str, ...]:
    return tuple(REGISTRY[command])


def get_formatter(command: str, name: str) -> Formatter:
    try:
        target = REGISTRY[command][name]
    except KeyError:
        raise ValueError(f"unknown format {name!r} for {command}; choose from {', '.join(REGISTRY.get(command, ()))}") from None
    module, cls = target.split(":")
    return getattr(importlib.import_module(f".{module}", __name__), cls)()
