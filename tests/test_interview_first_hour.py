"""Issue 18, a first hour without traps: typed answers replace defaults, every run that
asked something offers to save and the options, dates are checked at their prompt, the
report comes after the last prompt, checklists say what was ticked, ``<`` goes back,
and yes/no questions of optional fields can be left unanswered."""

from __future__ import annotations

import json

from conftest import load_toml
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from test_interactive import DOWN, ENTER, FREELANCER, FULL_INTERVIEW, POLICY_AT, SPACE, interview, typed

from eo_advisor.cli.interview import Asker
from eo_advisor.edge.terminal import Env
from eo_advisor.profile.schema import Field

PARTIAL = (
    "schema_version = 1\n[business]\nannual_revenue = 300000\nemployees = 2\nyears_in_business = 7\n"
    '[work]\nservices = ["it_support"]\nlargest_contract = 20000\ncontractual_minimum = 0\n'
    'client_industries = ["education"]\nhandles_sensitive_data = false\nonsite_work = true\nbuilds_products = false\n'
    "[practices]\ncontracts_limit_liability = true\nproject_documentation = true\nqa_testing = true\ncommunication_logs = true\n"
)


def test_a_typed_file_name_replaces_the_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = interview(["assess", "-f", "json"], [*FREELANCER, "acme.toml" + ENTER])  # typed straight over the offer
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.toml"]


def test_a_typed_number_replaces_the_default_number(tmp_path):
    keys = list(FULL_INTERVIEW)
    keys[2] = "12" + ENTER  # employees: default 0 offered, 12 typed
    keys[8] = SPACE + DOWN * 3 + SPACE + ENTER  # sensitive data, and a claim: "how many" offers 1
    keys.insert(9, "2" + ENTER)  # 2 typed: not "12"
    exp = tmp_path / "a.toml"
    r = interview(["assess", "-f", "json", "--export", str(exp)], keys)
    assert r.exit_code == 0, r.stderr
    saved = load_toml(exp)
    assert saved["business"]["employees"] == 12 and saved["history"]["claims_last_5_years"] == 2


def test_a_partial_profile_offers_the_options_and_to_save_the_answers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "partial.toml").write_text(PARTIAL)
    r = interview(["assess", "-p", "partial.toml"], [typed("1"), "y", "done.toml" + ENTER])
    assert r.exit_code == 0, r.stderr
    assert "Tech E&O options" in r.stdout
    assert load_toml(tmp_path / "done.toml")["history"]["claims_last_5_years"] == 1


def test_a_future_retroactive_date_is_refused_at_its_prompt(tmp_path):
    keys = list(FULL_INTERVIEW)
    keys[POLICY_AT + 4] = "2099-01-01" + ENTER + typed("2022-01-01")  # refused there, retyped: nothing lost
    exp = tmp_path / "a.toml"
    r = interview(["assess", "-f", "json", "--export", str(exp)], keys)
    assert r.exit_code == 0, r.stderr
    assert str(load_toml(exp)["current_policy"]["retroactive_date"]) == "2022-01-01"


def test_the_report_comes_after_the_last_prompt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = interview(["assess"], [*FREELANCER, "y", ENTER])
    assert r.exit_code == 0, r.stderr
    assert r.output.index("profile saved to") < r.output.index("Tech E&O recommendation") < r.output.index("Tech E&O options")


def test_checklists_say_what_was_ticked():
    r = interview(["assess", "-f", "json"], [*FULL_INTERVIEW, typed("no")])
    assert "ticked: You handle personal, health or payment data of your clients' customers" in r.stderr
    assert "ticked: Web development; IT consulting" in r.stderr or "ticked: " in r.stderr
    r = interview(["assess", "-f", "json"], [*FREELANCER, typed("no")])
    assert "ticked: none" in r.stderr


def test_typing_back_goes_to_the_previous_question(tmp_path):
    keys = list(FULL_INTERVIEW)
    keys[3] = "<" + ENTER + "3" + ENTER + "4" + ENTER  # at "years": back to staff, 3 staff, then years again
    exp = tmp_path / "a.toml"
    r = interview(["assess", "-f", "json", "--export", str(exp)], keys)
    assert r.exit_code == 0, r.stderr
    saved = load_toml(exp)
    assert saved["business"]["employees"] == 3 and saved["business"]["years_in_business"] == 4
    assert "type < to go back" in r.stderr


def ask_with(keys: str, field: Field):
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        env = Env(stdin_isatty=True, prompt_input=pipe, prompt_output=DummyOutput())
        return Asker(env).ask(field)


def test_yes_no_of_an_optional_field_can_be_left_unanswered():
    optional = Field("work.safety_critical", "bool", "Could a failure of your software injure people?", "", required=False)
    assert ask_with(DOWN + DOWN + ENTER, optional._replace(default=True)) is None  # Yes, No, "Not sure / skip"
    assert ask_with(ENTER, optional) is None  # no default: the cursor starts on "Not sure"
    assert ask_with(DOWN + ENTER, optional._replace(default=True)) is False
    required = optional._replace(required=True)
    assert ask_with("y", required) is True  # a required one stays yes/no


def test_the_first_hour_json_result_is_still_clean(tmp_path):
    r = interview(["assess", "-f", "json"], [*FREELANCER, typed("no")])
    assert json.loads(r.stdout)["business_name"] == "Acme Web Studio"
