"""The premium model: one rating for assess, options and every what-if.

A base premium times one factor per rating variable, in the order of the factor table
(rules/rating.toml ``[[factor_table]]``: each factor's input, lookup and parameters),
floored at the minimum premium and shown as a range. One loop rates every factor; the
factors shown, their sources and the parameters cited fall out of it. Pure; returns
numbers and reasons.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from eo_advisor.advice.result import Factor, Premium, Reason
from eo_advisor.profile.model import Profile
from eo_advisor.rules import FactorSpec, Rules
from eo_advisor.rules.ruleset import Priced, RuleSet, round_to, ruleset


def rating_inputs(
    profile: Profile, per_claim: int, deductible: int, aggregate: int, non_eroding: bool, prior_acts: int | None = None
) -> dict[str, Any]:
    """What the factor table's inputs read, by name (``prior_acts``: years of prior acts
    covered, default back to the firm's first project)."""
    b, w, p = profile.business, profile.work, profile.practices
    return {
        "business.annual_revenue": b.annual_revenue,
        "work.services": w.services,
        "work.client_industries": w.client_industries,
        "work.handles_sensitive_data": w.handles_sensitive_data,
        "work.builds_products": w.builds_products,
        "history.claims_last_5_years": profile.history.claims_last_5_years,
        "business.years_in_business": b.years_in_business if prior_acts is None else min(prior_acts, b.years_in_business),
        "limit": per_claim,
        "aggregate": aggregate,
        "aggregate_above_limit": aggregate > per_claim,
        "deductible": deductible,
        "non_eroding": non_eroding,
        "practices": tuple(name for name, on in zip(p._fields, p, strict=True) if on),
    }


def _detail(spec: FactorSpec, priced: Priced, inputs: dict[str, Any]) -> Reason:
    if spec.detail_yes is not None:
        return Reason(spec.detail_yes if priced.detail else spec.detail_no or "")
    if isinstance(priced.detail, dict):  # the limit's per-$1M floor, with its terms
        return Reason(spec.detail_floor or "", priced.detail)
    value = inputs[spec.detail_input] if spec.detail_input else priced.detail
    return Reason(spec.detail or "", {spec.detail_name: value} if spec.detail_name else {})


class Rater:
    """One rating: every factor looked up once; :meth:`premium` words it, and
    :meth:`estimate` re-prices a variant (another deductible, fewer years of prior acts)
    looking up only the factors whose input changed."""

    __slots__ = ("base", "inputs", "priced", "rs")

    def __init__(
        self, profile: Profile, per_claim: int, deductible: int, aggregate: int, non_eroding: bool, rs: RuleSet, prior_acts: int | None = None
    ) -> None:
        self.rs = rs
        self.inputs = rating_inputs(profile, per_claim, deductible, aggregate, non_eroding, prior_acts)
        self.base = rs["rating.base_premium"]
        self.priced = {spec.name: look(self.inputs[spec.input], self.inputs) for spec, look in rs.factors_first}

    def _point(self, priced: dict[str, Priced]) -> float:
        """Base times every factor; the limit's floor is worked out on the factors below it,
        and the factors marked on_top (the non-eroding load) multiply after it."""
        below, above = self.base, 1.0
        for spec, _look in self.rs.factors_below:
            below *= priced[spec.name].multiplier
        for spec, _look in self.rs.factors_on_top:
            above *= priced[spec.name].multiplier
        point = below * above
        for spec, look in self.rs.factors_last:
            priced[spec.name] = found = look(self.inputs[spec.input], {"others": below})
            point *= found.multiplier
        return point

    def variant(self, **changed: Any) -> Rater:
        """The same rating with some inputs changed (by input name): only their factors are looked up again."""
        other = object.__new__(Rater)
        other.rs, other.base = self.rs, self.base
        other.inputs = {**self.inputs, **changed}
        other.priced = dict(self.priced)
        for spec, look in self.rs.factors_first:
            if spec.input in changed:
                other.priced[spec.name] = look(changed[spec.input], other.inputs)
        return other

    def estimate(self) -> int:
        """The rounded point estimate, floored at the minimum premium."""
        return self.range()[2]

    def range(self) -> tuple[int, int, int]:
        """(low, high, estimate), rounded, the range as :meth:`premium` gives it, without the words."""
        rs = self.rs
        minimum, step = rs["rating.minimum_premium"], rs["rating.rounding"]
        point = max(self._point(dict(self.priced)), minimum)
        low = max(round_to(point * rs["rating.range_low"], step), round_to(minimum, step))
        return low, round_to(point * rs["rating.range_high"], step), round_to(point, step)

    def premium(self) -> Premium:
        rs, r = self.rs, self.rs.reads()
        base = r("rating.base_premium")
        priced = dict(self.priced)
        point = self._point(priced)
        factors = []
        for spec, _look in rs.factors:  # shown and cited in table order
            found = priced[spec.name]
            r.cite(*found.cited)
            factors.append(Factor(spec.name, round(found.multiplier, 4), _detail(spec, found, self.inputs), rs.source_of[found.source_param]))
        large = "rating.revenue_factor_large" in priced["revenue"].cited  # past the sourced revenue points
        return _ranged(point, base, tuple(factors), large, r, rs)


