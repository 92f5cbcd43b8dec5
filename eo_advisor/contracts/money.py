"""Amounts of money as contracts write them, found in a piece of text with their spans.

``$1,000,000``, ``$1,000,000.00``, ``$1M``, ``$1MM``, ``$1.5 million``, ``1 million``,
``US$2,000,000``, ``CAD 2,000,000``, ``£5,000,000``, ``€1m``, ``One Million Dollars``,
``One Million Dollars ($1,000,000)`` (one amount; the words and the figure are checked
against each other), ``two million pounds``. A bare number counts as money only when it is
written in thousands (``2,000,000``) or with a scale word (``2 million``).

Values are whole units of their currency (``Decimal`` arithmetic, no float rounding).
Pure: no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

_CURRENCY_BEFORE = {
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "cdn$": "CAD",
    "cdn": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "£": "GBP",
    "gbp": "GBP",
    "€": "EUR",
    "eur": "EUR",
    "$": "$",  # dollars of the document's country: see reader.document_currency
}
_CURRENCY_AFTER = {
    "usd": "USD",
    "cad": "CAD",
    "gbp": "GBP",
    "eur": "EUR",
    "aud": "AUD",
    "dollars": "$",
    "pounds": "GBP",
    "euros": "EUR",
    "sterling": "GBP",
}
_SCALE = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mil": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}

_NUMERIC = re.compile(
    r"(?P<cur>US\$|U\.S\.\s?\$|C\$|CA\$|CDN\$|A\$|AU\$|\$|£|€|(?:USD|CAD|CDN|GBP|EUR|AUD)\b\s?)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:(?P<tight>mm|m|k|bn|b)\b|\s?(?P<word>million|millions|mil\.?|mio|thousand|billion)\b)?"
    r"(?P<after>\s?(?:USD|CAD|GBP|EUR|AUD)\b|\s(?:U\.S\.\s|US\s|Canadian\s)?(?:dollars|pounds(?:\s+sterling)?|euros)\b)?",
    re.IGNORECASE,
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|hundred|thousand|million|billion|half|one-half)"
_WORDS = re.compile(rf"\b{_WORD}(?:[\s-]+(?:and\s+(?:a\s+|one[\s-])?)?{_WORD})*\b", re.IGNORECASE)
_WORDS_AFTER = re.compile(r"\s*(?:\(?(?:U\.S\.|US|Canadian)\)?\s+)?(dollars|pounds(?:\s+sterling)?|euros)\b", re.IGNORECASE)
_FIGURE_IN_PARENS = re.compile(r"\s*\(\s*([^()]{1,40}?)\s*\)")


class Money(NamedTuple):
    """One amount: where it stands in the text, its value in whole units, its currency
    (an ISO code, or ``$`` for dollars of unstated country), and a note when its words
    and figure disagree."""

    start: int
    end: int
    value: int
    currency: str
    conflict: str = ""


def _decimal_value(num: str, scale: int) -> int | None:
    digits = re.sub(r"[ ,\u00a0\u202f]", "", num)
    try:
        value = Decimal(digits) * scale
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    return int(value)


def words_value(text: str) -> int | None:
    """``one million two hundred fifty thousand`` -> 1250000; ``one and one-half million``
    -> 1500000; None when the words are not a number."""
    total, current, half = 0, 0, False
    seen = False
    text = re.sub(r"\band\s+(?:a|one)[\s-]half\b", " half", text.lower())
    for token in re.split(r"[\s-]+", text):
        if token in ("and", "a", ""):
            continue
        if token in ("half",):
            half = True
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in ("thousand", "million", "billion"):
            scale = _SCALE[token]
            amount = (current or (0 if half else 1)) * scale + (scale // 2 if half else 0)
            total, current, half = total + amount, 0, False
        else:
            return None
        seen = True
    return total + current if seen else None


def _numeric(m: re.Match[str]) -> Money | None:
    cur = (m.group("cur") or "").strip().lower().replace(" ", "")
    after = (m.group("after") or "").strip().lower()
    scale_word = (m.group("tight") or m.group("word") or "").lower().rstrip(".")
    num = m.group("num")
    grouped = "," in num or " " in num or "\u00a0" in num or "\u202f" in num
    if not (cur or after or scale_word in ("million", "millions", "mil", "mio", "thousand", "billion") or (grouped and len(num) >= 6)):
        return None
    if scale_word and not cur and not after and m.group("tight"):
        return None  # "5m" alone is more likely metres than money
    value = _decimal_value(num, _SCALE.get(scale_word, 1))
    if value is None:
        return None
    currency = _CURRENCY_BEFORE.get(cur) or _currency_after(after) or "$"
    start = m.start("cur") if m.group("cur") else m.start("num")
    return Money(start, m.end(), value, currency)


def _currency_after(after: str) -> str | None:
    if not after:
        return None
    if "canadian" in after:
        return "CAD"
    if "u.s." in after or after.startswith("us "):
        return "USD"
    return _CURRENCY_AFTER.get(after.split()[-1]) or _CURRENCY_AFTER.get(after.split()[0])


def _word_amounts(text: str) -> list[Money]:
    out = []
    for m in _WORDS.finditer(text):
        words = m.group()
        has_scale = re.search(r"thousand|million|billion", words, re.IGNORECASE)
        tail = _WORDS_AFTER.match(text, m.end())
        if not has_scale and not tail:
            continue
        value = words_value(words)
        if value is None or value < 1000:
            continue
        end = tail.end() if tail else m.end()
        currency = _currency_after(tail.group(0).strip().lower()) if tail else None
        out.append(Money(m.start(), end, value, currency or "$"))
    return out


def find_money(text: str) -> list[Money]:
    """Every amount in ``text``, left to right. Words followed by a figure in parentheses
    (``One Million Dollars ($1,000,000)``) and a figure followed by words in parentheses
    are one amount, valued by the figure; when they disagree the amount says so."""
    has_digit = any(c.isdigit() for c in text)
    numeric = [money for m in _NUMERIC.finditer(text) if (money := _numeric(m)) is not None] if has_digit else []
    low = text.lower()
    words = _word_amounts(text) if any(w in low for w in ("thousand", "million", "billion", "dollars", "pounds", "euros")) else []
    taken: list[Money] = []
    for w in words:
        paren = _FIGURE_IN_PARENS.match(text, w.end)
        inside = [n for n in numeric if paren and paren.start(1) <= n.start and n.end <= paren.end(1)]
        if paren and inside:
            fig = inside[0]
            note = "" if fig.value == w.value else f"the words say {w.value:,} and the figure {fig.value:,}"
            currency = fig.currency if fig.currency != "$" else w.currency
            taken.append(Money(w.start, paren.end(), fig.value, currency, note))
            numeric.remove(fig)
        else:
            taken.append(w)
    for n in list(numeric):
        paren = _FIGURE_IN_PARENS.match(text, n.end)
        inside_words = [w for w in taken if paren and paren.start(1) <= w.start and w.end <= paren.end(1)]
        if paren and inside_words:
            w = inside_words[0]
            note = "" if n.value == w.value else f"the figure says {n.value:,} and the words {w.value:,}"
            taken.remove(w)
            numeric.remove(n)
            taken.append(Money(n.start, paren.end(), n.value, n.currency if n.currency != "$" else w.currency, note))
    spans = sorted([*taken, *numeric])
    return [m for i, m in enumerate(spans) if not any(o.start <= m.start and m.end <= o.end and o != m for o in spans[:i] + spans[i + 1 :])]


def money_text(value: int | None, currency: str = "USD") -> str:
    """``1000000`` -> ``$1,000,000``; ``£5,000,000`` for GBP; ``unknown`` for None."""
    if value is None:
        return "unknown"
    symbol = {"USD": "$", "$": "$", "CAD": "C$", "AUD": "A$", "GBP": "£", "EUR": "€"}.get(currency, currency + " ")
    return f"{symbol}{value:,}"
