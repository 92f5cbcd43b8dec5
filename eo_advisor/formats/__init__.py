"""Output formats as strategies: one small class per format, chosen by ``--format``.

Each formatter turns a :class:`~eo_advisor.result.Result` into text. Modules are
imported only when their format is used, so ``--format json`` never loads rich.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from ..result import Result

# format name -> "module:Class"
ASSESS_FORMATS: dict[str, str] = {
    "text": "text:TextFormatter",
    "json": "data:JsonFormatter",
    "toml": "data:TomlFormatter",
    "markdown": "markdown:MarkdownFormatter",
    "csv": "table:CsvFormatter",
    "html": "html:HtmlFormatter",
}


class Formatter(Protocol):
    name: str

    def format(self, result: "Result", *, color: bool = False, profile: Any = None) -> str:
        """The result as text; ``profile`` (the answers) is used by reports that show them."""
        ...


def get_formatter(name: str) -> Formatter:
    try:
        target = ASSESS_FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(ASSESS_FORMATS)}") from None
    module, cls = target.split(":")
    return getattr(importlib.import_module(f".{module}", __name__), cls)()
