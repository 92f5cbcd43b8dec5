"""The rules data as the engine reads it: typed values under plain names.

A :class:`RuleSet` holds numbers, tables and step functions taken from a
:class:`~eo_advisor.rules.Rules` object; nothing else (no memo, no cache, no state
that grows). :func:`ruleset` builds one per rules object and reuses it.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Any

from eo_advisor.rules import Rules, load_rules

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


class Brackets:
    """A (min, value) step function, looked up with bisect."""

    __slots__ = ("mins", "values")

    def __init__(self, pairs: tuple[tuple[float, float], ...]) -> None:
        self.mins = [m for m, _ in pairs]
        self.values = [v for _, v in pairs]

    def __call__(self, x: float) -> float:
        return self.values[max(bisect_right(self.mins, x) - 1, 0)]


class Points:
    """A {point: factor} table read linearly between points and flat outside them."""

    __slots__ = ("table", "xs", "ys")

    def __init__(self, table: dict[int, float]) -> None:
        self.table = table
        self.xs = sorted(table)
        self.ys = [table[x] for x in self.xs]

    def __call__(self, x: float) -> float:
        found = self.table.get(x)  # type: ignore[call-overload]
        if found is not None:
            return found
        xs, ys = self.xs, self.ys
        if x <= xs[0]:
            return ys[0]
        if x >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, x)
        lo, hi = xs[i - 1], xs[i]
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - lo) / (hi - lo)


def round_to(x: float, step: int) -> int:
    """Nearest multiple of ``step``, halves up (amounts here are positive)."""
    return int((x + step / 2) // step) * step


def _int_keys(table: dict[str, Any]) -> dict[int, float]:
    return {int(k): float(v) for k, v in table.items()}


class RuleSet:
    """Every value the engine, the rating model and the review use, read once."""

    def __init__(self, rules: Rules) -> None:
        v = rules.value
        self.rules = rules
        # limits
        self.minimum_limit: int = v("limits.minimum_limit")
        self.limit_ladder: tuple[int, ...] = v("limits.limit_ladder")
        self.cdf: float = v("limits.consequential_damages_factor")
        self.regulated_minimum: int = v("limits.regulated_minimum_limit")
        self.public_sector: frozenset[str] = frozenset(v("limits.public_sector_industries"))
        self.data_access_minimum: int = v("limits.data_access_minimum_limit")
        self.privileged_services: frozenset[str] = frozenset(v("limits.privileged_access_services"))
        self.revenue_floor = Brackets(v("limits.revenue_floor"))
        self.staff_floor = Brackets(v("limits.staff_floor"))
        self.client_fees_at_risk: float = v("limits.client_fees_at_risk")
        self.cyber_minimum: int = v("limits.cyber_minimum_limit")
        self.gl_standard: int = v("limits.gl_standard_limit")
        self.regulated_factor: float = v("limits.regulated_exposure_factor")
        self.sensitive_factor: float = v("limits.sensitive_data_exposure_factor")
        self.aggregate_multiplier: int = v("limits.aggregate_multiplier")
        self.aggregate_ladder: tuple[int, ...] = v("limits.aggregate_ladder")
        self.aggregate_revenue: int = v("limits.aggregate_revenue_threshold")
        self.aggregate_staff: int = v("limits.aggregate_staff_threshold")
        # deductibles and defense
        self.deductible_ladder: tuple[int, ...] = v("deductibles.deductible_ladder")
        self.absorbable_share: float = v("deductibles.absorbable_share_of_revenue")
        self.defense_allowance: float = v("defense.defense_allowance_ratio")
        self.defense_allowance_cap: int = v("defense.defense_allowance_cap")
        self.large_contract_share: float = v("defense.large_contract_share")
        # rating
        self.base_premium: float = v("rating.base_premium")
        self.minimum_premium: float = v("rating.minimum_premium")
        self.rounding: int = v("rating.rounding")
        self.range_low: float = v("rating.range_low")
        self.range_high: float = v("rating.range_high")
        self.revenue = Points({**_int_keys(v("rating.revenue_factor")), **_int_keys(v("rating.revenue_factor_large"))})
        self.revenue_sourced_to = max(_int_keys(v("rating.revenue_factor")))  # past it, the assumption points count
        self.claims = Brackets(v("rating.claims_factor"))
        self.experience = Brackets(v("rating.experience_factor"))
        self.service: dict[str, float] = dict(v("rating.service_factor"))
        self.industry: dict[str, float] = dict(v("rating.industry_factor"))
        self.sensitive_data: float = v("rating.sensitive_data_factor")
        self.products: float = v("rating.products_factor")
        self.limit_factor = Points(_int_keys(v("rating.limit_factor")))
        self.primary_layer: int = v("rating.primary_layer")
        self.excess_per_million: float = v("rating.excess_per_million")
        self.aggregate_factor: float = v("rating.aggregate_factor")
        self.deductible_factor = Points(_int_keys(v("rating.deductible_factor")))
        self.non_eroding: float = v("rating.non_eroding_factor")
        self.practice_credit: dict[str, float] = dict(v("rating.practice_credit"))
        self.max_practice_credit: float = v("rating.max_practice_credit")
        self.bundle_discount: float = v("rating.bundle_discount")
        # review and underwriting
        self.referral_limit: int = v("review.referral_limit")
        self.referral_revenue: int = v("review.referral_revenue")
        self.referral_industries = frozenset(v("review.referral_industries"))
        self.referral_claims: int = v("review.referral_claims")
        self.specialist_market_claims: int = v("review.specialist_market_claims")
        self.referral_facts: tuple[str, ...] = tuple(v("review.referral_facts"))
        self.premium_check_ratio: float = v("review.premium_check_ratio")
        self.online_quote_limit: int = v("review.online_quote_limit")
        self.online_quote_revenue: int = v("review.online_quote_revenue")
        self.deductible_strain_share: float = v("review.deductible_strain_share")
        self.tail_low = _int_keys(v("review.tail_factor_low"))
        self.tail_high = _int_keys(v("review.tail_factor_high"))
        self.severity: dict[str, str] = dict(v("review.finding_severity"))
        self.param_source = {name: param.source for name, param in rules.params.items()}
        # where each premium factor's number comes from, in rating.FACTORS order
        self.factor_sources = tuple(rules.params[pname].source for _name, pname in FACTORS)
        # when the per-$1M floor, not the curve, sets the limit factor, it cites the floor's source
        limit_at = [name for name, _pname in FACTORS].index("limit")
        floored = list(self.factor_sources)
        floored[limit_at] = rules.params["rating.excess_per_million"].source
        self.factor_sources_floored = tuple(floored)
        self.factor_names = tuple(name for name, _pname in FACTORS)
        # past the sourced revenue points, the revenue factor's points are the large table's
        self.revenue_large_source = rules.params["rating.revenue_factor_large"].source
        # vocabulary, gaps, actions, states
        self.regulated: frozenset[str] = rules.regulated_industries
        self.gaps = tuple((g, frozenset(g.when_any), frozenset(g.unless_any)) for g in rules.gaps)
        self.practice_actions = tuple(rules.practice_actions)
        self.states = rules.states


@lru_cache(maxsize=8)
def _ruleset(rules: Rules) -> RuleSet:
    return RuleSet(rules)


def ruleset(rules: Rules | None = None) -> RuleSet:
    """The RuleSet of ``rules`` (default: the packaged rules)."""
    return _ruleset(rules or load_rules())
