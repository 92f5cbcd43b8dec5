"""What a specialist broker adds in a meeting: each client contract checked, the
findings (on the policy held today and on the advice itself), and the underwriting
referrals.

Pure functions over a validated profile and the engine's decisions. Every number and
severity comes from the rules data (rules/review.toml, rules/states.toml); the
results are reasons (message keys and values), worded by :mod:`eo_advisor.formats.render`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from eo_advisor.advice.rating import rate
from eo_advisor.advice.result import (
    ContractCheck,
    DeductibleAdvice,
    DefenseAdvice,
    Finding,
    Flag,
    Gap,
    LimitAdvice,
    Reason,
    TailPrice,
    Underwriting,
)
from eo_advisor.profile.model import Contract, Profile
from eo_advisor.rules.ruleset import RuleSet, round_to

NON_ERODING = "non-eroding"
ERODING_OK = "eroding-acceptable"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


class ContractDemand(NamedTuple):
    """The highest E&O limit any contract asks for, and who asks (None: the
    ``work.contractual_minimum`` shorthand; a named client wins a tie)."""

    limit: int
    client: str | None


def contract_demand(profile: Profile) -> ContractDemand:
    best, who = profile.work.contractual_minimum, None
    for contract in profile.contracts:
        if contract.eo_limit >= best:
            best, who = contract.eo_limit, contract.client
    return ContractDemand(best, who)


def check_contracts(profile: Profile, limit: LimitAdvice, defense: DefenseAdvice) -> tuple[ContractCheck, ...]:
    """Each contract (and the contractual-minimum shorthand) against the recommended
    cover and the current policy."""
    cp = profile.current_policy
    entries: list[tuple[str, int, Contract | None]] = []
    # the shorthand gets its own line only when no named contract asks as much
    if profile.work.contractual_minimum > max((k.eo_limit for k in profile.contracts), default=0):
        entries.append(("contractual minimum (work.contractual_minimum)", profile.work.contractual_minimum, None))
    entries += [(k.client, k.eo_limit, k) for k in profile.contracts]
    out = []
    for client, required, contract in entries:
        who = None if contract is None else client
        meets = limit.per_claim >= required
        notes = [Reason("contract.meets" if meets else "contract.short", {"who": who, "required": required, "limit": limit.per_claim})]
        current: bool | None = None
        if cp is not None:
            current = cp.limit >= required
            notes.append(Reason("contract.current_meets" if current else "contract.current_short", {"current": cp.limit}))
        if contract is not None:
            if contract.defense_outside_limits:
                notes.append(Reason("contract.defense"))
                meets = meets and defense.recommendation == NON_ERODING
                if cp is not None and cp.defense_costs != NON_ERODING:
                    current = False
                    notes.append(Reason("contract.defense_current_bad"))
            if contract.cyber_limit:
                notes.append(Reason("contract.cyber", {"cyber_limit": contract.cyber_limit}))
                if cp is not None:
                    if cp.includes_cyber:
                        notes.append(Reason("contract.cyber_current", {"cyber_limit": contract.cyber_limit}))
                    else:
                        current = False
            if contract.additional_insured:
                notes.append(Reason("contract.additional_insured"))
                if cp is not None and not cp.has_general_liability:  # no GL policy to carry the endorsement
                    current = False
                    notes.append(Reason("contract.additional_insured_no_gl"))
        out.append(ContractCheck(client, required, meets, current, tuple(notes)))
    return tuple(out)


def current_terms_estimate(profile: Profile, rs: RuleSet) -> int:
    """The model's estimate for the policy held today, at its own terms (limit,
    deductible, defense form)."""
    cp = profile.current_policy
    assert cp is not None
    return rate(profile, cp.limit, cp.deductible, non_eroding=cp.defense_costs == NON_ERODING, rules=rs).estimate


def expiring_premium(profile: Profile, rs: RuleSet) -> tuple[int, bool]:
    """The annual premium of the policy held today: as given, or estimated at that
    policy's own terms. Returns (premium, estimated)."""
    cp = profile.current_policy
    assert cp is not None
    if cp.annual_premium:
        return cp.annual_premium, False
    return current_terms_estimate(profile, rs), True


