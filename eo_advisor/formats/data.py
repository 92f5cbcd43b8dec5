"""Machine formats: JSON and TOML, straight from ``Result.to_dict()``."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from ..result import Result


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

    def format(self, result: Result, *, color: bool = False, profile: Any = None) -> str:
        return to_json(result.to_dict()) + "\n"


class TomlFormatter:
    name = "toml"

    def format(self, result: Result, *, color: bool = False, profile: Any = None) -> str:
        return to_toml(result.to_dict())
