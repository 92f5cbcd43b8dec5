"""The interview, driven through prompt_toolkit pipe input (no real terminal needed)."""

from __future__ import annotations

import json

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from conftest import load_toml
from eo_advisor.cli import app
from eo_advisor.termenv import Env

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"
CLEAR = "\x15"  # Ctrl-U: erase the pre-filled default before typing


def typed(text: str) -> str:
    return CLEAR + text + ENTER


def interview(args, keys: list[str]):
    with create_pipe_input() as pipe:
        for k in keys:
            pipe.send_text(k)
        env = Env(stdin_isatty=True, prompt_input=pipe, prompt_output=DummyOutput())
        return CliRunner().invoke(app, args, obj=env)


FULL_INTERVIEW = [
    "Acme Web Studio" + ENTER,       # business.name
    typed("180k"),                  # annual revenue, typed the human way
    ENTER,                           # employees: default 0
    typed("4"),                     # years
    "or" + ENTER,                    # state (lower case is accepted)
    DOWN * 3 + SPACE + DOWN + SPACE + ENTER,  # services: web_development + it_consulting
    typed("$60,000"),               # largest contract
    typed("1M"),                    # contractual minimum
    DOWN + SPACE + DOWN * 4 + SPACE + ENTER,  # industries: healthcare + retail
    "y",                             # sensitive data
    "n",                             # on-site
    "n",                             # products
    typed("0"),                     # claims
    "y", "y", "y", "n",              # practices
    "y", "y", "n",                   # cyber controls (asked: sensitive data): MFA, offline backups, EDR
    "y",                             # has a current policy (POLICY_AT points here)
    typed("1M"),                    # current limit
    typed("2500"),                  # current deductible
    ENTER,                           # eroding (default)
    "n", "n",                        # cyber, GL
    "2022-01-01" + ENTER,            # retroactive date
    ENTER,                           # planned change: none (default)
    "y",                             # a contract with requirements
    "Mercy Clinic" + ENTER,          # its client
    typed("3M"),                     # E&O limit it requires
    "500k" + ENTER,                  # cyber limit
    "y", "n",                        # defense outside limits; additional insured
    "n",                             # no other contract
]


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
    assert answers["current_policy"]["retroactive_date"].isoformat() == "2022-01-01"
    assert answers["current_policy"]["planned_change"] == "none"
    assert answers["contracts"] == [{"client": "Mercy Clinic", "eo_limit": 3_000_000, "cyber_limit": 500_000,
                                     "defense_outside_limits": True, "additional_insured": False}]
    assert answers["practices"] == {"contracts_limit_liability": True, "project_documentation": True, "qa_testing": True, "communication_logs": False,
                                    "mfa": True, "offline_backups": True, "endpoint_detection": False}
    # the export reproduces the advice without prompts
    again = CliRunner().invoke(app, ["assess", "-p", str(exp), "-f", "json", "--no-input"], obj=Env())
    assert json.loads(again.stdout) == data


def test_only_missing_fields_are_asked(tmp_path):
    path = tmp_path / "partial.toml"
    path.write_text(
        "schema_version = 1\n[business]\nannual_revenue = 300000\nemployees = 2\nyears_in_business = 7\n"
        '[work]\nservices = ["it_support"]\nlargest_contract = 20000\ncontractual_minimum = 0\n'
        'client_industries = ["education"]\nhandles_sensitive_data = false\nonsite_work = true\nbuilds_products = false\n'
        "[practices]\ncontracts_limit_liability = true\nproject_documentation = true\nqa_testing = true\ncommunication_logs = true\n"
    )
    # only history.claims_last_5_years is missing: one answer completes it
    r = interview(["assess", "-p", str(path), "-f", "json"], [typed("1")])
    assert r.exit_code == 0, r.stderr
    assert "claims_history" in json.loads(r.stdout)["defense_costs"]["triggers"]


def test_a_bad_typed_amount_is_refused_and_asked_again():
    keys = list(FULL_INTERVIEW)
    keys[1] = typed("lots") + typed("250k")  # rejected, erased, retyped
    r = interview(["assess", "-f", "json"], keys)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["deductible"]["absorbable"] == 1_250  # 0.5% of $250k


@pytest.mark.parametrize("after", [1, 6, 12])
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path, after):
    out, exp = tmp_path / "out.json", tmp_path / "answers.toml"
    r = interview(["assess", "-f", "json", "-o", str(out), "--export", str(exp)], FULL_INTERVIEW[:after] + [CTRL_C])
    assert r.exit_code == 130
    assert "interrupted" in r.stderr
    assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []


POLICY_AT = 20  # index of the "has a current policy" answer in FULL_INTERVIEW


def test_interview_ends_with_the_options_table_for_text_output():
    assert FULL_INTERVIEW[POLICY_AT] == "y" and FULL_INTERVIEW[POLICY_AT + 1] == typed("1M")
    keys = FULL_INTERVIEW[:POLICY_AT] + ["n", "n", "y"]  # no policy, no contracts, show the options
    r = interview(["assess"], keys)
    assert r.exit_code == 0, r.stderr
    assert "Tech E&O recommendation" in r.stdout and "Tech E&O options" in r.stdout and "★" in r.stdout
