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
    when: tuple[str, ...] = ()  # facts of which one must hold for the question to matter (asked, and "?" when unanswered)
    choice_labels: tuple[str, ...] = ()  # for kind "choice": how each choice is shown, in order

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
        "work.managed_clients",
        "count",
        "How many client organisations do you manage remotely (RMM, admin access)? (blank if none)",
        "Client organisations whose systems you manage with privileged remote tools; optional. One compromised tool reaches all of them: it sizes the limit and the aggregate.",
        False,
        maximum=100_000,
        example=0,
        when=("service:managed_services", "service:cybersecurity", "service:cloud_services"),
    ),
    Field(
        "work.records_held",
        "choice",
        "How many personal, health or payment records do you hold or can reach? (none, under_100k, 100k_500k, 500k_1m, over_1m)",
        "Personal, health or payment records held or reachable, in the bands cyber applications ask: none, under_100k, 100k_500k, 500k_1m, over_1m; optional. Sizes the cyber limit.",
        False,
        example="under_100k",
        choices=("none", "under_100k", "100k_500k", "500k_1m", "over_1m"),
        choice_labels=("None", "Under 100,000", "100,000 to 500,000", "500,000 to 1 million", "Over 1 million"),
    ),
    Field(
        "work.safety_critical",
        "bool",
        "Can a failure of your software injure people (medical, industrial control, vehicles)?",
        "Software whose failure can injure people: medical devices, industrial control, vehicles; optional. Left out, software and data firms are asked to confirm it.",
        False,
        False,
        example=False,
        fact="safety_critical",
        when=("service:software_development", "builds_products"),
    ),
    Field(
        "work.handles_sensitive_data",
        "bool",
        "Do you handle personal, health or payment data of your clients' customers?",
        "Personal, health or payment data of clients' customers passes through your hands or systems. Left out, it is not known: cyber advice asks to confirm it.",
        required=False,
        default=False,
        example=True,
        fact="sensitive_data",
    ),
    Field(
        "work.onsite_work",
        "bool",
        "Do you work at client premises or install hardware?",
        "Works at client premises or installs hardware. Left out, it is not known: general liability advice asks to confirm it.",
        required=False,
        default=False,
        example=False,
        fact="onsite_work",
    ),
    Field(
        "work.builds_products",
        "bool",
        "Do you sell your own software product, SaaS or licensed IP?",
        "Sells its own software product, SaaS or licensed IP. Left out, it is not known: patent and media advice asks to confirm it.",
        required=False,
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
        "other_cover.general_liability",
        "bool",
        "Do you hold general liability cover?",
        "A general liability (or business owner's) policy is held; optional. Left out, gaps for it ask you to confirm it.",
        False,
        example=False,
        fact="policy:general_liability",
    ),
    Field(
        "other_cover.cyber",
        "bool",
        "Do you hold cyber cover (a cyber policy, or cyber in your E&O)?",
        "Cyber cover is held, in a policy of its own or in the E&O; optional. Left out, gaps for it ask you to confirm it.",
        False,
        example=False,
        fact="policy:cyber",
    ),
    Field(
        "other_cover.workers_compensation",
        "bool",
        "Do you hold workers' compensation cover?",
        "Workers' compensation is held (required by law in most states once you employ staff); optional. Left out, firms with staff are asked to confirm it.",
        False,
        example=True,
        fact="policy:workers_compensation",
    ),
    Field(
        "other_cover.employment_practices",
        "bool",
        "Do you hold employment practices liability (EPL) cover?",
        "Employment practices liability is held; optional. Left out, firms with staff are asked to confirm it.",
        False,
        example=False,
        fact="policy:employment_practices",
    ),
    Field(
        "other_cover.umbrella",
        "bool",
        "Do you hold an umbrella / excess liability policy?",
        "An umbrella or excess liability policy is held; optional. Asked about when a contract requires one.",
        False,
        example=False,
        fact="policy:umbrella",
    ),
    Field(
        "other_cover.auto",
        "bool",
        "Do you hold commercial auto liability cover?",
        "Commercial automobile liability is held; optional. Asked about when a contract requires it.",
        False,
        example=False,
        fact="policy:auto",
    ),
    Field(
        "other_cover.crime",
        "bool",
        "Do you hold crime / social engineering (funds transfer) cover?",
        "Crime or social engineering cover is held; optional. Left out, firms that move or touch client funds are asked to confirm it.",
        False,
        example=False,
        fact="policy:crime",
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
        "contracts.eo_limit",
        "amount",
        "E&O limit the contract requires (USD)",
        "E&O limit the contract requires per claim (0: the contract asks for no E&O)",
        maximum=10 * _B,
        example=5_000_000,
    ),
    Field(
        "contracts.eo_aggregate",
        "amount",
        "E&O aggregate required (USD)",
        "optional: the E&O aggregate the contract requires",
        False,
        maximum=10 * _B,
        example=5_000_000,
    ),
    Field(
        "contracts.annual_value",
        "amount",
        "Fees a year under the contract (USD)",
        "optional: what the contract pays in a year; a claim's exposure is one year of the engagement",
        False,
        maximum=10 * _B,
        example=150_000,
    ),
    Field("contracts.term_years", "count", "Contract term (years)", "optional: the contract's term in whole years", False, maximum=50, example=3),
    Field(
        "contracts.caps_consequential",
        "bool",
        "The contract excludes or caps consequential damages",
        "optional: its limitation-of-liability clause excludes or caps consequential damages (lost profits, recovery costs)",
        False,
        example=True,
    ),
    Field(
        "contracts.years_after_completion",
        "count",
        "Years of cover required after completion",
        "optional: years the E&O must be kept (or a tail bought) after the work ends",
        False,
        maximum=20,
        example=3,
    ),
    Field(
        "contracts.claims_made_allowed", "bool", "Claims-made cover allowed", "optional: the contract accepts claims-made E&O", False, example=True
    ),
    Field(
        "contracts.retro_on_or_before_start",
        "bool",
        "Retroactive date on or before the contract's start",
        "optional: the retroactive date must be on or before the contract's start",
        False,
        example=True,
    ),
    Field(
        "contracts.combined_eo_cyber_limit",
        "amount",
        "Combined E&O and cyber limit required (USD)",
        "optional: one limit for E&O and cyber together",
        False,
        maximum=10 * _B,
        example=0,
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
    Field(
        "contracts.gl_per_occurrence",
        "amount",
        "General liability per occurrence (USD)",
        "optional: GL limit required",
        False,
        maximum=10 * _B,
        example=1_000_000,
    ),
    Field("contracts.gl_aggregate", "amount", "General liability aggregate (USD)", "optional", False, maximum=10 * _B, example=2_000_000),
    Field("contracts.umbrella_limit", "amount", "Umbrella / excess limit (USD)", "optional", False, maximum=10 * _B, example=0),
    Field("contracts.auto_limit", "amount", "Automobile liability (USD)", "optional: combined single limit", False, maximum=10 * _B, example=0),
    Field(
        "contracts.workers_compensation", "bool", "Workers' compensation required", "optional: statutory workers' compensation", False, example=False
    ),
    Field("contracts.employers_liability", "amount", "Employer's liability per accident (USD)", "optional", False, maximum=10 * _B, example=0),
    Field("contracts.waiver_of_subrogation", "bool", "Waiver of subrogation", "optional: a GL endorsement", False, example=False),
    Field("contracts.primary_non_contributory", "bool", "Primary and non-contributory", "optional: a GL endorsement", False, example=False),
    Field("contracts.notice_of_cancellation_days", "count", "Notice of cancellation (days)", "optional", False, maximum=365, example=30),
    Field("contracts.insurer_rating", "text", "Minimum insurer rating", "optional: e.g. A.M. Best A- VII", False, example="A- VII"),
)
CONTRACT_KEYS = tuple(f.name for f in CONTRACT_FIELDS)
# (section, name, fact) of every field whose yes is a gap-rule fact
FACT_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.fact)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
SECTIONS: tuple[str, ...] = ("business", "work", "history", "practices", "other_cover", "current_policy")
_FLAT_KEYS = frozenset(FIELD_BY_KEY) | {"schema_version", "contracts"}
OPTIONAL_SECTIONS = frozenset({"current_policy"})
