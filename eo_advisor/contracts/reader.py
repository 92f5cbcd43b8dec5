"""Text in, :class:`~.model.Reading` out: the insurance requirements of one contract,
each with the sentence it comes from. Pure: no I/O, no clock, no network.

The reading is made in one pass over the units of the insurance section(s) (see
:mod:`.sections`): each unit adds *hits* (a field, a value, the unit) to a draft; a unit
that names no coverage line inherits the lines of the one before it (``The policy shall
have limits of ...``). At the end each field takes the value its hits agree on. Hits
that disagree, terms named without a value, and limits the contract does not state are
listed under ``cannot_tell`` with their sentences; the field is then ``None``. Nothing
is guessed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from eo_advisor.contracts import terms
from eo_advisor.contracts.lines import LINES, Mention, Segment, mentions, roles, segments
from eo_advisor.contracts.model import LINE_TERMS, PER_EVENT_KEY, CannotTell, Combined, Coverage, Evidence, Reading, Tier
from eo_advisor.contracts.money import Money, find_money, money_text
from eo_advisor.contracts.parties import client_party
from eo_advisor.contracts.sections import Unit, insurance_sections, page_of, units

_INSURANCE_WORDS = re.compile(r"insur|coverage|policy|policies|\blimits?\b|indemnity\s+cover", re.I)
_LIMIT_WORDS = re.compile(
    r"limit|per\s+claim|aggregate|occurrence|accident|coverage|insurance|policy|policies|each|any\s+one|not\s+less\s+than|minimum", re.I
)
#: Words one of which a unit must hold to be read at all (plain substring tests on the
#: lower-cased unit, far cheaper than the reader's patterns): most of a long contract is
#: passed over at this cost.
_WORTH_READING = (
    "liabil", "insur", "indemn", "errors", "omission", "professional", "employer", "worker", "workmen", "e&o", "e & o", "e and o",
    "cyber", "network", "privacy", "umbrella", "excess", "compensation", "wsib", "wcb", "auto", "motor", "crime", "fidelity",
    "dishonest", "fraud", "cgl", "bond", "$", "£", "€", "million", "thousand", "dollars", "pounds", "claims", "retro", "defen",
    "insured", "subrogat", "primary", "cancel", "best", "rated", "rating", "aggregate", "tail", "reporting", "run-off", "runoff",
    "statutory", "limit", "value", "cover", "polic", "year", "month",
)  # fmt: skip
_GROUPED_DIGITS = re.compile(r"\d[,\u00a0\u202f ]\d{3}")
_STATUTORY = re.compile(
    r"statutory|(?:as\s+)?required\s+by\s+(?:\w+\s+){0,3}(?:laws?|statutes?)|in\s+accordance\s+with\s+(?:the\s+)?(?:applicable\s+)?(?:laws?|statutes?)|(?:state|provincial)\s+law",
    re.I,
)
_CANADIAN = re.compile(r"canadian\s+dollars|\bCAD\b|\bCDN\b|\bC\$", re.I)
_AUSTRALIAN = re.compile(r"australian\s+dollars|\bAUD\b|\bA\$", re.I)


class _Hit:
    __slots__ = ("unit", "value")

    def __init__(self, value: Any, unit: Unit) -> None:
        self.value, self.unit = value, unit


class _Draft:
    """What the units have said so far; mutable, private to one reading."""

    def __init__(self, text: str, page_starts: tuple[int, ...]) -> None:
        self.text, self.page_starts = text, page_starts
        self.hits: dict[str, list[_Hit]] = defaultdict(list)
        self.open: dict[str, list[tuple[str, Unit]]] = defaultdict(list)
        self.tiers: list[tuple[Tier, Unit]] = []
        self.combined: list[tuple[tuple[str, ...], int | None, int | None, Unit]] = []
        self.currencies: Counter[str] = Counter()

    def add(self, name: str, value: Any, unit: Unit) -> None:
        self.hits[name].append(_Hit(value, unit))

    def unsettled(self, name: str, why: str, unit: Unit) -> None:
        self.open[name].append((why, unit))

    def evidence(self, unit: Unit, fields: tuple[str, ...] = ()) -> Evidence:
        return Evidence(self.text[unit.start : unit.end], unit.start, unit.end, page_of(self.page_starts, unit.start), fields)


def scope(text: str) -> tuple[list[tuple[str, int, int]], list[Unit]]:
    """The insurance sections (heading, start, end) and the units to read: those of the
    sections, plus any unit elsewhere that names insurance and a coverage line; the whole
    text when there is no insurance heading."""
    found = insurance_sections(text)
    if not found:
        return [], units(text)
    chosen: list[Unit] = []
    for section in found:
        chosen.extend(units(text, section.start, section.end))
    inside = {(u.start, u.end) for u in chosen}
    for u in units(text):
        if (u.start, u.end) not in inside and not any(s.start <= u.start < s.end for s in found):
            piece = text[u.start : u.end]
            if _INSURANCE_WORDS.search(piece) and any(not m.excluded for m in mentions(piece)) and find_money(piece):
                chosen.append(u)
    chosen.sort()
    return [(s.heading, s.start, s.end) for s in found], chosen


def read_contract(text: str, *, source: str = "<text>", page_starts: tuple[int, ...] = (), contract_value: int | None = None) -> Reading:
    """Read the insurance requirements of a contract's text. ``page_starts``: the offset
    where each page begins (PDF); ``contract_value``: the contract's value in dollars,
    which picks among requirements tiered by contract size."""
    sections, todo = scope(text)
    draft = _Draft(text, page_starts)
    carry: tuple[str, ...] = ()
    for unit in todo:
        carry = _read_unit(draft, unit, carry)
    client = client_party(text)
    if client is not None:
        draft.add("client", client.name, Unit(client.start, client.end))
    return _finish(draft, source, tuple(sections), contract_value, len(page_starts) or None)


def _read_unit(draft: _Draft, unit: Unit, carry: tuple[str, ...]) -> tuple[str, ...]:
    piece = draft.text[unit.start : unit.end]
    if not terms.has_word(piece, *_WORTH_READING) and not _GROUPED_DIGITS.search(piece):
        return carry
    found = mentions(piece)
    money = find_money(piece)
    named = tuple(dict.fromkeys(m.line for m in found if not m.excluded))
    if named:
        required = not terms.not_required(piece)
        for line in named:
            draft.add(f"{line}.required", required, unit)
    _read_terms(draft, piece, unit, named, found)
    if money:
        for m in money:
            if m.conflict:
                draft.unsettled("amounts", m.conflict, unit)
        lines = named or (carry if _LIMIT_WORDS.search(piece) or terms.is_tier(piece) else ())
        if lines:
            _read_limits(draft, piece, unit, found, money, lines)
    return named or carry


def _pl_applies(named: tuple[str, ...], found: list[Mention]) -> bool:
    excluded = any(m.excluded and m.line == "professional_liability" for m in found)
    return not excluded and (not named or "professional_liability" in named)


def _gl_applies(named: tuple[str, ...], found: list[Mention]) -> bool:
    excluded = any(m.excluded and m.line == "general_liability" for m in found)
    return not excluded and (not named or any(line in named for line in ("general_liability", "umbrella", "auto")))


def _read_terms(draft: _Draft, piece: str, unit: Unit, named: tuple[str, ...], found: list[Mention]) -> None:
    if _pl_applies(named, found):
        for name, value in (
            ("claims_made_allowed", terms.claims_made(piece)),
            ("retro_on_or_before_start", terms.retro_before_start(piece)),
            ("years_after_completion", terms.years_after_completion(piece)),
        ):
            _term(draft, f"professional_liability.{name}", value, unit)
    defense = terms.defense_outside(piece)
    if defense is not None and (_pl_applies(named, found) or defense[1]):
        outside, carved = defense
        _term(draft, "professional_liability.defense_outside_limits", False if carved and outside is True else outside, unit)
        draft.add("professional_liability.defense_eo_carved_out", carved, unit)
    insured = terms.additional_insured(piece)
    if insured is not None and not any(m.excluded and m.line == "general_liability" for m in found):
        draft.add("general_liability.additional_insured", insured[0], unit)  # asked on any policy: a GL endorsement
        if insured[1]:
            draft.add("general_liability.additional_insured_parties", insured[1], unit)
    if _gl_applies(named, found):
        _term(draft, "general_liability.waiver_of_subrogation", terms.waiver_of_subrogation(piece), unit)
        _term(draft, "general_liability.primary_non_contributory", terms.primary_non_contributory(piece), unit)
    if "workers_compensation" in named and _STATUTORY.search(piece):
        draft.add("workers_compensation.statutory", True, unit)
    if terms.per_project_aggregate(piece):
        for line in named or ("general_liability",):
            draft.add(f"{line}.per_project_aggregate", True, unit)
    _term(draft, "notice_of_cancellation_days", terms.notice_days(piece), unit)
    _term(draft, "insurer_rating", terms.insurer_rating(piece), unit)


def _term(draft: _Draft, name: str, value: Any, unit: Unit) -> None:
    if value is None:
        return
    if value == terms.OPEN:
        draft.unsettled(name, "named, but its value is not settled by the sentence", unit)
    else:
        draft.add(name, value, unit)


def _read_limits(draft: _Draft, piece: str, unit: Unit, found: list[Mention], money: list[Money], lines: tuple[str, ...]) -> None:
    if terms.is_tier(piece):
        threshold, used = terms.thresholds(piece, money)
        if used:
            limits = [m for i, m in enumerate(money) if i not in used]
            last = max(money[i].end for i in used)
            seg = Segment(
                lines, 0, len(piece), max([last, *(m.end for m in found if not m.excluded and m.end <= (limits[0].start if limits else len(piece)))])
            )
            per_event, aggregate = _limits(draft, roles(piece, seg, limits), limits, unit)
            condition = piece[: limits[0].start].strip(" :|-–—,") if limits else piece
            draft.tiers.append(
                (Tier(lines, condition, threshold.minimum, threshold.maximum, per_event, aggregate, False, draft.evidence(unit)), unit)
            )
            return
    kept = [m for m in found if not m.excluded]
    names = {m.line for m in kept}
    if terms.combined(piece) and len(names) >= 2 and "combined single" not in piece.lower():
        seg = Segment(tuple(sorted(names, key=LINES.index)), 0, len(piece), max(m.end for m in kept) if kept[0].start < money[0].start else 0)
        per_event, aggregate = _limits(draft, roles(piece, seg, money), money, unit)
        draft.combined.append((seg.lines, per_event, aggregate, unit))
        return
    for seg in segments(piece, found, money) or [Segment(lines, 0, len(piece), 0)]:
        amounts = [m for m in money if seg.start <= m.start < seg.end]
        if not amounts:
            continue
        when = terms.condition(piece, amounts[0].start)
        per_event, aggregate = _limits(draft, roles(piece, seg, amounts), amounts, unit)
        if when:
            draft.tiers.append((Tier(seg.lines, when, None, None, per_event, aggregate, False, draft.evidence(unit)), unit))
            continue
        _add_limits(draft, seg.lines, per_event, aggregate, unit, amounts)


def _limits(draft: _Draft, found_roles: list[str], amounts: list[Money], unit: Unit) -> tuple[int | None, int | None]:
    per_event = aggregate = None
    for role, amount in zip(found_roles, amounts, strict=False):
        draft.currencies[amount.currency] += 1
        if role in ("event", "both") and per_event is None:
            per_event = amount.value
        if role in ("aggregate", "both", "project") and aggregate is None:
            aggregate = amount.value
    return per_event, aggregate


def _add_limits(draft: _Draft, lines: tuple[str, ...], per_event: int | None, aggregate: int | None, unit: Unit, amounts: list[Money]) -> None:
    takers = [line for line in lines if line != "workers_compensation"]
    if not takers:
        draft.unsettled(
            "workers_compensation", f"an amount ({money_text(amounts[0].value)}) is written against workers' compensation, which is statutory", unit
        )
        return
    for line in takers:
        if per_event is not None:
            draft.add(f"{line}.per_event", per_event, unit)
        if aggregate is not None:
            draft.add(f"{line}.aggregate", aggregate, unit)
        draft.add(f"{line}.currency", amounts[0].currency, unit)


def _shown(value: Any) -> str:
    return money_text(value) if isinstance(value, int) and not isinstance(value, bool) and value >= 1000 else str(value)


def _settle(draft: _Draft, name: str, cannot: list[CannotTell], field: str | None = None) -> tuple[Any, list[Unit]]:
    """The value the hits of ``name`` agree on, and their units; a disagreement or a
    term left open is added to ``cannot`` (under ``field``) and gives None."""
    hits = draft.hits.get(name, [])
    values = list(dict.fromkeys(h.value for h in hits))
    used = list(dict.fromkeys(h.unit for h in hits))
    if len(values) == 1:
        return values[0], used
    if values:
        reason = "the contract says " + " in one place and ".join(_shown(v) for v in values) + " in another"
        cannot.append(CannotTell(field or name, reason, tuple(draft.evidence(u) for u in used)))
        return None, used
    if name in draft.open:
        why, _ = draft.open[name][0]
        cannot.append(CannotTell(field or name, why, tuple(draft.evidence(u) for _, u in draft.open[name])))
    return None, []


def _choose_tiers(draft: _Draft, value: int | None) -> list[Tier]:
    """Mark the tier that fits: by the contract's value when the tiers are by value (none
    without a value), else the one whose condition is about technology work, or the only
    requirement of its line; of several that fit, the highest limit."""
    out: list[Tier] = []
    for tier, _ in draft.tiers:
        if tier.minimum_value is not None or tier.maximum_value is not None:
            fits = (
                value is not None
                and (tier.minimum_value is None or value >= tier.minimum_value)
                and (tier.maximum_value is None or value <= tier.maximum_value)
            )
        else:
            fits = terms.fits_it_firm(tier.condition)
        out.append(Tier(tier.lines, tier.condition, tier.minimum_value, tier.maximum_value, tier.per_event, tier.aggregate, fits, tier.evidence))
    for line in LINES:
        conditional = [i for i, t in enumerate(out) if line in t.lines and t.minimum_value is None and t.maximum_value is None]
        if len(conditional) == 1 and not out[conditional[0]].chosen and not draft.hits.get(f"{line}.per_event"):
            t = out[conditional[0]]  # the one requirement of its line, made on a condition: it is the requirement
            out[conditional[0]] = Tier(t.lines, t.condition, None, None, t.per_event, t.aggregate, True, t.evidence)
        fitting = [t for t in out if t.chosen and line in t.lines]
        best = max(fitting, key=lambda t: (t.per_event or 0, t.aggregate or 0), default=None)
        for i, t in enumerate(out):
            if t.chosen and line in t.lines and t is not best and len(t.lines) == 1:
                out[i] = Tier(t.lines, t.condition, t.minimum_value, t.maximum_value, t.per_event, t.aggregate, False, t.evidence)
    return out


def _limit_fields(
    draft: _Draft, line: str, tiers: list[Tier], cannot: list[CannotTell], units_used: dict[Unit, set[str]]
) -> tuple[int | None, int | None]:
    key = PER_EVENT_KEY[line]
    values = []
    for part, json_key in (("per_event", key), ("aggregate", "aggregate")):
        value, used = _settle(draft, f"{line}.{part}", cannot, f"{line}.{json_key}")
        for u in used:
            units_used.setdefault(u, set()).add(str(json_key))
        values.append(value)
    mine = [t for t in tiers if line in t.lines]
    chosen = [t for t in mine if t.chosen]
    if chosen:
        return chosen[0].per_event, chosen[0].aggregate
    if mine and values == [None, None]:
        by_value = any(t.minimum_value is not None or t.maximum_value is not None for t in mine)
        reason = (
            "set by the contract's value (tiers); give the value (--value)" if by_value else "depends on a condition the contract states; see tiers"
        )
        cannot.append(CannotTell(f"{line}.{key}", reason, tuple(t.evidence for t in mine)))
        return None, None
    return values[0], values[1]


def _coverage(draft: _Draft, line: str, tiers: list[Tier], currency: str, cannot: list[CannotTell]) -> Coverage | None:
    said = [h.value for h in draft.hits.get(f"{line}.required", [])]
    has_terms = any(draft.hits.get(f"{line}.{name}") for name in LINE_TERMS.get(line, ()))
    in_tiers = any(line in t.lines for t in tiers)
    if not said and not in_tiers and not (line == "general_liability" and draft.hits.get("general_liability.additional_insured")):
        return None
    n_before = len(cannot)
    used: dict[Unit, set[str]] = {h.unit: {"required"} for h in draft.hits.get(f"{line}.required", [])}
    per_event = aggregate = None
    if PER_EVENT_KEY[line] is not None:
        per_event, aggregate = _limit_fields(draft, line, tiers, cannot, used)
    found_terms: dict[str, Any] = {}
    for name in LINE_TERMS.get(line, ()):
        found_terms[name], term_units = _settle(draft, f"{line}.{name}", cannot)
        for u in term_units:
            used.setdefault(u, set()).add(name)
    required = any(said) or (not said and (in_tiers or has_terms))
    unsettled = {c.field for c in cannot[n_before:]}
    if required:
        _not_stated(line, per_event, aggregate, found_terms, unsettled, cannot)
    project = bool(draft.hits.get(f"{line}.per_project_aggregate"))
    cur_values = [h.value for h in draft.hits.get(f"{line}.currency", [])]
    line_currency = _currency_of(cur_values[0], currency) if cur_values else currency
    evidence = tuple(draft.evidence(u, tuple(sorted(f))) for u, f in sorted(used.items()))
    return Coverage(line, required, per_event, aggregate, project, line_currency, found_terms, evidence)


def _not_stated(line: str, per_event: Any, aggregate: Any, found_terms: dict[str, Any], unsettled: set[str], cannot: list[CannotTell]) -> None:
    fields: list[tuple[str, Any]] = []
    if PER_EVENT_KEY[line] is not None:
        fields += [(str(PER_EVENT_KEY[line]), per_event), ("aggregate", aggregate)]
    fields += [(k, v) for k, v in found_terms.items() if k not in ("additional_insured_parties", "defense_eo_carved_out")]
    for name, value in fields:
        full = f"{line}.{name}"
        if value is None and full not in unsettled:
            cannot.append(CannotTell(full, "not stated"))


def _currency_of(symbol: str, document: str) -> str:
    return document if symbol == "$" else symbol


def _document_currency(draft: _Draft) -> str:
    """ISO code of the contract's amounts: a bare ``$`` is US dollars unless the text
    speaks of Canadian (or Australian) dollars somewhere."""
    dollars = "CAD" if _CANADIAN.search(draft.text) else "AUD" if _AUSTRALIAN.search(draft.text) else "USD"
    if not draft.currencies:
        return dollars
    top = draft.currencies.most_common(1)[0][0]
    return dollars if top == "$" else top


def _finish(draft: _Draft, source: str, sections: tuple[tuple[str, int, int], ...], value: int | None, pages: int | None) -> Reading:
    cannot: list[CannotTell] = []
    currency = _document_currency(draft)
    tiers = _choose_tiers(draft, value)
    coverages = {line: cov for line in LINES if (cov := _coverage(draft, line, tiers, currency, cannot)) is not None}
    combined = tuple(Combined(lines, pe, agg, (draft.evidence(u, ("combined",)),)) for lines, pe, agg, u in draft.combined)
    top: dict[str, Any] = {}
    evidence: dict[str, tuple[Evidence, ...]] = {}
    for name in ("notice_of_cancellation_days", "insurer_rating", "client"):
        top[name], used = _settle(draft, name, cannot)
        if used:
            evidence[name] = tuple(draft.evidence(u, (name,)) for u in used)
    for name in ("amounts", "workers_compensation"):
        for why, unit in draft.open.get(name, []):
            cannot.append(CannotTell(name, why, (draft.evidence(unit),)))
    empty = None
    if not coverages and not combined:
        empty = "no insurance requirement found: " + (
            "the insurance section names no coverage line" if sections else "no insurance section, and no sentence that asks for a coverage line"
        )
    return Reading(
        source=source,
        coverages=coverages,
        client=top["client"],
        currency=currency,
        contract_value=value,
        sections=sections,
        combined=combined,
        tiers=tuple(tiers),
        notice_of_cancellation_days=top["notice_of_cancellation_days"],
        insurer_rating=top["insurer_rating"],
        evidence=evidence,
        cannot_tell=tuple(cannot),
        empty_reason=empty,
        pages=pages,
    )
