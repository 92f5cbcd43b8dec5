r"""Machine formats: JSON and TOML, straight from ``Result.to_dict()``.

Output safety, in one place for each (documented in docs/cli.md, "Safety"):

* **JSON / JSON lines** (:func:`to_json`, also behind ``batch --format jsonl``, the
  options and compare JSON): UTF-8 text as it is (``ensure_ascii=False``), but every
  character that could end a line for a naive line splitter or act on a terminal is
  a ``\uXXXX`` escape: C0 controls (json's own), DEL, C1 controls (NEL U+0085
  included), U+2028/U+2029, bidi marks. A lone surrogate (a file name whose bytes were
  not UTF-8, a JSON ``"\ud800"`` id) is written as its escape too, so the writer never
  fails and ``json.loads`` gives back the very string. One JSON line is one record.
* **TOML** (:func:`to_toml`): ``tomli_w`` escapes C0 controls and DEL; C1 controls,
  line/paragraph separators and bidi marks are escaped here as ``\uXXXX`` (they load
  back the same); a lone surrogate, which TOML cannot hold, becomes U+FFFD.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from eo_advisor.edge.unsafe import C0, json_escape, toml_escape, unsafe_pattern
from eo_advisor.formats import Report


def _jsonable(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# escaped in JSON and TOML strings: the one unsafe class (eo_advisor.edge.unsafe) but
# C0, which json.dumps and tomli_w escape themselves
_INERT = unsafe_pattern(keep=C0)
_escape = json_escape


def to_json(data: Any, *, indent: int | None = 2, separators: tuple[str, str] | None = None) -> str:
    """JSON text, UTF-8 as it is except for the characters of ``_INERT``, which are
    ``\\uXXXX`` escapes (valid JSON, loaded back as the same string). Such characters
    can stand only inside strings, so escaping them in the text is exact."""
    text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=False, default=_jsonable)
    if text.isascii() and "\x7f" not in text:  # nearly every record: two C calls
        return text
    return _INERT.sub(_escape, text)


def drop_none(value: Any) -> Any:
    """TOML has no null: leave ``None`` out of tables and lists."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [drop_none(v) for v in value if v is not None]
    return value


def _toml_strings(value: Any) -> Any:
    """Strings made safe for :func:`to_toml`: TOML holds no lone surrogate (U+FFFD)."""
    if isinstance(value, str):
        return value if value.isascii() else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_toml_strings(k): _toml_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_toml_strings(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_toml(data: dict[str, Any]) -> str:
    """TOML text; C1 controls, separators and bidi marks escaped (see the module
    docstring). ``tomli_w`` writes them raw and escapes only C0 controls and DEL; any of
    them raw in the text stands inside a string, where ``\\uXXXX`` means the same."""
    import tomli_w

    text = tomli_w.dumps(_toml_strings(drop_none(data)))
    return text if text.isascii() else _INERT.sub(toml_escape, text)


class JsonFormatter:
    name = "json"
    wants_options = False

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        return to_json(report.result.to_dict(report.render)) + "\n"


class TomlFormatter:
    name = "toml"
    wants_options = False

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        return to_toml(report.result.to_dict(report.render))