def tail_prices(profile: Profile, rs: RuleSet) -> tuple[TailPrice, ...]:
    """The tail (extended reporting period) prices for each length the rules price, as
    shares of the expiring policy's premium, when the current policy is ending; () otherwise."""
    cp = profile.current_policy
    if cp is None or (cp.planned_change or "none") == "none":
        return ()
    annual, _ = expiring_premium(profile, rs)
    return tuple(
        TailPrice(years, round_to(annual * rs.tail_low[years], rs.rounding), round_to(annual * rs.tail_high[years], rs.rounding))
        for years in sorted(rs.tail_low)
    )


def findings(
    profile: Profile,
    limit: LimitAdvice,
    deductible: DeductibleAdvice,
    defense: DefenseAdvice,
    gaps: tuple[Gap, ...],
    tails: tuple[TailPrice, ...],
    demand: ContractDemand,
    have: frozenset[str],
    rs: RuleSet,
    as_of: _dt.date | None,
) -> tuple[Finding, ...]:
    """Every finding, once: on the advice itself (scope "advice") and on the policy held
    today (scope "policy"), each with a severity (rules: review.finding_severity) and
    what to ask. ``warnings`` and the policy review are views of this one list."""
    sev = rs.severity
    out: list[Finding] = []

    def add(
        fid: str,
        topic: str,
        key: str,
        params: dict | None = None,
        *,
        ask: bool = True,
        severity: str | None = None,
        scope: str = "policy",
        source: str | None = None,
        ask_key: str | None = None,
    ) -> None:
        p = params or {}
        asked = Reason(ask_key or f"{key}_ask", p) if ask else None
        out.append(Finding(fid, topic, severity or sev[fid], Reason(key, p), asked, scope, source))

    _advice_findings(profile, limit, gaps, have, add, rs)
    cp = profile.current_policy
    if cp is None:
        add("first_policy_retro", "retroactive_date", "review.first_policy", scope="advice")
        out.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        return tuple(out)
    change = cp.planned_change or "none"
    closing = profile.closing
    if closing:  # tail advice, not an upsell: no limit, form or deductible changes
        add("closing_no_upsell", "planned_change", "review.closing_no_upsell", ask=False)
    elif demand.limit and cp.limit < demand.limit:
        add(
            "limit_below_contract",
            "limit",
            "review.limit_below_contract",
            {"current": cp.limit, "minimum": demand.limit, "who": demand.client, "limit": limit.per_claim},
        )
    elif cp.limit < limit.per_claim:
        add("limit_below", "limit", "review.limit_below", {"current": cp.limit, "limit": limit.per_claim})
    else:
        add("limit_ok", "limit", "review.limit_ok", {"current": cp.limit, "limit": limit.per_claim}, ask=False, severity="info")

    alternative = defense.limit_if_eroding
    if not closing and cp.defense_costs == "eroding" and defense.recommendation == NON_ERODING and alternative and cp.limit >= alternative:
        # the eroding policy held is already the eroding alternative: defense still leaves the limit
        add(
            "defense_ok",
            "defense_costs",
            "review.defense_eroding_alternative",
            {"current": cp.limit, "limit": limit.per_claim, "allowance": defense.allowance},
            ask=False,
            severity="info",
        )
    elif not closing and cp.defense_costs == "eroding" and defense.recommendation == NON_ERODING:
        fid = "defense_eroding_contract" if "contract_requires_non_eroding" in defense.triggers else "defense_eroding"
        ask_key = "review.defense_eroding_ask" if defense.limit_if_eroding else "review.defense_eroding_no_alternative_ask"
        add(fid, "defense_costs", "review.defense_eroding", {"limit_if_eroding": defense.limit_if_eroding}, ask_key=ask_key)
    elif not closing:
        add(
            "defense_ok",
            "defense_costs",
            "review.defense_ok",
            {"form": cp.defense_costs, "recommendation": defense.recommendation},
            ask=False,
            severity="info",
        )
    state = rs.states.get(profile.business.state or "")
    if not closing and state is not None and cp.defense_costs == state.restricts:
        add("state_rule", "defense_costs", f"review.state_{state.state.lower()}", source=state.source)

    strain = round(profile.business.annual_revenue * rs.deductible_strain_share)
    owner = profile.business.max_deductible
    held = {
        "current": cp.deductible,
        "absorbable": deductible.absorbable,
        "strain": strain,
        "share": rs.deductible_strain_share,
        "suggested": deductible.amount,
        "owner": owner,
    }
    if closing:
        pass
    elif owner is not None and cp.deductible > owner:  # the owner's own answer: the firm could not pay it
        add("deductible_above_owner", "deductible", "review.deductible_above_owner", held)
    elif cp.deductible > max(strain, deductible.absorbable) and cp.deductible > rs.deductible_ladder[0]:
        add("deductible_high", "deductible", "review.deductible_high", held)
    elif cp.deductible <= deductible.absorbable:
        add("deductible_ok", "deductible", "review.deductible_ok", held, ask=False, severity="info")
    elif cp.deductible <= rs.deductible_ladder[0]:
        add("deductible_ok", "deductible", "review.deductible_lowest", held, ask=False, severity="info")
    else:  # above the comfortable share, under the strain line: said, not flagged
        add("deductible_ok", "deductible", "review.deductible_stretch", held, ask=False, severity="info")

    cyber = next((g for g in gaps if g.coverage == "cyber"), None)
    if not closing and cyber is not None and not cp.includes_cyber:
        add("no_cyber", "cyber", "review.no_cyber", {"severity": cyber.severity, "limit": cyber.suggested_limit}, severity=cyber.severity)
    if not closing and profile.work.onsite_work and not cp.has_general_liability:
        add("no_gl", "general_liability", "review.no_gl")

    retro = cp.retroactive_date
    if retro is None:
        add("retro_unknown", "retroactive_date", "review.retro_unknown")
    elif as_of is not None:
        first = years_before(as_of, profile.business.years_in_business)
        if retro > first:
            add("retro_late", "retroactive_date", "review.retro_late", {"retro": retro, "first": first})

    if cp.annual_premium and not closing:  # the client's real premium against the model's, same terms
        model = current_terms_estimate(profile, rs)
        ratio = cp.annual_premium / model
        if ratio >= rs.premium_check_ratio or ratio <= 1 / rs.premium_check_ratio:
            add(
                "premium_far",
                "premium",
                "review.premium_far",
                {"actual": cp.annual_premium, "estimate": model, "ratio": round(max(ratio, 1 / ratio), 1)},
            )

    if change != "none":
        premium, estimated = expiring_premium(profile, rs)
        values = {"tails": tails, "retro": retro, "premium": premium}
        estimated_key = "_estimated" if estimated else ""
        if change == "switch_insurer" and profile.history.claims_last_5_years >= rs.specialist_market_claims:
            # a new carrier excludes what is known: notice first, and staying is often safer
            add("switch_with_claims", "planned_change", "review.switch_with_claims", {"claims": profile.history.claims_last_5_years})
        if change == "switch_insurer":
            add(
                "switch",
                "planned_change",
                "review.switch_known_retro" if retro else "review.switch",
                values,
                ask_key=f"review.switch{estimated_key}_ask",
            )
        else:
            add("close", "planned_change", "review.close", values, ask_key=f"review.tail{estimated_key}_ask")
    out.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return tuple(out)


