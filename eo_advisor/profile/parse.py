"""Parsing one answer: text, booleans, counts, dollars, shares, dates, ids, each with
an error that names what was expected."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable, Mapping

from eo_advisor.edge.caps import MAX_NUMBER_CHARS, MAX_TEXT_CHARS
from eo_advisor.profile.amounts import parse_amount, shown
from eo_advisor.profile.schema import US_STATES, Field
from eo_advisor.rules import Rules


# ---------------------------------------------------------------------------
# Raw data helpers
# ---------------------------------------------------------------------------
def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """Nested profile data -> flat dotted keys. ``contracts`` and unknown shapes kept."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v
        else:
            flat[key] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        section, dot, name = key.partition(".")
        if dot:
            nested.setdefault(section, {})[name] = value
        else:
            nested[key] = value
    return nested


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only when a key or id is wrong: it costs start-up otherwise

    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:  # an abbreviation of an id: 'webdev' for web_development, 'msp' is not one
        squeezed = word.replace("_", "").replace("-", "").lower()
        close = [c for c in choices if len(squeezed) >= 3 and _abbreviates(squeezed, c.replace("_", "").lower())][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with letters left out, keeping its first letter (an
    in-order subsequence): 'webdev' abbreviates 'webdevelopment'."""
    if not short or short[0] != long[:1]:
        return False
    letters = iter(long)
    return all(ch in letters for ch in short)


def key_name(key: Any) -> str:
    """A key as it would be written in TOML: bare when it can be (``annual_revenue``),
    quoted and escaped otherwise (``""``, ``"caf\\u00e9"``), so an error names it visibly;
    a key over 64 characters is cut to its first 40 (``"xxx..."...``)."""
    key = key if isinstance(key, str) else repr(key)
    if len(key) <= 64 and _BARE_KEY.fullmatch(key):
        return key
    import json  # only on this error path

    return json.dumps(key[:40]) + ("..." if len(key) > 40 else "")


def _value(value: Any) -> str:
    """A raw value for a message: short, escaped, never raising (a huge int, a deep list)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is None or isinstance(value, float):
        return repr(value)
    return f"a {type(value).__name__}"


def _number(value: int, dollars: bool = False) -> str:
    """``1,000`` (or ``$1,000``); a number too long to print is described instead."""
    if value.bit_length() > 128:
        return f"a {int(value.bit_length() * 0.30103) + 1:,}-digit number"
    return f"${value:,}" if dollars else f"{value:,}"


# Text the profile refuses, because it cannot be shown or exported safely: C0 and C1
# control characters (tab and line breaks included: every text field is one line), DEL,
# bidi embedding/override/isolate marks, line/paragraph separators, lone surrogates
# (bytes that were not UTF-8). Everything else round-trips through the TOML export.
_UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_.-]+")


def parse_text(value: Any, maximum: int = MAX_TEXT_CHARS) -> str:
    """One line of text, trimmed; refuses control, bidi and unencodable characters."""
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    value = value.strip()
    if len(value) > maximum:
        raise ValueError(f"is longer than {maximum} characters")
    bad = _UNSAFE_TEXT.search(value)
    if bad:
        what = "a character that is not UTF-8" if "\ud800" <= bad.group() <= "\udfff" else "a control or bidi character"
        raise ValueError(f"contains {what} (U+{ord(bad.group()):04X} at position {bad.start() + 1}); text must be one line of printable characters")
    return value


_ABSENT = object()
_BOOLS = {**dict.fromkeys(("true", "yes", "y", "1", "t", "on"), True), **dict.fromkeys(("false", "no", "n", "0", "f", "off"), False)}


def parse_bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    if isinstance(value, str):
        found = _BOOLS.get(value) if value in _BOOLS else _BOOLS.get(value.strip().lower())
        if found is not None:
            return found
    raise ValueError(f"expected true or false, got {_value(value)}")


def parse_count(value: Any, maximum: int | None) -> int:
    if type(value) is str and value.isdigit() and value.isascii() and len(value) <= MAX_NUMBER_CHARS:  # the common case
        value = int(value)
        if maximum is not None and value > maximum:
            raise ValueError(f"{value:,} is not plausible (at most {maximum:,})")
        return value
    if isinstance(value, bool):
        raise ValueError("expected a whole number, got true/false")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"is too long to be a number ({len(text):,} characters; at most {MAX_NUMBER_CHARS})")
        text = text.replace(",", "")
        if not (text.lstrip("-").isdigit() and text.isascii()):  # "²" and "٣" are digits to Python, not to a profile
            raise ValueError(f"expected a whole number (digits 0-9), got {_value(value)}")
        value = int(text)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"must not be negative (got {_number(value)})")
    if maximum is not None and value > maximum:
        raise ValueError(f"{_number(value)} is not plausible (at most {maximum:,})")
    return value


