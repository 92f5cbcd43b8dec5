"""The findings: what a specialist broker would raise, on the advice itself (scope
"advice") and on the policy held today (scope "policy"), each with a severity (rules:
review.finding_severity) and what to ask. ``warnings`` and the policy review are views of
this one list.

Each check is a named function over one :class:`Findings` collector. A business that is
closing gets its own plan (:func:`closing_findings`): the tail, not an upsell.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from eo_advisor.advice.defense import NON_ERODING, at_stake
from eo_advisor.advice.facts import ContractDemand
from eo_advisor.advice.gaps import SEVERITY_ORDER
from eo_advisor.advice.result import DeductibleAdvice, DefenseAdvice, Finding, Gap, LimitAdvice, Premium, Reason, TailPrice
from eo_advisor.advice.review import current_terms_estimate, expiring_premium
from eo_advisor.profile.model import CurrentPolicy, Profile
from eo_advisor.rules.ruleset import RuleSet


class Findings:
    """Collects findings; severities come from the rules unless a check says otherwise."""

    __slots__ = ("out", "severity")

    def __init__(self, rs: RuleSet) -> None:
        self.severity: dict[str, str] = rs["review.finding_severity"]
        self.out: list[Finding] = []

    def add(
        self,
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
        self.out.append(Finding(fid, topic, severity or self.severity[fid], Reason(key, p), asked, scope, source))

    def sorted(self) -> tuple[Finding, ...]:
        return tuple(sorted(self.out, key=lambda f: SEVERITY_ORDER[f.severity]))


class Advice(NamedTuple):
    """The decisions the findings are about."""

    limit: LimitAdvice
    deductible: DeductibleAdvice
    defense: DefenseAdvice
    gaps: tuple[Gap, ...]
    tails: tuple[TailPrice, ...]
    demand: ContractDemand
    have: frozenset[str]
    premium: Premium | None = None


def findings(profile: Profile, advice: Advice, rs: RuleSet, as_of: _dt.date | None) -> tuple[Finding, ...]:
    """Every finding for a business buying or renewing cover, once."""
    out = Findings(rs)
    exposure_findings(profile, advice.limit, out, rs)
    risk_findings(profile, advice.have, out, rs)
    work_findings(profile, out)
    proportion_findings(profile, advice, out, rs)
    cp = profile.current_policy
    if cp is None:
        first_policy_findings(profile, advice, out)
        return out.sorted()
    limit_finding(cp, advice, out)
    defense_finding(profile, cp, advice.limit, advice.defense, out, rs)
    deductible_finding(profile, cp, advice.deductible, out, rs)
    cover_findings(profile, cp, advice.gaps, out)
    retro_finding(profile, cp, out, as_of)
    premium_finding(profile, cp, out, rs)
    change_findings(profile, cp, advice.tails, out, rs)
    return out.sorted()


def closing_findings(profile: Profile, advice: Advice, rs: RuleSet, as_of: _dt.date | None) -> tuple[Finding, ...]:
    """A business that is closing: the tail and the dates it rests on; no limit, form,
    deductible, cover or premium changes to sell."""
    out = Findings(rs)
    exposure_findings(profile, advice.limit, out, rs)
    work_findings(profile, out)
    cp = profile.current_policy
    assert cp is not None
    out.add("closing_no_upsell", "planned_change", "review.closing_no_upsell", ask=False)
    retro_finding(profile, cp, out, as_of)
    change_findings(profile, cp, advice.tails, out, rs)
    return out.sorted()


def first_policy_findings(profile: Profile, advice: Advice, out: Findings) -> None:
    """No policy stated: the retroactive date of a first policy, a contract that already
    requires E&O, and claims a new policy will not answer."""
    out.add("first_policy_retro", "retroactive_date", "review.first_policy", scope="advice")
    if advice.demand.limit:
        out.add("no_policy_contract", "limit", "review.no_policy_contract", {"minimum": advice.demand.limit, "who": advice.demand.client})
    claims = profile.history.claims_last_5_years
    if claims:
        out.add("first_policy_known_claims", "claims_history", "review.first_policy_known_claims", {"claims": claims})


def exposure_findings(profile: Profile, limit: LimitAdvice, out: Findings, rs: RuleSet) -> None:
    """About the exposure, whatever the policy held today."""
    work, top = profile.work, rs["limits.limit_ladder"][-1]
    if limit.exposure > top:
        out.add("above_ladder", "limit", "warning.above_ladder", {"exposure": limit.exposure, "top": top}, ask=False, scope="advice")
    if any(r.key == "limit.aggregate_at_top" for r in limit.reasons):  # several claims a year, no room to double
        out.add("aggregate_at_top", "limit", "review.aggregate_at_top", {"aggregate": limit.aggregate}, scope="advice")
    bigger = [c for c in profile.contracts if c.value is not None and c.value > work.largest_contract]
    if bigger:
        biggest = max(bigger, key=lambda c: c.value or 0)
        values = {"client": biggest.client, "value": biggest.value, "largest": work.largest_contract}
        out.add("contract_above_largest", "limit", "review.contract_above_largest", values, scope="advice")
    revenue = profile.business.annual_revenue
    unknown: list[tuple[str | None, int]] = [
        (c.client, c.value) for c in profile.contracts if c.value and c.value > revenue and not (c.annual_value or c.term_years)
    ]
    if work.largest_contract > revenue and not any(c.value and c.value >= work.largest_contract for c in profile.contracts):
        unknown.append((None, work.largest_contract))
    if unknown:
        who, value = max(unknown, key=lambda u: u[1] or 0)
        out.add("contract_terms_unknown", "limit", "review.contract_terms_unknown", {"who": who, "value": value, "revenue": revenue}, scope="advice")


def work_findings(profile: Profile, out: Findings) -> None:
    """About how the work is done, whatever the policy held today."""
    work = profile.work
    if work.uses_subcontractors:
        out.add("subcontractors", "subcontractors", "review.subcontractors", scope="advice", source="application_forms")
    if work.foreign_revenue_share:
        values = {"share": work.foreign_revenue_share}
        out.add("foreign_revenue", "territory", "review.foreign_revenue", values, scope="advice", source="application_forms")


def risk_findings(profile: Profile, have: frozenset[str], out: Findings, rs: RuleSet) -> None:
    """Risks that shape what new cover can be bought: cyber controls, safety-critical work, many claims."""
    if cyber_controls_weigh(have, rs):
        p = profile.practices
        controls = (("mfa", p.mfa), ("offline_backups", p.offline_backups), ("endpoint_detection", p.endpoint_detection))
        missing = [name for name, on in controls if not on]
        if missing:
            out.add("cyber_controls", "cyber", "review.cyber_controls", {"missing": missing}, scope="advice", source="application_forms")
    if "service:managed_services" in have and (cyber_exposed(have, rs) or "policy:cyber" in have):
        out.add("cyber_first_party_sublimit", "cyber", "review.cyber_first_party_sublimit", scope="advice", source="application_forms")
    if profile.work.safety_critical:
        out.add("safety_critical", "limit", "review.safety_critical", scope="advice", source="assumption")
    claims = profile.history.claims_last_5_years
    if claims >= rs["review.specialist_market_claims"]:
        out.add("specialist_market", "claims_history", "review.specialist_market", {"claims": claims}, scope="advice", source="assumption")


def proportion_findings(profile: Profile, advice: Advice, out: Findings, rs: RuleSet) -> None:
    """A contract whose requirement sets the limit, where the premium is out of proportion to
    what the contract pays in a year: negotiate, insure the project, or price it in."""
    if advice.premium is None:
        return
    share, premium = rs["review.proportion_share"], advice.premium.estimate
    for c in profile.contracts:
        fee = c.annual_value or (round(c.value / c.term_years) if c.value and c.term_years else c.value)
        if fee and c.eo_limit >= advice.limit.per_claim and premium > share * fee:
            values = {"client": c.client, "premium": premium, "fee": fee, "share": round(premium / fee, 2), "minimum": c.eo_limit}
            out.add("requirement_out_of_proportion", "limit", "review.requirement_out_of_proportion", values, scope="advice")
            return


def limit_finding(cp: CurrentPolicy, advice: Advice, out: Findings) -> None:
    limit, demand = advice.limit, advice.demand
    if demand.limit and cp.limit < demand.limit:
        values = {"current": cp.limit, "minimum": demand.limit, "who": demand.client, "limit": limit.per_claim}
        out.add("limit_below_contract", "limit", "review.limit_below_contract", values)
    elif cp.limit < limit.per_claim:
        out.add("limit_below", "limit", "review.limit_below", {"current": cp.limit, "limit": limit.per_claim})
    else:
        out.add("limit_ok", "limit", "review.limit_ok", {"current": cp.limit, "limit": limit.per_claim}, ask=False, severity="info")


def defense_finding(profile: Profile, cp: CurrentPolicy, limit: LimitAdvice, defense: DefenseAdvice, out: Findings, rs: RuleSet) -> None:
    alternative = defense.limit_if_eroding
    values: dict[str, Any]
    eroding_held = cp.defense_costs == "eroding" and defense.recommendation == NON_ERODING
    if eroding_held and alternative and cp.limit >= alternative:
        # the eroding policy held is already the eroding alternative: defense still leaves the limit
        values = {"current": cp.limit, "limit": limit.per_claim, "allowance": defense.allowance, "exposure": at_stake(limit)}
        out.add("defense_ok", "defense_costs", "review.defense_eroding_alternative", values, ask=False, severity="info")
    elif eroding_held:
        fid = "defense_eroding_contract" if "contract_requires_non_eroding" in defense.triggers else "defense_eroding"
        contract = "contract_requires_non_eroding" in defense.triggers
        ask_key = (
            "review.defense_eroding_contract_ask"
            if contract
            else "review.defense_eroding_ask"
            if alternative
            else "review.defense_eroding_no_alternative_ask"
        )
        out.add(fid, "defense_costs", "review.defense_eroding", {"limit_if_eroding": alternative}, ask_key=ask_key)
    else:
        values = {"form": cp.defense_costs, "recommendation": defense.recommendation}
        out.add("defense_ok", "defense_costs", "review.defense_ok", values, ask=False, severity="info")
    state = rs.states.get(profile.business.state or "")
    if state is not None and cp.defense_costs == state.restricts:
        out.add("state_rule", "defense_costs", f"review.state_{state.state.lower()}", source=state.source)


def deductible_finding(profile: Profile, cp: CurrentPolicy, deductible: DeductibleAdvice, out: Findings, rs: RuleSet) -> None:
    share = rs["review.deductible_strain_share"]
    strain = round(profile.business.annual_revenue * share)
    owner, lowest = profile.business.max_deductible, rs["deductibles.deductible_ladder"][0]
    held = {
        "current": cp.deductible,
        "absorbable": deductible.absorbable,
        "strain": strain,
        "share": share,
        "suggested": deductible.amount,
        "owner": owner,
    }
    info: dict[str, Any] = {"ask": False, "severity": "info"}
    if owner is not None and cp.deductible > owner:  # the owner's own answer: the firm could not pay it
        out.add("deductible_above_owner", "deductible", "review.deductible_above_owner", held)
    elif cp.deductible > max(strain, deductible.absorbable) and cp.deductible > lowest:
        out.add("deductible_high", "deductible", "review.deductible_high", held)
    elif cp.deductible <= deductible.absorbable:
        out.add("deductible_ok", "deductible", "review.deductible_ok", held, **info)
    elif cp.deductible <= lowest:
        out.add("deductible_ok", "deductible", "review.deductible_lowest", held, **info)
    else:  # above the comfortable share, under the strain line: said, not flagged
        out.add("deductible_ok", "deductible", "review.deductible_stretch", held, **info)


def cover_findings(profile: Profile, cp: CurrentPolicy, gaps: tuple[Gap, ...], out: Findings) -> None:
    cyber = next((g for g in gaps if g.coverage == "cyber"), None)
    if cyber is not None and not cp.includes_cyber:
        out.add("no_cyber", "cyber", "review.no_cyber", {"severity": cyber.severity, "limit": cyber.suggested_limit}, severity=cyber.severity)
    if profile.work.onsite_work and not cp.has_general_liability:
        out.add("no_gl", "general_liability", "review.no_gl")


def retro_finding(profile: Profile, cp: CurrentPolicy, out: Findings, as_of: _dt.date | None) -> None:
    retro = cp.retroactive_date
    if retro is None:
        out.add("retro_unknown", "retroactive_date", "review.retro_unknown")
    elif as_of is not None:
        first = years_before(as_of, profile.business.years_in_business)
        if retro > first:
            # whole years in business: the first project began on or before ``first``, so a later retro date is certainly late
            out.add(
                "retro_late", "retroactive_date", "review.retro_late", {"retro": retro, "first": first, "years": profile.business.years_in_business}
            )


def premium_finding(profile: Profile, cp: CurrentPolicy, out: Findings, rs: RuleSet) -> None:
    """The client's real premium against the model's, at the same terms."""
    if not cp.annual_premium:
        return
    model = current_terms_estimate(profile, rs)
    ratio, far = cp.annual_premium / model, rs["review.premium_check_ratio"]
    if ratio >= far or ratio <= 1 / far:
        values = {"actual": cp.annual_premium, "estimate": model, "ratio": round(max(ratio, 1 / ratio), 1)}
        out.add("premium_far", "premium", "review.premium_far", values)


def change_findings(profile: Profile, cp: CurrentPolicy, tails: tuple[TailPrice, ...], out: Findings, rs: RuleSet) -> None:
    """Switching insurer or closing: the tail, and notice before a switch after many claims."""
    change = cp.planned_change or "none"
    if change == "none":
        return
    premium, estimated = expiring_premium(profile, rs)
    recommended = next((t.years for t in tails if t.recommended), None)
    required = [c.client for c in profile.contracts if c.years_after_completion and c.years_after_completion >= (recommended or 0)]
    values = {
        "tails": tails,
        "retro": cp.retroactive_date,
        "premium": premium,
        "recommended": recommended,
        "contract": required[0] if required else None,
    }
    estimated_key = "_estimated" if estimated else ""
    claims = profile.history.claims_last_5_years
    if change == "switch_insurer" and claims >= rs["review.specialist_market_claims"]:
        # a new carrier excludes what is known: notice first, and staying is often safer
        out.add("switch_with_claims", "planned_change", "review.switch_with_claims", {"claims": claims})
    if change == "switch_insurer":
        key = "review.switch_known_retro" if cp.retroactive_date else "review.switch"
        out.add("switch", "planned_change", key, values, ask_key=f"review.switch{estimated_key}_ask")
    else:
        by_contract = "_contract" if required else ""
        out.add("close", "planned_change", "review.close", values, ask_key=f"review.tail{estimated_key}{by_contract}_ask")


def cyber_controls_weigh(have: frozenset[str], rs: RuleSet) -> bool:
    """Whether the security controls cyber insurers ask about change the advice: a cyber
    gap rule fires, or cyber cover is held while a cyber exposure exists. The review and
    the interview (which asks about the controls only then) share this one test."""
    fires = any(not g.when.isdisjoint(have) and g.unless.isdisjoint(have) for g in rs.cyber_gaps)
    return fires or ("policy:cyber" in have and cyber_exposed(have, rs))


def cyber_exposed(have: frozenset[str], rs: RuleSet) -> bool:
    """Whether any cyber gap rule's facts hold (whatever cover is held)."""
    return any(not g.when.isdisjoint(have) for g in rs.cyber_gaps)


def years_before(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