def _advice_findings(profile: Profile, limit: LimitAdvice, gaps: tuple[Gap, ...], have: frozenset[str], add: Any, rs: RuleSet) -> None:
    """Findings about the advice itself, whatever the policy held today."""
    work = profile.work
    if limit.exposure > rs.limit_ladder[-1]:
        add("above_ladder", "limit", "warning.above_ladder", {"exposure": limit.exposure, "top": rs.limit_ladder[-1]}, ask=False, scope="advice")
    bigger = [c for c in profile.contracts if c.value is not None and c.value > work.largest_contract]
    if bigger:
        top = max(bigger, key=lambda c: c.value or 0)
        add(
            "contract_above_largest",
            "limit",
            "review.contract_above_largest",
            {"client": top.client, "value": top.value, "largest": work.largest_contract},
            scope="advice",
        )
    closing = profile.closing
    if not closing and cyber_controls_weigh(have, rs):
        p = profile.practices
        missing = [
            name for name, on in (("mfa", p.mfa), ("offline_backups", p.offline_backups), ("endpoint_detection", p.endpoint_detection)) if not on
        ]
        if missing:
            add("cyber_controls", "cyber", "review.cyber_controls", {"missing": missing}, scope="advice", source="application_forms")
    if work.safety_critical and not closing:
        add("safety_critical", "limit", "review.safety_critical", scope="advice", source="assumption")
    claims = profile.history.claims_last_5_years
    if claims >= rs.specialist_market_claims and not closing:
        add("specialist_market", "claims_history", "review.specialist_market", {"claims": claims}, scope="advice", source="assumption")
    if work.uses_subcontractors:
        add("subcontractors", "subcontractors", "review.subcontractors", scope="advice", source="application_forms")
    if work.foreign_revenue_share:
        add(
            "foreign_revenue",
            "territory",
            "review.foreign_revenue",
            {"share": work.foreign_revenue_share},
            scope="advice",
            source="application_forms",
        )


