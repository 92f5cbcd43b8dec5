"""A reading as text (each requirement beside its quote), JSON, JSON Lines, or
``[[contracts]]`` TOML for a profile; and :func:`contract_table`, the pure mapping of a
reading to one ``[[contracts]]`` table. Pure: strings in, strings out."""

from __future__ import annotations

import re
from typing import Any

from eo_advisor.contracts.model import PER_EVENT_KEY, SCHEMA_VERSION, Coverage, Evidence, Reading
from eo_advisor.contracts.money import money_text
from eo_advisor.edge.safe_terminal import terminal_text
from eo_advisor.formats.data import to_json, to_toml

LABELS = {
    "professional_liability": "Professional liability (E&O)",
    "cyber": "Cyber (network security and privacy)",
    "general_liability": "Commercial general liability",
    "umbrella": "Umbrella / excess liability",
    "workers_compensation": "Workers' compensation",
    "employers_liability": "Employer's liability",
    "auto": "Automobile liability",
    "crime": "Crime / fidelity",
}
FIELD_LABELS = {
    "per_claim": "per claim",
    "per_occurrence": "per occurrence",
    "per_accident": "each accident",
    "aggregate": "aggregate",
    "claims_made_allowed": "claims-made allowed",
    "retro_on_or_before_start": "retro date on or before the start",
    "years_after_completion": "years of cover after completion",
    "defense_outside_limits": "defense costs outside the limits",
    "defense_eo_carved_out": "E&O carved out of defense outside limits",
    "additional_insured": "additional insured",
    "additional_insured_parties": "additional insured: who",
    "waiver_of_subrogation": "waiver of subrogation",
    "primary_non_contributory": "primary and non-contributory",
    "statutory": "statutory",
}
#: [[contracts]] keys the advice reads today (eo_advisor.profile.Contract); the others
#: are read from the contract and wait for the profile schema to take them.
TODAY_KEYS = ("client", "eo_limit", "value", "cyber_limit", "liability_cap", "defense_outside_limits", "additional_insured", "industry")
NEW_KEYS = (
    "eo_aggregate",
    "claims_made_allowed",
    "retro_on_or_before_start",
    "years_after_completion",
    "gl_per_occurrence",
    "gl_aggregate",
    "umbrella_limit",
    "auto_limit",
    "workers_compensation",
    "employers_liability",
    "combined_eo_cyber_limit",
    "waiver_of_subrogation",
    "primary_non_contributory",
    "notice_of_cancellation_days",
    "insurer_rating",
)
AMOUNT_KEYS = {
    "eo_limit",
    "value",
    "cyber_limit",
    "liability_cap",
    "eo_aggregate",
    "gl_per_occurrence",
    "gl_aggregate",
    "umbrella_limit",
    "auto_limit",
    "employers_liability",
    "combined_eo_cyber_limit",
}
_GOVERNMENT = re.compile(
    r"\b(?:city|county|state|commonwealth|department|agency|ministry|province|municipal|borough|township|district|government|authority|council|crown)\b",
    re.I,
)


def _say(value: Any, currency: str = "USD") -> str:
    if value is None:
        return "cannot tell"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return money_text(value, currency)
    return str(value)


def _quote(e: Evidence) -> str:
    where = f"p. {e.page}, " if e.page is not None else ""
    return f'{where}chars {e.start}-{e.end}: "' + " ".join(e.text.split()) + '"'


def _coverage_text(line: str, c: Coverage, unstated: set[str]) -> list[str]:
    out = [f"{LABELS[line]}: {'required' if c.required else 'not required'}"]
    numbers = {id(e): i + 1 for i, e in enumerate(c.evidence)}
    values: list[tuple[str, Any]] = []
    key = PER_EVENT_KEY[line]
    if key is not None:
        values += [(key, c.per_event), ("aggregate", c.aggregate)]
    values += list(c.terms.items())
    for name, value in values:
        if value is None and name in ("additional_insured_parties", "defense_eo_carved_out"):
            continue
        refs = [numbers[id(e)] for e in c.evidence if name in e.fields]
        shown = value if name != "years_after_completion" or value is None else f"{value} years"
        text = _say(shown, c.currency) if name in ("per_claim", "per_occurrence", "per_accident", "aggregate") else _say(shown)
        text = "not stated" if f"{line}.{name}" in unstated else text
        out.append(f"  {FIELD_LABELS[name]}: {text}" + (" " + " ".join(f"[{n}]" for n in refs) if refs else ""))
    if c.per_project_aggregate:
        out.append("  the aggregate applies per project")
    out += [f"  [{numbers[id(e)]}] {_quote(e)}" for e in c.evidence]
    return out