def parse_dollars(value: Any, maximum: int | None) -> int:
    amount = parse_amount(value)
    if amount < 0:
        raise ValueError(f"must not be negative (got {_number(amount)})")
    if maximum is not None and amount > maximum:
        raise ValueError(f"{_number(amount, dollars=True)} is not plausible (at most ${maximum:,})")
    return amount


def split_list(value: Any) -> list[str]:
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [v.strip() for v in value.split(sep) if v.strip()]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of ids (strings)")
        return [v.strip() for v in value]
    raise ValueError(f"expected a list of ids, got {type(value).__name__}")


def parse_ids(value: Any, vocabulary: Mapping[str, Any]) -> tuple[str, ...]:
    items = split_list(value)
    if not items:
        raise ValueError(f"needs at least one; allowed: {', '.join(vocabulary)}")
    unknown = [v for v in items if v not in vocabulary]
    if unknown:
        bad = unknown[0]
        raise ValueError(f"unknown id {shown(bad)}{_suggest(bad, vocabulary)}; allowed: {', '.join(vocabulary)}")
    return tuple(dict.fromkeys(items))  # drop repeats, keep order


def parse_share(value: Any) -> float:
    """A share of revenue: ``0.35``, ``35%`` or ``35`` (a number above 1 is a percentage)."""
    if isinstance(value, bool):
        raise ValueError("expected a share such as 35% or 0.35, got true/false")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 20:
            raise ValueError("is too long to be a share")
        percent = text.endswith("%")
        body = text.rstrip("%").strip()
        try:
            if not body.isascii() or body.lower() in ("nan", "inf", "-inf", "infinity"):
                raise ValueError
            number = float(body)
        except ValueError:
            raise ValueError(f"expected a share such as 35% or 0.35, got {_value(value)}") from None
        if percent:  # "1%" is one percent, "100%" all of it: said, not guessed
            if not 0 <= number <= 100:
                raise ValueError(f"must be between 0% and 100% (got {body}%)")
            return round(number / 100, 4)
        value = number
    if not isinstance(value, (int, float)) or value != value:
        raise ValueError(f"expected a share such as 35% or 0.35, got {type(value).__name__}")
    if not -100 <= value <= 100:  # decided before dividing: a huge integer is no float
        raise ValueError(f"must be between 0% and 100% (got {value if abs(value) < 10**12 else 'a number that large'})")
    if value == 1:  # 1 could be all of it (1.0) or one percent: a plain number above 1 is a percentage
        raise ValueError("1 is ambiguous: write 100% (all of it) or 1%")
    share = value / 100 if value > 1 else float(value)
    if not 0 <= share <= 1:
        raise ValueError(f"must be between 0% and 100% (got {value})")
    return round(share, 4)


def parse_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date as YYYY-MM-DD, got {_value(value)}")


def parse_field(f: Field, value: Any, rules: Rules) -> Any:
    """Parse one raw value for field ``f``; raise ValueError with a readable message."""
    return _PARSERS[f.kind](f, value, rules)


def _parse_text(f: Field, value: Any, rules: Rules) -> Any:
    return parse_text(value) or None


def _parse_choice(f: Field, value: Any, rules: Rules) -> str:
    if isinstance(value, str) and value.strip().lower() in f.choices:
        return value.strip().lower()
    raise ValueError(f"must be one of: {', '.join(f.choices)} (got {_value(value)})")


def _parse_state(f: Field, value: Any, rules: Rules) -> str | None:
    if value == "" or value is None:
        return None
    if isinstance(value, str) and value.strip().upper() in US_STATES:
        return value.strip().upper()
    raise ValueError(f"must be a two-letter US state code such as CA, NY or NV (got {_value(value)})")


# one parser per field kind: (field, raw value, rules) -> value, or ValueError
def _parse_client(f: Field, value: Any, rules: Rules) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected the client's name")
    return parse_text(value)


def _parse_industry(f: Field, value: Any, rules: Rules) -> str:
    ids = parse_ids(value, rules.industries) if isinstance(value, str) else ()
    if len(ids) != 1:
        raise ValueError(f"expected one industry id; allowed: {', '.join(rules.industries)}")
    return ids[0]


_PARSERS: dict[str, Any] = {
    "client": _parse_client,
    "industry": _parse_industry,
    "amount": lambda f, v, r: parse_dollars(v, f.maximum),
    "count": lambda f, v, r: parse_count(v, f.maximum),
    "bool": lambda f, v, r: parse_bool(v),
    "services": lambda f, v, r: parse_ids(v, r.services),
    "industries": lambda f, v, r: parse_ids(v, r.industries),
    "text": _parse_text,
    "date": lambda f, v, r: None if v == "" else parse_date(v),
    "share": lambda f, v, r: None if v == "" else parse_share(v),
    "choice": _parse_choice,
    "state": _parse_state,
}
