"""The profile: one model, validated once at the edge.

A profile arrives as nested data (TOML file, JSON line) or as flat dotted keys (CSV
row, ``--set``, prompts). :func:`validate` turns either into a frozen
:class:`Profile` or raises :class:`ProfileError` listing *every* problem, each
naming the field and, where there is a vocabulary, the allowed values. The fields are
declared once, in :mod:`eo_advisor.profile.schema`; the section classes below are their
typed view (a test checks they match the schema field for field).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Mapping, NamedTuple

from eo_advisor.errors import Problem, ProfileError
from eo_advisor.profile.parse import (
    _ABSENT,
    _PARSERS,
    _suggest,
    _value,
    flatten,
    key_name,
)
from eo_advisor.profile.schema import (
    _FLAT_KEYS,
    CONTRACT_FIELDS,
    CONTRACT_KEYS,
    FIELD_BY_KEY,
    FIELDS,
    OPTIONAL_SECTIONS,
    SCHEMA_VERSION,
    SECTIONS,
    Field,
)
from eo_advisor.rules import Rules, load_rules


# ---------------------------------------------------------------------------
# The validated model
# ---------------------------------------------------------------------------
class Business(NamedTuple):
    annual_revenue: int
    employees: int
    years_in_business: int
    name: str | None = None
    state: str | None = None
    max_deductible: int | None = None


class Work(NamedTuple):
    services: tuple[str, ...]
    largest_contract: int
    contractual_minimum: int
    client_industries: tuple[str, ...]
    handles_sensitive_data: bool | None = None  # None: not answered (never read as no)
    onsite_work: bool | None = None
    builds_products: bool | None = None
    largest_client_share: float | None = None
    uses_subcontractors: bool | None = None
    foreign_revenue_share: float | None = None
    safety_critical: bool | None = None
    managed_clients: int | None = None  # client organisations managed with privileged remote tools
    records_held: str | None = None  # none | under_100k | 100k_500k | 500k_1m | over_1m


class History(NamedTuple):
    claims_last_5_years: int


class Practices(NamedTuple):
    contracts_limit_liability: bool
    project_documentation: bool
    qa_testing: bool
    communication_logs: bool
    mfa: bool | None = None
    offline_backups: bool | None = None
    endpoint_detection: bool | None = None


class OtherCover(NamedTuple):
    """Covers held beside Tech E&O; None: not answered (the gap then asks to confirm it)."""

    general_liability: bool | None = None
    cyber: bool | None = None
    workers_compensation: bool | None = None
    employment_practices: bool | None = None
    umbrella: bool | None = None
    auto: bool | None = None
    crime: bool | None = None


class CurrentPolicy(NamedTuple):
    limit: int
    deductible: int
    defense_costs: str
    includes_cyber: bool
    has_general_liability: bool
    retroactive_date: _dt.date | None = None
    planned_change: str | None = None  # None = "none"
    annual_premium: int | None = None


class Contract(NamedTuple):
    """One client contract and what it requires (reading it: ``eo-advisor contract read``)."""

    client: str
    eo_limit: int  # 0: the contract asks for no E&O
    industry: str | None = None  # the client's industry: its requirement then stands for that kind of client
    value: int | None = None
    eo_aggregate: int | None = None
    annual_value: int | None = None  # fees a year: a claim's exposure is one year of the engagement
    term_years: int | None = None
    caps_consequential: bool | None = None  # its limitation-of-liability clause excludes or caps consequential damages
    years_after_completion: int | None = None  # cover to keep (or a tail to buy) after the work ends
    claims_made_allowed: bool | None = None
    retro_on_or_before_start: bool | None = None
    combined_eo_cyber_limit: int | None = None
    cyber_limit: int | None = None
    liability_cap: int | None = None  # the contract caps the firm's liability at this amount
    defense_outside_limits: bool = False
    additional_insured: bool = False
    gl_per_occurrence: int | None = None
    gl_aggregate: int | None = None
    umbrella_limit: int | None = None
    auto_limit: int | None = None
    workers_compensation: bool | None = None
    employers_liability: int | None = None
    waiver_of_subrogation: bool | None = None
    primary_non_contributory: bool | None = None
    notice_of_cancellation_days: int | None = None
    insurer_rating: str | None = None


class Profile(NamedTuple):
    business: Business
    work: Work
    history: History
    practices: Practices
    current_policy: CurrentPolicy | None = None
    contracts: tuple[Contract, ...] = ()
    other_cover: OtherCover = OtherCover()

    @property
    def closing(self) -> bool:
        """The business is closing (``current_policy.planned_change = close_business``):
        the advice is the tail, no new policy."""
        return self.current_policy is not None and self.current_policy.planned_change == "close_business"

    def to_dict(self) -> dict[str, Any]:
        """Nested answers, as in a TOML profile (``None`` values left out)."""
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for section in SECTIONS:
            obj = getattr(self, section)
            values = {} if obj is None else _section_dict(obj)
            if values or (obj is not None and section == "current_policy"):
                out[section] = values
        if self.contracts:
            out["contracts"] = [_section_dict(c) for c in self.contracts]
        return out

    def flat(self) -> dict[str, Any]:
        """Dotted keys -> values (lists stay lists)."""
        return flatten(self.to_dict())


def _section_dict(obj: Any) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name in obj._fields:
        v = getattr(obj, name)
        if v is None or v == "":
            continue
        d[name] = list(v) if isinstance(v, tuple) else v
    return d


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------
def missing_fields(flat: Mapping[str, Any]) -> list[str]:
    """Required dotted keys absent from ``flat`` (current_policy only if started)."""
    required = _REQUIRED | _REQUIRED_WITH_POLICY if not _POLICY_KEYS.isdisjoint(flat) else _REQUIRED
    return [f.key for f in FIELDS if f.key in required and f.key not in flat]


def check_keys(data: Mapping[str, Any]) -> list[Problem]:
    """Unknown sections and keys, and sections that are not tables."""
    problems: list[Problem] = []
    known_top = set(SECTIONS) | {"schema_version", "contracts"}
    for key, value in data.items():
        if key not in known_top:
            problems.append(Problem(key_name(key), f"{_unknown(key, known_top)}; allowed: {', '.join(sorted(known_top))}"))
        elif key in SECTIONS and not isinstance(value, Mapping):
            problems.append(Problem(key, "must be a table"))
        elif key in SECTIONS:
            for sub in value:
                if f"{key}.{sub}" not in FIELD_BY_KEY:
                    names = [f.name for f in FIELDS if f.section == key]
                    problems.append(Problem(f"{key}.{key_name(sub)}", f"{_unknown(sub, names)}; allowed in [{key}]: {', '.join(names)}"))
    return problems


def _unknown(key: str, choices: Iterable[str]) -> str:
    return "empty key" if key == "" else f"unknown key{_suggest(key, choices)}"


def validate(
    data: Mapping[str, Any], *, rules: Rules | None = None, source: str | None = None, memo: Memo | None = None, as_of: _dt.date | None = None
) -> Profile:
    """Nested profile data -> :class:`Profile`, or :class:`ProfileError` with every problem.
    ``as_of``: the review date dates are checked against (default: today)."""
    if not isinstance(data, Mapping):
        raise ProfileError([Problem("profile", f"must be a table of sections (got {type(data).__name__})")], source)
    bad = [k for k in data if not isinstance(k, str)] + [
        f"{s}.{k}" for s, part in data.items() if isinstance(s, str) and isinstance(part, Mapping) for k in part if not isinstance(k, str)
    ]
    if bad:
        raise ProfileError([Problem(str(k), "keys must be text") for k in bad], source)
    problems = check_keys(data)
    flat = {k: v for k, v in flatten(data).items() if k in FIELD_BY_KEY}
    for key in ("schema_version", "contracts"):
        if key in data:
            flat[key] = data[key]
    return _build(flat, rules or load_rules(), source, problems, memo, as_of)


def validate_flat(
    flat: Mapping[str, Any], *, rules: Rules | None = None, source: str | None = None, memo: Memo | None = None, as_of: _dt.date | None = None
) -> Profile:
    """Flat dotted keys (CSV row, prompts) -> :class:`Profile`. Unknown keys are errors."""
    problems = [] if _FLAT_KEYS.issuperset(flat) else [Problem(key_name(k), _unknown(k, FIELD_BY_KEY)) for k in flat if k not in _FLAT_KEYS]
    return _build(flat, rules or load_rules(), source, problems, memo, as_of)


# The validation plan: each field's position and parser, the required keys, and for
# each section the positions (in FIELDS) of its class's fields.
_POSITION = {f.key: i for i, f in enumerate(FIELDS)}
_REQUIRED = frozenset(f.key for f in FIELDS if f.required and f.section not in OPTIONAL_SECTIONS)
_REQUIRED_WITH_POLICY = frozenset(f.key for f in FIELDS if f.required and f.section in OPTIONAL_SECTIONS)
_POLICY_KEYS = frozenset(f.key for f in FIELDS if f.section in OPTIONAL_SECTIONS)
_SECTION_POSITIONS = tuple(
    (cls, tuple(_POSITION[f"{name}.{attr}"] for attr in cls._fields))
    for name, cls in (
        ("business", Business),
        ("work", Work),
        ("history", History),
        ("practices", Practices),
        ("other_cover", OtherCover),
        ("current_policy", CurrentPolicy),
    )
)


_RETRO = [f.key for f in FIELDS].index("current_policy.retroactive_date")
# key -> (position, field, parser)
_PLAN: dict[str, tuple[int, Field, Any]] = {f.key: (i, f, _PARSERS[f.kind]) for i, f in enumerate(FIELDS)}
# A caller's memo of already-parsed text values, per dotted key (see batch.ParseMemo):
# validation looks a text value up before parsing it and stores what it parsed.
Memo = Mapping[str, "dict[str, Any]"]


def _build(flat: Mapping[str, Any], rules: Rules, source: str | None, problems: list[Problem], memo: Memo | None, as_of: _dt.date | None) -> Profile:
    version = flat.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version != SCHEMA_VERSION:  # not true, "1" or 1.0
        problems.append(
            Problem("schema_version", f"must be the integer {SCHEMA_VERSION} (got {_value(version)}); this eo-advisor reads version {SCHEMA_VERSION}")
        )
    has_policy = not _POLICY_KEYS.isdisjoint(flat)
    values: list[Any] = [None] * len(FIELDS)  # absent optional fields stay None
    plan = _PLAN.get
    for key, raw in flat.items():  # only the fields present: one lookup each
        entry = plan(key)
        if entry is None:
            continue  # schema_version, contracts; unknown keys were reported by the caller
        i, f, parse = entry
        seen = memo.get(key) if memo is not None and type(raw) is str else None
        if seen is not None:
            found = seen.get(raw, _ABSENT)
            if found is not _ABSENT:
                values[i] = found
                continue
        try:
            values[i] = parsed = parse(f, raw, rules)
        except ValueError as exc:
            problems.append(Problem(key, str(exc)))
        else:
            if seen is not None:
                seen[raw] = parsed  # errors are never remembered
    if not _REQUIRED.issubset(flat) or (has_policy and not _REQUIRED_WITH_POLICY.issubset(flat)):
        problems.extend(Problem(key, "missing (required)") for key in missing_fields(flat))
    retro = values[_RETRO]
    if retro is not None and retro > (as_of or _dt.date.today()):  # validation is the edge: it may read the clock
        problems.append(
            Problem("current_policy.retroactive_date", f"{retro.isoformat()} is in the future; a retroactive date is on or before the policy's start")
        )
    contracts = _contracts(flat["contracts"], problems, rules) if "contracts" in flat else ()
    if problems:
        order = {f.key: i for i, f in enumerate(FIELDS)}
        # unknown keys first: a typo is usually why a field reads as missing
        problems.sort(key=lambda p: (not p.message.startswith("unknown key"), order.get(p.field, -1 if "." not in p.field else len(order))))
        raise ProfileError(problems, source)
    new: Any = tuple.__new__  # NamedTuple construction from a list, without per-call keyword handling
    (b, pb), (w, pw), (h, ph), (pr, ppr), (oc, poc), (cp, pcp) = _SECTION_POSITIONS
    return Profile(
        new(b, [values[i] for i in pb]),
        new(w, [values[i] for i in pw]),
        new(h, [values[i] for i in ph]),
        new(pr, [values[i] for i in ppr]),
        new(cp, [values[i] for i in pcp]) if has_policy else None,
        contracts,
        new(oc, [values[i] for i in poc]),
    )


def _contracts(raw: Any, problems: list[Problem], rules: Rules) -> tuple[Contract, ...]:
    if raw in ((), None):
        return ()
    if not isinstance(raw, list):
        problems.append(Problem("contracts", "must be an array of tables ([[contracts]])"))
        return ()
    out = []
    for i, entry in enumerate(raw):
        where = f"contracts[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, "must be a table"))
            continue
        n_before = len(problems)
        for key in entry:
            if key not in CONTRACT_KEYS:
                problems.append(Problem(f"{where}.{key_name(key)}", f"{_unknown(key, CONTRACT_KEYS)}; allowed: {', '.join(CONTRACT_KEYS)}"))
        kwargs: dict[str, Any] = {}
        for f in CONTRACT_FIELDS:
            if f.name not in entry:
                if f.required:
                    problems.append(Problem(f"{where}.{f.name}", "missing (required)"))
                continue
            try:
                kwargs[f.name] = _PARSERS[f.kind](f, entry[f.name], rules)
            except ValueError as exc:
                problems.append(Problem(f"{where}.{f.name}", str(exc)))
        if len(problems) == n_before:
            out.append(Contract(**kwargs))
    return tuple(out)


def apply_overrides(data: dict[str, Any], assignments: Iterable[str]) -> dict[str, Any]:
    """Apply ``KEY=VALUE`` strings (``--set``) to nested data; values parsed later."""
    problems: list[Problem] = []
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in data.items()}
    for text in assignments:
        key, eq, value = text.partition("=")
        key = key.strip()
        if not eq:
            problems.append(Problem(key_name(key or text), "expected KEY=VALUE, e.g. work.largest_contract=2.5M"))
            continue
        if key not in FIELD_BY_KEY:
            problems.append(Problem(key_name(key), _unknown(key, FIELD_BY_KEY)))
            continue
        section, _, name = key.partition(".")
        out.setdefault(section, {})[name] = value.strip()
    if problems:
        raise ProfileError(problems, "--set")
    return out
