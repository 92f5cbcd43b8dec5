"""The interview, driven through prompt_toolkit pipe input (no real terminal needed)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, load_toml, run
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from eo_advisor.edge.terminal import Env

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"
CLEAR = "\x15"  # Ctrl-U: erase the pre-filled default before typing


def typed(text: str) -> str:
    return CLEAR + text + ENTER


def interview(args, keys: list[str]):
    with create_pipe_input() as pipe:
        for k in keys:
            pipe.send_text(k)
        pipe.close()  # input that runs out fails the run (EOF) instead of hanging the suite
        env = Env(stdin_isatty=True, prompt_input=pipe, prompt_output=DummyOutput())
        return run(args, env=env)


FULL_INTERVIEW = [
    "Acme Web Studio" + ENTER,  # business.name
    "180k" + ENTER,  # annual revenue, typed the human way (no pre-filled number)
    ENTER,  # employees: 0, the neutral default
    "4" + ENTER,  # years
    "or" + ENTER,  # state (lower case is accepted)
    DOWN * 3 + SPACE + DOWN + SPACE + ENTER,  # services: web development + IT consulting
    DOWN + SPACE + DOWN * 4 + SPACE + ENTER,  # industries: healthcare + retail
    "$60,000" + ENTER,  # largest contract
    SPACE + ENTER,  # which apply: sensitive data only
    SPACE + DOWN + SPACE + DOWN + SPACE + ENTER,  # practices: the first three
    typed("1"),  # one contract sets requirements (POLICY_AT - 5)
    "Mercy Clinic" + ENTER,  # its client
    "3M" + ENTER,  # E&O limit it requires
    SPACE + DOWN + SPACE + ENTER,  # it requires: cyber cover, defense outside the limit
    "500k" + ENTER,  # cyber limit
    "y",  # has a current policy (POLICY_AT points here)
    "1M" + ENTER,  # current limit
    "2500" + ENTER,  # current deductible
    ENTER,  # current cover: eroding, no cyber, no GL
    "2022-01-01" + ENTER,  # retroactive date
    ENTER,  # planned change: none (default)
    SPACE + DOWN + SPACE + ENTER,  # cyber controls (asked: sensitive data): MFA, offline backups
]
POLICY_AT = 15  # index of the "has a current policy" answer in FULL_INTERVIEW


def test_full_interview_gives_clean_json_and_exports(tmp_path):
    exp = tmp_path / "acme.toml"
    r = interview(["assess", "-f", "json", "--export", str(exp)], FULL_INTERVIEW)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)  # prompts never reach stdout
    assert data["business_name"] == "Acme Web Studio"
    assert data["limit"]["per_claim"] == 3_000_000  # the clinic's contract asks $3M
    assert data["contracts"][0]["client"] == "Mercy Clinic" and data["contracts"][0]["recommended_meets"] is True
    assert data["contracts"][0]["current_meets"] is False  # $1M today, eroding
    answers = load_toml(exp)
    assert answers["business"]["annual_revenue"] == 180_000
    assert answers["business"]["state"] == "OR"
    assert answers["work"]["services"] == ["web_development", "it_consulting"]
    assert answers["work"]["client_industries"] == ["healthcare", "retail"]
    assert answers["work"]["contractual_minimum"] == max(c["eo_limit"] for c in answers["contracts"])  # the contract question answers it
    assert answers["current_policy"]["retroactive_date"].isoformat() == "2022-01-01"
    assert answers["current_policy"]["planned_change"] == "none"
    assert answers["current_policy"]["defense_costs"] == "eroding"
    assert answers["contracts"] == [
        {"client": "Mercy Clinic", "eo_limit": 3_000_000, "cyber_limit": 500_000, "defense_outside_limits": True, "additional_insured": False}
    ]
    assert answers["practices"] == {
        "contracts_limit_liability": True,
        "project_documentation": True,
        "qa_testing": True,
        "communication_logs": False,
        "mfa": True,
        "offline_backups": True,
        "endpoint_detection": False,
    }
    # the export reproduces the advice without prompts
    again = run(["assess", "-p", str(exp), "-f", "json", "--no-input"])
    assert json.loads(again.stdout) == data


def test_the_contract_question_answers_contractual_minimum_for_every_contract(tmp_path):
    """The contract question asks for every contract that sets requirements, so the
    export states the highest of their limits as work.contractual_minimum, and the
    advice is the one that answer gives (any minimum up to it advises alike)."""
    exp = tmp_path / "acme.toml"
    assert interview(["assess", "-f", "json", "--export", str(exp)], FULL_INTERVIEW).exit_code == 0
    data = load_toml(exp)
    highest = max(c["eo_limit"] for c in data["contracts"])
    assert data["work"]["contractual_minimum"] == highest
    runs = [run(["assess", "-p", str(exp), "-f", "json", "--no-input", "--set", f"work.contractual_minimum={m}"]) for m in ("1", str(highest))]
    assert runs[0].stdout == runs[1].stdout == run(["assess", "-p", str(exp), "-f", "json", "--no-input"]).stdout


def test_an_empty_answer_to_a_fact_is_asked_again():
    keys = list(FULL_INTERVIEW)
    keys[1] = ENTER + ENTER + "180k" + ENTER  # nothing pre-filled: empty is refused, twice, then answered
    keys[7] = ENTER + "$60,000" + ENTER
    r = interview(["assess", "-f", "json"], [*keys, typed("no")])  # and no profile saved
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["deductible"]["absorbable"] == 900  # 0.5% of $180k: the typed revenue


def test_only_missing_fields_are_asked(tmp_path):
    path = tmp_path / "partial.toml"
    path.write_text(
        "schema_version = 1\n[business]\nannual_revenue = 300000\nemployees = 2\nyears_in_business = 7\n"
        '[work]\nservices = ["it_support"]\nlargest_contract = 20000\ncontractual_minimum = 0\n'
        'client_industries = ["education"]\nhandles_sensitive_data = false\nonsite_work = true\nbuilds_products = false\n'
        "[practices]\ncontracts_limit_liability = true\nproject_documentation = true\nqa_testing = true\ncommunication_logs = true\n"
    )
    # only history.claims_last_5_years is missing: one answer completes it
    r = interview(["assess", "-p", str(path), "-f", "json"], [typed("1"), typed("no")])  # then the offer to save: no
    assert r.exit_code == 0, r.stderr
    assert "claims_history" in json.loads(r.stdout)["defense_costs"]["triggers"]


def test_a_bad_typed_amount_is_refused_and_asked_again():
    keys = list(FULL_INTERVIEW)
    keys[1] = "lots" + ENTER + typed("250k")  # rejected, erased, retyped
    r = interview(["assess", "-f", "json"], [*keys, typed("no")])  # no profile saved
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["deductible"]["absorbable"] == 1_250  # 0.5% of $250k


@pytest.mark.parametrize("after", [1, 6, 12])
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path, after):
    out, exp = tmp_path / "out.json", tmp_path / "answers.toml"
    r = interview(["assess", "-f", "json", "-o", str(out), "--export", str(exp)], [*FULL_INTERVIEW[:after], CTRL_C])
    assert r.exit_code == 130
    assert "interrupted" in r.stderr
    assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []


FREELANCER = [*FULL_INTERVIEW[:8], ENTER, FULL_INTERVIEW[9], ENTER, "n"]  # nothing ticked, no contracts, no policy: 12 questions


def test_interview_ends_with_the_options_table_and_the_offer_to_save(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    keys = [*FREELANCER, "y", ENTER]  # show the options; save under the default name
    r = interview(["assess"], keys)
    assert r.exit_code == 0, r.stderr
    assert "Tech E&O recommendation" in r.stdout and "Tech E&O options" in r.stdout and "★" in r.stdout
    saved = load_toml(tmp_path / "eo-advisor-profile.toml")
    assert saved["business"]["name"] == "Acme Web Studio" and "contracts" not in saved
    assert "profile saved to eo-advisor-profile.toml" in r.stderr


def test_the_offer_to_save_never_overwrites_without_asking(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eo-advisor-profile.toml").write_text("keep me\n")
    keys = [*FREELANCER, ENTER, "n", typed("no")]  # default name: exists -> not overwritten -> "no": skip
    r = interview(["assess", "-f", "json"], keys)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "eo-advisor-profile.toml").read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eo-advisor-profile.toml"]
    keys = [*FREELANCER, ENTER, "y"]  # ...and overwritten when the user says so
    assert interview(["assess", "-f", "json"], keys).exit_code == 0
    assert load_toml(tmp_path / "eo-advisor-profile.toml")["business"]["annual_revenue"] == 180_000


def test_no_offer_to_save_when_export_was_given(tmp_path):
    r = interview(["assess", "-f", "json", "--export", str(tmp_path / "a.toml")], FREELANCER)
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a.toml"]


def test_choices_are_labels_never_ids(monkeypatch):
    import questionary

    from eo_advisor.cli import interview as prompts
    from eo_advisor.profile.schema import FIELDS

    shown: list[str] = []

    class Answer:
        def __init__(self, value):
            self.value = value

        def unsafe_ask(self):
            return self.value

    def capture(message, choices, **kw):
        shown.extend(c.title for c in choices)
        return Answer([choices[0].value] if "validate" in kw else choices[0].value)

    monkeypatch.setattr(questionary, "checkbox", capture)
    monkeypatch.setattr(questionary, "select", capture)
    asker = prompts.Asker(Env(stdin_isatty=True, prompt_input=object(), prompt_output=DummyOutput()))
    for f in FIELDS:
        if f.kind in ("services", "industries", "choice"):
            asker.ask(f)
    ids = {*asker.rules.services, *asker.rules.industries, *(c for f in FIELDS for c in f.choices)}
    assert shown and not ids & set(shown), ids & set(shown)
    assert "Switching to another insurer" in shown


def test_csv_with_explain_is_a_usage_error(tmp_path):
    from conftest import ROOT

    r = run(["assess", "-p", str(ROOT / "profiles" / "saas-startup.toml"), "-f", "csv", "--explain"])
    assert r.exit_code == 2 and "--explain" in r.stderr and r.stdout == ""


def test_the_contract_question_takes_the_contract_file_and_reads_its_requirements(tmp_path):
    """Issue 17: instead of a client name, the contract itself: its clause is read (no
    limit, cyber or defense questions follow)."""
    clause = ROOT / "profiles" / "contracts" / "county-it-services.txt"
    keys = [*FULL_INTERVIEW[:11], str(clause) + ENTER, *FULL_INTERVIEW[POLICY_AT:]]
    exp = tmp_path / "acme.toml"
    r = interview(["assess", "-f", "json", "--export", str(exp)], keys)
    assert r.exit_code == 0, r.stderr
    (contract,) = load_toml(exp)["contracts"]
    assert contract["client"] == "County of Alder" and contract["eo_limit"] == 1_000_000
    assert contract["years_after_completion"] == 3 and contract["gl_per_occurrence"] == 1_000_000
