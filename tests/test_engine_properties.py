"""Invariants of the engine, checked over generated profiles (hypothesis)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eo_advisor.advice.defense import at_stake
from eo_advisor.advice.engine import assess, rate
from eo_advisor.api import to_dict
from eo_advisor.formats.data import to_json, to_toml
from eo_advisor.profile.model import Business, History, Practices, Profile, Work
from eo_advisor.rules import load_rules

RULES = load_rules()
SERVICES = list(RULES.services)
INDUSTRIES = list(RULES.industries)
LADDER = RULES.value("limits.limit_ladder")
DEDUCTIBLES = RULES.value("deductibles.deductible_ladder")
RATED_LIMITS = sorted(int(k) for k in RULES.value("rating.limit_factor"))
RATED_DEDUCTIBLES = sorted(int(k) for k in RULES.value("rating.deductible_factor"))

amounts = st.integers(min_value=0, max_value=200_000_000)
profiles = st.builds(
    Profile,
    business=st.builds(
        Business,
        annual_revenue=amounts,
        employees=st.integers(0, 500),
        years_in_business=st.integers(0, 60),
        max_deductible=st.none() | st.integers(0, 200_000),
    ),
    work=st.builds(
        Work,
        services=st.lists(st.sampled_from(SERVICES), min_size=1, max_size=4, unique=True).map(tuple),
        largest_contract=st.integers(0, 20_000_000),
        contractual_minimum=st.sampled_from([0, 500_000, 1_000_000, 1_500_000, 2_000_000, 5_000_000, 10_000_000]),
        client_industries=st.lists(st.sampled_from(INDUSTRIES), min_size=1, max_size=4, unique=True).map(tuple),
        handles_sensitive_data=st.none() | st.booleans(),
        onsite_work=st.none() | st.booleans(),
        builds_products=st.none() | st.booleans(),
        largest_client_share=st.none() | st.floats(0, 1),
        uses_subcontractors=st.none() | st.booleans(),
        foreign_revenue_share=st.none() | st.floats(0, 1),
        safety_critical=st.none() | st.booleans(),
        managed_clients=st.none() | st.integers(0, 500),
        records_held=st.none() | st.sampled_from(["none", "under_100k", "100k_500k", "500k_1m", "over_1m"]),
    ),
    history=st.builds(History, claims_last_5_years=st.integers(0, 10)),
    practices=st.builds(
        Practices,
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.none() | st.booleans(),
        st.none() | st.booleans(),
        st.none() | st.booleans(),
    ),
)


def replace(p: Profile, section: str, **changes) -> Profile:
    return p._replace(**{section: getattr(p, section)._replace(**changes)})


def est(p: Profile, limit: int = 1_000_000, deductible: int = 1_000, **kw) -> int:
    return rate(p, limit, deductible, **kw).estimate


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_recommendation_invariants(p):
    r = assess(p)
    assert r.limit.per_claim in LADDER
    assert r.limit.per_claim >= RULES.value("limits.minimum_limit")
    assert r.limit.aggregate >= r.limit.per_claim
    assert r.limit.per_claim >= min(p.work.contractual_minimum, LADDER[-1])
    # the largest contract (a contract above a year's revenue is set aside until its terms are
    # known) times the consequential-damages factor: 1.5 for lawyer-reviewed contracts unless
    # regulated clients or sensitive data carve breaches out of caps; an estimate at most 10%
    # above a rung may get that rung
    year = p.work.largest_contract
    carved = bool(p.work.handles_sensitive_data) or any(i in RULES.regulated_industries for i in p.work.client_industries)
    reviewed = p.practices.contracts_limit_liability and not carved
    factor = RULES.value("limits.reviewed_clause_factor" if reviewed else "limits.consequential_damages_factor")
    if year <= p.business.annual_revenue and not any(c.value is not None and c.value >= p.work.largest_contract for c in p.contracts):
        assert r.limit.per_claim * (1 + RULES.value("limits.near_rung_share")) >= min(year * factor, LADDER[-1])
    owner = p.business.max_deductible
    if owner is not None and owner < DEDUCTIBLES[0]:  # cannot pay the smallest rung: first-dollar cover
        assert r.deductible.amount == 0
    else:
        assert r.deductible.amount in DEDUCTIBLES
    assert owner is None or r.deductible.amount <= owner  # never more than the owner says the firm can pay
    eroding = r.defense_costs.limit_if_eroding
    assert eroding is None or (eroding >= r.limit.per_claim and eroding in LADDER)
    if eroding is not None:  # never above the smallest rung meeting the advice and the exposure plus the allowance
        needed = max(r.limit.per_claim, at_stake(r.limit) + r.defense_costs.allowance)
        assert eroding == min(x for x in LADDER if x >= needed)
    assert r.defense_costs.recommendation in ("non-eroding", "eroding-acceptable")
    assert 0 < r.premium.low <= r.premium.estimate <= r.premium.high
    assert r.premium.estimate >= RULES.value("rating.minimum_premium")
    assert all(r.limit.reasons) and r.deductible.reasons and r.defense_costs.reasons
    json.loads(to_json(to_dict(r)))
    to_toml(to_dict(r))


def riskier(p: Profile, data) -> list[Profile]:
    """The profile with one risk input raised at a time: every input that can only add
    risk (the engine and advice properties share this list)."""
    return [
        replace(p, "business", annual_revenue=p.business.annual_revenue + data.draw(st.integers(1, 50_000_000))),
        replace(p, "business", employees=p.business.employees + data.draw(st.integers(1, 300))),
        replace(p, "business", years_in_business=p.business.years_in_business + data.draw(st.integers(1, 10))),
        replace(p, "history", claims_last_5_years=p.history.claims_last_5_years + data.draw(st.integers(1, 5))),
        replace(p, "work", services=tuple(dict.fromkeys((*p.work.services, data.draw(st.sampled_from(SERVICES)))))),
        replace(p, "work", client_industries=tuple(dict.fromkeys((*p.work.client_industries, data.draw(st.sampled_from(INDUSTRIES)))))),
        replace(p, "work", largest_contract=p.work.largest_contract + data.draw(st.integers(1, 5_000_000))),
        # a requirement stated for the first time replaces the floors assumed for public-sector
        # and data-access clients (it may lower the advice); once stated, more is more risk
        replace(
            p, "work", contractual_minimum=p.work.contractual_minimum + (data.draw(st.integers(1, 5_000_000)) if p.work.contractual_minimum else 0)
        ),
        replace(p, "work", largest_client_share=max(p.work.largest_client_share or 0, data.draw(st.floats(0, 1)))),
        replace(p, "work", handles_sensitive_data=True),
        replace(p, "work", builds_products=True),
    ]


@settings(max_examples=200, deadline=None)
@given(profiles, st.data())
def test_premium_never_falls_when_risk_rises(p, data):
    base = est(p)
    for q in riskier(p, data):
        assert est(q) >= base
    # dropping a practice is more risk, too
    for name in ("contracts_limit_liability", "project_documentation", "qa_testing", "communication_logs"):
        assert est(replace(p, "practices", **{name: False})) >= est(replace(p, "practices", **{name: True}))


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_premium_rises_with_limit_and_falls_with_deductible(p):
    by_limit = [est(p, limit) for limit in RATED_LIMITS]
    assert by_limit == sorted(by_limit)
    by_deductible = [est(p, 1_000_000, d) for d in RATED_DEDUCTIBLES]
    assert by_deductible == sorted(by_deductible, reverse=True)
    assert est(p, non_eroding=True) >= est(p)
    assert est(p, aggregate=2_000_000) >= est(p)


@settings(max_examples=200, deadline=None)
@given(profiles, st.data())
def test_limit_never_falls_when_exposure_rises(p, data):
    base = assess(p).limit.per_claim
    riskier = [
        replace(p, "work", largest_contract=p.work.largest_contract + data.draw(st.integers(1, 5_000_000))),
        replace(p, "work", handles_sensitive_data=True),
        replace(p, "work", client_industries=p.work.client_industries + tuple(i for i in ("healthcare",) if i not in p.work.client_industries)),
    ]
    for q in riskier:
        assert assess(q).limit.per_claim >= base
    # a stated contract requirement replaces the floors assumed for public-sector and
    # data-access clients (so stating one may lower the advice); once stated, asking more
    # never lowers it
    stated = replace(p, "work", contractual_minimum=max(p.work.contractual_minimum, 1))
    more = replace(stated, "work", contractual_minimum=stated.work.contractual_minimum + data.draw(st.integers(1, 5_000_000)))
    assert assess(more).limit.per_claim >= assess(stated).limit.per_claim


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_assessment_is_pure(p):
    assert to_dict(assess(p)) == to_dict(assess(p))


@settings(max_examples=300, deadline=None)
@given(profiles, st.booleans(), st.booleans(), st.booleans())
def test_same_profile_same_decisions_and_every_reason_renders(p, has_policy, cyber, gl):
    """One path: the engine is deterministic, and every reason it returns has a message
    whose fields it fills (rendering never fails)."""
    from eo_advisor.formats.render import default_renderer
    from eo_advisor.profile.model import CurrentPolicy

    if has_policy:
        p = p._replace(current_policy=CurrentPolicy(1_000_000, 2_500, "eroding", cyber, gl))
    first, again = assess(p), assess(p)
    assert first == again
    d = first.to_dict(default_renderer())
    assert all(isinstance(x, str) and x for x in d["limit"]["reasons"] + d["defense_costs"]["reasons"] + d["warnings"])
    assert len(d["warnings"]) == len(first.warnings)


# -- issue 16: unknown is not "no", floors stay floors, the non-eroding load survives ----
RISK_FIELDS = ("handles_sensitive_data", "onsite_work", "builds_products", "safety_critical")
ORDER = {"high": 3, "medium": 2, "low": 1, "info": 0}


@settings(max_examples=200, deadline=None)
@given(profiles, st.sampled_from(RISK_FIELDS))
def test_not_answered_never_drops_a_gap_a_yes_would_open(p, field):
    yes = assess(replace(p, "work", **{field: True}))
    unknown = assess(replace(p, "work", **{field: None}))
    said = {g.coverage: g for g in unknown.gaps}
    for g in yes.gaps:  # every cover a yes calls for is still there: as a gap, or a point to confirm
        if field == "safety_critical" and g.coverage == "products_liability" and not _safety_question_matters(p):
            continue  # the question is not asked of firms it cannot concern (a web shop)
        assert g.coverage in said, (field, g.coverage)
        if g.status == "open" and said[g.coverage].status != "open":
            assert said[g.coverage].status.startswith("confirm")


def _safety_question_matters(p: Profile) -> bool:
    return bool({"software_development"} & set(p.work.services)) or p.work.builds_products is not False


@settings(max_examples=200, deadline=None)
@given(profiles, st.sampled_from([500_000, 1_000_000, 2_000_000, 5_000_000]))
def test_stating_a_requirement_never_lowers_a_limit_a_risk_floor_set(p, stated):
    before = assess(replace(p, "work", contractual_minimum=0))
    after = assess(replace(p, "work", contractual_minimum=stated))
    if before.limit.driver in ("firm_size", "privileged_access", "safety_critical", "held_limit", "minimum_limit"):
        assert after.limit.per_claim >= before.limit.per_claim


@settings(max_examples=200, deadline=None)
@given(profiles, st.sampled_from(LADDER), st.sampled_from(DEDUCTIBLES))
def test_non_eroding_costs_at_least_eroding_plus_its_load_at_every_limit(p, limit, deductible):
    load = RULES.value("rating.non_eroding_factor")
    eroding = rate(p, limit, deductible).estimate
    non_eroding = rate(p, limit, deductible, non_eroding=True).estimate
    step = RULES.value("rating.rounding")
    minimum = RULES.value("rating.minimum_premium")
    if eroding > minimum:  # the minimum premium floors both
        assert non_eroding >= eroding * load - 2 * step  # both rounded to the step
