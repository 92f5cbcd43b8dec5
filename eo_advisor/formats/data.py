"""Machine formats: JSON and TOML, straight from ``Result.to_dict()``."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from . import Report


def _jsonable(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False, default=_jsonable)


def drop_none(value: Any) -> Any:
    """TOML has no null: leave ``None`` out of tables and lists."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [drop_none(v) for v in value if v is not None]
    return value


def to_toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(drop_none(data))


class JsonFormatter:
    name = "json"
    wants_options = False

    def format(self, report: Report, *, color: bool = False) -> str:
        return to_json(report.result.to_dict(report.render)) + "\n"


class TomlFormatter:
    name = "toml"
    wants_options = False

    def format(self, report: Report, *, color: bool = False) -> str:
        return to_toml(report.result.to_dict(report.render))
