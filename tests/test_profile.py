"""The profile model: amounts, validation messages, round trips."""

from __future__ import annotations

import sys

import pytest
from conftest import BASE_PROFILE, PROFILES, deep_merge, load_toml

from eo_advisor.errors import ProfileError
from eo_advisor.profile.amounts import format_amount, parse_amount, short_amount
from eo_advisor.profile.model import apply_overrides, validate, validate_flat
from eo_advisor.profile.parse import flatten, unflatten
from eo_advisor.profile.schema import FIELDS
from eo_advisor.profile.template import profile_toml, template_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.mark.parametrize(
    "text,value",
    [
        ("250000", 250_000),
        ("250k", 250_000),
        ("250K", 250_000),
        ("$1.5M", 1_500_000),
        ("1,000,000", 1_000_000),
        ("$ 2.5m", 2_500_000),
        ("1_000", 1_000),
        (" 42 ", 42),
        ("0", 0),
        ("1.25k", 1_250),
        ("$1,250,000 USD", 1_250_000),
        (5000, 5000),
        (5000.0, 5000),
        ("-3k", -3000),
    ],
)
def test_amounts_people_type(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["lots", "1.5", "12,34", "$", "1e6", "", "1.2345k", True, None, [1]])
def test_amounts_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amount_display():
    assert format_amount(1_000_000) == "$1,000,000"
    assert short_amount(2_500) == "$2.5k" and short_amount(10_000_000) == "$10M" and short_amount(999) == "$999"


def test_every_problem_is_reported_with_its_field():
    data = deep_merge(
        BASE_PROFILE, {"business": {"annual_revenue": "ten", "employees": -1}, "work": {"services": ["web_dev"], "client_industries": []}}
    )
    data["work"]["colour"] = "blue"
    with pytest.raises(ProfileError) as info:
        validate(data)
    assert set(info.value.fields) == {"work.colour", "business.annual_revenue", "business.employees", "work.services", "work.client_industries"}
    msg = info.value.message
    assert "did you mean 'web_development'" in msg and "allowed:" in msg and "it_support" in msg


def test_partial_current_policy_needs_its_required_fields():
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, {"current_policy": {"limit": 1_000_000}}))
    assert "current_policy.deductible" in info.value.fields
    assert "current_policy.retroactive_date" not in info.value.fields  # optional


def test_contracts_are_validated():
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, {"contracts": [{"client": "Bank", "eo_limt": 1}, {"eo_limit": "5M"}]}))
    assert set(info.value.fields) == {"contracts[0].eo_limt", "contracts[0].eo_limit", "contracts[1].client"}
    p = validate(deep_merge(BASE_PROFILE, {"contracts": [{"client": "Bank", "eo_limit": "5M", "defense_outside_limits": "yes"}]}))
    assert p.contracts[0].eo_limit == 5_000_000 and p.contracts[0].defense_outside_limits is True


def test_lists_and_bools_from_flat_text():
    flat = {k: str(v).lower() if isinstance(v, bool) else v for k, v in flatten(BASE_PROFILE).items()}
    flat["work.services"] = "web_development; it_consulting;web_development"
    flat["work.handles_sensitive_data"] = "Yes"
    p = validate_flat(flat)
    assert p.work.services == ("web_development", "it_consulting")
    assert p.work.handles_sensitive_data is True


def test_overrides_refuse_unknown_keys_and_bad_syntax():
    with pytest.raises(ProfileError) as info:
        apply_overrides(BASE_PROFILE, ["work.service=x", "nokey"])
    assert "did you mean 'work.services'" in info.value.message and "KEY=VALUE" in info.value.message


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_export_round_trip(path):
    p = validate(load_toml(path))
    again = validate(tomllib.loads(profile_toml(p)))
    assert again == p
    assert unflatten(flatten(p.to_dict())) == p.to_dict()


def test_template_shows_every_field_and_validates():
    text = template_toml()
    for f in FIELDS:
        assert f"{f.name} = " in text
    validate(tomllib.loads(text))


def test_a_retroactive_date_in_the_future_is_an_error_naming_the_field(base_data):
    import datetime

    from eo_advisor.errors import ProfileError
    from eo_advisor.profile.model import validate

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    base_data["current_policy"] = {
        "limit": 1_000_000,
        "deductible": 1_000,
        "defense_costs": "eroding",
        "includes_cyber": False,
        "has_general_liability": False,
        "retroactive_date": tomorrow,
    }
    with pytest.raises(ProfileError) as err:
        validate(base_data)
    assert err.value.fields == ["current_policy.retroactive_date"] and "future" in err.value.message
    base_data["current_policy"]["retroactive_date"] = datetime.date.today()  # today is fine
    validate(base_data)


@pytest.mark.parametrize(
    "typed,meant", [("webdev", "web_development"), ("web_developmnt", "web_development"), ("cybersec", "cybersecurity"), ("helthcare", "healthcare")]
)
def test_an_unknown_id_gets_a_did_you_mean(base_data, typed, meant):
    key = "client_industries" if meant == "healthcare" else "services"
    base_data["work"][key] = [typed]
    with pytest.raises(ProfileError) as err:
        validate(base_data)
    assert f"did you mean '{meant}'" in err.value.message


