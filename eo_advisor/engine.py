"""The recommendation engine: pure functions from a validated Profile to a Result.

No I/O, no printing, no prompts. Every number comes from the rules data
(:mod:`eo_advisor.rules`); every sentence from ``rules/messages.toml``.
What the rules allow is precomputed once per :class:`Rules` (see :class:`Compiled`),
so assessing a row costs only the arithmetic.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

from .amounts import format_amount as usd
from .profile import Profile
from .result import (
    Action,
    DeductibleAdvice,
    DefenseAdvice,
    Factor,
    Gap,
    LimitAdvice,
    Premium,
    Result,
    Trace,
)
from .rules import Rules, load_rules

NON_ERODING = "non-eroding"
ERODING_OK = "eroding-acceptable"


class Brackets:
    """A (min, value) step function, looked up with bisect."""

    __slots__ = ("mins", "values")

    def __init__(self, pairs: tuple[tuple[float, float], ...]) -> None:
        self.mins = [m for m, _ in pairs]
        self.values = [v for _, v in pairs]

    def __call__(self, x: float) -> float:
        return self.values[max(bisect_right(self.mins, x) - 1, 0)]


class Compiled:
    """The rules data turned into fast lookups, built once per Rules object."""

    def __init__(self, rules: Rules) -> None:
        v = rules.value
        self.rules = rules
        self.minimum_limit: int = v("limits.minimum_limit")
        self.limit_ladder: tuple[int, ...] = v("limits.limit_ladder")
        self.cdf: float = v("limits.consequential_damages_factor")
        self.regulated_minimum: int = v("limits.regulated_minimum_limit")
        self.regulated_factor: float = v("limits.regulated_exposure_factor")
        self.sensitive_factor: float = v("limits.sensitive_data_exposure_factor")
        self.aggregate_multiplier: int = v("limits.aggregate_multiplier")
        self.aggregate_revenue: int = v("limits.aggregate_revenue_threshold")
        self.aggregate_staff: int = v("limits.aggregate_staff_threshold")
        self.deductible_ladder: tuple[int, ...] = v("deductibles.deductible_ladder")
        self.absorbable_share: float = v("deductibles.absorbable_share_of_revenue")
        self.defense_allowance: float = v("defense.defense_allowance_ratio")
        self.large_contract_share: float = v("defense.large_contract_share")
        self.base_premium: float = v("rating.base_premium")
        self.minimum_premium: float = v("rating.minimum_premium")
        self.range_low: float = v("rating.range_low")
        self.range_high: float = v("rating.range_high")
        self.revenue = Brackets(v("rating.revenue_factor"))
        self.claims = Brackets(v("rating.claims_factor"))
        self.experience = Brackets(v("rating.experience_factor"))
        self.service: dict[str, float] = dict(v("rating.service_factor"))
        self.industry: dict[str, float] = dict(v("rating.industry_factor"))
        self.sensitive_data: float = v("rating.sensitive_data_factor")
        self.products: float = v("rating.products_factor")
        self.limit_factor = {int(k): float(x) for k, x in v("rating.limit_factor").items()}
        self.aggregate_factor: float = v("rating.aggregate_factor")
        self.deductible_factor = {int(k): float(x) for k, x in v("rating.deductible_factor").items()}
        self.non_eroding: float = v("rating.non_eroding_factor")
        self.practice_credit: dict[str, float] = dict(v("rating.practice_credit"))
        self.max_practice_credit: float = v("rating.max_practice_credit")
        self.bundle_discount: float = v("rating.bundle_discount")
        self.regulated: frozenset[str] = rules.regulated_industries


def compiled(rules: Rules | None = None) -> Compiled:
    rules = rules or load_rules()
    if rules._compiled is None:
        rules._compiled = Compiled(rules)
    return rules._compiled


def round_up_to_ladder(amount: float, ladder: tuple[int, ...]) -> int | None:
    """Smallest rung >= amount, or None when the amount is above the top rung."""
    for rung in ladder:
        if rung >= amount:
            return rung
    return None


def _interpolate(table: dict[int, float], x: int) -> float:
    """Factor for x from a {point: factor} table; linear between points, flat outside."""
    if x in table:
        return table[x]
    points = sorted(table)
    if x <= points[0]:
        return table[points[0]]
    if x >= points[-1]:
        return table[points[-1]]
    i = bisect_right(points, x)
    lo, hi = points[i - 1], points[i]
    return table[lo] + (table[hi] - table[lo]) * (x - lo) / (hi - lo)


def _pct(share: float) -> str:
    return f"{share * 100:g}"


def _round10(x: float) -> int:
    return int(math.floor(x / 10 + 0.5) * 10)


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
def regulated_clients(profile: Profile, c: Compiled) -> list[str]:
    return [i for i in profile.work.client_industries if i in c.regulated]


def contract_minimum(profile: Profile) -> tuple[int, str]:
    """Highest E&O limit any contract asks for, and who asks for it."""
    best, who = profile.work.contractual_minimum, "work.contractual_minimum"
    for contract in profile.contracts:
        if contract.eo_limit >= best:  # name the client when one matches the shorthand
            best, who = contract.eo_limit, contract.client
    return best, who


def advise_limit(profile: Profile, c: Compiled, trace: list[Trace] | None = None) -> LimitAdvice:
    m = c.rules.msg
    work = profile.work
    reasons = [m("limit.floor", minimum=usd(c.minimum_limit))]
    needed, driver = c.minimum_limit, "minimum_limit"

    exposure = work.largest_contract * c.cdf
    reasons.append(m("limit.contract_exposure", largest_contract=usd(work.largest_contract), factor=f"{c.cdf:g}", exposure=usd(round(exposure))))
    regulated = regulated_clients(profile, c)
    if regulated:
        exposure *= c.regulated_factor
        reasons.append(m("limit.regulated_exposure", industries=", ".join(regulated), factor=f"{c.regulated_factor:g}", exposure=usd(round(exposure))))
    if work.handles_sensitive_data:
        exposure *= c.sensitive_factor
        reasons.append(m("limit.sensitive_exposure", factor=f"{c.sensitive_factor:g}", exposure=usd(round(exposure))))
    exposure = round(exposure)
    if exposure > needed:
        needed, driver = exposure, "contract_exposure"
    if regulated:
        reasons.append(m("limit.regulated_floor", industries=", ".join(regulated), floor=usd(c.regulated_minimum)))
        if c.regulated_minimum > needed:
            needed, driver = c.regulated_minimum, "regulated_minimum_limit"
    minimum, who = contract_minimum(profile)
    if minimum:
        reasons.append(m("limit.contract_minimum", minimum=usd(minimum), who="A client contract" if who == "work.contractual_minimum" else f"The contract with {who}"))
        if minimum >= needed:
            needed, driver = minimum, "contractual_minimum"

    per_claim = round_up_to_ladder(needed, c.limit_ladder)
    if per_claim is None:
        per_claim = c.limit_ladder[-1]
        reasons.append(m("limit.above_ladder", needed=usd(needed), limit=usd(per_claim)))
    else:
        reasons.append(m("limit.rounded", needed=usd(needed), limit=usd(per_claim), driver=m(f"driver.{driver}")))

    big = []
    if profile.business.annual_revenue >= c.aggregate_revenue:
        big.append(m("limit.aggregate_why_revenue", revenue=usd(profile.business.annual_revenue)))
    if profile.business.employees >= c.aggregate_staff:
        big.append(m("limit.aggregate_why_staff", employees=profile.business.employees))
    if big:
        aggregate = per_claim * c.aggregate_multiplier
        reasons.append(m("limit.aggregate_raised", multiplier=c.aggregate_multiplier, aggregate=usd(aggregate), why=" and ".join(big)))
    else:
        aggregate = per_claim
        reasons.append(m("limit.aggregate_equal", aggregate=usd(aggregate)))

    if trace is not None:
        trace.append(Trace("limit", driver, {
            "work.largest_contract": work.largest_contract,
            "regulated_clients": regulated,
            "work.handles_sensitive_data": work.handles_sensitive_data,
            "contract_minimum": minimum,
            "business.annual_revenue": profile.business.annual_revenue,
            "business.employees": profile.business.employees,
        }, {"per_claim": per_claim, "aggregate": aggregate, "exposure": exposure}, [
            "limits.minimum_limit", "limits.consequential_damages_factor",
            *(["limits.regulated_exposure_factor", "limits.regulated_minimum_limit"] if regulated else []),
            *(["limits.sensitive_data_exposure_factor"] if work.handles_sensitive_data else []),
            "limits.limit_ladder", "limits.aggregate_multiplier", "limits.aggregate_revenue_threshold",
            "limits.aggregate_staff_threshold",
        ]))
    return LimitAdvice(per_claim, aggregate, reasons, exposure, driver)


def absorbable_deductible(profile: Profile, c: Compiled) -> int:
    return round(profile.business.annual_revenue * c.absorbable_share)


def advise_deductible(profile: Profile, c: Compiled, trace: list[Trace] | None = None) -> DeductibleAdvice:
    m = c.rules.msg
    absorbable = absorbable_deductible(profile, c)
    fitting = [d for d in c.deductible_ladder if d <= absorbable]
    revenue = usd(profile.business.annual_revenue)
    share = _pct(c.absorbable_share)
    if fitting:
        amount = fitting[-1]
        reasons = [m("deductible.sized", revenue=revenue, absorbable=usd(absorbable), share=share, deductible=usd(amount))]
    else:
        amount = c.deductible_ladder[0]
        reasons = [m("deductible.lowest", revenue=revenue, absorbable=usd(absorbable), share=share, deductible=usd(amount))]
    if trace is not None:
        trace.append(Trace("deductible", "absorbable_share_of_revenue", {"business.annual_revenue": profile.business.annual_revenue},
                           {"amount": amount, "absorbable": absorbable},
                           ["deductibles.absorbable_share_of_revenue", "deductibles.deductible_ladder"]))
    return DeductibleAdvice(amount, absorbable, reasons)


def eroding_limit(per_claim: int, c: Compiled) -> int:
    """Limit to buy so the recommended limit survives a typical defense inside it."""
    wanted = per_claim * (1 + c.defense_allowance)
    rung = round_up_to_ladder(wanted, c.limit_ladder)
    return rung if rung is not None else int(math.ceil(wanted / 1_000_000) * 1_000_000)


def advise_defense(profile: Profile, limit: LimitAdvice, c: Compiled, trace: list[Trace] | None = None) -> DefenseAdvice:
    m = c.rules.msg
    triggers: list[str] = []
    reasons = [m("defense.general")]
    regulated = regulated_clients(profile, c)
    if regulated:
        triggers.append("regulated_clients")
        reasons.append(m("defense.trigger_regulated", industries=", ".join(regulated)))
    if profile.work.handles_sensitive_data:
        triggers.append("sensitive_data")
        reasons.append(m("defense.trigger_sensitive"))
    if limit.driver == "contractual_minimum":
        triggers.append("contract_driven_limit")
        reasons.append(m("defense.trigger_contract", limit=usd(limit.per_claim)))
    contract_exposure = profile.work.largest_contract * c.cdf
    if contract_exposure >= c.large_contract_share * limit.per_claim:
        triggers.append("large_contract")
        reasons.append(m("defense.trigger_large_contract", largest_contract=usd(profile.work.largest_contract), share=_pct(c.large_contract_share), limit=usd(limit.per_claim)))
    if profile.history.claims_last_5_years:
        triggers.append("claims_history")
        reasons.append(m("defense.trigger_claims", claims=profile.history.claims_last_5_years))
    for contract in profile.contracts:
        if contract.defense_outside_limits:
            triggers.append("contract_requires_non_eroding")
            reasons.append(m("defense.trigger_contract_form", client=contract.client))
    state = profile.business.state
    if state and f"defense.state_{state}" in c.rules.messages:
        reasons.append(m(f"defense.state_{state}"))

    limit_if_eroding = eroding_limit(limit.per_claim, c)
    allowance = usd(round(limit.per_claim * c.defense_allowance))
    if triggers:
        recommendation = NON_ERODING
        reasons.append(m("defense.firm", limit=usd(limit.per_claim), limit_if_eroding=usd(limit_if_eroding), allowance=allowance))
    else:
        recommendation = ERODING_OK
        left = usd(limit.per_claim - round(limit.per_claim * c.defense_allowance))
        reasons.append(m("defense.eroding_ok", limit=usd(limit.per_claim), allowance=allowance, left=left, limit_if_eroding=usd(limit_if_eroding)))
    if trace is not None:
        trace.append(Trace("defense_costs", recommendation, {"triggers": triggers, "limit.per_claim": limit.per_claim, "business.state": state},
                           {"recommendation": recommendation, "limit_if_eroding": limit_if_eroding},
                           ["defense.defense_allowance_ratio", "defense.large_contract_share", "limits.consequential_damages_factor"]))
    return DefenseAdvice(recommendation, limit_if_eroding, triggers, reasons)


def facts(profile: Profile, c: Compiled) -> set[str]:
    """The facts gap rules test (see rules/gaps.toml)."""
    w = profile.work
    out = {f"service:{s}" for s in w.services}
    out.update(f"industry:{i}" for i in w.client_industries)
    if w.handles_sensitive_data:
        out.add("sensitive_data")
    if w.onsite_work:
        out.add("onsite_work")
    if w.builds_products:
        out.add("builds_products")
    if profile.business.employees > 0:
        out.add("has_staff")
    if any(i in c.regulated for i in w.client_industries):
        out.add("regulated_clients")
    cp = profile.current_policy
    if cp is not None:
        if cp.includes_cyber:
            out.add("policy:cyber")
        if cp.has_general_liability:
            out.add("policy:general_liability")
    return out


def find_gaps(profile: Profile, c: Compiled, trace: list[Trace] | None = None) -> list[Gap]:
    have = facts(profile, c)
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule in c.rules.gaps:
        if rule.coverage in seen:
            continue
        if any(f in have for f in rule.when_any) and not any(f in have for f in rule.unless_any):
            seen.add(rule.coverage)
            gaps.append(Gap(rule.coverage, rule.severity, rule.reason, rule.source))
            if trace is not None:
                trace.append(Trace("gaps", rule.coverage, {"facts": sorted(f for f in rule.when_any if f in have)}, rule.severity, [f"gaps.{rule.coverage}"]))
    return gaps


# ---------------------------------------------------------------------------
# Rating: one model for assess, options and every what-if
# ---------------------------------------------------------------------------
def rate(
    profile: Profile,
    per_claim: int,
    deductible: int,
    *,
    aggregate: int | None = None,
    non_eroding: bool = False,
    rules: Rules | None = None,
    detail: bool = True,
) -> Premium:
    """Premium estimate for this profile at a given limit, deductible and defense form."""
    c = compiled(rules)
    m = c.rules.msg
    b, w = profile.business, profile.work
    aggregate = per_claim if aggregate is None else aggregate

    svc = max(w.services, key=lambda s: c.service[s])
    ind = max(w.client_industries, key=lambda i: c.industry[i])
    credited = [p for p in c.practice_credit if getattr(profile.practices, p)]
    credit = 1.0
    for p in credited:
        credit *= c.practice_credit[p]
    credit = max(credit, 1.0 - c.max_practice_credit)
    multipliers = [
        ("revenue", c.revenue(b.annual_revenue), "rating.revenue_factor"),
        ("services", c.service[svc], "rating.service_factor"),
        ("client_industries", c.industry[ind], "rating.industry_factor"),
        ("sensitive_data", c.sensitive_data if w.handles_sensitive_data else 1.0, "rating.sensitive_data_factor"),
        ("own_products", c.products if w.builds_products else 1.0, "rating.products_factor"),
        ("claims_history", c.claims(profile.history.claims_last_5_years), "rating.claims_factor"),
        ("prior_acts", c.experience(b.years_in_business), "rating.experience_factor"),
        ("limit", _interpolate(c.limit_factor, per_claim), "rating.limit_factor"),
        ("aggregate", c.aggregate_factor if aggregate > per_claim else 1.0, "rating.aggregate_factor"),
        ("deductible", _interpolate(c.deductible_factor, deductible), "rating.deductible_factor"),
        ("defense_costs", c.non_eroding if non_eroding else 1.0, "rating.non_eroding_factor"),
        ("practices", credit, "rating.practice_credit"),
    ]
    point = c.base_premium
    for _, x, _ in multipliers:
        point *= x
    floored = point < c.minimum_premium
    point = max(point, c.minimum_premium)
    low, high = _round10(point * c.range_low), _round10(point * c.range_high)
    if not detail:
        return Premium(low, high, _round10(point), int(c.base_premium), [], "")

    details = {
        "revenue": m("factor.revenue", revenue=usd(b.annual_revenue)),
        "services": m("factor.services", service=c.rules.services[svc]["label"]),
        "client_industries": m("factor.client_industries", industry=c.rules.industries[ind]["label"]),
        "sensitive_data": m("factor.sensitive_data_yes" if w.handles_sensitive_data else "factor.sensitive_data_no"),
        "own_products": m("factor.own_products_yes" if w.builds_products else "factor.own_products_no"),
        "claims_history": m("factor.claims_history", claims=profile.history.claims_last_5_years),
        "prior_acts": m("factor.prior_acts", years=b.years_in_business),
        "limit": m("factor.limit", limit=usd(per_claim)),
        "aggregate": m("factor.aggregate", aggregate=usd(aggregate)),
        "deductible": m("factor.deductible", deductible=usd(deductible)),
        "defense_costs": m("factor.defense_non_eroding" if non_eroding else "factor.defense_eroding"),
        "practices": m("factor.practices", practices=", ".join(credited) or "none"),
    }
    factors = [
        Factor(name, round(x, 4), details[name], c.rules.params[pname].source)
        for name, x, pname in multipliers
    ]
    basis = m("premium.basis", base=usd(int(c.base_premium)), low=_pct(c.range_low), high=_pct(c.range_high))
    if floored:
        basis += " " + m("premium.minimum", minimum=usd(int(c.minimum_premium)))
    return Premium(low, high, _round10(point), int(c.base_premium), factors, basis)


def suggest_actions(profile: Profile, premium: Premium, c: Compiled) -> list[Action]:
    actions: list[Action] = []
    for pid, rule in c.rules.practice_actions.items():
        if getattr(profile.practices, pid):
            continue
        share = 1.0 - c.practice_credit[pid]
        saving = _round10(premium.estimate * share)
        actions.append(Action(pid, rule.action, rule.effect.format(percent=_pct(round(share, 4)), saving=usd(saving)), saving))
    cp = profile.current_policy
    if cp is None or not (cp.includes_cyber and cp.has_general_liability):
        rule = c.rules.bundle_action
        assert rule is not None
        saving = _round10(premium.estimate * c.bundle_discount)
        actions.append(Action("bundle", rule.action, rule.effect.format(percent=_pct(c.bundle_discount), saving=usd(saving)), saving))
    return actions


def policy_warnings(profile: Profile, limit: LimitAdvice, deductible: DeductibleAdvice, defense: DefenseAdvice, c: Compiled) -> list[str]:
    m = c.rules.msg
    warnings: list[str] = []
    if limit.driver != "minimum_limit" and limit.exposure > c.limit_ladder[-1]:
        warnings.append(m("warning.above_ladder", exposure=usd(limit.exposure), top=usd(c.limit_ladder[-1])))
    cp = profile.current_policy
    if cp is None:
        return warnings
    minimum, who = contract_minimum(profile)
    if minimum and cp.limit < minimum:
        warnings.append(m("warning.policy_below_contract", current=usd(cp.limit), minimum=usd(minimum), who="a client contract" if who == "work.contractual_minimum" else f"the contract with {who}"))
    if cp.limit < limit.per_claim:
        warnings.append(m("warning.policy_below_recommendation", current=usd(cp.limit), limit=usd(limit.per_claim)))
    if cp.defense_costs == "eroding" and defense.recommendation == NON_ERODING:
        warnings.append(m("warning.policy_eroding", limit_if_eroding=usd(defense.limit_if_eroding)))
    if cp.deductible > deductible.absorbable and cp.deductible > c.deductible_ladder[0]:
        warnings.append(m("warning.policy_deductible_high", current=usd(cp.deductible), absorbable=usd(deductible.absorbable)))
    return warnings


def assess(profile: Profile, rules: Rules | None = None, *, explain: bool = False) -> Result:
    """Assess one validated profile. Pure: same profile and rules, same result."""
    c = compiled(rules)
    trace: list[Trace] | None = [] if explain else None
    limit = advise_limit(profile, c, trace)
    deductible = advise_deductible(profile, c, trace)
    defense = advise_defense(profile, limit, c, trace)
    gaps = find_gaps(profile, c, trace)
    premium = rate(profile, limit.per_claim, deductible.amount, aggregate=limit.aggregate,
                   non_eroding=defense.recommendation == NON_ERODING, rules=c.rules)
    if trace is not None:
        trace.append(Trace("premium", "rating", {f.name: f.multiplier for f in premium.factors},
                           {"low": premium.low, "high": premium.high, "estimate": premium.estimate},
                           [p for p in c.rules.params if p.startswith("rating.")]))
    actions = suggest_actions(profile, premium, c)
    warnings = policy_warnings(profile, limit, deductible, defense, c)
    return Result(
        limit=limit,
        deductible=deductible,
        defense_costs=defense,
        gaps=gaps,
        premium=premium,
        actions=actions,
        warnings=warnings,
        business_name=profile.business.name,
        rules_version=c.rules.version,
        sources=_cited_sources(premium, gaps, c),
        explain=trace,
    )


def _cited_sources(premium: Premium, gaps: list[Gap], c: Compiled) -> list[dict[str, Any]]:
    ids = dict.fromkeys(["seed"])
    for pname in ("limits.minimum_limit", "limits.consequential_damages_factor", "limits.regulated_minimum_limit",
                  "deductibles.absorbable_share_of_revenue", "defense.defense_allowance_ratio"):
        ids[c.rules.params[pname].source] = None
    ids.update(dict.fromkeys(f.source for f in premium.factors))
    ids.update(dict.fromkeys(g.source for g in gaps))
    srcs = c.rules.sources
    return [{"id": i, "title": srcs[i].title, "url": srcs[i].url, "confidence": srcs[i].confidence} for i in ids]
