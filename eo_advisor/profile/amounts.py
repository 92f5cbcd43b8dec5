"""Dollar amounts as people type them: ``250000``, ``250k``, ``$1.5M``, ``1,000,000``."""

from __future__ import annotations

import re

from eo_advisor.edge.caps import MAX_NUMBER_CHARS

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000}
# the number alone, matched at one position: no nested or adjacent open-ended repeats,
# so matching is linear; the blanks around it are handled by str.strip (see parse_amount)
_NUMBER_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+", re.ASCII)  # ASCII digits only: not "１２３" or "٣٠٠"


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message: control characters escaped, long text cut."""
    return repr(text[:limit]) + ("..." if len(text) > limit else "")


def parse_amount(text: object) -> int:
    """Return whole US dollars; raise ValueError with a readable message otherwise.

    Integers pass through; floats must be whole dollars once scaled. Text is
    ``[sign] [$] number [suffix] [usd]`` with blanks allowed between the parts; it is
    parsed in time linear in its length, and refused past MAX_NUMBER_CHARS once trimmed.
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
    if text.isdigit() and text.isascii() and len(text) <= MAX_NUMBER_CHARS:  # the common case
        return int(text)
    rest = text.strip()
    if len(rest) > MAX_NUMBER_CHARS:
        raise ValueError(f"is too long to be an amount ({len(rest):,} characters; at most {MAX_NUMBER_CHARS})")
    rest = rest.replace("_", "").strip()
    sign = rest[:1] if rest[:1] in ("-", "+") else ""
    rest = rest[len(sign) :].lstrip()
    if rest[:1] == "$":
        rest = rest[1:].lstrip()
    m = _NUMBER_RE.match(rest)
    tail = rest[m.end() :].strip().lower() if m else "?"
    if tail.endswith("usd"):
        tail = tail[:-3].rstrip()
    if m is None or tail not in _SUFFIX:
        raise ValueError(f"{shown(text)} is not an amount (examples: 250000, 250k, $1.5M, 1,000,000)")
    num = m.group().replace(",", "")
    scale = _SUFFIX[tail]
    if "." in num:
        whole, frac = num.split(".")
        # exact decimal arithmetic: 1.5M is 1500000, never 1499999
        value = int(whole or "0") * scale + int(frac) * scale // 10 ** len(frac)
        if int(frac) * scale % 10 ** len(frac):
            raise ValueError(f"{shown(text)} is not a whole number of dollars")
    else:
        value = int(num) * scale
    return -value if sign == "-" else value


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
