"""Properties a broker expects of the advice (issue 9), over generated profiles:
no cliffs in revenue, every named limit on the ladder, monotone in every risk input,
bounded deductibles, tails priced on the expiring premium."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import profiles, replace, riskier

from eo_advisor.advice.engine import assess, rate
from eo_advisor.advice.options import options
from eo_advisor.profile.model import Contract, CurrentPolicy
from eo_advisor.rules import load_rules

RULES = load_rules()
LADDER = set(RULES.value("limits.limit_ladder"))
AGGREGATES = set(RULES.value("limits.aggregate_ladder"))
MIN_PREMIUM = RULES.value("rating.minimum_premium")
TAIL_LOW = {int(k): v for k, v in RULES.value("review.tail_factor_low").items()}
TAIL_HIGH = {int(k): v for k, v in RULES.value("review.tail_factor_high").items()}
AS_OF = datetime.date(2026, 11, 27)


@settings(max_examples=300, deadline=None)
@given(
    profiles, st.integers(1_000, 150_000_000), st.sampled_from([1_000_000, 2_000_000, 5_000_000, 10_000_000]), st.sampled_from([1_000, 5_000, 25_000])
)
def test_no_cliff_in_revenue(p, revenue, limit, deductible):
    """A 3% revenue step never moves the premium more than 8%, and at a fixed limit and
    deductible the premium never falls as revenue rises."""
    a = rate(replace(p, "business", annual_revenue=revenue), limit, deductible).estimate
    b = rate(replace(p, "business", annual_revenue=round(revenue * 1.03)), limit, deductible).estimate
    assert b >= a
    assert b <= a * 1.08 + 10  # $10 of rounding


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_every_named_limit_is_on_the_ladder(p):
    r = assess(p)
    assert r.limit.per_claim in LADDER and r.limit.aggregate in AGGREGATES
    asked = max((c.eo_aggregate or 0 for c in p.contracts), default=0)  # a contract's aggregate is met as asked
    assert (
        r.limit.per_claim
        <= r.limit.aggregate
        <= max(2 * r.limit.per_claim, min(x for x in (*AGGREGATES, max(AGGREGATES)) if x >= min(asked, max(AGGREGATES))))
    )
    assert r.defense_costs.limit_if_eroding is None or r.defense_costs.limit_if_eroding in LADDER
    for cell in options(p, r).cells:
        assert cell.limit in LADDER and cell.aggregate in AGGREGATES


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_range_never_starts_below_the_minimum_premium(p):
    r = assess(p)
    assert r.premium.low >= MIN_PREMIUM and r.premium.high >= r.premium.estimate >= r.premium.low


@settings(max_examples=200, deadline=None)
@given(profiles, st.data())
def test_more_risk_never_lowers_the_limit_or_the_premium_at_the_same_terms(p, data):
    base = assess(p)
    terms = (base.limit.per_claim, base.deductible.amount)
    for q in riskier(p, data):
        r = assess(q)
        assert r.limit.per_claim >= base.limit.per_claim
        assert rate(q, *terms, aggregate=base.limit.aggregate).estimate >= rate(p, *terms, aggregate=base.limit.aggregate).estimate


@settings(max_examples=300, deadline=None)
@given(profiles, st.none() | st.integers(0, 100_000))
def test_deductible_is_bounded(p, owner):
    p = replace(p, "business", max_deductible=owner)
    r = assess(p)
    lowest = RULES.value("deductibles.deductible_ladder")[0]
    assert r.deductible.amount <= max(lowest, 0.05 * r.limit.per_claim)
    if owner is not None:
        assert r.deductible.amount <= max(owner, lowest)


@settings(max_examples=200, deadline=None)
@given(profiles, st.sampled_from(["switch_insurer", "close_business"]), st.none() | st.integers(350, 200_000))
def test_tail_is_priced_on_the_expiring_premium(p, change, annual):
    cp = CurrentPolicy(1_000_000, 2_500, "eroding", False, False, datetime.date(2020, 1, 1), change, annual)
    q = p._replace(current_policy=cp)
    r = assess(q, as_of=AS_OF)
    expiring = annual or rate(q, 1_000_000, 2_500).estimate  # the policy that is ending, not the advice
    assert [t.years for t in r.tail] == sorted(TAIL_LOW)
    for t in r.tail:
        assert abs(t.low - expiring * TAIL_LOW[t.years]) <= 5 and abs(t.high - expiring * TAIL_HIGH[t.years]) <= 5
    if change == "close_business":  # tail advice, not an upsell
        assert not {f.id for f in r.findings} & {"limit_below", "limit_below_contract", "defense_eroding", "deductible_high"}
        assert r.actions == ()


@settings(max_examples=200, deadline=None)
@given(profiles, st.integers(0, 20_000_000), st.booleans())
def test_a_contract_requiring_defense_outside_the_limit_gets_no_eroding_alternative(p, eo_limit, outside):
    q = p._replace(contracts=(Contract("Client", eo_limit, defense_outside_limits=outside),))
    r = assess(q)
    if outside:
        assert r.defense_costs.recommendation == "non-eroding"
        assert r.defense_costs.limit_if_eroding is None and r.defense_costs.eroding_meets_contracts is False
        assert not any(c.eroding_meets_contracts for c in options(q, r).cells)
    else:
        assert r.defense_costs.eroding_meets_contracts is True
