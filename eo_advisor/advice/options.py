"""The options ladder: limits x deductibles around the recommendation, priced by the
same rating model as ``assess`` (:func:`eo_advisor.advice.rating.rate`; no second copy)."""

from __future__ import annotations

from typing import Any, NamedTuple

from eo_advisor.advice import engine
from eo_advisor.advice.facts import contract_demand
from eo_advisor.advice.rating import rate
from eo_advisor.advice.result import Reason, Result
from eo_advisor.profile.model import Profile
from eo_advisor.rules import Rules
from eo_advisor.rules.ruleset import ruleset


class Cell(NamedTuple):
    limit: int
    aggregate: int
    deductible: int
    eroding_low: int
    eroding_high: int
    non_eroding_low: int
    non_eroding_high: int
    non_eroding_extra: int  # non-eroding minus eroding, on the point estimates
    recommended: bool
    meets_contracts: bool  # the limit meets every contract's E&O requirement
    eroding_meets_contracts: bool  # ...and eroding cover is acceptable to every contract
    non_eroding_meets_contracts: bool

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Options(NamedTuple):
    limits: list[int]
    deductibles: list[int]
    cells: list[Cell]
    recommended_limit: int
    recommended_deductible: int
    recommended_defense: str
    contract_minimum: int
    note: Reason

    def to_dict(self, render: Any) -> dict[str, Any]:
        return {
            "limits": self.limits,
            "deductibles": self.deductibles,
            "recommended": {"limit": self.recommended_limit, "deductible": self.recommended_deductible, "defense_costs": self.recommended_defense},
            "contract_minimum": self.contract_minimum,
            "cells": [c.to_dict() for c in self.cells],
            "note": render(self.note),
        }

    def cell(self, limit: int, deductible: int) -> Cell:
        return next(c for c in self.cells if c.limit == limit and c.deductible == deductible)


def _around(ladder: tuple[int, ...], value: int, below: int, above: int) -> list[int]:
    """The rungs around ``value``; a value below the ladder (a $0 deductible) comes first."""
    if value not in ladder and value < ladder[0]:
        return [value, *ladder[:above]]
    i = ladder.index(value) if value in ladder else 0
    return list(ladder[max(0, i - below) : i + above + 1])


def options(profile: Profile, result: Result | None = None, rules: Rules | None = None) -> Options:
    """Premium ranges for limits around the recommendation (one rung below, two above)
    and deductibles around it (one below, two above), eroding and non-eroding."""
    rs = ruleset(rules)
    result = result or engine.assess(profile, rs.rules)
    rec_limit, rec_ded = result.limit.per_claim, result.deductible.amount
    limits = _around(rs["limits.limit_ladder"], rec_limit, 1, 2)
    owner = profile.business.max_deductible
    # never a deductible above what the owner says the business could pay
    deductibles = [d for d in _around(rs["deductibles.deductible_ladder"], rec_ded, 1, 2) if owner is None or d <= owner or d == rec_ded]
    minimum = contract_demand(profile).limit
    eroding_ok = result.defense_costs.eroding_meets_contracts
    cells = []
    # a first policy is priced as assess prices it: step-rated, its retroactive date its start
    prior_acts = 0 if profile.current_policy is None else None
    for limit in limits:
        agg, _ = engine.aggregate_for(limit, profile, rs)  # the aggregate rule of assess, per limit
        for ded in deductibles:
            er = rate(profile, limit, ded, aggregate=agg, rules=rs, prior_acts=prior_acts)
            ne = rate(profile, limit, ded, aggregate=agg, non_eroding=True, rules=rs, prior_acts=prior_acts)
            meets = limit >= minimum
            cells.append(
                Cell(
                    limit,
                    agg,
                    ded,
                    er.low,
                    er.high,
                    ne.low,
                    ne.high,
                    ne.estimate - er.estimate,
                    limit == rec_limit and ded == rec_ded,
                    meets,
                    meets and eroding_ok,
                    meets,
                )
            )
    note = Reason("premium.basis", {"base": int(rs["rating.base_premium"]), "low": rs["rating.range_low"], "high": rs["rating.range_high"]})
    return Options(limits, deductibles, cells, rec_limit, rec_ded, result.defense_costs.recommendation, minimum, note)
