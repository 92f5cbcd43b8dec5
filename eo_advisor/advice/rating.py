"""The premium model: one rating for assess, options and every what-if.

A base premium times one factor per rating variable (rules/rating.toml), floored at
the minimum premium, shown as a range. Pure; returns numbers and reasons.
"""

from __future__ import annotations

import datetime as _dt

from eo_advisor.advice.result import Factor, Premium, Reason
from eo_advisor.profile.model import Profile
from eo_advisor.rules import Rules
from eo_advisor.rules.ruleset import RuleSet, round_to, ruleset

# reasons without values are the same object every time
_SENSITIVE_YES, _SENSITIVE_NO = Reason("factor.sensitive_data_yes"), Reason("factor.sensitive_data_no")
_PRODUCTS_YES, _PRODUCTS_NO = Reason("factor.own_products_yes"), Reason("factor.own_products_no")
_NON_ERODING, _ERODING = Reason("factor.defense_non_eroding"), Reason("factor.defense_eroding")


def practice_credit(profile: Profile, rs: RuleSet) -> tuple[float, tuple[str, ...]]:
    """The schedule-rating multiplier for the practices in place (capped), and which ones count."""
    credited = tuple(p for p, on in zip(profile.practices._fields, profile.practices, strict=False) if on and p in rs.practice_credit)
    product = 1.0
    for p in credited:
        product *= rs.practice_credit[p]
    return max(product, 1.0 - rs.max_practice_credit), credited


def rate(
    profile: Profile,
    per_claim: int,
    deductible: int,
    *,
    aggregate: int | None = None,
    non_eroding: bool = False,
    rules: Rules | RuleSet | None = None,
) -> Premium:
    """Premium estimate for this profile at a given limit, deductible and defense form."""
    rs = rules if isinstance(rules, RuleSet) else ruleset(rules)
    b, w = profile.business, profile.work
    aggregate = per_claim if aggregate is None else aggregate
    svc = max(w.services, key=rs.service.__getitem__)
    ind = max(w.client_industries, key=rs.industry.__getitem__)
    credit, credited = practice_credit(profile, rs)
    claims = profile.history.claims_last_5_years
    before = (  # the factors in FACTORS order before the limit's, then those after it
        rs.revenue(b.annual_revenue),
        rs.service[svc],
        rs.industry[ind],
        rs.sensitive_data if w.handles_sensitive_data else 1.0,
        rs.products if w.builds_products else 1.0,
        rs.claims(claims),
        rs.experience(b.years_in_business),
    )
    after = (
        rs.aggregate_factor if aggregate > per_claim else 1.0,
        rs.deductible_factor(deductible),
        rs.non_eroding if non_eroding else 1.0,
        credit,
    )
    others = rs.base_premium
    for x in before + after:
        others *= x
    limit_f, limit_detail = limit_factor(per_claim, others, rs)
    multipliers = (*before, limit_f, *after)
    point = others * limit_f
    floored = point < rs.minimum_premium
    if floored:
        point = rs.minimum_premium
    step = rs.rounding
    details = (
        Reason("factor.revenue", {"revenue": b.annual_revenue}),
        Reason("factor.services", {"service": svc}),
        Reason("factor.client_industries", {"industry": ind}),
        _SENSITIVE_YES if w.handles_sensitive_data else _SENSITIVE_NO,
        _PRODUCTS_YES if w.builds_products else _PRODUCTS_NO,
        Reason("factor.claims_history", {"claims": claims}),
        Reason("factor.prior_acts", {"years": b.years_in_business}),
        limit_detail,
        Reason("factor.aggregate", {"aggregate": aggregate}),
        Reason("factor.deductible", {"deductible": deductible}),
        _NON_ERODING if non_eroding else _ERODING,
        Reason("factor.practices", {"practices": credited}),
    )
    floor_governs = limit_detail.key == "factor.limit_floor"
    sources = rs.factor_sources_floored if floor_governs else rs.factor_sources
    large = b.annual_revenue > rs.revenue_sourced_to
    if large:  # the revenue factor comes from the assumed points, and its row says so
        sources = (rs.revenue_large_source, *sources[1:])
    factors = tuple(map(Factor, rs.factor_names, [round(x, 4) for x in multipliers], details, sources))
    basis: tuple[Reason, ...] = (Reason("premium.basis", {"base": int(rs.base_premium), "low": rs.range_low, "high": rs.range_high}),)
    if floored:
        basis += (Reason("premium.minimum", {"minimum": int(rs.minimum_premium)}),)
    if large:
        basis += (Reason("premium.revenue_assumed", {"sourced_to": rs.revenue_sourced_to}),)
    low = max(round_to(point * rs.range_low, step), round_to(rs.minimum_premium, step))  # never below the minimum
    used = (
        "rating.base_premium",
        "rating.revenue_factor",
        *(["rating.revenue_factor_large"] if large else []),
        "rating.service_factor",
        "rating.industry_factor",
        *(["rating.sensitive_data_factor"] if w.handles_sensitive_data else []),
        *(["rating.products_factor"] if w.builds_products else []),
        "rating.claims_factor",
        "rating.experience_factor",
        "rating.limit_factor",
        *(["rating.primary_layer", "rating.excess_per_million"] if floor_governs else []),
        *(["rating.aggregate_factor"] if aggregate > per_claim else []),
        "rating.deductible_factor",
        *(["rating.non_eroding_factor"] if non_eroding else []),
        "rating.practice_credit",
        *(["rating.max_practice_credit"] if credit == 1.0 - rs.max_practice_credit else []),
        *(["rating.minimum_premium"] if floored or low == round_to(rs.minimum_premium, step) else []),
        "rating.range_low",
        "rating.range_high",
        "rating.rounding",
    )
    return Premium(low, round_to(point * rs.range_high, step), round_to(point, step), int(rs.base_premium), factors, basis, params=used)


