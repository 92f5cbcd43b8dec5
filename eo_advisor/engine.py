"""The recommendation engine: pure functions from a validated Profile to a Result.

No I/O, no printing, no prompts, no sentences, no clock and no memo: every number
comes from the rules data (:mod:`eo_advisor.ruleset`), every decision is returned as
numbers, ids, severities and :class:`~eo_advisor.result.Reason` values that
:mod:`eo_advisor.render` words. One path for every caller: the CLI, the batch runner
and the Python API get the same decisions.

Layers, top-down: ``engine`` (limit, deductible, defense, gaps, actions, assess) ->
``review`` (contracts, findings, underwriting) and ``rating`` (premium) ->
``ruleset`` -> ``rules``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from .profile import Profile
from .rating import FACTORS, practice_credit, rate
from .result import (
    Action,
    DeductibleAdvice,
    DefenseAdvice,
    Gap,
    LimitAdvice,
    Premium,
    Reason,
    Result,
    Trace,
)
from .review import ERODING_OK, NON_ERODING, ContractDemand, check_contracts, contract_demand, findings, tail_prices, underwriting
from .rules import Rules
from .ruleset import RuleSet, round_to, ruleset

__all__ = ["assess", "rate", "facts", "Facts", "NON_ERODING", "ERODING_OK", "FACTORS"]


class Facts(NamedTuple):
    """What the steps read from a profile, worked out once per assessment."""

    regulated: tuple[str, ...]  # client industries that are regulated
    demand: ContractDemand  # the highest limit a contract asks, and who asks
    gap_facts: frozenset[str]  # the facts gap rules test (rules/gaps.toml)


def facts(profile: Profile, rs: RuleSet) -> Facts:
    w = profile.work
    regulated = tuple(i for i in w.client_industries if i in rs.regulated)
    have = {f"service:{s}" for s in w.services}
    have.update(f"industry:{i}" for i in w.client_industries)
    for fact, on in (
        ("sensitive_data", w.handles_sensitive_data),
        ("onsite_work", w.onsite_work),
        ("builds_products", w.builds_products),
        ("has_staff", profile.business.employees > 0),
        ("regulated_clients", bool(regulated)),
    ):
        if on:
            have.add(fact)
    cp = profile.current_policy
    if cp is not None:
        if cp.includes_cyber:
            have.add("policy:cyber")
        if cp.has_general_liability:
            have.add("policy:general_liability")
    return Facts(regulated, contract_demand(profile), frozenset(have))


def round_up_to_ladder(amount: float, ladder: tuple[int, ...]) -> int | None:
    """Smallest rung >= amount, or None when the amount is above the top rung."""
    for rung in ladder:
        if rung >= amount:
            return rung
    return None


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
def advise_limit(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> LimitAdvice:
    work, business = profile.work, profile.business
    reasons = [Reason("limit.floor", {"minimum": rs.minimum_limit})]
    needed, driver = rs.minimum_limit, "minimum_limit"

    exposure: float = work.largest_contract * rs.cdf
    reasons.append(Reason("limit.contract_exposure", {"largest_contract": work.largest_contract, "factor": rs.cdf, "exposure": round(exposure)}))
    if f.regulated:
        exposure *= rs.regulated_factor
        reasons.append(Reason("limit.regulated_exposure", {"industries": f.regulated, "factor": rs.regulated_factor, "exposure": round(exposure)}))
    if work.handles_sensitive_data:
        exposure *= rs.sensitive_factor
        reasons.append(Reason("limit.sensitive_exposure", {"factor": rs.sensitive_factor, "exposure": round(exposure)}))
    exposure = round(exposure)
    if exposure > needed:
        needed, driver = int(exposure), "contract_exposure"
    if f.regulated:
        reasons.append(Reason("limit.regulated_floor", {"industries": f.regulated, "floor": rs.regulated_minimum}))
        if rs.regulated_minimum > needed:
            needed, driver = rs.regulated_minimum, "regulated_minimum_limit"
    demand = f.demand
    if demand.limit:
        reasons.append(Reason("limit.contract_minimum", {"minimum": demand.limit, "who": demand.client}))
        if demand.limit >= needed:
            needed, driver = demand.limit, "contractual_minimum"

    rung = round_up_to_ladder(needed, rs.limit_ladder)
    if rung is None:
        per_claim = rs.limit_ladder[-1]
        reasons.append(Reason("limit.above_ladder", {"needed": needed, "limit": per_claim}))
    else:
        per_claim = rung
        reasons.append(Reason("limit.rounded", {"needed": needed, "limit": per_claim, "driver": driver}))

    why = []
    if business.annual_revenue >= rs.aggregate_revenue:
        why.append(Reason("limit.aggregate_why_revenue", {"revenue": business.annual_revenue}))
    if business.employees >= rs.aggregate_staff:
        why.append(Reason("limit.aggregate_why_staff", {"employees": business.employees}))
    if why:
        aggregate = per_claim * rs.aggregate_multiplier
        reasons.append(Reason("limit.aggregate_raised", {"multiplier": rs.aggregate_multiplier, "aggregate": aggregate, "why": why}))
    else:
        aggregate = per_claim
        reasons.append(Reason("limit.aggregate_equal", {"aggregate": aggregate}))

    if trace is not None:
        trace.append(Trace("limit", driver, {
            "work.largest_contract": work.largest_contract,
            "regulated_clients": list(f.regulated),
            "work.handles_sensitive_data": work.handles_sensitive_data,
            "contract_minimum": demand.limit,
            "business.annual_revenue": business.annual_revenue,
            "business.employees": business.employees,
        }, {"per_claim": per_claim, "aggregate": aggregate, "exposure": exposure}, [
            "limits.minimum_limit", "limits.consequential_damages_factor",
            *(["limits.regulated_exposure_factor", "limits.regulated_minimum_limit"] if f.regulated else []),
            *(["limits.sensitive_data_exposure_factor"] if work.handles_sensitive_data else []),
            "limits.limit_ladder", "limits.aggregate_multiplier", "limits.aggregate_revenue_threshold",
            "limits.aggregate_staff_threshold",
        ]))
    return LimitAdvice(per_claim, aggregate, int(exposure), driver, tuple(reasons))


def advise_deductible(profile: Profile, rs: RuleSet, trace: list[Trace] | None = None) -> DeductibleAdvice:
    revenue = profile.business.annual_revenue
    absorbable = round(revenue * rs.absorbable_share)
    amount = rs.deductible_ladder[0]
    for rung in rs.deductible_ladder:
        if rung <= absorbable:
            amount = rung
    key = "deductible.sized" if rs.deductible_ladder[0] <= absorbable else "deductible.lowest"
    reasons = (Reason(key, {"revenue": revenue, "absorbable": absorbable, "share": rs.absorbable_share, "deductible": amount}),)
    if trace is not None:
        trace.append(Trace("deductible", "absorbable_share_of_revenue", {"business.annual_revenue": revenue},
                           {"amount": amount, "absorbable": absorbable},
                           ["deductibles.absorbable_share_of_revenue", "deductibles.deductible_ladder"]))
    return DeductibleAdvice(amount, absorbable, reasons)


def eroding_limit(per_claim: int, rs: RuleSet) -> int | None:
    """The ladder limit to buy so the recommended limit survives a typical defense
    inside it; None when that is above the top rung (only excess layers reach it)."""
    return round_up_to_ladder(per_claim * (1 + rs.defense_allowance), rs.limit_ladder)


def advise_defense(profile: Profile, limit: LimitAdvice, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> DefenseAdvice:
    triggers: list[str] = []
    reasons = [Reason("defense.general")]
    if f.regulated:
        triggers.append("regulated_clients")
        reasons.append(Reason("defense.trigger_regulated", {"industries": f.regulated}))
    if profile.work.handles_sensitive_data:
        triggers.append("sensitive_data")
        reasons.append(Reason("defense.trigger_sensitive"))
    if limit.driver == "contractual_minimum":
        triggers.append("contract_driven_limit")
        reasons.append(Reason("defense.trigger_contract", {"limit": limit.per_claim}))
    if profile.work.largest_contract * rs.cdf >= rs.large_contract_share * limit.per_claim:
        triggers.append("large_contract")
        reasons.append(Reason("defense.trigger_large_contract", {
            "largest_contract": profile.work.largest_contract, "share": rs.large_contract_share, "limit": limit.per_claim}))
    claims = profile.history.claims_last_5_years
    if claims:
        triggers.append("claims_history")
        reasons.append(Reason("defense.trigger_claims", {"claims": claims}))
    for contract in profile.contracts:
        if contract.defense_outside_limits:
            triggers.append("contract_requires_non_eroding")
            reasons.append(Reason("defense.trigger_contract_form", {"client": contract.client}))
    state = rs.states.get(profile.business.state or "")
    if state is not None:
        reasons.append(Reason(f"defense.state_{state.state}"))

    limit_if_eroding = eroding_limit(limit.per_claim, rs)
    if limit_if_eroding is None:  # no single policy leaves the limit for damages after defense
        triggers.append("eroding_above_ladder")
    allowance = round(limit.per_claim * rs.defense_allowance)
    values = {"limit": limit.per_claim, "limit_if_eroding": limit_if_eroding, "allowance": allowance,
              "left": limit.per_claim - allowance, "top": rs.limit_ladder[-1]}
    recommendation = NON_ERODING if triggers else ERODING_OK
    key = "defense.firm" if triggers else "defense.eroding_ok"
    reasons.append(Reason(key if limit_if_eroding is not None else "defense.firm_above_ladder", values))
    if trace is not None:
        trace.append(Trace("defense_costs", recommendation, {"triggers": triggers, "limit.per_claim": limit.per_claim,
                                                             "business.state": profile.business.state},
                           {"recommendation": recommendation, "limit_if_eroding": limit_if_eroding},
                           ["defense.defense_allowance_ratio", "defense.large_contract_share", "limits.consequential_damages_factor"]))
    return DefenseAdvice(recommendation, limit_if_eroding, tuple(triggers), tuple(reasons))


def find_gaps(f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> tuple[Gap, ...]:
    """Gap rules over the profile's facts; the first matching rule per coverage wins."""
    have = f.gap_facts
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule, when, unless in rs.gaps:
        if rule.coverage in seen or when.isdisjoint(have) or not unless.isdisjoint(have):
            continue
        seen.add(rule.coverage)
        gaps.append(Gap(rule.coverage, rule.severity, Reason(f"gap.{rule.id}"), rule.source, rule.id))
        if trace is not None:
            trace.append(Trace("gaps", rule.coverage, {"facts": sorted(when & have)}, rule.severity, [f"gaps.{rule.id}"]))
    return tuple(gaps)