def test_a_contracts_industry_is_one_known_id_named_in_the_error():
    ok = validate(deep_merge(BASE_PROFILE, {"contracts": [{"client": "Town", "eo_limit": 1_000_000, "industry": "government"}]}))
    assert ok.contracts[0].industry == "government"
    for bad, says in (("govt", "did you mean 'government'"), ("finance;retail", "expected one industry id"), (3, "expected one industry id")):
        with pytest.raises(ProfileError) as err:
            validate(deep_merge(BASE_PROFILE, {"contracts": [{"client": "Town", "eo_limit": 1_000_000, "industry": bad}]}))
        assert "contracts[0].industry" in str(err.value) and says in str(err.value)


# -- one schema (issue 15): the typed sections are a view of the fields, never a second declaration --
def test_the_typed_sections_mirror_the_schema_field_for_field():
    from eo_advisor.profile import model
    from eo_advisor.profile.schema import CONTRACT_FIELDS, FIELDS, SECTIONS

    classes = {"business": model.Business, "work": model.Work, "history": model.History, "practices": model.Practices}
    classes.update(other_cover=model.OtherCover, current_policy=model.CurrentPolicy)
    assert tuple(classes) == SECTIONS
    for section, cls in classes.items():
        fields = [f for f in FIELDS if f.section == section]
        assert set(cls._fields) == {f.name for f in fields}, section
        for f in fields:  # an answer the profile may leave out has a default in its class, and only then
            assert (f.name in cls._field_defaults) == (not f.required), f.key
    assert set(model.Contract._fields) == {f.name for f in CONTRACT_FIELDS}
    for f in CONTRACT_FIELDS:
        assert (f.name in model.Contract._field_defaults) == (not f.required), f.key


def test_every_fact_a_field_sets_is_known_to_the_gap_rules():
    from eo_advisor.profile.schema import FACT_FIELDS
    from eo_advisor.rules import load_rules

    rules = load_rules()
    for f in FACT_FIELDS:
        assert rules.is_known_fact(f.fact) and rules.is_known_fact(f"{f.fact}?"), f.key
        assert all(rules.is_known_fact(w) for w in f.when), f.key


def test_an_unanswered_work_question_is_a_fact_of_its_own_not_a_no():
    from eo_advisor.advice.facts import facts
    from eo_advisor.rules.ruleset import ruleset

    base = validate(load_toml(next(p for p in PROFILES if p.stem == "freelance-web-developer")))
    base = base._replace(work=base.work._replace(services=("software_development",)))  # the question matters for software
    unknown = base._replace(work=base.work._replace(safety_critical=None))
    no = base._replace(work=base.work._replace(safety_critical=False))
    yes = base._replace(work=base.work._replace(safety_critical=True))
    rs = ruleset()
    assert "safety_critical?" in facts(unknown, rs).gap_facts
    assert not {"safety_critical", "safety_critical?"} & facts(no, rs).gap_facts
    assert "safety_critical" in facts(yes, rs).gap_facts
    web = base._replace(work=base.work._replace(services=("web_development",), safety_critical=None))
    assert "safety_critical?" not in facts(web, rs).gap_facts  # a web studio is not asked: it cannot concern it


# -- issue 18: nothing raw, no traps in the answers ------------------------------------------
@pytest.mark.parametrize("data", [[1, 2], "text", {1: "x"}, {"business": {1: 2}}, None])
def test_validate_refuses_a_non_table_or_non_text_keys_with_a_profile_error(data):
    with pytest.raises(ProfileError) as exc:
        validate(data)
    assert exc.value.problems and all(p.field for p in exc.value.problems)


@pytest.mark.parametrize("text", ["１２３", "٣٠٠", "²", "1e3"])
def test_only_ascii_digits_are_numbers(text):
    from eo_advisor.profile.parse import parse_count, parse_dollars, parse_share

    for parse in (lambda v: parse_dollars(v, 10**10), parse_share, lambda v: parse_count(v, 10**6)):
        with pytest.raises(ValueError) as exc:
            parse(text)
        assert "invalid literal" not in str(exc.value)  # Python's own message never leaks


def test_a_share_of_1_is_ambiguous_and_said_so():
    from eo_advisor.profile.parse import parse_share

    with pytest.raises(ValueError, match="ambiguous"):
        parse_share(1)
    assert parse_share("100%") == 1.0 and parse_share("1%") == 0.01 and parse_share(1.01) == 0.0101 and parse_share(0.5) == 0.5


def test_a_key_typo_is_listed_before_the_missing_fields_it_causes():
    data = deep_merge(BASE_PROFILE, {})
    data["business"]["anual_revenue"] = data["business"].pop("annual_revenue")
    with pytest.raises(ProfileError) as exc:
        validate(data)
    assert exc.value.problems[0].field == "business.anual_revenue"
    assert "annual_revenue" in exc.value.problems[0].message
