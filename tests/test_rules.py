"""The rules data: every file parses, every value is sourced, and every value is used."""

from __future__ import annotations

import copy
import datetime
import random

import pytest
from conftest import BASE_PROFILE, DATA, PROFILES, deep_merge, load_toml

from eo_advisor.advice import engine
from eo_advisor.advice.result import decisions
from eo_advisor.errors import RulesError
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.model import validate
from eo_advisor.rules import PARAM_FILES, RULE_FILES, RULES_DIR, Rules, load_rules, raw_copy
from eo_advisor.rules.ruleset import ruleset

RULES = load_rules()
RENDER = default_renderer()
AS_OF = datetime.date(2026, 11, 27)


def test_every_rules_file_parses_and_is_listed():
    on_disk = {p.stem for p in RULES_DIR.glob("*.toml")}
    assert on_disk == set(RULE_FILES)
    for name in RULE_FILES:
        data = load_toml(RULES_DIR / f"{name}.toml")
        assert data["schema_version"] == 1
        if name != "sources":
            assert data["meta"]["description"] and data["meta"]["updated"]


def test_every_parameter_has_unit_description_and_a_known_source():
    assert len(RULES.params) >= 30
    for p in RULES.params.values():
        assert p.unit and len(p.description) > 20, p.name
        assert p.source in RULES.sources, p.name


def test_low_confidence_and_assumptions_are_labelled():
    conf = {s.confidence for s in RULES.sources.values()}
    assert conf == {"high", "low", "assumption"}
    assert RULES.sources["assumption"].confidence == "assumption"


def test_vocabularies_have_factors_and_labels():
    assert set(RULES.services) == set(RULES.value("rating.service_factor"))
    assert set(RULES.industries) == set(RULES.value("rating.industry_factor"))
    assert RULES.regulated_industries == {"finance", "healthcare", "government"}
    required_services = {
        "it_support",
        "managed_services",
        "software_development",
        "web_development",
        "it_consulting",
        "cybersecurity",
        "cloud_services",
        "data_services",
        "financial_software",
    }
    assert required_services <= set(RULES.services)
    assert {"finance", "healthcare", "government", "education", "legal", "retail", "technology", "other"} <= set(RULES.industries)


def test_ladders_are_rated():
    limit_factors = {int(k) for k in RULES.value("rating.limit_factor")}
    assert set(RULES.value("limits.limit_ladder")) <= limit_factors
    assert RULES.value("limits.limit_ladder") == (1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000)
    ded_factors = {int(k) for k in RULES.value("rating.deductible_factor")}
    assert set(RULES.value("deductibles.deductible_ladder")) <= ded_factors


def test_seed_ordering_of_services():
    f = RULES.value("rating.service_factor")
    assert f["cybersecurity"] > f["it_support"] and f["financial_software"] > f["it_support"]
    assert RULES.value("limits.consequential_damages_factor") > 1


def test_broken_rules_are_refused_with_the_place_named():
    raw = raw_copy()
    raw["rating"]["base_premium"]["source"] = "nowhere"
    with pytest.raises(RulesError, match="rating.base_premium.*nowhere"):
        Rules.from_dicts(raw)
    raw = raw_copy()
    raw["gaps"]["gaps"][0]["when_any"] = ["service:quantum_computing"]
    with pytest.raises(RulesError, match="unknown fact"):
        Rules.from_dicts(raw)
    raw = raw_copy()
    del raw["limits"]["minimum_limit"]["unit"]
    with pytest.raises(RulesError, match="limits.minimum_limit.*unit"):
        Rules.from_dicts(raw)


