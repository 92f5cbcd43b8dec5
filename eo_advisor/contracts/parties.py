"""The client a contract names: the party defined as ``("Client")``, ``(the "City")``,
``("Customer")``... rather than the one defined as the consultant or vendor. Pure."""

from __future__ import annotations

import re
from typing import NamedTuple

_DEFINED = re.compile(
    r"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?)?[\"“”'‘’]+(?P<label>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?)[\"“”'‘’]+\s*\)"
)
_CLIENT_LABELS = {
    "client", "customer", "city", "county", "state", "agency", "department", "owner", "purchaser", "buyer", "district",
    "authority", "university", "board", "province", "ministry", "council", "commission", "licensee", "subscriber",
    "government", "town", "village", "municipality", "hospital", "trust", "school", "college", "crown", "region", "bank", "union",
}  # fmt: skip
_BEFORE_NAME = re.compile(r"(?:\bbetween|\band|\bby|\bwith|\bfor|:|\n|^)\s*", re.I)
_DESCRIPTOR = re.compile(r",\s+(?:a|an|the)\s+|,\s+(?:acting|having|whose|located|with)\b|\s+\((?:ABN|ACN|company)", re.I)


class Party(NamedTuple):
    name: str
    start: int
    end: int


def client_party(text: str) -> Party | None:
    """The client's name as the contract defines it, or None."""
    for m in _DEFINED.finditer(text):
        if m.group("label").split()[-1].lower() not in _CLIENT_LABELS:
            continue
        window_start = max(0, m.start() - 160)
        window = text[window_start : m.start()]
        cuts = list(_BEFORE_NAME.finditer(window))
        begin = cuts[-1].end() if cuts else 0
        name = window[begin:]
        cut = _DESCRIPTOR.search(name)
        if cut:
            name = name[: cut.start()]
        name = re.sub(r"^(?:the|and)\s+", "", name.strip(' ,\t\n"“”*_'))
        if 2 < len(name) <= 120 and name[:1].isupper():
            start = window_start + window.find(name, begin)
            return Party(name, start, m.end())
    return None
