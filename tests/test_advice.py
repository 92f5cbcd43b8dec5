"""Advice a broker would sign: options ladder, contracts, policy review, underwriting,
explain, reports (HTML in a real headless browser) and compare."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from conftest import BASE_PROFILE, ROOT, deep_merge, load_toml, run

from eo_advisor.advice import engine
from eo_advisor.advice.compare import compare
from eo_advisor.advice.options import options
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.model import validate

say = default_renderer()

MSP = ROOT / "profiles" / "msp-serving-banks.toml"
WEB = ROOT / "profiles" / "freelance-web-developer.toml"
SOLO = ROOT / "profiles" / "it-support-solo.toml"
TODAY = datetime.date(2026, 11, 25)


def profile(path=None, **over):
    data = load_toml(path) if path else BASE_PROFILE
    return validate(deep_merge(data, over))


# -- options ladder ---------------------------------------------------------------
def test_options_use_the_same_rating_model_and_mark_the_recommendation():
    p = profile(WEB)
    result = engine.assess(p)
    opts = options(p, result)
    rec = opts.cell(result.limit.per_claim, result.deductible.amount)
    assert rec.recommended and sum(c.recommended for c in opts.cells) == 1
    # the recommended cell in the recommended defense form is exactly assess's premium
    assert (rec.non_eroding_low, rec.non_eroding_high) == (result.premium.low, result.premium.high)
    for c in opts.cells:  # every cell is rate() itself (a first policy: step-rated, as assess prices it)
        er = engine.rate(p, c.limit, c.deductible, aggregate=c.aggregate, prior_acts=0)
        assert (c.eroding_low, c.eroding_high) == (er.low, er.high)
        assert c.non_eroding_extra > 0 and c.non_eroding_low >= c.eroding_low
    assert opts.limits == [1_000_000, 2_000_000, 3_000_000]  # two above (none below the lowest rung)
    assert opts.deductibles == [1_000, 2_500, 5_000]


def test_options_never_offer_a_deductible_above_what_the_owner_can_pay():
    p = profile(business={"annual_revenue": 400_000, "max_deductible": 2_500})
    opts = options(p)
    assert opts.deductibles == [1_000, 2_500]  # not the $5,000 rung the ladder would show next
    assert options(profile(business={"annual_revenue": 400_000})).deductibles == [1_000, 2_500, 5_000]


def test_options_mark_cells_below_a_contract_minimum():
    opts = options(profile(MSP))
    below = {c.limit for c in opts.cells if not c.meets_contracts}
    assert below == {3_000_000}  # the bank contract asks $5M


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_options_cli_formats(fmt):
    r = run(["options", "-p", str(MSP), "-f", fmt])
    assert r.exit_code == 0, r.stderr
    if fmt == "json":
        data = json.loads(r.stdout)
        # 0.5% of $3.8M revenue = $19,000 -> the $10,000 rung, whose credit over $5,000 (about $630
        # a year) repays the extra $5,000 retention within 10 claim-free years
        assert data["recommended"] == {"limit": 5_000_000, "deductible": 10_000, "defense_costs": "non-eroding"}
        assert len(data["cells"]) == 12  # 3 limits (one below, one above: the ladder tops out) x 4 deductibles
        # the bank asks for defense outside the limit: no eroding cell meets the contracts
        assert not any(c["eroding_meets_contracts"] for c in data["cells"])
        assert {c["limit"] for c in data["cells"] if c["non_eroding_meets_contracts"]} == {5_000_000, 10_000_000}
    elif fmt == "csv":
        lines = r.stdout.strip().splitlines()
        assert lines[0].startswith("limit,aggregate,deductible") and len(lines) == 13
        assert sum(",true," in x.split("non_eroding_extra")[0] or x.endswith(",true,true") for x in lines[1:]) >= 1
    else:
        assert "★" in r.stdout and "✗" in r.stdout and "$25,000" in r.stdout


# -- contracts ----------------------------------------------------------------------
def test_each_contract_is_checked_against_recommended_and_current_cover():
    r = engine.assess(profile(MSP), as_of=TODAY)
    by_client = {c.client: c for c in r.contracts}
    assert set(by_client) == {"First Regional Bank", "Lakeshore Credit Union"}  # shorthand equals the bank's $5M
    bank = by_client["First Regional Bank"]
    assert bank.recommended_meets and bank.current_meets is False
    notes = " ".join(say.all(bank.notes))
    assert "defense costs outside the limit" in notes and "$2,000,000 of cyber" in notes and "additional insured" in notes


def test_a_contract_above_the_ladder_is_reported_as_not_met():
    r = engine.assess(profile(contracts=[{"client": "Mega Corp", "eo_limit": 25_000_000}]))
    assert r.limit.per_claim == 10_000_000
    assert r.contracts[0].recommended_meets is False and "excess layer" in say(r.contracts[0].notes[0])


def test_the_shorthand_has_its_own_line_when_it_asks_most():
    r = engine.assess(profile(work={"contractual_minimum": 3_000_000}, contracts=[{"client": "Small Co", "eo_limit": 1_000_000}]))
    assert [c.client for c in r.contracts] == ["contractual minimum (work.contractual_minimum)", "Small Co"]


# -- current-policy review -----------------------------------------------------------
def test_policy_review_findings_have_severity_and_an_ask():
    r = engine.assess(profile(MSP), as_of=TODAY)
    findings = {(f.topic, f.severity) for f in r.policy_review}
    assert ("limit", "high") in findings and ("defense_costs", "high") in findings
    assert ("retroactive_date", "high") in findings  # 2019 retro date, nine years in business
    assert any("Regulation 107" in say(f.finding) for f in r.policy_review)  # New York
    assert all(f.ask for f in r.policy_review if f.severity != "info")
    assert "ny_reg107" in r.sources  # the state rule is cited
    severities = [f.severity for f in r.policy_review]
    assert severities == sorted(severities, key=["high", "medium", "low", "info"].index)


def test_closing_the_business_prices_the_tail_from_the_estimate():
    r = engine.assess(profile(SOLO), as_of=TODAY)
    close = next(f for f in r.policy_review if f.topic == "planned_change")
    est = r.premium.estimate  # tail: 1y 100-125%, 3y 175-225%, 5y 200-300% of annual premium
    ask = say(close.ask)
    assert f"1 year about ${round(est * 1.0, -1):,.0f}–${round(est * 1.25, -1):,.0f}" in ask
    assert f"5 years ${round(est * 2.0, -1):,.0f}–${round(est * 3.0, -1):,.0f}" in ask
    assert [t.years for t in r.tail] == [1, 3, 5]


def test_a_closing_business_is_advised_the_tail_only():
    """A broker's rule: no new limit, gap or contract to meet when the business closes;
    the summary is the plan and the tail, and only the tail's sources are cited."""
    over = {
        "work": {"handles_sensitive_data": True, "contractual_minimum": 2_000_000},
        "current_policy": {
            "limit": 1_000_000,
            "deductible": 1_000,
            "defense_costs": "eroding",
            "includes_cyber": False,
            "has_general_liability": False,
            "retroactive_date": datetime.date(2018, 1, 1),
            "planned_change": "close_business",
            "annual_premium": 1_500,
        },
    }
    r = engine.assess(profile(**over), as_of=TODAY)
    assert r.closing and r.gaps == () and r.contracts == () and r.actions == ()
    assert [(t.years, t.low, t.high) for t in r.tail] == [(1, 1_500, 1_880), (3, 2_630, 3_380), (5, 3_000, 4_500)]
    assert set(r.sources) == {"seed", "profunderwriters"} | {f.source for f in r.findings if f.source}
    data = {**BASE_PROFILE, **over, "current_policy": {**over["current_policy"], "retroactive_date": "2018-01-01"}}
    data["work"] = {**BASE_PROFILE["work"], **over["work"]}
    import tomli_w

    text_in = tomli_w.dumps(data)
    out = run(["assess", "--profile", "-", "--no-input"], input=text_in).stdout
    assert "Plan" in out and "Tail" in out and "1 year about $1,500–$1,880" in out
    for absent in ("Why this limit", "Premium estimate", "Coverage gaps", "per claim /"):
        assert absent not in out, absent
    js = json.loads(run(["assess", "--profile", "-", "--no-input", "--format", "json"], input=text_in).stdout)
    assert js["closing"] is True and js["gaps"] == [] and js["contracts"] == []
    md = run(["assess", "--profile", "-", "--no-input", "--format", "markdown"], input=text_in).stdout
    assert "| Plan | Closing the business" in md and "## Why this recommendation" not in md
    assert not r.underwriting.referred  # nothing new to place
    csv_row = run(["assess", "--profile", "-", "--no-input", "--format", "csv"], input=text_in).stdout.splitlines()[1]
    assert csv_row.split(",")[1:10] == [""] * 9 and csv_row.endswith("close")  # no new policy in any format
    refused = run(["options", "--profile", "-", "--no-input"], input=text_in)
    assert refused.exit_code == 1 and "the business is closing" in refused.stderr and refused.stdout == ""