def suggest_actions(profile: Profile, premium: Premium, rs: RuleSet) -> tuple[Action, ...]:
    actions: list[Action] = []
    for pid in rs.practice_actions:
        if getattr(profile.practices, pid):
            continue
        share = 1.0 - rs.practice_credit[pid]
        saving = round_to(premium.estimate * share, rs.rounding)
        actions.append(Action(pid, Reason(f"action.{pid}"), Reason(f"action.{pid}_effect", {"percent": share, "saving": saving}), saving))
    cp = profile.current_policy
    if cp is None or not (cp.includes_cyber and cp.has_general_liability):
        saving = round_to(premium.estimate * rs.bundle_discount, rs.rounding)
        actions.append(Action("bundle", Reason("action.bundle"), Reason("action.bundle_effect", {"percent": rs.bundle_discount, "saving": saving}), saving))
    return tuple(actions)


def assess(
    profile: Profile,
    rules: Rules | None = None,
    *,
    explain: bool = False,
    as_of: _dt.date | None = None,
) -> Result:
    """Assess one validated profile. Pure: same profile, rules and date, same result.

    ``as_of`` is "today" for date checks (the retroactive date against the firm's
    first projects); the engine never reads the clock itself."""
    rs = ruleset(rules)
    trace: list[Trace] | None = [] if explain else None
    f = facts(profile, rs)
    limit = advise_limit(profile, f, rs, trace)
    deductible = advise_deductible(profile, rs, trace)
    defense = advise_defense(profile, limit, f, rs, trace)
    gaps = find_gaps(f, rs, trace)
    premium = rate(profile, limit.per_claim, deductible.amount, aggregate=limit.aggregate,
                   non_eroding=defense.recommendation == NON_ERODING, rules=rs)
    tails = tail_prices(profile, premium, rs)
    found = findings(profile, limit, deductible, defense, gaps, tails, f.demand, rs, as_of)
    if trace is not None:
        trace.append(Trace("premium", "rating", {fa.name: fa.multiplier for fa in premium.factors},
                           {"low": premium.low, "high": premium.high, "estimate": premium.estimate},
                           [p for p in rs.rules.params if p.startswith("rating.")]))
        trace = [t._replace(sources=param_sources(t.params, rs)) for t in trace]
    return Result(
        limit,
        deductible,
        defense,
        gaps,
        premium,
        suggest_actions(profile, premium, rs),
        found,
        check_contracts(profile, limit, defense),
        underwriting(profile, limit, rs),
        profile.business.name,
        rs.rules.version,
        cited_sources(profile, premium, gaps, found, rs),
        tails,
        trace,
    )


