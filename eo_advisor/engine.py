"""The recommendation engine: pure functions from a validated Profile to a Result.

No I/O, no printing, no prompts. Every number comes from the rules data
(:mod:`eo_advisor.rules`); every sentence from ``rules/messages.toml``.
What the rules allow is precomputed once per :class:`Rules` (see :class:`Compiled`),
so assessing a row costs only the arithmetic.
"""

from __future__ import annotations

import datetime as _dt
import math
from bisect import bisect_right
from typing import Any

from . import review
from .amounts import USD
from .profile import Practices, Profile, contract_minimum
from .result import (
    NO_UNDERWRITING,
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
        self.gap_rules = [(g, frozenset(g.when_any), frozenset(g.unless_any)) for g in rules.gaps]
        self.service_facts = {s: f"service:{s}" for s in rules.services}
        self.industry_facts = {i: f"industry:{i}" for i in rules.industries}
        # gap rules as bit masks over the facts they read: a profile's facts become one
        # int, and the gaps for that int are computed once and memoised
        used = sorted({f for g in rules.gaps for f in (*g.when_any, *g.unless_any)})
        self.fact_bit = {f: 1 << i for i, f in enumerate(used)}
        self.service_bits = {s: self.fact_bit.get(f"service:{s}", 0) for s in rules.services}
        self.industry_bits = {i: self.fact_bit.get(f"industry:{i}", 0) for i in rules.industries}
        self.gap_masks = [
            (g, sum(self.fact_bit[f] for f in g.when_any), sum(self.fact_bit[f] for f in g.unless_any)) for g in rules.gaps
        ]
        self.say = Say(rules.messages)
        self.referral_limit: int = v("review.referral_limit")
        self.referral_revenue: int = v("review.referral_revenue")
        self.referral_industries = frozenset(v("review.referral_industries"))
        self.referral_claims: int = v("review.referral_claims")
        self.online_quote_limit: int = v("review.online_quote_limit")
        self.tail_low = {int(k): float(x) for k, x in v("review.tail_factor_low").items()}
        self.tail_high = {int(k): float(x) for k, x in v("review.tail_factor_high").items()}
        self.gap_cache: dict[int, tuple[Gap, ...]] = {}
        self.service_max: dict[tuple[str, ...], str] = {}
        self.industry_max: dict[tuple[str, ...], str] = {}
        self.credit: dict[tuple[bool, ...], tuple[float, tuple[str, ...]]] = {}
        # every combination of practices (a Practices tuple) -> (capped credit, credited names)
        names = Practices._fields
        for bits in range(2 ** len(names)):
            flags = tuple(bool(bits >> i & 1) for i in range(len(names)))
            credited = tuple(p for p, on in zip(names, flags) if on and p in self.practice_credit)
            product = 1.0
            for p in credited:
                product *= self.practice_credit[p]
            self.credit[flags] = (max(product, 1.0 - self.max_practice_credit), credited)


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
    """Nearest $10, halves up (amounts here are positive)."""
    return int((x + 5) // 10) * 10


class Say:
    """Renders reason sentences from rules/messages.toml. The engine calls it only
    when the prose is wanted (``detail``); amounts are passed as :class:`USD`."""

    __slots__ = ("messages",)

    def __init__(self, messages: dict[str, str]) -> None:
        self.messages = messages

    def __call__(self, out: list[str], key: str, **fields: Any) -> None:
        out.append(self.messages[key].format(**fields))

    def text(self, key: str, **fields: Any) -> str:
        return self.messages[key].format(**fields)


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
def regulated_clients(profile: Profile, c: Compiled) -> list[str]:
    return [i for i in profile.work.client_industries if i in c.regulated]


def advise_limit(profile: Profile, c: Compiled, trace: list[Trace] | None = None, *, detail: bool = True) -> LimitAdvice:
    say = c.say
    work = profile.work
    reasons: list[str] = []
    if detail:
        say(reasons, "limit.floor", minimum=USD(c.minimum_limit))
    needed, driver = c.minimum_limit, "minimum_limit"

    exposure = work.largest_contract * c.cdf
    if detail:
        say(reasons, "limit.contract_exposure", largest_contract=USD(work.largest_contract), factor=f"{c.cdf:g}", exposure=USD(round(exposure)))
    regulated = regulated_clients(profile, c)
    if regulated:
        exposure *= c.regulated_factor
        if detail:
            say(reasons, "limit.regulated_exposure", industries=", ".join(regulated), factor=f"{c.regulated_factor:g}", exposure=USD(round(exposure)))
    if work.handles_sensitive_data:
        exposure *= c.sensitive_factor
        if detail:
            say(reasons, "limit.sensitive_exposure", factor=f"{c.sensitive_factor:g}", exposure=USD(round(exposure)))
    exposure = round(exposure)
    if exposure > needed:
        needed, driver = exposure, "contract_exposure"
    if regulated:
        if detail:
            say(reasons, "limit.regulated_floor", industries=", ".join(regulated), floor=USD(c.regulated_minimum))
        if c.regulated_minimum > needed:
            needed, driver = c.regulated_minimum, "regulated_minimum_limit"
    minimum, who = contract_minimum(profile)
    if minimum:
        if detail:
            say(reasons, "limit.contract_minimum", minimum=USD(minimum), who="A client contract" if who == "work.contractual_minimum" else f"The contract with {who}")
        if minimum >= needed:
            needed, driver = minimum, "contractual_minimum"

    per_claim = round_up_to_ladder(needed, c.limit_ladder)
    if per_claim is None:
        per_claim = c.limit_ladder[-1]
        if detail:
            say(reasons, "limit.above_ladder", needed=USD(needed), limit=USD(per_claim))
    else:
        if detail:
            say(reasons, "limit.rounded", needed=USD(needed), limit=USD(per_claim), driver=say.text(f"driver.{driver}") if detail else "")

    big_revenue = profile.business.annual_revenue >= c.aggregate_revenue
    big_staff = profile.business.employees >= c.aggregate_staff
    if big_revenue or big_staff:
        aggregate = per_claim * c.aggregate_multiplier
        if detail:
            why = []
            if big_revenue:
                why.append(say.text("limit.aggregate_why_revenue", revenue=USD(profile.business.annual_revenue)))
            if big_staff:
                why.append(say.text("limit.aggregate_why_staff", employees=profile.business.employees))
            if detail:
                say(reasons, "limit.aggregate_raised", multiplier=c.aggregate_multiplier, aggregate=USD(aggregate), why=" and ".join(why))
    else:
        aggregate = per_claim
        if detail:
            say(reasons, "limit.aggregate_equal", aggregate=USD(aggregate))

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


def advise_deductible(profile: Profile, c: Compiled, trace: list[Trace] | None = None, *, detail: bool = True) -> DeductibleAdvice:
    say = c.say
    absorbable = absorbable_deductible(profile, c)
    amount = c.deductible_ladder[0]
    for rung in c.deductible_ladder:
        if rung <= absorbable:
            amount = rung
    reasons: list[str] = []
    key = "deductible.sized" if c.deductible_ladder[0] <= absorbable else "deductible.lowest"
    if detail:
        say(reasons, key, revenue=USD(profile.business.annual_revenue), absorbable=USD(absorbable), share=_pct(c.absorbable_share), deductible=USD(amount))
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


def advise_defense(profile: Profile, limit: LimitAdvice, c: Compiled, trace: list[Trace] | None = None, *, detail: bool = True) -> DefenseAdvice:
    say = c.say
    triggers: list[str] = []
    reasons: list[str] = []
    if detail:
        say(reasons, "defense.general")
    regulated = regulated_clients(profile, c)
    if regulated:
        triggers.append("regulated_clients")
        if detail:
            say(reasons, "defense.trigger_regulated", industries=", ".join(regulated))
    if profile.work.handles_sensitive_data:
        triggers.append("sensitive_data")
        if detail:
            say(reasons, "defense.trigger_sensitive")
    if limit.driver == "contractual_minimum":
        triggers.append("contract_driven_limit")
        if detail:
            say(reasons, "defense.trigger_contract", limit=USD(limit.per_claim))
    if profile.work.largest_contract * c.cdf >= c.large_contract_share * limit.per_claim:
        triggers.append("large_contract")
        if detail:
            say(reasons, "defense.trigger_large_contract", largest_contract=USD(profile.work.largest_contract), share=_pct(c.large_contract_share), limit=USD(limit.per_claim))
    if profile.history.claims_last_5_years:
        triggers.append("claims_history")
        if detail:
            say(reasons, "defense.trigger_claims", claims=profile.history.claims_last_5_years)
    for contract in profile.contracts:
        if contract.defense_outside_limits:
            triggers.append("contract_requires_non_eroding")
            if detail:
                say(reasons, "defense.trigger_contract_form", client=contract.client)
    state = profile.business.state
    if state and f"defense.state_{state}" in say.messages:
        if detail:
            say(reasons, f"defense.state_{state}")

    limit_if_eroding = eroding_limit(limit.per_claim, c)
    allowance = round(limit.per_claim * c.defense_allowance)
    if triggers:
        recommendation = NON_ERODING
        if detail:
            say(reasons, "defense.firm", limit=USD(limit.per_claim), limit_if_eroding=USD(limit_if_eroding), allowance=USD(allowance))
    else:
        recommendation = ERODING_OK
        if detail:
            say(reasons, "defense.eroding_ok", limit=USD(limit.per_claim), allowance=USD(allowance), left=USD(limit.per_claim - allowance), limit_if_eroding=USD(limit_if_eroding))
    if trace is not None:
        trace.append(Trace("defense_costs", recommendation, {"triggers": triggers, "limit.per_claim": limit.per_claim, "business.state": state},
                           {"recommendation": recommendation, "limit_if_eroding": limit_if_eroding},
                           ["defense.defense_allowance_ratio", "defense.large_contract_share", "limits.consequential_damages_factor"]))
    return DefenseAdvice(recommendation, limit_if_eroding, triggers, reasons)


def facts(profile: Profile, c: Compiled) -> set[str]:
    """The facts gap rules test (see rules/gaps.toml)."""
    w = profile.work
    out = {c.service_facts[s] for s in w.services}
    out.update([c.industry_facts[i] for i in w.client_industries])
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


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store in a small bounded memo (pure lookups that repeat across a book of clients)."""
    if len(cache) >= 4096:
        cache.clear()
    cache[key] = value
    return value


def fact_mask(profile: Profile, c: Compiled) -> int:
    """The facts gap rules read, as bits (see Compiled.fact_bit); same rule as facts()."""
    w, bit = profile.work, c.fact_bit.get
    mask = 0
    for s in w.services:
        mask |= c.service_bits[s]
    for i in w.client_industries:
        mask |= c.industry_bits[i]
    if w.handles_sensitive_data:
        mask |= bit("sensitive_data", 0)
    if w.onsite_work:
        mask |= bit("onsite_work", 0)
    if w.builds_products:
        mask |= bit("builds_products", 0)
    if profile.business.employees > 0:
        mask |= bit("has_staff", 0)
    if "regulated_clients" in c.fact_bit and any(i in c.regulated for i in w.client_industries):
        mask |= c.fact_bit["regulated_clients"]
    cp = profile.current_policy
    if cp is not None:
        if cp.includes_cyber:
            mask |= bit("policy:cyber", 0)
        if cp.has_general_liability:
            mask |= bit("policy:general_liability", 0)
    return mask


def _gaps_for_mask(mask: int, c: Compiled) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule, when, unless in c.gap_masks:
        if rule.coverage in seen or not (when & mask) or (unless & mask):
            continue
        seen.add(rule.coverage)
        gaps.append(Gap(rule.coverage, rule.severity, rule.reason, rule.source))
    return tuple(gaps)


def find_gaps(profile: Profile, c: Compiled, trace: list[Trace] | None = None) -> list[Gap]:
    if trace is None:  # the fast path: the facts as bits, their gaps memoised
        mask = fact_mask(profile, c)
        found = c.gap_cache.get(mask)
        if found is None:
            found = _remember(c.gap_cache, mask, _gaps_for_mask(mask, c))
        return list(found)
    return _find_gaps(profile, c, trace)


def _find_gaps(profile: Profile, c: Compiled, trace: list[Trace] | None) -> list[Gap]:
    """The plain reading of gaps.toml over named facts: used for --explain, and the
    reference the bit-mask fast path is property-tested against."""
    have = facts(profile, c)
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule, when, unless in c.gap_rules:
        if rule.coverage in seen or when.isdisjoint(have) or not unless.isdisjoint(have):
            continue
        seen.add(rule.coverage)
        gaps.append(Gap(rule.coverage, rule.severity, rule.reason, rule.source))
        if trace is not None:
            trace.append(Trace("gaps", rule.coverage, {"facts": sorted(when & have)}, rule.severity, [f"gaps.{rule.coverage}"]))
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
    """Premium estimate for this profile at a given limit, deductible and defense form.

    ``detail=False`` skips the factor list and the basis sentence (numbers only)."""
    c = compiled(rules)
    b, w = profile.business, profile.work
    aggregate = per_claim if aggregate is None else aggregate

    svc = c.service_max.get(w.services) or _remember(c.service_max, w.services, max(w.services, key=c.service.__getitem__))
    ind = c.industry_max.get(w.client_industries) or _remember(
        c.industry_max, w.client_industries, max(w.client_industries, key=c.industry.__getitem__))
    credit, credited = c.credit[profile.practices]
    limit_f = c.limit_factor.get(per_claim) or _interpolate(c.limit_factor, per_claim)
    deductible_f = c.deductible_factor.get(deductible) or _interpolate(c.deductible_factor, deductible)
    multipliers = (
        c.revenue(b.annual_revenue),
        c.service[svc],
        c.industry[ind],
        c.sensitive_data if w.handles_sensitive_data else 1.0,
        c.products if w.builds_products else 1.0,
        c.claims(profile.history.claims_last_5_years),
        c.experience(b.years_in_business),
        limit_f,
        c.aggregate_factor if aggregate > per_claim else 1.0,
        deductible_f,
        c.non_eroding if non_eroding else 1.0,
        credit,
    )
    point = c.base_premium
    for x in multipliers:
        point *= x
    floored = point < c.minimum_premium
    if floored:
        point = c.minimum_premium
    low, high = _round10(point * c.range_low), _round10(point * c.range_high)
    if not detail:
        return Premium(low, high, _round10(point), int(c.base_premium), [], "")

    t = c.say.text
    details = (
        t("factor.revenue", revenue=USD(b.annual_revenue)),
        t("factor.services", service=c.rules.services[svc]["label"]),
        t("factor.client_industries", industry=c.rules.industries[ind]["label"]),
        t("factor.sensitive_data_yes" if w.handles_sensitive_data else "factor.sensitive_data_no"),
        t("factor.own_products_yes" if w.builds_products else "factor.own_products_no"),
        t("factor.claims_history", claims=profile.history.claims_last_5_years),
        t("factor.prior_acts", years=b.years_in_business),
        t("factor.limit", limit=USD(per_claim)),
        t("factor.aggregate", aggregate=USD(aggregate)),
        t("factor.deductible", deductible=USD(deductible)),
        t("factor.defense_non_eroding" if non_eroding else "factor.defense_eroding"),
        t("factor.practices", practices=", ".join(credited) or "none"),
    )
    factors = [
        Factor(name, round(x, 4), text, c.rules.params[pname].source)
        for (name, pname), x, text in zip(FACTORS, multipliers, details)
    ]
    basis = t("premium.basis", base=USD(int(c.base_premium)), low=_pct(c.range_low), high=_pct(c.range_high))
    if floored:
        basis += " " + t("premium.minimum", minimum=USD(int(c.minimum_premium)))
    return Premium(low, high, _round10(point), int(c.base_premium), factors, basis)


# the premium factors, in the order rate() multiplies them, with their rules parameter
FACTORS = (
    ("revenue", "rating.revenue_factor"),
    ("services", "rating.service_factor"),
    ("client_industries", "rating.industry_factor"),
    ("sensitive_data", "rating.sensitive_data_factor"),
    ("own_products", "rating.products_factor"),
    ("claims_history", "rating.claims_factor"),
    ("prior_acts", "rating.experience_factor"),
    ("limit", "rating.limit_factor"),
    ("aggregate", "rating.aggregate_factor"),
    ("deductible", "rating.deductible_factor"),
    ("defense_costs", "rating.non_eroding_factor"),
    ("practices", "rating.practice_credit"),
)


def suggest_actions(profile: Profile, premium: Premium, c: Compiled) -> list[Action]:
    actions: list[Action] = []
    for pid, rule in c.rules.practice_actions.items():
        if getattr(profile.practices, pid):
            continue
        share = 1.0 - c.practice_credit[pid]
        saving = _round10(premium.estimate * share)
        actions.append(Action(pid, rule.action, rule.effect.format(percent=_pct(round(share, 4)), saving=USD(saving)), saving))
    cp = profile.current_policy
    if cp is None or not (cp.includes_cyber and cp.has_general_liability):
        rule = c.rules.bundle_action
        assert rule is not None
        saving = _round10(premium.estimate * c.bundle_discount)
        actions.append(Action("bundle", rule.action, rule.effect.format(percent=_pct(c.bundle_discount), saving=USD(saving)), saving))
    return actions


def policy_warnings(profile: Profile, limit: LimitAdvice, deductible: DeductibleAdvice, defense: DefenseAdvice, c: Compiled) -> list[str]:
    """Warnings are always rendered: the batch CSV carries them too."""
    say = c.say
    warnings: list[str] = []
    if limit.driver != "minimum_limit" and limit.exposure > c.limit_ladder[-1]:
        say(warnings, "warning.above_ladder", exposure=USD(limit.exposure), top=USD(c.limit_ladder[-1]))
    cp = profile.current_policy
    if cp is None:
        return warnings
    minimum, who = contract_minimum(profile)
    if minimum and cp.limit < minimum:
        say(warnings, "warning.policy_below_contract", current=USD(cp.limit), minimum=USD(minimum), who="a client contract" if who == "work.contractual_minimum" else f"the contract with {who}")
    if cp.limit < limit.per_claim:
        say(warnings, "warning.policy_below_recommendation", current=USD(cp.limit), limit=USD(limit.per_claim))
    if cp.defense_costs == "eroding" and defense.recommendation == NON_ERODING:
        say(warnings, "warning.policy_eroding", limit_if_eroding=USD(defense.limit_if_eroding))
    if cp.deductible > deductible.absorbable and cp.deductible > c.deductible_ladder[0]:
        say(warnings, "warning.policy_deductible_high", current=USD(cp.deductible), absorbable=USD(deductible.absorbable))
    return warnings


def assess(
    profile: Profile,
    rules: Rules | None = None,
    *,
    explain: bool = False,
    detail: bool = True,
    as_of: _dt.date | None = None,
) -> Result:
    """Assess one validated profile. Pure: same profile and rules, same result.

    ``detail=False`` is the lean mode for spreadsheet rows (batch CSV): limit,
    deductible, defense form, gaps, premium range and warnings are the same, but
    reasons, factor details, actions and sources are left empty (a property test
    checks the numbers match the full mode); contracts, policy review and
    underwriting flags are left out too.

    ``as_of`` is "today" for date checks (the retroactive date against the firm's
    first projects); the engine never reads the clock itself."""
    c = compiled(rules)
    trace: list[Trace] | None = [] if explain else None
    limit = advise_limit(profile, c, trace, detail=detail)
    deductible = advise_deductible(profile, c, trace, detail=detail)
    defense = advise_defense(profile, limit, c, trace, detail=detail)
    gaps = find_gaps(profile, c, trace)
    premium = rate(profile, limit.per_claim, deductible.amount, aggregate=limit.aggregate,
                   non_eroding=defense.recommendation == NON_ERODING, rules=c.rules, detail=detail or explain)
    if trace is not None:
        trace.append(Trace("premium", "rating", {f.name: f.multiplier for f in premium.factors},
                           {"low": premium.low, "high": premium.high, "estimate": premium.estimate},
                           [p for p in c.rules.params if p.startswith("rating.")]))
    if trace is not None:
        trace = [t._replace(sources=_param_sources(t.params, c)) for t in trace]
    return Result(  # positional: this runs once per row of a book
        limit,
        deductible,
        defense,
        gaps,
        premium,
        suggest_actions(profile, premium, c) if detail else [],
        policy_warnings(profile, limit, deductible, defense, c),
        profile.business.name,
        c.rules.version,
        _cited_sources(premium, gaps, c) if detail else (),
        trace,
        review.check_contracts(profile, limit, defense, c) if detail else [],
        review.review_policy(profile, limit, deductible, defense, gaps, premium, c, as_of) if detail else [],
        review.underwriting(profile, limit, c) if detail else NO_UNDERWRITING,
    )


def _param_sources(names: list[str], c: Compiled) -> list[dict[str, Any]]:
    """Value, unit and source of each rules parameter a rule used (for --explain)."""
    from .rulesdoc import value_text

    out = []
    for name in names:
        param = c.rules.params.get(name)
        if param is None:  # a gap rule: its source is on the gap itself
            continue
        src = c.rules.sources[param.source]
        out.append({"param": name, "value": value_text(param), "unit": param.unit, "source": param.source,
                    "title": src.title, "confidence": src.confidence})
    return out


def _cited_sources(premium: Premium, gaps: list[Gap], c: Compiled) -> tuple[dict[str, Any], ...]:
    ids = dict.fromkeys(["seed"])
    for pname in ("limits.minimum_limit", "limits.consequential_damages_factor", "limits.regulated_minimum_limit",
                  "deductibles.absorbable_share_of_revenue", "defense.defense_allowance_ratio"):
        ids[c.rules.params[pname].source] = None
    ids.update(dict.fromkeys(f.source for f in premium.factors))
    ids.update(dict.fromkeys(g.source for g in gaps))
    srcs = c.rules.sources
    return tuple({"id": i, "title": srcs[i].title, "url": srcs[i].url, "confidence": srcs[i].confidence} for i in ids)