def _reason_keys(value, out):
    """Every message key a result's reasons use (nested reasons and @-references too)."""
    from eo_advisor.advice.result import Reason

    if isinstance(value, Reason):
        out.add(value.key)
        for name, spec in RENDER.fields(value.key).items():
            if spec.startswith("@"):
                out.add(f"{spec[1:]}.{value.params[name]}")
        for v in value.params.values():
            _reason_keys(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _reason_keys(v, out)
    return out


def test_every_message_uses_known_format_specs():
    for key in RULES.messages:
        for name, spec in RENDER.fields(key).items():
            assert spec in RENDER._specs or (spec[:1] in "@#" and spec[1:]), f"{key}: {{{name}:{spec}}}"


@pytest.mark.parametrize(
    ("key", "params", "text"),
    [
        ("factor.claims_history", {"claims": 1}, "1 claim in the last 5 years"),
        ("factor.claims_history", {"claims": 0}, "0 claims in the last 5 years"),
        ("factor.prior_acts", {"years": 1}, "1 year of prior acts"),
        ("factor.prior_acts", {"years": 12}, "12 years of prior acts"),
    ],
)
def test_counts_agree_with_their_nouns(key, params, text):
    from eo_advisor.advice.result import Reason

    assert RENDER(Reason(key, params)) == text


def test_every_message_is_used_by_the_engine():
    used: set[str] = set()
    for p in PROBES:
        result = engine.assess(p, as_of=AS_OF)
        _reason_keys(result, used)
        used.add("underwriting.summary") if result.underwriting.referred else None
    from eo_advisor.advice.options import options

    used |= _reason_keys(options(PROBES[0]), set())
    from eo_advisor.profile.model import Practices

    labels = {k for k in RULES.messages if k.startswith("label.")}  # words for ids, used by the labels spec
    from eo_advisor.advice.review import CERTIFICATE_TERMS

    assert {k.removeprefix("label.") for k in labels} == {*Practices._fields, *CERTIFICATE_TERMS, "non-eroding", "eroding-acceptable"}
    # the summary lines are worded by render.defense_line: one per defense state
    from eo_advisor.advice.result import DefenseAdvice

    for form, eroding, suffix in (
        ("non-eroding", 2_000_000, ""),
        ("non-eroding", None, "_only"),
        ("non-eroding", 1_000_000, "_same"),
        ("eroding-acceptable", 2_000_000, ""),
    ):
        used.add(RENDER.defense_line(DefenseAdvice(form, eroding, (), ()), 1_000_000) and f"summary.defense_{form}{suffix}")
        used.add(f"summary.form_{form}")
    closing = next(p for p in PROBES if engine.assess(p, as_of=AS_OF).closing)  # the summary of a closing business
    used |= {"summary.closing_plan", "summary.closing_tail"} if all(RENDER.closing_summary(engine.assess(closing, as_of=AS_OF).tail)) else set()
    for p in PROBES:  # the premium caveat of a summary: an estimate, or indicative for a larger firm
        premium = engine.assess(p, as_of=AS_OF).premium
        used.add("summary.premium_indicative" if premium.indicative else "summary.premium_estimate") if RENDER.premium_caveat(premium) else None
    report = {k for k in RULES.messages if k.startswith("report.")}  # the reports' own prose: tests/test_outline.py
    unused = sorted(set(RULES.messages) - used - labels - report)
    assert not unused, f"messages no probe profile produces: {unused}"


# -- every value is used: change it and the advice must change -------------------
def _probe_profiles():
    out = [validate(load_toml(p)) for p in PROFILES]
    out += [validate(deep_merge(BASE_PROFILE, c["profile"])) for c in load_toml(DATA / "cases.toml")["case"]]
    # risk questions left unanswered (not known is not no), and each band of records held
    unanswered = copy.deepcopy(BASE_PROFILE)
    for key in ("handles_sensitive_data", "onsite_work", "builds_products"):
        unanswered["work"].pop(key, None)
    out.append(validate(unanswered))
    for band in ("none", "under_100k", "100k_500k", "500k_1m", "over_1m"):
        work = {"handles_sensitive_data": True, "records_held": band}
        out.append(validate(deep_merge(BASE_PROFILE, {"work": work, "other_cover": {"cyber": False}})))
    rng = random.Random(7)
    services, industries = list(RULES.services), list(RULES.industries)
    for i in range(60):
        out.append(
            validate(
                deep_merge(
                    BASE_PROFILE,
                    {
                        "business": {
                            "annual_revenue": rng.choice(
                                [30_000, 120_000, 300_000, 700_000, 1_500_000, 4_000_000, 8_000_000, 20_000_000, 40_000_000, 80_000_000, 150_000_000]
                            ),
                            "years_in_business": rng.randint(0, 8),
                            "employees": rng.choice([0, 0, 3, 12]),
                        },
                        "work": {
                            "services": [services[i % len(services)]],
                            "client_industries": [industries[i % len(industries)]],
                            "largest_contract": rng.choice([10_000, 300_000, 900_000, 3_000_000]),
                            "handles_sensitive_data": rng.random() < 0.5,
                            "builds_products": rng.random() < 0.3,
                        },
                        "history": {"claims_last_5_years": rng.choice([0, 0, 1, 2, 4])},
                        "practices": {k: rng.random() < 0.5 for k in BASE_PROFILE["practices"]},
                    },
                )
            )
        )
    policy = {"limit": 1_000_000, "deductible": 1_000, "defense_costs": "eroding", "includes_cyber": False, "has_general_liability": False}
    out += [
        validate(deep_merge(BASE_PROFILE, extra))
        for extra in (
            {
                "business": {"state": "NV", "annual_revenue": 20_000, "years_in_business": 0},
                "work": {"handles_sensitive_data": True, "onsite_work": True, "largest_contract": 900_000},
                "current_policy": {**policy, "planned_change": "switch_insurer"},
            },
            {
                "business": {"state": "NY"},
                "current_policy": {**policy, "limit": 2_000_000, "includes_cyber": True},
                "contracts": [{"client": "Big Bank", "eo_limit": 20_000_000, "defense_outside_limits": True, "cyber_limit": 1_000_000}],
            },
            {
                "business": {"annual_revenue": 20_000, "years_in_business": 0, "employees": 0},
                "work": {
                    "services": ["it_support"],
                    "client_industries": ["retail"],
                    "handles_sensitive_data": False,
                    "builds_products": False,
                    "largest_contract": 5_000,
                    "contractual_minimum": 0,
                },
                "contracts": [{"client": "Corner Shop", "eo_limit": 500_000}],
                "history": {"claims_last_5_years": 0},
                "practices": dict.fromkeys(BASE_PROFILE["practices"], True),
                "current_policy": {**policy, "limit": 5_000_000},
            },
            # the newer inputs: owner's deductible cap, contract values with a liability cap, cyber
            # and additional-insured requirements, client concentration, subcontractors, abroad
            {
                "business": {"annual_revenue": 400_000, "max_deductible": 500, "employees": 60},
                "work": {"uses_subcontractors": True, "foreign_revenue_share": 0.3},
                "contracts": [
                    {
                        "client": "Retailer",
                        "eo_limit": 1_000_000,
                        "value": 900_000,
                        "liability_cap": 1_500_000,
                        "cyber_limit": 2_000_000,
                        "additional_insured": True,
                    }
                ],
            },
            {
                "business": {"annual_revenue": 12_000_000, "employees": 200},
                "work": {"largest_client_share": 0.6},
                "contracts": [{"client": "Hospital", "eo_limit": 1_000_000, "value": 700_000}],
                "current_policy": {**policy, "planned_change": "switch_insurer", "annual_premium": 9_000},
            },
            {"business": {"annual_revenue": 60_000_000, "employees": 300}},
            {"business": {"annual_revenue": 1_000_000, "employees": 200}},
            {"business": {"annual_revenue": 300_000}, "current_policy": {**policy, "deductible": 10_000}},
        )
    ]
    return out


PROBES = _probe_profiles()


def _outputs(rules: Rules, profile, grid: bool):
    """The decisions only (numbers, ids, severities): a value that changes nothing but
    the wording of a reason is not used."""
    out = [decisions(engine.assess(profile, rules, as_of=AS_OF))]
    if grid:  # the rating model is used beyond the recommendation (options, calibration)
        rs = ruleset(rules)
        out += [
            engine.rate(profile, limit, ded, rules=rules).estimate
            for limit in rs["rating.limit_factor"].xs
            for ded in rs["rating.deductible_factor"].xs
        ]
    return out


BASELINE = [_outputs(RULES, p, i < 3) for i, p in enumerate(PROBES)]


def _perturbations():
    raw = raw_copy()
    for file in PARAM_FILES:
        for key, entry in raw[file].items():
            if key in ("schema_version", "meta", "factor_table"):
                continue
            if "value" in entry:
                yield f"{file}.{key}", (file, key, "value", None)
            elif "brackets" in entry:
                for i in range(len(entry["brackets"])):
                    yield f"{file}.{key}[{i}]", (file, key, "brackets", i)
            elif isinstance(entry["values"], dict):
                for k in entry["values"]:
                    yield f"{file}.{key}.{k}", (file, key, "map", k)
            else:
                yield f"{file}.{key}", (file, key, "list", None)


SEVERITIES = ("high", "medium", "low", "info")


def _scaled(value, factor):
    if value in SEVERITIES:  # a severity: move it one step (up when doubling, down when halving)
        i = SEVERITIES.index(value)
        return SEVERITIES[min(i + 1, 3)] if factor < 1 or i == 0 else SEVERITIES[i - 1]
    if isinstance(value, str):  # an id in a list: swap it for another
        return "other" if value != "other" else "finance"
    new = value * factor
    return int(new) if isinstance(value, int) else new


def _apply(raw, where, factor):
    file, key, kind, sub = where
    entry = raw[file][key]
    if kind == "value":
        entry["value"] = _scaled(entry["value"], factor)
    elif kind == "brackets":
        entry["brackets"][sub]["value"] = _scaled(entry["brackets"][sub]["value"], factor)
    elif kind == "map":
        entry["values"][sub] = _scaled(entry["values"][sub], factor)
    else:
        entry["values"] = [_scaled(v, factor) for v in entry["values"]]


@pytest.mark.parametrize("name,where", list(_perturbations()), ids=[n for n, _ in _perturbations()])
def test_every_value_changes_some_advice(name, where):
    for factor in (2, 0.5):
        raw = raw_copy()
        _apply(raw, where, factor)
        rules = Rules.from_dicts(raw)
        for i, p in enumerate(PROBES):
            if _outputs(rules, p, i < 3) != BASELINE[i]:
                return
    pytest.fail(f"{name}: doubling or halving it changes no advice for {len(PROBES)} probe profiles; unused?")


# -- no stale rules, no files written -----------------------------------------------
def test_an_edited_rules_value_is_read_even_with_the_same_length_and_mtime(tmp_path):
    """There is no rules cache: the TOML is the truth. Edit a value keeping the file's
    length and mtime and the advice follows."""
    import os
    import shutil

    from eo_advisor.rules import read_rule_files

    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    path = copy / "rating.toml"
    before = path.read_text(encoding="utf-8")
    stat = path.stat()
    after = before.replace("value = 700\n", "value = 900\n", 1)
    assert after != before and len(after) == len(before)
    path.write_text(after, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    profile = PROBES[0]
    old = engine.assess(profile, RULES).premium.estimate
    new = engine.assess(profile, Rules.from_dicts(read_rule_files(copy))).premium.estimate
    assert new != old and abs(new / old - 900 / 700) < 0.02


def test_assessing_writes_no_file(tmp_path):
    """The engine writes nothing: a full CLI run with HOME and XDG_CACHE_HOME pointed at
    an empty directory leaves it empty."""
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "eo_advisor", "assess", "-p", str(PROFILES[0]), "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert list(home.rglob("*")) == []


def test_the_shipped_snapshot_is_current():
    import json

    from eo_advisor.rules import COMPILED, compile_snapshot

    shipped = json.loads(COMPILED.read_text(encoding="utf-8"))
    assert shipped["key"] == compile_snapshot()["key"], "regenerate with: python -m eo_advisor.rules"
    assert Rules.from_dicts(shipped["raw"]).params == RULES.params


@pytest.mark.parametrize("damage", ["stale", "garbage", "wrong shape", "missing"])
def test_a_stale_or_broken_snapshot_falls_back_to_the_toml(tmp_path, damage):
    """The snapshot is keyed on a hash of the files' text and the version: a same-length
    edit with the same mtime is seen; a broken or missing snapshot is ignored."""
    import os
    import shutil

    from eo_advisor.rules import COMPILED, read_packaged

    rules_dir, snapshot = tmp_path / "rules", tmp_path / "compiled.json"
    shutil.copytree(RULES_DIR, rules_dir)
    shutil.copy(COMPILED, snapshot)
    if damage == "stale":
        path = rules_dir / "rating.toml"
        stat = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("value = 700\n", "value = 900\n", 1), encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif damage == "garbage":
        snapshot.write_text("{not json", encoding="utf-8")
    elif damage == "wrong shape":
        snapshot.write_text('{"key": [], "raw": 3}', encoding="utf-8")
    else:
        snapshot.unlink()
    raw = read_packaged(rules_dir, snapshot)
    assert raw["rating"]["base_premium"]["value"] == (900 if damage == "stale" else 700)


def test_the_snapshot_keeps_the_files_order():
    """Order is meaning in the rules (first matching gap rule wins; vocabulary and actions
    are shown in file order): the snapshot must not sort tables."""
    import json

    from eo_advisor.rules import COMPILED, read_rule_files

    shipped = json.loads(COMPILED.read_text(encoding="utf-8"))["raw"]
    parsed = read_rule_files()
    for name in parsed:
        assert list(shipped[name]) == list(parsed[name]), name
    assert list(shipped["vocabulary"]["services"]) == list(parsed["vocabulary"]["services"])
    assert [g["id"] for g in shipped["gaps"]["gaps"]] == [g["id"] for g in parsed["gaps"]["gaps"]]


# -- the factor table and the reads recorder (issue 15: rules read by their own names) --
def test_the_premium_shows_the_factor_table_in_its_order():
    premium = engine.assess(PROBES[0], RULES, as_of=AS_OF).premium
    assert [f.name for f in premium.factors] == [spec.name for spec in RULES.factor_table]
    product = premium.base
    for f in premium.factors:
        product *= f.multiplier
    assert abs(max(product, RULES.params["rating.minimum_premium"].value) - premium.estimate) <= RULES.params["rating.rounding"].value


def test_every_rating_parameter_is_in_the_factor_table_or_read_by_name():
    in_table = {name for spec in RULES.factor_table for name in spec.params}
    read_by_name = {
        "rating.base_premium",
        "rating.minimum_premium",
        "rating.rounding",
        "rating.range_low",
        "rating.range_high",
        "rating.bundle_discount",
    }
    assert {n for n in RULES.params if n.startswith("rating.")} == in_table | read_by_name


def test_a_broken_factor_table_is_refused_with_the_place_named():
    raw = raw_copy()
    raw["rating"]["factor_table"][1]["lookup"] = "guess"
    with pytest.raises(RulesError, match=r"rating.factor_table\[1\].*lookup"):
        Rules.from_dicts(raw)
    raw = raw_copy()
    raw["rating"]["factor_table"][0]["params"] = ["rating.no_such_factor"]
    with pytest.raises(RulesError, match="no_such_factor"):
        Rules.from_dicts(raw)


def test_a_value_consulted_but_not_binding_is_not_cited():
    from eo_advisor.rules.ruleset import ruleset as rs_of

    rs = rs_of(RULES)
    r = rs.reads()
    r("limits.minimum_limit")
    r.peek("limits.revenue_floor")
    assert r.used == ("limits.minimum_limit",)
    r.cite("limits.revenue_floor")
    r("limits.minimum_limit")
    assert r.used == ("limits.minimum_limit", "limits.revenue_floor")
    small = engine.assess(PROBES[0], RULES, as_of=AS_OF).limit  # a small firm: the size floors do not bind
    assert "limits.revenue_floor" not in small.params and "limits.minimum_limit" in small.params