def test_the_revenue_factor_cites_the_assumed_points_past_the_sourced_ones():
    small, large = (engine.assess(profile(business={"annual_revenue": rev}), as_of=TODAY) for rev in (1_000_000, 12_000_000))
    assert next(f for f in small.premium.factors if f.name == "revenue").source == "insurancecurator"
    assert next(f for f in large.premium.factors if f.name == "revenue").source == "assumption"
    assert "assumption" in large.sources


def test_no_current_policy_no_review():
    assert engine.assess(profile()).policy_review == ()


def test_nevada_eroding_policy_is_named():
    r = engine.assess(
        profile(
            business={"state": "NV"},
            current_policy={
                "limit": 1_000_000,
                "deductible": 1_000,
                "defense_costs": "eroding",
                "includes_cyber": False,
                "has_general_liability": False,
            },
        ),
        as_of=TODAY,
    )
    assert any("AB 398" in say(f.finding) for f in r.policy_review)
    assert "nevada_ab398" in r.sources


# -- underwriting -------------------------------------------------------------------
@pytest.mark.parametrize(
    "over,flags",
    [
        ({}, []),
        ({"business": {"annual_revenue": 150_000_000}}, ["limit", "revenue"]),  # firm size: $10M
        # above At-Bay's $25M, and its $6M -> $10M aggregate is above the $2M online engines quote
        ({"business": {"annual_revenue": 30_000_000}}, ["online_limit", "online_revenue"]),
        ({"work": {"client_industries": ["healthcare"]}}, ["industries"]),
        ({"history": {"claims_last_5_years": 2}}, ["claims"]),
        ({"work": {"contractual_minimum": 5_000_000}}, ["limit"]),
        ({"work": {"contractual_minimum": 3_000_000}}, ["online_limit"]),
    ],
)
def test_underwriting_flags(over, flags):
    u = engine.assess(profile(**over)).underwriting
    assert [f.flag for f in u.flags] == flags
    assert u.referred == bool(flags) and (bool(u.to_dict(say)["advice"]) == bool(flags))


