"""The recommendation engine: pure functions from a validated Profile to a Result.

No I/O, no printing, no prompts, no sentences, no clock and no memo: every number
comes from the rules data (:mod:`eo_advisor.rules.ruleset`), every decision is returned as
numbers, ids, severities and :class:`~eo_advisor.advice.result.Reason` values that
:mod:`eo_advisor.formats.render` words. One path for every caller: the CLI, the batch runner
and the Python API get the same decisions.

Layers, top-down: ``engine`` (limit, deductible, defense, gaps, actions, assess) ->
``review`` (contracts, findings, underwriting) and ``rating`` (premium) ->
``ruleset`` -> ``rules``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, NamedTuple

from eo_advisor.advice.rating import rate, step_rating
from eo_advisor.advice.result import (
    Action,
    DeductibleAdvice,
    DefenseAdvice,
    Gap,
    LimitAdvice,
    Premium,
    Reason,
    Result,
    TailPrice,
    Trace,
    Underwriting,
)
from eo_advisor.advice.review import (
    ERODING_OK,
    NON_ERODING,
    SEVERITY_ORDER,
    ContractDemand,
    check_contracts,
    contract_demand,
    findings,
    tail_prices,
    underwriting,
)
from eo_advisor.profile.model import Profile
from eo_advisor.rules import Rules
from eo_advisor.rules.ruleset import FACTORS, RuleSet, round_to, ruleset

__all__ = ["ERODING_OK", "FACTORS", "NON_ERODING", "Facts", "assess", "facts", "rate"]


class Facts(NamedTuple):
    """What the steps read from a profile, worked out once per assessment."""

    regulated: tuple[str, ...]  # client industries that are regulated
    demand: ContractDemand  # the highest limit a contract asks, and who asks
    gap_facts: frozenset[str]  # the facts gap rules test (rules/gaps.toml)


def gap_facts(
    services: Iterable[str],
    industries: Iterable[str],
    rs: RuleSet,
    *,
    sensitive_data: bool,
    onsite_work: bool,
    builds_products: bool,
    safety_critical: bool,
    contract_cyber: bool,
    contract_additional_insured: bool,
    has_staff: bool,
    policy_cyber: bool,
    policy_general_liability: bool,
) -> frozenset[str]:
    """The facts gap rules test (rules/gaps.toml), from the answers. The engine builds
    them from a validated profile; the interview from the answers given so far."""
    industries = tuple(industries)
    have = {f"service:{s}" for s in services} | {f"industry:{i}" for i in industries}
    for fact, on in (
        ("sensitive_data", sensitive_data),
        ("onsite_work", onsite_work),
        ("builds_products", builds_products),
        ("safety_critical", safety_critical),
        ("contract:cyber", contract_cyber),
        ("contract:additional_insured", contract_additional_insured),
        ("has_staff", has_staff),
        ("regulated_clients", any(i in rs.regulated for i in industries)),
        ("policy:cyber", policy_cyber),
        ("policy:general_liability", policy_general_liability),
    ):
        if on:
            have.add(fact)
    return frozenset(have)


def facts(profile: Profile, rs: RuleSet) -> Facts:
    w, cp = profile.work, profile.current_policy
    have = gap_facts(
        w.services,
        w.client_industries,
        rs,
        sensitive_data=w.handles_sensitive_data,
        onsite_work=w.onsite_work,
        builds_products=w.builds_products,
        safety_critical=bool(w.safety_critical),
        contract_cyber=any(c.cyber_limit for c in profile.contracts),
        contract_additional_insured=any(c.additional_insured for c in profile.contracts),
        has_staff=profile.business.employees > 0,
        policy_cyber=cp is not None and cp.includes_cyber,
        policy_general_liability=cp is not None and cp.has_general_liability,
    )
    regulated = tuple(i for i in w.client_industries if i in rs.regulated)
    return Facts(regulated, contract_demand(profile), have)


def round_up_to_ladder(amount: float, ladder: tuple[int, ...]) -> int | None:
    """Smallest rung >= amount, or None when the amount is above the top rung."""
    for rung in ladder:
        if rung >= amount:
            return rung
    return None


def round_down_to_ladder(amount: float, ladder: tuple[int, ...], default: int) -> int:
    """Largest rung <= amount, or ``default`` when the amount is below the lowest rung."""
    return max([rung for rung in ladder if rung <= amount], default=default)


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
class Exposure(NamedTuple):
    """The contract-like value a bad claim puts at stake, and where it comes from."""

    value: int  # before the consequential-damages factor
    exposure: int  # after it (and any liability cap)
    what: str  # "largest_contract" | "contract" | "largest_client"
    client: str | None = None
    capped: bool = False  # a contract's liability cap bounded it


def contract_exposure(profile: Profile, rs: RuleSet) -> Exposure:
    """The largest exposure among the largest contract, every [[contracts]] value (bounded
    by its liability cap) and a year's fees at risk from the largest client."""
    work, cdf = profile.work, rs.cdf
    best = Exposure(0, 0, "largest_contract")
    # a [[contracts]] entry worth at least the largest contract describes that job in more
    # detail (its liability cap included), so the bare figure is then not counted again
    if not any(c.value is not None and c.value >= work.largest_contract for c in profile.contracts):
        best = Exposure(work.largest_contract, round(work.largest_contract * cdf), "largest_contract")
    for c in profile.contracts:
        if c.value is None:
            continue
        exposure = round(c.value * cdf)
        capped = c.liability_cap is not None and c.liability_cap < exposure
        candidate = Exposure(c.value, c.liability_cap if capped else exposure, "contract", c.client, capped)  # type: ignore[arg-type]
        if candidate.exposure > best.exposure:
            best = candidate
    # the fees at risk from the largest client, unless a [[contracts]] entry worth at least
    # that much describes the client's work (its liability cap included): then it counts
    fees = round((work.largest_client_share or 0) * profile.business.annual_revenue * rs.client_fees_at_risk)
    if fees and not any(c.value is not None and c.value >= fees for c in profile.contracts):
        if round(fees * cdf) > best.exposure:
            best = Exposure(fees, round(fees * cdf), "largest_client")
    return best


