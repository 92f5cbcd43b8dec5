"""Engine cases written as data (tests/data/cases.toml): inputs -> expected advice."""

from __future__ import annotations

import datetime

import pytest
from conftest import BASE_PROFILE, DATA, deep_merge, load_toml

from eo_advisor.advice.engine import assess
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.model import validate

say = default_renderer()

CASES = load_toml(DATA / "cases.toml")["case"]
AS_OF = datetime.date(2026, 11, 25)  # the policy review's "today", fixed for the cases


def all_reasons(result) -> str:
    return " ".join(say.all(result.limit.reasons + result.deductible.reasons + result.defense_costs.reasons))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    result = assess(validate(deep_merge(BASE_PROFILE, case["profile"])), as_of=AS_OF)
    expect = case["expect"]
    assert expect, "a case must expect something"
    checks = {
        "limit_per_claim": lambda: result.limit.per_claim,
        "limit_aggregate": lambda: result.limit.aggregate,
        "limit_driver": lambda: result.limit.driver,
        "deductible": lambda: result.deductible.amount,
        "defense": lambda: result.defense_costs.recommendation,
        "defense_triggers": lambda: list(result.defense_costs.triggers),
        "limit_if_eroding": lambda: result.defense_costs.limit_if_eroding or "none",
        "gaps": lambda: [g.coverage for g in result.gaps],
        "gap_severity": lambda: {g.coverage: g.severity for g in result.gaps if g.coverage in expect["gap_severity"]},
        "finding_severity": lambda: {f.id: f.severity for f in result.findings if f.id in expect["finding_severity"]},
        "premium_estimate": lambda: result.premium.estimate,
        "premium_low": lambda: result.premium.low,
        "premium_high": lambda: result.premium.high,
        "warnings": lambda: [say.warning(f) for f in result.warnings],
        "actions": lambda: [a.id for a in result.actions],
        "contracts_current": lambda: [c.current_meets for c in result.contracts],
        "underwriting": lambda: [f.flag for f in result.underwriting.flags],
    }
    for key, want in expect.items():
        if key == "warnings_contain":
            for text in want:
                warnings = [say.warning(f) for f in result.warnings]
                assert any(text in w for w in warnings), (text, warnings)
        elif key == "review_contains":
            text = " ".join(say.warning(f) for f in result.policy_review)
            for part in want:
                assert part in text, (part, text)
        elif key == "actions_text_contain":
            text = " ".join(say(a.action) for a in result.actions)
            for part in want:
                assert part in text, (part, text)
        elif key == "contract_notes_contain":
            text = " ".join(say(n) for c in result.contracts for n in c.notes)
            for part in want:
                assert part in text, (part, text)
        elif key == "findings_exclude":
            ids = [f.id for f in result.findings]
            assert not set(want) & set(ids), ids
        elif key in ("premium_basis_contains", "premium_basis_excludes"):
            basis = " ".join(say.all(result.premium.basis))
            for part in want:
                assert (part in basis) == (key == "premium_basis_contains"), (part, basis)
        elif key == "reasons_contain":
            for text in want:
                assert text in all_reasons(result), text
        else:
            assert key in checks, f"unknown expectation {key}"
            assert checks[key]() == want, key


def test_cases_cover_every_gap_rule_and_driver():
    """The data cases exercise every limit driver and every coverage gap."""
    from eo_advisor.rules import load_rules

    drivers, gaps = set(), set()
    for case in CASES:
        r = assess(validate(deep_merge(BASE_PROFILE, case["profile"])))
        drivers.add(r.limit.driver)
        gaps.update(g.coverage for g in r.gaps)
    assert drivers == {
        "minimum_limit",
        "firm_size",
        "contract_exposure",
        "regulated_minimum_limit",
        "data_access_minimum_limit",
        "contractual_minimum",
        "privileged_access",
        "safety_critical",
        "held_limit",
    }
    assert gaps == {g.coverage for g in load_rules().gaps}