# -- explain --------------------------------------------------------------------------
def test_explain_names_rules_inputs_and_the_source_of_each_number():
    # no contract requirement stated: the data-access floor is the working minimum
    r = engine.assess(profile(WEB, work={"contractual_minimum": 0}), explain=True)
    limit = next(t for t in r.explain if t.step == "limit")
    assert limit.rule == r.limit.driver
    assert limit.inputs["exposure_from"] == "largest_contract" and limit.inputs["exposure_value"] == 35_000
    srcs = {s["param"]: s for s in limit.sources}
    # reviewed contracts, but healthcare clients and their data (breaches are carved out of caps):
    # the 2x consequential-damages factor, an assumption said so
    assert srcs["limits.consequential_damages_factor"]["source"] == "assumption"
    assert "limits.reviewed_clause_factor" not in srcs and "limits.consequential_capped_factor" not in srcs
    assert srcs["limits.data_access_minimum_limit"]["value"] == 2_000_000  # a number, as in `rules -f json`
    assert srcs["limits.data_access_minimum_limit"]["source"] == "vendor_minimums"  # healthcare data, not public sector
    premium = next(t for t in r.explain if t.step == "premium")
    assert {s["param"] for s in premium.sources} >= {"rating.base_premium", "rating.revenue_factor"}


def test_explain_in_text_output():
    r = run(["assess", "-p", str(WEB), "--explain"])
    assert "How this was worked out" in r.stdout and "Insureon" in r.stdout