def rate(
    profile: Profile,
    per_claim: int,
    deductible: int,
    *,
    aggregate: int | None = None,
    non_eroding: bool = False,
    rules: Rules | RuleSet | None = None,
    prior_acts: int | None = None,
) -> Premium:
    """Premium estimate for this profile at a given limit, deductible and defense form;
    ``prior_acts``: the years of prior acts the policy covers (default: all of them)."""
    rs = rules if isinstance(rules, RuleSet) else ruleset(rules)
    return Rater(profile, per_claim, deductible, per_claim if aggregate is None else aggregate, non_eroding, rs, prior_acts).premium()


def _ranged(point: float, base: float, factors: tuple[Factor, ...], large: bool, r: Any, rs: RuleSet) -> Premium:
    """The point estimate floored at the minimum premium, rounded, as a range, with its basis."""
    minimum, step = r.peek("rating.minimum_premium"), r.peek("rating.rounding")
    floored = point < minimum
    if floored:
        point = minimum
    low_share, high_share = r.peek("rating.range_low"), r.peek("rating.range_high")
    basis: tuple[Reason, ...] = (Reason("premium.basis", {"base": int(base), "low": low_share, "high": high_share}),)
    if floored:
        basis += (Reason("premium.minimum", {"minimum": int(minimum)}),)
    if large:
        basis += (Reason("premium.revenue_assumed", {"sourced_to": rs["rating.revenue_factor"].xs[-1]}),)
    low = max(round_to(point * low_share, step), round_to(minimum, step))  # never below the minimum
    if floored or low == round_to(minimum, step):
        r.cite("rating.minimum_premium")
    r.cite("rating.range_low", "rating.range_high", "rating.rounding")
    return Premium(low, round_to(point * high_share, step), round_to(point, step), int(base), factors, basis, params=r.used)


def full_years(start: _dt.date, end: _dt.date) -> int:
    """Whole years from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    return max(end.year - start.year - ((end.month, end.day) < (start.month, start.day)), 0)


def step_rating(profile: Profile, premium: Premium, rs: RuleSet, as_of: _dt.date | None) -> Reason | None:
    """For a renewal keeping a later retroactive date: what claims-made step rating charges
    instead of the estimate (which prices prior acts back to the firm's first project)."""
    cp = profile.current_policy
    years = profile.business.years_in_business
    if cp is None or profile.closing or cp.retroactive_date is None or as_of is None:
        return None
    covered = min(full_years(cp.retroactive_date, as_of), years)
    experience, step = rs["rating.experience_factor"], rs["rating.rounding"]
    stepped = max(round_to(premium.estimate * experience(covered) / experience(years), step), round_to(rs["rating.minimum_premium"], step))
    if stepped >= premium.estimate:
        return None
    values = {"years": years, "covered": covered, "share": round(stepped / premium.estimate, 2), "estimate": stepped, "retro": cp.retroactive_date}
    return Reason("premium.step_current_retro", values)
