"""A decision's reason: a message key of rules/messages.toml and the values its
sentence needs. The engine returns these; :mod:`eo_advisor.formats.render` words them."""

from __future__ import annotations

from typing import Any, NamedTuple


class Reason(NamedTuple):
    """A decision's reason: a message key and the values the sentence needs."""

    key: str
    params: dict[str, Any] = {}

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": self.params}


Reasons = tuple[Reason, ...]
