"""Profiles as text: the commented template and the TOML export, both from FIELDS."""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from eo_advisor.profile.model import Profile
from eo_advisor.profile.schema import CONTRACT_FIELDS, FIELDS, SCHEMA_VERSION
from eo_advisor.rules import Rules, load_rules


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if value >= 10_000 else str(value)
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)  # a TOML float (shares): 0.35
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string that loads back as the same string.

    json escapes quotes, backslashes and C0 controls (its escapes are TOML's); DEL, the
    C1 controls, line/paragraph separators and bidi marks are escaped here too, so the
    file is inert in a terminal. A lone surrogate, which no TOML string can hold, is
    written as U+FFFD. (The profile refuses all of these in its text fields, so a
    profile's export never needs the last two rules: they are a backstop.)"""
    quoted = json.dumps(text, ensure_ascii=False)
    if quoted.isascii() and "\x7f" not in quoted:
        return quoted
    return _TOML_INERT.sub(_toml_escape, quoted)


_TOML_INERT = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _toml_escape(match: re.Match[str]) -> str:
    c = match.group()
    return "\ufffd" if "\ud800" <= c <= "\udfff" else f"\\u{ord(c):04x}"


def template_toml(rules: Rules | None = None) -> str:
    """A fully commented example profile; it validates as it stands."""
    rules = rules or load_rules()
    lines = [
        "# eo-advisor profile: the answers behind a Tech E&O recommendation.",
        "# Amounts are whole US dollars (in --set and prompts you may type 250k, $1.5M, 1,000,000).",
        "# Unknown keys are errors, so typos never pass silently. The allowed ids are listed at each field.",
        f"schema_version = {SCHEMA_VERSION}",
    ]
    section = None
    for f in FIELDS:
        if f.section != section:
            section = f.section
            lines.append("")
            if section == "current_policy":
                lines.append("# Optional: the cover the business holds today. Delete this table if none.")
            lines.append(f"[{section}]")
        note = "" if f.required or "optional" in f.help else " (optional)"
        lines.append(f"# {f.help}{note}")
        if f.kind == "services":
            lines.append("# allowed: " + ", ".join(rules.services))
        elif f.kind == "industries":
            regulated = [k for k, v in rules.industries.items() if v["regulated"]]
            lines.append("# allowed: " + ", ".join(rules.industries) + f" (regulated: {', '.join(regulated)})")
        lines.append(f"{f.name} = {toml_value(f.example)}")
    lines += [
        "",
        "# Optional, repeatable: client contracts and the cover each one requires.",
        "# The recommendation meets every contract. work.contractual_minimum answers for all of them (the highest",
        "# eo_limit any contract asks): give it when these are all your contracts with requirements.",
        "# [[contracts]]",
        *(f"{f'# {f.name} = {toml_value(f.example)}':<34} # {f.help}" for f in CONTRACT_FIELDS),
        "",
    ]
    return "\n".join(lines)


def profile_toml(profile: Profile) -> str:
    """The completed answers as a TOML profile (what ``--export`` writes)."""
    data = profile.to_dict()
    lines = ["# eo-advisor profile (exported). Load it back with: eo-advisor assess --profile FILE", f"schema_version = {SCHEMA_VERSION}"]
    for section, values in data.items():
        if section in ("schema_version", "contracts"):
            continue
        lines += ["", f"[{section}]"] + [f"{k} = {toml_value(v)}" for k, v in values.items()]
    for contract in data.get("contracts", []):
        lines += ["", "[[contracts]]"] + [f"{k} = {toml_value(v)}" for k, v in contract.items()]
    return "\n".join(lines) + "\n"


_KIND_WORDS = {
    "amount": 'integer USD (or "250k", "$1.5M")',
    "count": "integer ≥ 0",
    "bool": "true/false",
    "services": "list of service ids",
    "industries": "list of industry ids",
    "industry": "one industry id",
    "client": "string",
    "text": "string",
    "date": "date (YYYY-MM-DD)",
    "choice": "one of the choices",
    "state": "US two-letter code",
    "share": 'share (`0.35`, `"35%"` or `35`)',
}


def reference_markdown() -> str:
    """The field tables of docs/profile.md, from the schema (the docs test keeps them equal)."""
    from eo_advisor.profile.schema import OPTIONAL_SECTIONS

    def row(f: Any, key: str) -> str:
        if f.required:
            required = "if `[current_policy]` is present" if f.section in OPTIONAL_SECTIONS else "yes"
        else:
            required = "no"
        kind = _KIND_WORDS.get(f.kind, f.kind) + (f": {', '.join(f'`{c}`' for c in f.choices)}" if f.choices else "")
        limit = f"≤ {f.maximum:,}" if f.maximum else ""
        return f"| `{key}` | {kind} | {required} | {f.help} | {limit} |"

    lines = ["| key | type | required | meaning | limit |", "|---|---|---|---|---|"]
    lines += [row(f, f.key) for f in FIELDS]
    lines += ["", "`[[contracts]]` (optional, repeatable: one table per client contract):", ""]
    lines += ["| key | type | required | meaning | limit |", "|---|---|---|---|---|"]
    lines += [row(f, f.name) for f in CONTRACT_FIELDS]
    return "\n".join(lines) + "\n"
