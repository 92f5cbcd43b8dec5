"""The premium model lands near the published market figures (tests/data/calibration.toml)."""

from __future__ import annotations

import itertools

import pytest
from conftest import BASE_PROFILE, DATA, deep_merge, load_toml

from eo_advisor.advice.engine import assess, rate
from eo_advisor.profile.model import validate
from eo_advisor.rules import load_rules

CASES = load_toml(DATA / "calibration.toml")["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_market_figure(case):
    assert case["source"] in load_rules().sources
    profile = validate(deep_merge(BASE_PROFILE, case["profile"]))
    if "ratio" in case:
        r = case["ratio"]
        a = rate(profile, r["limit_a"], r["deductible_a"])
        b = rate(profile, r["limit_b"], r["deductible_b"])
        # compare unrounded: rate the high end, which keeps the most digits
        got = a.high / b.high
        assert got == pytest.approx(r["expect"], abs=r["tolerance"]), got
        return
    premium = rate(profile, case["limit"], case["deductible"])
    if "contains" in case:
        assert premium.low <= case["contains"] <= premium.high, (premium.low, premium.high)
    elif "overlaps" in case:
        lo, hi = case["overlaps"]
        assert premium.low <= hi and premium.high >= lo, (premium.low, premium.high)
    else:
        lo, hi = case["between"]
        assert lo <= premium.estimate <= hi, premium.estimate


def test_small_firms_buying_1m_fall_in_the_seed_band():
    """Across small firms (revenue under $500k, no claims, any service and client mix),
    most estimates at $1M fall in the seed's $500-3,000 and none above it."""
    rules = load_rules()
    estimates = []
    for revenue, service, industry, sensitive in itertools.product(
        (60_000, 150_000, 300_000, 450_000), rules.services, rules.industries, (False, True)
    ):
        p = validate(
            deep_merge(
                BASE_PROFILE,
                {
                    "business": {"annual_revenue": revenue},
                    "work": {"services": [service], "client_industries": [industry], "handles_sensitive_data": sensitive},
                },
            )
        )
        result = assess(p)
        estimates.append(rate(p, 1_000_000, result.deductible.amount).estimate)
    inside = sum(500 <= e <= 3_000 for e in estimates)
    assert max(estimates) <= 3_000
    assert inside / len(estimates) >= 0.9, (inside, len(estimates))