def advise_limit(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> LimitAdvice:
    work, business = profile.work, profile.business
    reasons = [Reason("limit.floor", {"minimum": rs.minimum_limit})]
    needed, driver = rs.minimum_limit, "minimum_limit"

    size = max(rs.revenue_floor(business.annual_revenue), rs.staff_floor(business.employees))
    if size > needed:
        needed, driver = int(size), "firm_size"
        reasons.append(Reason("limit.firm_size", {"revenue": business.annual_revenue, "employees": business.employees, "floor": size}))

    base = contract_exposure(profile, rs)
    reasons.append(
        Reason(
            f"limit.exposure_{base.what}",
            {
                "value": base.value,
                "factor": rs.cdf,
                "exposure": round(base.value * rs.cdf),  # before any liability cap (said next)
                "client": base.client,
                "share": work.largest_client_share,
                "at_risk": rs.client_fees_at_risk,
            },
        )
    )
    if base.capped:
        reasons.append(Reason("limit.exposure_capped", {"client": base.client, "cap": base.exposure}))
    capped = [c for c in profile.contracts if c.liability_cap is not None]
    if base.what == "largest_client" and capped:  # is the capped contract that client's? the profile does not say
        c = max(capped, key=lambda c: c.value or 0)
        reasons.append(Reason("limit.client_cap_unknown", {"client": c.client, "cap": c.liability_cap, "value": c.value}))
    # the assumption weights (regulated clients, sensitive data) do not compound: the
    # larger one applies, so two assumptions never multiply past what either supports
    weights = []
    if f.regulated:
        weights.append(
            (
                rs.regulated_factor,
                Reason(
                    "limit.regulated_exposure",
                    {"industries": f.regulated, "factor": rs.regulated_factor, "exposure": round(base.exposure * rs.regulated_factor)},
                ),
            )
        )
    if work.handles_sensitive_data:
        weights.append(
            (
                rs.sensitive_factor,
                Reason("limit.sensitive_exposure", {"factor": rs.sensitive_factor, "exposure": round(base.exposure * rs.sensitive_factor)}),
            )
        )
    exposure = base.exposure
    if weights and base.capped:  # the cap bounds what the client can recover, weights included
        reasons.append(Reason("limit.weights_capped", {"client": base.client, "cap": base.exposure}))
        weights = []
    if weights:
        factor, reason = max(weights, key=lambda w: w[0])
        exposure = round(base.exposure * factor)
        reasons.append(reason)
        if len(weights) > 1:
            reasons.append(Reason("limit.weights_do_not_compound"))
    demand = f.demand
    if exposure > needed:
        needed, driver = int(exposure), "contract_exposure"
    # what such clients commonly ask (public sector; vendors with significant access to
    # sensitive data: regulated clients' data, or privileged access to many clients' systems)
    # stands in for a requirement the profile does not state; a stated one replaces it
    public = tuple(i for i in f.regulated if i in rs.public_sector)
    data_access = tuple(i for i in f.regulated if i not in rs.public_sector) + tuple(s for s in work.services if s in rs.privileged_services)
    if not work.handles_sensitive_data:
        data_access = ()
    typical = [
        (rs.regulated_minimum, "limit.regulated_floor", {"industries": public}, "regulated_minimum_limit", rs.public_sector) if public else None,
        (rs.data_access_minimum, "limit.data_access_floor", {"who": data_access}, "data_access_minimum_limit", rs.regulated - rs.public_sector)
        if data_access
        else None,
    ]
    # work.contractual_minimum answers for every contract; a [[contracts]] entry for its own
    # client, so it stands for such clients only when its industry says it is one of them
    stated_for_all = work.contractual_minimum > 0
    applied: set[str] = set()
    for floor, key, values, floor_driver, kinds in filter(None, typical):
        own = max((c for c in profile.contracts if c.industry in kinds), key=lambda c: c.eo_limit, default=None)
        stated, who = (demand.limit, demand.client) if stated_for_all else (own.eo_limit, own.client) if own else (0, None)
        if stated:
            if floor > needed and floor > stated:
                reasons.append(Reason("limit.typical_floor_replaced", {**values, "floor": floor, "minimum": stated, "who": who}))
            continue
        applied.add(floor_driver)
        reasons.append(Reason(key, {**values, "floor": floor}))
        if demand.limit and floor > demand.limit and floor > needed:  # only when the floor is what sets the limit
            reasons.append(Reason("limit.typical_floor_kept", {"floor": floor, "minimum": demand.limit, "who": demand.client}))
        if floor > needed:
            needed, driver = floor, floor_driver
    if demand.limit:
        reasons.append(Reason("limit.contract_minimum", {"minimum": demand.limit, "who": demand.client}))
        if demand.limit >= needed:
            needed, driver = demand.limit, "contractual_minimum"
        else:  # a stated requirement is exceeded only with the reason named
            reasons.append(Reason("limit.above_contract", {"minimum": demand.limit, "who": demand.client, "needed": needed, "driver": driver}))

    rung = round_up_to_ladder(needed, rs.limit_ladder)
    if rung is None:
        per_claim = rs.limit_ladder[-1]
        reasons.append(Reason("limit.above_ladder", {"needed": needed, "limit": per_claim}))
    else:
        per_claim = rung
        reasons.append(Reason("limit.rounded", {"needed": needed, "limit": per_claim, "driver": driver}))

    aggregate, why = aggregate_for(per_claim, profile, rs)
    if aggregate > per_claim:
        reasons.append(Reason("limit.aggregate_raised", {"multiplier": rs.aggregate_multiplier, "aggregate": aggregate, "why": why}))
    elif why:  # several claims a year are plausible, but the ladder stops here
        reasons.append(Reason("limit.aggregate_at_top", {"aggregate": aggregate, "why": why}))
    else:
        reasons.append(Reason("limit.aggregate_equal", {"aggregate": aggregate}))

    used = (  # the rules parameters this limit rests on: cited in the sources, listed by --explain
        "limits.minimum_limit",
        *(["limits.revenue_floor", "limits.staff_floor"] if size > rs.minimum_limit else []),
        "limits.consequential_damages_factor",
        *(["limits.client_fees_at_risk"] if base.what == "largest_client" else []),
        *(["limits.regulated_exposure_factor"] if f.regulated and not base.capped else []),
        *(["limits.sensitive_data_exposure_factor"] if work.handles_sensitive_data and not base.capped else []),
        *(["limits.regulated_minimum_limit"] if "regulated_minimum_limit" in applied else []),
        *(["limits.data_access_minimum_limit"] if "data_access_minimum_limit" in applied else []),
        "limits.limit_ladder",
        *(["limits.aggregate_multiplier", "limits.aggregate_ladder"] if aggregate > per_claim else []),
        *(["limits.aggregate_ladder"] if why and aggregate == per_claim else []),
    )
    if trace is not None:
        inputs = {
            "business.annual_revenue": business.annual_revenue,
            "business.employees": business.employees,
            "exposure_from": base.what,
            "exposure_value": base.value,
            "regulated_clients": list(f.regulated),
            "work.handles_sensitive_data": work.handles_sensitive_data,
            "contract_minimum": demand.limit,
        }
        trace.append(Trace("limit", driver, inputs, {"per_claim": per_claim, "aggregate": aggregate, "exposure": exposure}, list(used)))
    return LimitAdvice(per_claim, aggregate, int(exposure), driver, tuple(reasons), used)


def aggregate_for(per_claim: int, profile: Profile, rs: RuleSet) -> tuple[int, list[Reason]]:
    """The aggregate to buy with a per-claim limit, and why: a multiple of it for firms
    large enough to face several claims a year, on the ladder (the next rung at or above
    the multiple, never above the top)."""
    business = profile.business
    why = []
    if business.annual_revenue >= rs.aggregate_revenue:
        why.append(Reason("limit.aggregate_why_revenue", {"revenue": business.annual_revenue}))
    if business.employees >= rs.aggregate_staff:
        why.append(Reason("limit.aggregate_why_staff", {"employees": business.employees}))
    top = rs.aggregate_ladder[-1]
    if not why or per_claim >= top:
        return per_claim, why
    return round_up_to_ladder(per_claim * rs.aggregate_multiplier, rs.aggregate_ladder) or top, why


def advise_deductible(profile: Profile, limit: LimitAdvice, rs: RuleSet, trace: list[Trace] | None = None) -> DeductibleAdvice:
    """The highest ladder rung the firm can absorb from cash flow, never above what the
    owner says the business could pay ($0 when that is below the lowest rung)."""
    revenue = profile.business.annual_revenue
    absorbable = round(revenue * rs.absorbable_share)
    ladder = rs.deductible_ladder
    lowest, top = ladder[0], ladder[-1]
    by_revenue = round_down_to_ladder(absorbable, ladder, lowest)
    owner = profile.business.max_deductible
    amount, bound = by_revenue, "revenue"
    if owner is not None and owner < by_revenue:
        # cannot pay even the smallest rung: first-dollar cover
        amount, bound = round_down_to_ladder(owner, ladder, 0), "owner"
    values = {
        "revenue": revenue,
        "absorbable": absorbable,
        "share": rs.absorbable_share,
        "by_revenue": by_revenue,
        "deductible": amount,
        "owner": owner,
        "top": top,
    }
    cp = profile.current_policy
    claims = profile.history.claims_last_5_years
    if claims >= rs.specialist_market_claims and cp is not None and cp.deductible > amount and (owner is None or cp.deductible <= owner):
        # after many claims carriers raise deductibles, they do not lower them
        amount, bound = round_down_to_ladder(cp.deductible, ladder, amount), "claims"
        values.update(deductible=amount, current=cp.deductible, claims=claims)
    reasons = [Reason("deductible.sized" if lowest <= absorbable else "deductible.lowest", values)]
    if bound == "claims":
        reasons.append(Reason("deductible.claims_keep", values))
    if bound == "owner":
        reasons.append(Reason("deductible.bound_by_owner" if amount else "deductible.owner_below_lowest", values))
        if not amount and absorbable >= lowest:  # first-dollar cover is a small firm's product: is the answer right?
            reasons.append(Reason("deductible.owner_check", values))
    if by_revenue == top and absorbable > top:
        reasons.append(Reason("deductible.ladder_top", values))
    used = (
        "deductibles.absorbable_share_of_revenue",
        "deductibles.deductible_ladder",
        *(["review.specialist_market_claims"] if bound == "claims" else []),
    )
    if trace is not None:
        inputs = {"business.annual_revenue": revenue, "limit.per_claim": limit.per_claim, "business.max_deductible": owner}
        trace.append(Trace("deductible", f"bound_by_{bound}", inputs, {"amount": amount, "absorbable": absorbable}, list(used)))
    return DeductibleAdvice(amount, absorbable, tuple(reasons), used)


def defense_allowance(per_claim: int, rs: RuleSet) -> int:
    """Defense costs to allow for inside an eroding limit: a share of it, capped."""
    return min(round(per_claim * rs.defense_allowance), rs.defense_allowance_cap)


def eroding_limit(per_claim: int, rs: RuleSet) -> int | None:
    """The ladder limit to buy so the recommended limit survives a typical defense
    inside it; None when that is above the top rung (only excess layers reach it)."""
    return round_up_to_ladder(per_claim + defense_allowance(per_claim, rs), rs.limit_ladder)


def advise_defense(profile: Profile, limit: LimitAdvice, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> DefenseAdvice:
    triggers: list[str] = []
    reasons = [Reason("defense.general")]
    # regulators join claims from finance and healthcare clients; a public-sector client
    # alone (a small agency contract) does not make eroding cover unacceptable
    regulators = tuple(i for i in f.regulated if i not in rs.public_sector)
    if regulators:
        triggers.append("regulated_clients")
        reasons.append(Reason("defense.trigger_regulated", {"industries": regulators}))
    if profile.work.handles_sensitive_data:
        triggers.append("sensitive_data")
        reasons.append(Reason("defense.trigger_sensitive"))
    if limit.exposure >= rs.large_contract_share * limit.per_claim:
        triggers.append("large_contract")
        reasons.append(
            Reason("defense.trigger_large_contract", {"exposure": limit.exposure, "share": rs.large_contract_share, "limit": limit.per_claim})
        )
    if "safety_critical" in f.gap_facts:
        triggers.append("safety_critical")
        reasons.append(Reason("defense.trigger_safety"))
    claims = profile.history.claims_last_5_years
    if claims:
        triggers.append("claims_history")
        reasons.append(Reason("defense.trigger_claims", {"claims": claims}))
    requiring = [c.client for c in profile.contracts if c.defense_outside_limits]
    for client in requiring:
        reasons.append(Reason("defense.trigger_contract_form", {"client": client}))
    if requiring:
        triggers.append("contract_requires_non_eroding")
    state = rs.states.get(profile.business.state or "")
    if state is not None:
        reasons.append(Reason(f"defense.state_{state.state}"))

    allowance = defense_allowance(limit.per_claim, rs)
    limit_if_eroding = eroding_limit(limit.per_claim, rs)
    if limit_if_eroding is None:  # no single policy leaves the limit for damages after defense
        triggers.append("eroding_above_ladder")
    values = {
        "limit": limit.per_claim,
        "limit_if_eroding": limit_if_eroding,
        "allowance": allowance,
        "left": limit.per_claim - allowance,
        "top": rs.limit_ladder[-1],
        "clients": requiring,
    }
    recommendation = NON_ERODING if triggers else ERODING_OK
    if requiring:  # a contract demands defense outside the limit: no eroding alternative
        limit_if_eroding = None
        reasons.append(Reason("defense.firm_contract", values))
    elif limit_if_eroding is None:
        reasons.append(Reason("defense.firm_above_ladder", values))
    else:
        reasons.append(Reason("defense.firm" if triggers else "defense.eroding_ok", values))
    used = (
        "defense.defense_allowance_ratio",
        *(["defense.defense_allowance_cap"] if allowance == rs.defense_allowance_cap else []),
        *(["defense.large_contract_share"] if "large_contract" in triggers else []),
    )
    if trace is not None:
        inputs = {"triggers": triggers, "limit.per_claim": limit.per_claim, "business.state": profile.business.state}
        trace.append(
            Trace("defense_costs", recommendation, inputs, {"recommendation": recommendation, "limit_if_eroding": limit_if_eroding}, list(used))
        )
    return DefenseAdvice(recommendation, limit_if_eroding, tuple(triggers), tuple(reasons), not requiring, allowance, used)


def suggested_limit(rule: str | None, profile: Profile, rs: RuleSet) -> int | None:
    """A gap's suggested limit, where a rule supports one (rules/gaps.toml ``suggested``)."""
    if rule == "cyber":
        return max([rs.cyber_minimum, *(c.cyber_limit or 0 for c in profile.contracts)])
    if rule == "general_liability":
        return rs.gl_standard
    return None


def find_gaps(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> tuple[Gap, ...]:
    """Gap rules over the profile's facts; the first matching rule per coverage wins.
    Listed by severity (high first), in rule order within a severity."""
    have = f.gap_facts
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule, when, unless in rs.gaps:
        if rule.coverage in seen or when.isdisjoint(have) or not unless.isdisjoint(have):
            continue
        seen.add(rule.coverage)
        limit = suggested_limit(rule.suggested, profile, rs)
        gaps.append(Gap(rule.coverage, rule.severity, Reason(f"gap.{rule.id}"), rule.source, rule.id, limit, rule.parties))
        if trace is not None:
            trace.append(Trace("gaps", rule.coverage, {"facts": sorted(when & have)}, rule.severity, [f"gaps.{rule.id}"]))
    return tuple(sorted(gaps, key=lambda g: SEVERITY_ORDER[g.severity]))


def suggest_actions(profile: Profile, premium: Premium, gaps: tuple[Gap, ...], rs: RuleSet) -> tuple[Action, ...]:
    """Premium reducers that apply and are not done yet (none for a business that is closing)."""
    if profile.closing:
        return ()
    actions: list[Action] = []
    for pid in rs.practice_actions:
        if getattr(profile.practices, pid):
            continue
        share = 1.0 - rs.practice_credit[pid]
        saving = round_to(premium.estimate * share, rs.rounding)
        actions.append(Action(pid, Reason(f"action.{pid}"), Reason(f"action.{pid}_effect", {"percent": share, "saving": saving}), saving))
    open_gaps = {g.coverage for g in gaps} & {"general_liability", "cyber"}
    if open_gaps:  # a package closes only these two gaps
        saving = round_to(premium.estimate * rs.bundle_discount, rs.rounding)
        held = "" if len(open_gaps) == 2 else "_cyber" if "cyber" in open_gaps else "_gl"
        actions.append(
            Action(
                "bundle", Reason(f"action.bundle{held}"), Reason("action.bundle_effect", {"percent": rs.bundle_discount, "saving": saving}), saving
            )
        )
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
    deductible = advise_deductible(profile, limit, rs, trace)
    defense = advise_defense(profile, limit, f, rs, trace)
    closing = profile.closing
    # closing the business: the advice is the tail; no new cover, gap or contract to meet
    gaps = () if closing else find_gaps(profile, f, rs, trace)
    premium = rate(
        profile, limit.per_claim, deductible.amount, aggregate=limit.aggregate, non_eroding=defense.recommendation == NON_ERODING, rules=rs
    )
    step = step_rating(profile, premium, rs, as_of)
    if step is not None:  # claims-made: what a later retroactive date would cost instead
        premium = premium._replace(basis=(*premium.basis, step))
    if "safety_critical" in f.gap_facts:  # no rating value prices it: the range is indicative only
        premium = premium._replace(basis=(*premium.basis, Reason("premium.safety_unpriced")))
    tails = tail_prices(profile, rs)
    found = findings(profile, limit, deductible, defense, gaps, tails, f.demand, f.gap_facts, rs, as_of)
    if trace is not None:
        trace.append(
            Trace(
                "premium",
                "rating",
                {fa.name: fa.multiplier for fa in premium.factors},
                {"low": premium.low, "high": premium.high, "estimate": premium.estimate},
                list(premium.params),
            )
        )
        trace = [t._replace(sources=param_sources(t.params, rs)) for t in trace]
    uw = Underwriting(False, (), ()) if closing else underwriting(profile, limit, f.gap_facts, rs)  # nothing new to place
    return Result(
        limit,
        deductible,
        defense,
        gaps,
        premium,
        suggest_actions(profile, premium, gaps, rs),
        found,
        () if closing else check_contracts(profile, limit, defense),
        uw,
        profile.business.name,
        rs.rules.version,
        cited_sources(profile, limit, deductible, defense, premium, gaps, found, uw, rs, tails),
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
        out.append(
            {
                "param": name,
                "value": param.to_dict().get("value", param.to_dict().get("brackets")),
                "unit": param.unit,
                "source": param.source,
                "title": src.title,
                "confidence": src.confidence,
            }
        )
    return out


def cited_sources(
    profile: Profile,
    limit: LimitAdvice,
    deductible: DeductibleAdvice,
    defense: DefenseAdvice,
    premium: Premium,
    gaps: tuple[Gap, ...],
    found: tuple[Any, ...],
    uw: Any,
    rs: RuleSet,
    tails: tuple[TailPrice, ...] = (),
) -> tuple[str, ...]:
    """The source ids of every rules value the advice used, each once, in the order
    first cited (and only those: a floor that did not apply is not cited)."""
    source = rs.param_source.__getitem__  # rules parameter -> its source id
    ids = dict.fromkeys(["seed"])  # the article the advice starts from
    if tails:  # the tail prices: shares of the expiring premium
        ids.update(dict.fromkeys(map(source, ("review.tail_factor_low", "review.tail_factor_high"))))
    # closing: only the tail is advised (no gaps, no referral), so the new policy's values
    # are not cited; the rating is, when it estimated the expiring premium the tail rests on
    cp = profile.current_policy
    if profile.closing:
        priced: tuple[Any, ...] = (premium,) if cp is not None and not cp.annual_premium else ()
    else:
        priced = (limit, deductible, defense, premium)
    for advice in priced:
        ids.update(dict.fromkeys(map(source, advice.params)))
    if priced:
        ids.update(dict.fromkeys([fa.source for fa in premium.factors]))
    ids.update(dict.fromkeys([g.source for g in gaps]))
    state = rs.states.get(profile.business.state or "")
    if state is not None and not profile.closing:  # the defense advice names the state rule
        ids[state.source] = None
    ids.update(dict.fromkeys([x.source for x in found if x.source]))
    ids.update(dict.fromkeys(map(source, uw.params)))
    return tuple(ids)