def text_report(reading: Reading) -> str:
    lines = [f"{reading.source}: " + (f"client {reading.client}" if reading.client else "client not named")]
    if reading.empty_reason:
        lines.append(reading.empty_reason)
    for heading, start, end in reading.sections:
        lines.append(f'insurance section "{heading}" (chars {start}-{end})')
    if reading.currency != "USD":
        lines.append(f"amounts in {reading.currency}, as written (not converted)")
    unstated = {c.field for c in reading.cannot_tell if c.reason == "not stated"}
    for line, cov in reading.coverages.items():
        lines += ["", *_coverage_text(line, cov, unstated)]
    for combined in reading.combined:
        names = " and ".join(LABELS[line] for line in combined.lines)
        lines += [
            "",
            f"Combined limit for {names}: {_say(combined.per_claim, reading.currency)} per claim, {_say(combined.aggregate, reading.currency)} aggregate",
        ]
        lines += [f"  {_quote(e)}" for e in combined.evidence]
    if reading.tiers:
        lines += ["", "Tiers (the one chosen is marked *):"]
        for t in reading.tiers:
            lines.append(
                f"  {'*' if t.chosen else '-'} {t.condition}: {_say(t.per_event, reading.currency)} / {_say(t.aggregate, reading.currency)} aggregate"
            )
    for name, label in (("notice_of_cancellation_days", "notice of cancellation"), ("insurer_rating", "minimum insurer rating")):
        value = getattr(reading, name)
        if value is not None or name in reading.evidence:
            shown = f"{value} days" if name == "notice_of_cancellation_days" and value is not None else _say(value)
            lines += ["", f"{label}: {shown}", *(f"  {_quote(e)}" for e in reading.evidence.get(name, ()))]
    _cannot_tell_text(reading, lines)
    return terminal_text("\n".join(lines), keep_newlines=True) + "\n"


def _cannot_tell_text(reading: Reading, lines: list[str]) -> None:
    unsettled = [c for c in reading.cannot_tell if c.reason != "not stated"]
    if unsettled:
        lines += ["", "Cannot tell:"]
        for c in unsettled:
            lines.append(f"  {c.field}: {c.reason}")
            lines += [f"    {_quote(e)}" for e in c.evidence]


def json_report(readings: list[Reading]) -> str:
    data: Any = readings[0].to_dict() if len(readings) == 1 else [r.to_dict() for r in readings]
    return to_json(data) + "\n"


def jsonl_line(reading: Reading | None, source: str = "", error: str = "") -> str:
    data = reading.to_dict() if reading is not None else {"schema_version": SCHEMA_VERSION, "source": source, "error": error}
    return to_json(data, indent=None, separators=(",", ":")) + "\n"


def contract_table(reading: Reading, client: str | None = None) -> dict[str, Any]:
    """One ``[[contracts]]`` table: today's keys (``TODAY_KEYS``) and the new ones
    (``NEW_KEYS``); a key whose value the contract does not settle is left out."""
    cov = reading.coverages
    pl, gl = cov.get("professional_liability"), cov.get("general_liability")
    both = next((c for c in reading.combined if set(c.lines) >= {"professional_liability", "cyber"}), None)
    name = client or reading.client
    eo_limit = pl.per_event if pl is not None else None
    if eo_limit is None and both is not None:
        eo_limit = both.per_claim
    if pl is None and both is None:
        eo_limit = 0  # the contract asks for no E&O
    table: dict[str, Any] = {
        "client": name,
        "eo_limit": eo_limit,
        "value": reading.contract_value,
        "cyber_limit": cov["cyber"].per_event if "cyber" in cov else None,
        "defense_outside_limits": pl.terms.get("defense_outside_limits") if pl else None,
        "additional_insured": gl.terms.get("additional_insured") if gl else None,
        "industry": "government" if any(n and _GOVERNMENT.search(n) for n in (reading.client, client)) else None,
        "eo_aggregate": pl.aggregate if pl else None,
        "gl_per_occurrence": gl.per_event if gl else None,
        "gl_aggregate": gl.aggregate if gl else None,
        "umbrella_limit": cov["umbrella"].per_event if "umbrella" in cov else None,
        "auto_limit": cov["auto"].per_event if "auto" in cov else None,
        "workers_compensation": cov["workers_compensation"].required if "workers_compensation" in cov else None,
        "employers_liability": cov["employers_liability"].per_event if "employers_liability" in cov else None,
        "combined_eo_cyber_limit": both.per_claim if both else None,
        "notice_of_cancellation_days": reading.notice_of_cancellation_days,
        "insurer_rating": reading.insurer_rating,
    }
    for name_ in ("claims_made_allowed", "retro_on_or_before_start", "years_after_completion"):
        table[name_] = pl.terms.get(name_) if pl else None
    for name_ in ("waiver_of_subrogation", "primary_non_contributory"):
        table[name_] = gl.terms.get(name_) if gl else None
    return {k: v for k, v in table.items() if v is not None}


def _toml_value(value: Any) -> str:
    return to_toml({"x": value})[4:].strip()


def toml_entry(reading: Reading, client: str | None = None) -> str:
    """A ``[[contracts]]`` entry with a comment header; amounts in another currency and
    values the contract leaves open are comments, to be filled in by hand."""
    table = contract_table(reading, client)
    out = [f"# {reading.source}: read by `eo-advisor contract read`; check each value against the quotes (--format text)"]
    if reading.empty_reason:
        return "\n".join([*out, f"# {reading.empty_reason}; no entry written", ""]) + "\n"
    foreign = reading.currency != "USD"
    if foreign:
        out.append(f"# amounts are in {reading.currency} as the contract writes them: convert them to US dollars, then uncomment")
    out.append("[[contracts]]")
    if "client" not in table:
        out.append('# client = "?"  # the contract names no client: give --client NAME')
    if "eo_limit" not in table:
        out.append("# eo_limit = ?  # cannot tell from the contract (see cannot_tell in --format json)")
    for key in (*TODAY_KEYS, *NEW_KEYS):  # every key is a [[contracts]] key the advice reads
        if key not in table:
            continue
        line = f"{key} = {_toml_value(table[key])}"
        out.append(f"# {line}" if foreign and key in AMOUNT_KEYS else line)
    return "\n".join(out) + "\n"