def full_years(start: _dt.date, end: _dt.date) -> int:
    """Whole years from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    return max(end.year - start.year - ((end.month, end.day) < (start.month, start.day)), 0)


def step_rating(profile: Profile, premium: Premium, rs: RuleSet, as_of: _dt.date | None) -> Reason | None:
    """What claims-made step rating would charge instead of the estimate, when it differs.

    The estimate prices prior acts back to the firm's first project (the prior-acts
    factor on years in business), the cover the review advises. A first policy whose
    retroactive date is its start, or a renewal keeping a later retroactive date, is
    step-rated on the years of prior acts it actually covers: this says by how much
    (None when that is no less, the minimum premium included, or when no new policy is
    bought)."""
    cp = profile.current_policy
    years = profile.business.years_in_business
    if cp is None:
        covered, key = 0, "premium.step_first_policy"
    elif profile.closing or cp.retroactive_date is None or as_of is None:
        return None
    else:
        covered, key = min(full_years(cp.retroactive_date, as_of), years), "premium.step_current_retro"
    share = rs.experience(covered) / rs.experience(years)
    stepped = max(round_to(premium.estimate * share, rs.rounding), round_to(rs.minimum_premium, rs.rounding))
    if stepped >= premium.estimate:
        return None
    values = {
        "years": years,
        "covered": covered,
        "share": round(stepped / premium.estimate, 2),  # the minimum premium included
        "estimate": stepped,
        "retro": cp.retroactive_date if cp else None,
    }
    return Reason(key, values)


def limit_factor(per_claim: int, others: float, rs: RuleSet) -> tuple[float, Reason]:
    """The increased-limit factor: the curve, except that above the primary layer the
    premium is never less than the primary layer's plus the per-$1M floor for each
    extra $1M (``others`` is the premium with every factor but the limit's)."""
    curve = rs.limit_factor(per_claim)
    if per_claim > rs.primary_layer and others > 0:
        extra = rs.excess_per_million * (per_claim - rs.primary_layer) / 1_000_000
        floor = rs.limit_factor(rs.primary_layer) + extra / others
        if floor > curve:
            return floor, Reason("factor.limit_floor", {"limit": per_claim, "primary": rs.primary_layer, "per_million": rs.excess_per_million})
    return curve, Reason("factor.limit", {"limit": per_claim})
