"""The deductible step: the highest rung the firm can absorb from cash flow, never above
what the owner says the business could pay ($0 when that is below the lowest rung)."""

from __future__ import annotations

from typing import Any, Callable

from eo_advisor.advice.ladders import round_down_to_ladder
from eo_advisor.advice.result import DeductibleAdvice, LimitAdvice, Reason, Trace
from eo_advisor.profile.model import Profile
from eo_advisor.rules.ruleset import Reads, RuleSet


def _bound(profile: Profile, by_revenue: int, ladder: tuple[int, ...], r: Reads, values: dict[str, Any]) -> tuple[int, str]:
    """The amount and what bounds it: the revenue rung, the owner's maximum, or the
    deductible held after many claims (carriers raise deductibles, they do not lower them)."""
    owner = profile.business.max_deductible
    amount, bound = by_revenue, "revenue"
    if owner is not None and owner < by_revenue:  # cannot pay even the smallest rung: first-dollar cover
        amount, bound = round_down_to_ladder(owner, ladder, 0), "owner"
    cp, claims = profile.current_policy, profile.history.claims_last_5_years
    after = r.peek("deductibles.keep_held_after_claims")
    if claims >= after and cp is not None and cp.deductible > amount and (owner is None or cp.deductible <= owner):
        r.cite("deductibles.keep_held_after_claims")
        amount, bound = round_down_to_ladder(cp.deductible, ladder, amount), "claims"
        values.update(current=cp.deductible, claims=claims)
    values["deductible"] = amount
    return amount, bound


def _worth_it(amount: int, ladder: tuple[int, ...], price: Callable[[int], int], r: Reads, values: dict[str, Any]) -> int:
    """Step down from ``amount`` while the higher rung's yearly credit would take longer than
    the payback years to repay the extra retention of one claim."""
    years = r.peek("deductibles.deductible_payback_years")
    here = price(amount) if amount > ladder[0] else 0  # each rung priced once, carried down
    while amount > ladder[0]:
        lower = max(d for d in ladder if d < amount)
        below = price(lower)
        credit = below - here
        if credit > 0 and (amount - lower) / credit <= years:
            break
        r.cite("deductibles.deductible_payback_years")
        values.update(payback_from=amount, payback_credit=max(credit, 0), payback_years=years)
        amount, here = lower, below
    return amount


def _reasons(bound: str, amount: int, absorbable: int, by_revenue: int, ladder: tuple[int, ...], values: dict[str, Any]) -> list[Reason]:
    lowest, top = ladder[0], ladder[-1]
    reasons = [Reason("deductible.sized" if lowest <= absorbable else "deductible.lowest", values)]
    if bound == "claims":
        reasons.append(Reason("deductible.claims_keep", values))
    if bound == "payback":
        reasons.append(Reason("deductible.payback", values))
    if bound == "owner":
        reasons.append(Reason("deductible.bound_by_owner" if amount else "deductible.owner_below_lowest", values))
        if not amount and absorbable >= lowest:  # first-dollar cover is a small firm's product: is the answer right?
            reasons.append(Reason("deductible.owner_check", values))
    if by_revenue == top and absorbable > top:
        reasons.append(Reason("deductible.ladder_top", values))
    return reasons


def advise_deductible(
    profile: Profile, limit: LimitAdvice, rs: RuleSet, trace: list[Trace] | None = None, price: Callable[[int], int] | None = None
) -> DeductibleAdvice:
    """``price(deductible)``: the annual premium at the advised limit and form with that
    deductible (what a higher deductible saves is weighed against what it retains)."""
    r = rs.reads()
    revenue = profile.business.annual_revenue
    share = r("deductibles.absorbable_share_of_revenue")
    ladder = r("deductibles.deductible_ladder")
    absorbable = round(revenue * share)
    by_revenue = round_down_to_ladder(absorbable, ladder, ladder[0])
    values: dict[str, Any] = {
        "revenue": revenue,
        "absorbable": absorbable,
        "share": share,
        "by_revenue": by_revenue,
        "deductible": by_revenue,
        "owner": profile.business.max_deductible,
        "top": ladder[-1],
    }
    amount, bound = _bound(profile, by_revenue, ladder, r, values)
    if bound == "revenue" and price is not None:
        worth = _worth_it(amount, ladder, price, r, values)
        if worth < amount:
            amount, bound = worth, "payback"
            values["deductible"] = amount
    reasons = _reasons(bound, amount, absorbable, by_revenue, ladder, values)
    if trace is not None:
        inputs = {"business.annual_revenue": revenue, "limit.per_claim": limit.per_claim, "business.max_deductible": profile.business.max_deductible}
        trace.append(Trace("deductible", f"bound_by_{bound}", inputs, {"amount": amount, "absorbable": absorbable}, list(r.used)))
    return DeductibleAdvice(amount, absorbable, tuple(reasons), r.used)
