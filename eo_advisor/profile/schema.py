"""The profile schema: every field declared once.

Each :class:`Field` says its key, kind, label (the question), help, whether it is
required, the prompt default, its maximum, the template example, its choices, and how
the interview asks it (a checklist group and its wording, the condition under which an
optional answer is asked). Validation (:mod:`eo_advisor.profile.model`), the interview,
the commented template, the CSV columns and ``docs/profile.md`` all follow it;
``[[contracts]]`` keys are fields of the section ``contracts``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

SCHEMA_VERSION = 1

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
DEFENSE_FORMS = ("eroding", "non-eroding")
PLANNED_CHANGES = ("none", "switch_insurer", "close_business")


class Field(NamedTuple):
    key: str
    kind: str  # amount | count | bool | services | industries | industry | client | text | date | choice | state
    label: str  # the question (or, for a contract key, what it is)
    help: str  # one line for the template, the docs and the error on a missing answer
    required: bool = True
    default: Any = None  # offered at the prompt
    maximum: int | None = None
    example: Any = None  # used by the template
    choices: tuple[str, ...] = ()  # for kind "choice"
    fact: str | None = None  # the gap-rule fact a yes makes true (rules/gaps.toml); "<fact>?" when not answered

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
        fact="safety_critical",
    ),
    Field(
        "work.handles_sensitive_data",
        "bool",
        "Do you handle personal, health or payment data of your clients' customers?",
        "Personal, health or payment data of clients' customers passes through your hands or systems.",
        default=False,
        example=True,
        fact="sensitive_data",
    ),
    Field(
        "work.onsite_work",
        "bool",
        "Do you work at client premises or install hardware?",
        "Works at client premises or installs hardware.",
        default=False,
        example=False,
        fact="onsite_work",
    ),
    Field(
        "work.builds_products",
        "bool",
        "Do you sell your own software product, SaaS or licensed IP?",
        "Sells its own software product, SaaS or licensed IP.",
        default=False,
        example=False,
        fact="builds_products",
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
        fact="policy:cyber",
    ),
    Field(
        "current_policy.has_general_liability",
        "bool",
        "Do you have general liability cover?",
        "The business holds general liability cover.",
        default=False,
        example=False,
        fact="policy:general_liability",
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
# [[contracts]]: one table per client contract and the cover it requires
CONTRACT_FIELDS: tuple[Field, ...] = (
    Field("contracts.client", "client", "Client name", "the client (or a label such as 'main client')", example="First Regional Bank"),
    Field(
        "contracts.industry",
        "industry",
        "Client industry",
        "optional: the client's industry (its requirement then stands for such clients)",
        False,
        example="finance",
    ),
    Field("contracts.value", "amount", "Contract value (USD)", "contract value (optional)", False, maximum=10 * _B, example=450_000),
    Field(
        "contracts.eo_limit", "amount", "E&O limit the contract requires (USD)", "E&O limit the contract requires", maximum=10 * _B, example=5_000_000
    ),
    Field("contracts.cyber_limit", "amount", "Cyber limit the contract requires (USD)", "optional", False, maximum=10 * _B, example=2_000_000),
    Field(
        "contracts.liability_cap",
        "amount",
        "Liability cap (USD)",
        "optional: the contract caps your liability at this amount",
        False,
        maximum=10 * _B,
        example=900_000,
    ),
    Field(
        "contracts.defense_outside_limits",
        "bool",
        "Defense costs outside the limit (non-eroding)",
        "optional: the contract asks for non-eroding defense",
        False,
        False,
        example=True,
    ),
    Field("contracts.additional_insured", "bool", "Being named additional insured", "optional", False, False, example=True),
)
CONTRACT_KEYS = tuple(f.name for f in CONTRACT_FIELDS)
# (section, name, fact) of every field whose yes is a gap-rule fact
FACT_FIELDS: tuple[tuple[str, str, str], ...] = tuple((f.section, f.name, f.fact) for f in FIELDS if f.fact)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
SECTIONS: tuple[str, ...] = ("business", "work", "history", "practices", "current_policy")
_FLAT_KEYS = frozenset(FIELD_BY_KEY) | {"schema_version", "contracts"}
OPTIONAL_SECTIONS = frozenset({"current_policy"})
