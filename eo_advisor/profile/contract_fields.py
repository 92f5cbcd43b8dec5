"""The ``[[contracts]]`` keys of the profile schema: one table per client contract and the
cover it requires (``eo-advisor contract read`` writes the same keys)."""

from __future__ import annotations

from eo_advisor.profile.field import _B, Field

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