# -- HTML report -----------------------------------------------------------------------
def _html(tmp_path, path=MSP):
    out = tmp_path / "report.html"
    r = run(["assess", "-p", str(path), "-f", "html", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    return out


def test_html_report_is_self_contained(tmp_path):
    html = _html(tmp_path).read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert not re.search(r"<(script|link|img|iframe)\b|@import|url\(|\bsrc=", html, re.I)
    for text in (
        "Harborline Managed IT",
        "Options",
        "Client contracts",
        "Your current policy",
        "Underwriting",
        "An estimate, not a quote",
        "Sources",
        "$5,000,000",
    ):
        assert text in html
    assert "&lt;" not in "".join(re.findall(r"<h[12]>(.*?)</h", html))


def test_html_escapes_what_users_typed(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text(WEB.read_text().replace('name = "Pixel & Pine Web Studio"', 'name = "<script>alert(1)</script>"'))
    html = _html(tmp_path, p).read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- compare ---------------------------------------------------------------------------
def test_compare_attributes_each_change_to_the_answers_that_caused_it():
    a = profile()
    b = profile(work={"contractual_minimum": 3_000_000}, business={"annual_revenue": 600_000, "name": "Renamed"})
    c = compare(a, b)
    keys = {x.key for x in c.inputs}
    assert keys == {"work.contractual_minimum", "business.annual_revenue", "business.name"}
    changes = {x.output: x for x in c.outputs}
    assert changes["limit.per_claim"].caused_by == ["work.contractual_minimum"]
    assert "deductible.amount" not in changes  # $600k could absorb $2,500, but its credit would not repay the retention
    assert set(changes["premium.low"].caused_by) == {"work.contractual_minimum", "business.annual_revenue"}
    assert all("business.name" not in x.caused_by for x in c.outputs)


def test_compare_current_policy_as_one_unit():
    a = profile()
    b = profile(
        current_policy={"limit": 1_000_000, "deductible": 1_000, "defense_costs": "eroding", "includes_cyber": True, "has_general_liability": True}
    )
    c = compare(a, b)
    assert [x.key for x in c.inputs] == ["current_policy"]


def test_compare_cli(tmp_path):
    r = run(["compare", str(WEB), str(ROOT / "profiles" / "cybersecurity-consultant.toml")])
    assert r.exit_code == 0, r.stderr
    assert "because of:" in r.stdout and "work.services" in r.stdout
    j = json.loads(run(["compare", str(WEB), str(WEB), "-f", "json"]).stdout)
    assert j["changed_answers"] == [] and j["changed_advice"] == []
    words = run(["compare", str(WEB), str(MSP)]).stdout  # values as the report words them, never raw ids or numbers
    # the MSP was never asked whether it holds workers' comp: that gap is a point to confirm (medium)
    assert "deductible.amount: $1,000 -> $10,000" in words and "workers compensation (medium)" in words
    assert "onsite_work: no -> yes" in words and "_" not in words.split("gaps:", 1)[1].split("\n", 1)[0]


def test_each_finding_is_shown_once():
    data = json.loads(run(["assess", "-p", str(MSP), "-f", "json"]).stdout)
    # warnings[] is derived from the findings: each high/medium finding, with what to ask
    assert len(data["warnings"]) == sum(f["severity"] in ("high", "medium") for f in data["findings"]) >= 3
    assert [f for f in data["findings"] if f["scope"] == "policy"] == [{**f, "scope": "policy"} for f in data["policy_review"]]
    from html import escape

    from eo_advisor.edge.safe_markup import markdown_text

    findings = engine.assess(profile(MSP), as_of=datetime.date.today()).findings  # the reports word ids (practices, controls) as labels
    worded = {
        "text": [say(f.finding) for f in findings],
        "markdown": [markdown_text(say(f.finding)) for f in findings],
        "html": [escape(say(f.finding)) for f in findings],
    }
    assert len(findings) == len(data["findings"])
    for fmt in ("text", "markdown", "html"):
        out = run(["assess", "-p", str(MSP), "-f", fmt], environ={"COLUMNS": "2000"}).stdout
        assert "Your current policy" in out
        for text in worded[fmt]:
            assert out.count(text) == 1, (fmt, text)


def test_warnings_show_when_there_is_no_policy_review(tmp_path):
    path = tmp_path / "big.toml"  # a $6M contract, within a year's revenue, no liability clause: 2x is above the ladder
    text = (ROOT / "profiles" / "saas-startup.toml").read_text().replace("largest_contract = 40_000", "largest_contract = 6_000_000")
    path.write_text(text.replace("annual_revenue = 700_000", "annual_revenue = 9_000_000"))
    out = " ".join(run(["assess", "-p", str(path)]).stdout.split())  # piped text wraps at 80 columns
    assert "Points to raise with your broker" in out and "excess (umbrella) layer" in out


def test_sources_are_those_of_the_values_used_and_only_those():
    """Every rules value that decides the advice has its source cited; a floor that did
    not apply is not."""
    from eo_advisor.rules import load_rules

    rules = load_rules()
    solo = engine.assess(profile(SOLO), as_of=TODAY)
    assert solo.closing and "insureon" in solo.sources  # the base premium: the expiring premium is estimated
    assert "rater_exercise" in solo.sources and "vita" not in solo.sources  # rating cited, the new limit's factors not
    assert "rhode_island" not in solo.sources and "vendor_minimums" not in solo.sources  # no such client
    web = engine.assess(profile(WEB, work={"contractual_minimum": 0}), as_of=TODAY)  # no requirement stated
    assert web.limit.driver == "data_access_minimum_limit" and "vendor_minimums" in web.sources
    stated = engine.assess(profile(WEB), as_of=TODAY)  # its contracts ask $1M: that replaces the floor
    assert stated.limit.per_claim == 1_000_000 and "vendor_minimums" not in stated.sources
    msp = engine.assess(profile(MSP), as_of=TODAY)
    limit_factor = next(f for f in msp.premium.factors if f.name == "limit")
    assert limit_factor.source == "heffins_floor" and "heffins_floor" in msp.sources  # the per-$1M floor governs at $5M
    for result in (solo, web, msp):
        for advice in (result.premium,) if result.closing else (result.limit, result.deductible, result.defense_costs, result.premium):
            assert {rules.params[p].source for p in advice.params} <= set(result.sources)
