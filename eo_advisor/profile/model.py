"""The profile: one model, validated once at the edge.

A profile arrives as nested data (TOML file, JSON line) or as flat dotted keys (CSV
row, ``--set``, prompts). :func:`validate` turns either into a frozen
:class:`Profile` or raises :class:`ProfileError` listing *every* problem, each
naming the field and, where there is a vocabulary, the allowed values.

The :data:`FIELDS` table is the single description of the schema: validation,
prompts, the commented template, CSV columns and ``docs/profile.md`` all follow it.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable, Mapping, NamedTuple

from eo_advisor.edge.caps import MAX_NUMBER_CHARS, MAX_TEXT_CHARS
from eo_advisor.errors import Problem, ProfileError
from eo_advisor.profile.amounts import parse_amount, shown
from eo_advisor.rules import Rules, load_rules

SCHEMA_VERSION = 1

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
DEFENSE_FORMS = ("eroding", "non-eroding")
PLANNED_CHANGES = ("none", "switch_insurer", "close_business")


class Field(NamedTuple):
    key: str
    kind: str  # amount | count | bool | services | industries | text | date | choice | state
    label: str
    help: str
    required: bool = True
    default: Any = None  # offered at the prompt
    maximum: int | None = None
    example: Any = None  # used by the template
    choices: tuple[str, ...] = ()  # for kind "choice"

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


_B = 1_000_000_000
FIELDS: tuple[Field, ...] = (
    Field("business.name", "text", "Business name", "Shown in reports; optional.", False, "", example="Acme Web Studio"),
    Field(
        "business.annual_revenue",
        "amount",
        "Annual revenue (USD)",
        "Gross revenue of the last full year, in US dollars.",
        default="150k",
        maximum=10 * _B,
        example=180_000,
    ),
    Field(
        "business.employees",
        "count",
        "Staff besides the owner(s)",
        "Employees besides the owner(s); 0 for a solo freelancer.",
        default="0",
        maximum=100_000,
        example=0,
    ),
    Field(
        "business.years_in_business",
        "count",
        "Years in business",
        "Whole years the business has traded (0 if under a year).",
        default="3",
        maximum=200,
        example=4,
    ),
    Field(
        "business.max_deductible",
        "amount",
        "Most the business could pay per claim out of pocket (USD, blank if no limit)",
        "The largest deductible the owner could pay on one claim; optional. Caps the recommended deductible.",
        False,
        maximum=10 * _B,
        example=10_000,
    ),
    Field(
        "business.state",
        "state",
        "US state (two letters, blank if none)",
        "US state of the business, two-letter code; optional. Lets the advice name state rules on defense costs.",
        False,
        "",
        example="CA",
    ),
    Field(
        "work.services",
        "services",
        "Services you provide",
        "Service ids you offer (at least one); `eo-advisor profile template` lists the allowed ids.",
        example=["web_development", "it_consulting"],
    ),
    Field(
        "work.largest_contract",
        "amount",
        "Largest single contract value (USD)",
        "Value of the largest single contract or project.",
        default="50k",
        maximum=10 * _B,
        example=60_000,
    ),
    Field(
        "work.contractual_minimum",
        "amount",
        "Highest E&O limit any client contract requires (USD, 0 if none)",
        "Highest E&O limit any client contract requires; 0 if none. It answers for every contract, so it replaces the limits public-sector and data-access clients are assumed to ask.",
        default="0",
        maximum=10 * _B,
        example=1_000_000,
    ),
    Field(
        "work.client_industries",
        "industries",
        "Industries your clients are in",
        "Client industry ids (at least one; use other if none fits).",
        example=["retail", "healthcare"],
    ),
    Field(
        "work.largest_client_share",
        "share",
        "Share of revenue from your largest client (%, blank if unknown)",
        "Share of annual revenue from the largest single client, as 60% or 0.6; optional. A client that large sets a floor on the limit.",
        False,
        example=0.35,
    ),
    Field(
        "work.uses_subcontractors",
        "bool",
        "Do you use subcontractors or freelancers on client work?",
        "Subcontractors or freelancers do part of the client work; optional, default no.",
        False,
        False,
        example=False,
    ),
    Field(
        "work.foreign_revenue_share",
        "share",
        "Share of revenue from clients outside the US (%, blank if none)",
        "Share of annual revenue from clients outside the US, as 10% or 0.1; optional, default 0.",
        False,
        example=0,
    ),
    Field(
        "work.safety_critical",
        "bool",
        "Can a failure of your software injure people (medical, industrial control, vehicles)?",
        "Software whose failure can injure people: medical devices, industrial control, vehicles; optional, default no.",
        False,
        False,
        example=False,
    ),
    Field(
        "work.handles_sensitive_data",
        "bool",
        "Do you handle personal, health or payment data of your clients' customers?",
        "Personal, health or payment data of clients' customers passes through your hands or systems.",
        default=False,
        example=True,
    ),
    Field(
        "work.onsite_work",
        "bool",
        "Do you work at client premises or install hardware?",
        "Works at client premises or installs hardware.",
        default=False,
        example=False,
    ),
    Field(
        "work.builds_products",
        "bool",
        "Do you sell your own software product, SaaS or licensed IP?",
        "Sells its own software product, SaaS or licensed IP.",
        default=False,
        example=False,
    ),
    Field(
        "history.claims_last_5_years",
        "count",
        "Professional liability claims in the last 5 years",
        "Claims or demands made against the business in the last five years.",
        default="0",
        maximum=1000,
        example=0,
    ),
    Field(
        "practices.contracts_limit_liability",
        "bool",
        "Do your contracts have a reviewed limitation-of-liability clause?",
        "Client contracts reviewed by a lawyer, with a limitation-of-liability clause.",
        default=False,
        example=True,
    ),
    Field(
        "practices.project_documentation",
        "bool",
        "Do you keep project documentation (change orders, approvals)?",
        "Project records kept: emails, change orders, sign-offs.",
        default=False,
        example=True,
    ),
    Field(
        "practices.qa_testing",
        "bool",
        "Do you have a formal QA / testing process before delivery?",
        "A formal QA and testing process before delivery.",
        default=False,
        example=True,
    ),
    Field(
        "practices.communication_logs",
        "bool",
        "Do you keep client communication logs?",
        "Client communication logs kept.",
        default=False,
        example=False,
    ),
    Field(
        "practices.mfa",
        "bool",
        "Is multi-factor authentication on for email, remote access and admin accounts?",
        "MFA on email, remote access and privileged accounts; optional, default no. Cyber advice.",
        False,
        False,
        example=True,
    ),
    Field(
        "practices.offline_backups",
        "bool",
        "Do you keep offline (or immutable) backups?",
        "Backups kept offline or immutable, tested; optional, default no. Cyber advice.",
        False,
        False,
        example=True,
    ),
    Field(
        "practices.endpoint_detection",
        "bool",
        "Do you run endpoint detection and response (EDR) on your devices?",
        "Endpoint detection and response on the firm's devices; optional, default no. Cyber advice.",
        False,
        False,
        example=False,
    ),
    Field(
        "current_policy.limit",
        "amount",
        "Current policy's per-claim limit (USD)",
        "Per-claim limit of the E&O policy held today.",
        default="1M",
        maximum=1 * _B,
        example=1_000_000,
    ),
    Field(
        "current_policy.deductible",
        "amount",
        "Current policy's deductible (USD)",
        "Deductible of the policy held today.",
        default="2500",
        maximum=100_000_000,
        example=2_500,
    ),
    Field(
        "current_policy.defense_costs",
        "choice",
        "Are defense costs inside the limit (eroding) or on top (non-eroding)?",
        "eroding or non-eroding.",
        default="eroding",
        example="eroding",
        choices=DEFENSE_FORMS,
    ),
    Field(
        "current_policy.includes_cyber",
        "bool",
        "Does the current policy include cyber cover?",
        "The current cover includes cyber (first-party and liability).",
        default=False,
        example=False,
    ),
    Field(
        "current_policy.has_general_liability",
        "bool",
        "Do you have general liability cover?",
        "The business holds general liability cover.",
        default=False,
        example=False,
    ),
    Field(
        "current_policy.retroactive_date",
        "date",
        "Retroactive date (YYYY-MM-DD, blank if unknown)",
        "Retroactive date of the current claims-made policy; optional.",
        False,
        "",
        example=_dt.date(2022, 1, 1),
    ),
    Field(
        "current_policy.planned_change",
        "choice",
        "Any change planned for this policy?",
        "none, switch_insurer (moving to another carrier) or close_business (winding the business down); optional, default none.",
        False,
        "none",
        example="none",
        choices=PLANNED_CHANGES,
    ),
    Field(
        "current_policy.annual_premium",
        "amount",
        "Current policy's annual premium (USD, blank if unknown)",
        "What the policy held today costs a year; optional. Prices the tail when the policy ends.",
        False,
        maximum=100_000_000,
        example=1_200,
    ),
)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
SECTIONS: tuple[str, ...] = ("business", "work", "history", "practices", "current_policy")
_FLAT_KEYS = frozenset(FIELD_BY_KEY) | {"schema_version", "contracts"}
OPTIONAL_SECTIONS = frozenset({"current_policy"})
CONTRACT_KEYS = ("client", "industry", "value", "eo_limit", "cyber_limit", "liability_cap", "defense_outside_limits", "additional_insured")


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
    handles_sensitive_data: bool
    onsite_work: bool
    builds_products: bool
    largest_client_share: float | None = None
    uses_subcontractors: bool | None = None
    foreign_revenue_share: float | None = None
    safety_critical: bool | None = None


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
    client: str
    eo_limit: int
    value: int | None = None
    cyber_limit: int | None = None
    liability_cap: int | None = None  # the contract caps the firm's liability at this amount
    defense_outside_limits: bool = False
    additional_insured: bool = False
    industry: str | None = None  # the client's industry: its requirement then stands for that kind of client


class Profile(NamedTuple):
    business: Business
    work: Work
    history: History
    practices: Practices
    current_policy: CurrentPolicy | None = None
    contracts: tuple[Contract, ...] = ()

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
            if obj is None:
                continue
            out[section] = _section_dict(obj)
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
        if not text.lstrip("-").isdigit():
            raise ValueError(f"expected a whole number, got {_value(value)}")
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
        try:
            number = float(text.rstrip("%").strip())
        except ValueError:
            raise ValueError(f"expected a share such as 35% or 0.35, got {value!r}") from None
        value = number / 100 if percent else number
    if not isinstance(value, (int, float)) or value != value:
        raise ValueError(f"expected a share such as 35% or 0.35, got {type(value).__name__}")
    if not -100 <= value <= 100:  # decided before dividing: a huge integer is no float
        raise ValueError(f"must be between 0% and 100% (got {value if abs(value) < 10**12 else 'a number that large'})")
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
_PARSERS: dict[str, Any] = {
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
    for name, cls in (("business", Business), ("work", Work), ("history", History), ("practices", Practices), ("current_policy", CurrentPolicy))
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
        problems.sort(key=lambda p: order.get(p.field, -1 if "." not in p.field else len(order)))
        raise ProfileError(problems, source)
    new: Any = tuple.__new__  # NamedTuple construction from a list, without per-call keyword handling
    (b, pb), (w, pw), (h, ph), (pr, ppr), (cp, pcp) = _SECTION_POSITIONS
    return Profile(
        new(b, [values[i] for i in pb]),
        new(w, [values[i] for i in pw]),
        new(h, [values[i] for i in ph]),
        new(pr, [values[i] for i in ppr]),
        new(cp, [values[i] for i in pcp]) if has_policy else None,
        contracts,
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
        for key in CONTRACT_KEYS:
            if key not in entry:
                if key in ("client", "eo_limit"):
                    problems.append(Problem(f"{where}.{key}", "missing (required)"))
                continue
            try:
                if key == "client":
                    if not isinstance(entry[key], str) or not entry[key].strip():
                        raise ValueError("expected the client's name")
                    kwargs[key] = parse_text(entry[key])
                elif key in ("value", "eo_limit", "cyber_limit", "liability_cap"):
                    kwargs[key] = parse_dollars(entry[key], 10 * _B)
                elif key == "industry":
                    ids = parse_ids(entry[key], rules.industries) if isinstance(entry[key], str) else ()
                    if len(ids) != 1:
                        raise ValueError(f"expected one industry id; allowed: {', '.join(rules.industries)}")
                    kwargs[key] = ids[0]
                else:
                    kwargs[key] = parse_bool(entry[key])
            except ValueError as exc:
                problems.append(Problem(f"{where}.{key}", str(exc)))
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
