"""Dollar amounts as people type them: ``250000``, ``250k``, ``$1.5M``, ``1,000,000``."""

from __future__ import annotations

import re

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000}
_AMOUNT_RE = re.compile(
    r"^\s*(?P<sign>[-+]?)\s*\$?\s*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*"
    r"(?P<suffix>k|m|mm|b|bn)?\s*(?:usd)?\s*$",
    re.IGNORECASE,
)


def parse_amount(text: object) -> int:
    """Return whole US dollars; raise ValueError with a readable message otherwise.

    Integers pass through; floats must be whole dollars once scaled.
    """
    if isinstance(text, bool):
        raise ValueError("expected an amount in dollars, got true/false")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError("expected an amount in dollars")
        if not text.is_integer():
            raise ValueError(f"expected whole dollars, got {text}")
        return int(text)
    if not isinstance(text, str):
        raise ValueError(f"expected an amount in dollars, got {type(text).__name__}")
    if text.isdigit() and text.isascii():  # the common case, without the regex
        return int(text)
    m = _AMOUNT_RE.match(text.replace("_", ""))
    if not m:
        raise ValueError(f"'{text}' is not an amount (examples: 250000, 250k, $1.5M, 1,000,000)")
    num = m.group("num").replace(",", "")
    scale = _SUFFIX[(m.group("suffix") or "").lower()]
    if "." in num:
        whole, frac = num.split(".")
        # exact decimal arithmetic: 1.5M is 1500000, never 1499999
        value = int(whole or "0") * scale + int(frac) * scale // 10 ** len(frac)
        if int(frac) * scale % 10 ** len(frac):
            raise ValueError(f"'{text}' is not a whole number of dollars")
    else:
        value = int(num) * scale
    return -value if m.group("sign") == "-" else value


class USD(int):
    """An amount that formats itself as dollars: ``f"{USD(1000000)}" == "$1,000,000"``.

    The engine passes these to message templates, so a sentence costs nothing until
    it is rendered."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return format_amount(int(self)) if not spec else int.__format__(self, spec)

    def __str__(self) -> str:
        return format_amount(int(self))


def format_amount(value: int) -> str:
    """``1000000`` -> ``$1,000,000``."""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,}"


def short_amount(value: int) -> str:
    """``1000000`` -> ``$1M``, ``2500`` -> ``$2.5k`` (for tables)."""
    for scale, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= scale:
            text = f"{value / scale:.2f}".rstrip("0").rstrip(".")
            return f"${text}{suffix}"
    return f"${value}"