def cyber_controls_weigh(have: frozenset[str], rs: RuleSet) -> bool:
    """Whether the security controls cyber insurers ask about change the advice: a cyber
    gap rule fires, or cyber cover is held while a cyber exposure exists. The review and
    the interview (which asks about the controls only then) share this one test."""
    fires = any(rule.coverage == "cyber" and not when.isdisjoint(have) and unless.isdisjoint(have) for rule, when, unless in rs.gaps)
    return fires or ("policy:cyber" in have and cyber_exposed(have, rs))


def cyber_exposed(have: frozenset[str], rs: RuleSet) -> bool:
    """Whether any cyber gap rule's facts hold (whatever cover is held)."""
    return any(rule.coverage == "cyber" and not when.isdisjoint(have) for rule, when, _unless in rs.gaps)


def years_before(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def underwriting(profile: Profile, limit: LimitAdvice, have: frozenset[str], rs: RuleSet) -> Underwriting:
    """Why a carrier would send this risk to an underwriter instead of quoting online."""
    flags: list[Flag] = []
    if limit.per_claim >= rs.referral_limit:
        flags.append(Flag("limit", Reason("underwriting.limit", {"limit": limit.per_claim, "threshold": rs.referral_limit})))
    elif limit.aggregate > rs.online_quote_limit:
        flags.append(Flag("online_limit", Reason("underwriting.online", {"aggregate": limit.aggregate, "threshold": rs.online_quote_limit})))
    if limit.exposure > rs.limit_ladder[-1]:
        flags.append(Flag("above_ladder", Reason("underwriting.above_ladder", {"exposure": limit.exposure, "top": rs.limit_ladder[-1]})))
    revenue = profile.business.annual_revenue
    if revenue > rs.referral_revenue:
        flags.append(Flag("revenue", Reason("underwriting.revenue", {"revenue": revenue, "threshold": rs.referral_revenue})))
    elif revenue > rs.online_quote_revenue:
        flags.append(Flag("online_revenue", Reason("underwriting.online_revenue", {"revenue": revenue, "threshold": rs.online_quote_revenue})))
    industries = [i for i in profile.work.client_industries if i in rs.referral_industries]
    if industries:
        flags.append(Flag("industries", Reason("underwriting.industries", {"industries": industries})))
    claims = profile.history.claims_last_5_years
    if claims >= rs.referral_claims:
        flags.append(Flag("claims", Reason("underwriting.claims", {"claims": claims})))
    work = [fact for fact in rs.referral_facts if fact in have]
    if work:
        flags.append(Flag("work", Reason("underwriting.work", {"facts": work})))
    param_of = {  # the rules parameter behind each flag, for the sources
        "limit": "review.referral_limit",
        "online_limit": "review.online_quote_limit",
        "above_ladder": "limits.limit_ladder",
        "revenue": "review.referral_revenue",
        "online_revenue": "review.online_quote_revenue",
        "industries": "review.referral_industries",
        "claims": "review.referral_claims",
        "work": "review.referral_facts",
    }
    return Underwriting(bool(flags), tuple(flags), tuple(param_of[f.flag] for f in flags))