def param_sources(names: list[str], rs: RuleSet) -> list[dict[str, Any]]:
    """Value, unit and source of each rules parameter a rule used (for --explain)."""
    out = []
    for name in names:
        param = rs.rules.params.get(name)
        if param is None:  # a gap rule: its source is on the gap itself
            continue
        src = rs.rules.sources[param.source]
        out.append({"param": name, "value": param.to_dict().get("value", param.to_dict().get("brackets")), "unit": param.unit,
                    "source": param.source, "title": src.title, "confidence": src.confidence})
    return out


def cited_sources(profile: Profile, premium: Premium, gaps: tuple[Gap, ...], found: tuple[Any, ...], rs: RuleSet) -> tuple[str, ...]:
    """The source ids the advice rests on, each once, in the order first cited."""
    params = rs.rules.params
    ids = dict.fromkeys(["seed"])
    for pname in ("limits.minimum_limit", "limits.consequential_damages_factor", "limits.regulated_minimum_limit",
                  "deductibles.absorbable_share_of_revenue", "defense.defense_allowance_ratio"):
        ids[params[pname].source] = None
    ids.update(dict.fromkeys(fa.source for fa in premium.factors))
    ids.update(dict.fromkeys(g.source for g in gaps))
    state = rs.states.get(profile.business.state or "")
    if state is not None:  # the defense advice names the state rule
        ids[state.source] = None
    ids.update(dict.fromkeys(x.source for x in found if x.source))
    return tuple(ids)
