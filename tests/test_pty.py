"""End to end in a real pseudo-terminal (pexpect): the interview as a person sees it."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from conftest import ROOT, load_toml  # noqa: E402

pytestmark = pytest.mark.pty
ENTER, DOWN, CLEAR = "\r", "\x1b[B", "\x15"


def spawn(cmd: str, cwd) -> pexpect.spawn:
    # PROMPT_TOOLKIT_NO_CPR: pexpect is no terminal emulator and never answers the
    # cursor-position request, which would cost a 1 s timeout per question (a real
    # terminal answers at once: measured 0.07 s between questions under tmux).
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "NO_COLOR": "1", "COLUMNS": "120", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("CI", None)
    return pexpect.spawn("bash", ["-c", cmd], cwd=str(cwd), env=env, encoding="utf-8", timeout=15, dimensions=(40, 120))


def answer(child, prompt: str, keys: str) -> None:
    child.expect(prompt)
    child.send(keys)


ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z]|\s)*"  # styling between the position and the question


class Counted:
    """Answers questions in a real terminal and records where each one said it stood."""

    def __init__(self, child) -> None:
        self.child, self.seen = child, []

    def __call__(self, prompt: str, keys: str) -> None:
        self.child.expect(r"(\d+) of (\d+)" + ANSI + r"[^\x1b]*?" + re.escape(prompt))
        self.seen.append((int(self.child.match.group(1)), int(self.child.match.group(2))))
        self.child.send(keys)

    @property
    def asked(self) -> int:
        return len(self.seen)

    @property
    def total(self) -> int:
        return self.seen[-1][1]


def finish(child) -> None:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def test_full_interview_in_a_real_terminal(tmp_path):
    """A software firm holding sensitive data: the cyber controls are asked, a claim opens its count."""
    py = shlex.quote(sys.executable)
    child = spawn(f"{py} -m eo_advisor assess --format json --export answers.toml > out.json", tmp_path)
    ask = Counted(child)
    ask("Business name", "Byte Forge" + ENTER)
    ask("Annual revenue", "$400k" + ENTER)
    ask("Staff besides", CLEAR + "3" + ENTER)
    ask("Years in business", "6" + ENTER)
    ask("US state", "NY" + ENTER)
    ask("Services you provide", DOWN * 2 + " " + ENTER)  # Software development
    ask("Industries your clients", " " + ENTER)  # Finance
    ask("Largest single contract", "900k" + ENTER)
    # sensitive data, no on-site, no product, not safety-critical (asked: software), one claim
    ask("Which of these apply", " " + DOWN * 4 + " " + ENTER)
    ask("How many claims", CLEAR + "1" + ENTER)
    ask("practices", " " + DOWN + " " + ENTER)  # reviewed contracts, documentation
    ask("contracts set insurance requirements", ENTER)  # 0
    ask("policy today", "n")
    ask("security controls", " " + ENTER)  # MFA only: asked because the firm holds sensitive data
    finish(child)
    assert [i for i, _ in ask.seen] == list(range(1, ask.asked + 1))  # each question says where it stands
    assert ask.seen[7][1] == 12 and ask.total == 14  # a claim and the cyber exposure opened two questions
    result = json.loads((tmp_path / "out.json").read_text())
    assert result["business_name"] == "Byte Forge"
    # a 900k contract at 400k of revenue runs over several years: one year of it (at most 400k),
    # and the reviewed contracts exclude consequential damages (x1), x1.5 for finance = 600k; the
    # data-access floor for a finance client's data sets 2M (issue 16: contracts by their economics)
    assert result["limit"]["per_claim"] == 2_000_000
    answers = load_toml(tmp_path / "answers.toml")
    assert answers["business"]["state"] == "NY"
    assert answers["history"]["claims_last_5_years"] == 1
    assert answers["practices"] == {
        "contracts_limit_liability": True,
        "project_documentation": True,
        "qa_testing": False,
        "communication_logs": False,
        "mfa": True,
        "offline_backups": False,
        "endpoint_detection": False,
    }
    assert answers["work"]["safety_critical"] is False and answers["work"]["handles_sensitive_data"] is True
    assert "current_policy" not in answers
    assert any("Regulation 107" in r for r in result["defense_costs"]["reasons"])


def test_solo_web_freelancer_answers_at_most_12_questions(tmp_path):
    """Target (issue 10): a solo web freelancer, no policy, no contracts: <= 12 questions,
    then the offer to save the answers (not a question about the business)."""
    py = shlex.quote(sys.executable)
    child = spawn(f"{py} -m eo_advisor assess --format json > out.json", tmp_path)
    ask = Counted(child)
    ask("Business name", "Pixel Lane" + ENTER)
    ask("Annual revenue", "85k" + ENTER)
    ask("Staff besides", ENTER)  # 0, the neutral default
    ask("Years in business", "2" + ENTER)
    ask("US state", "OR" + ENTER)
    ask("Services you provide", DOWN * 3 + " " + ENTER)  # Web development
    ask("Industries your clients", DOWN * 5 + " " + ENTER)  # Retail
    ask("Largest single contract", "12k" + ENTER)
    ask("Which of these apply", ENTER)  # none
    ask("practices", " " + ENTER)
    ask("contracts set insurance requirements", ENTER)  # 0
    ask("policy today", "n")
    child.expect("Save your answers")
    child.send(ENTER)  # the default file name
    finish(child)
    assert ask.asked <= 12 and ask.total == ask.asked, ask.seen
    assert [i for i, _ in ask.seen] == list(range(1, ask.asked + 1))
    assert {t for _, t in ask.seen} == {ask.asked}  # nothing opened: the count was right from the start
    saved = load_toml(tmp_path / "eo-advisor-profile.toml")
    assert saved["work"]["services"] == ["web_development"] and saved["business"]["annual_revenue"] == 85_000
    assert json.loads((tmp_path / "out.json").read_text())["business_name"] == "Pixel Lane"


def test_msp_with_a_policy_and_one_contract_answers_at_most_22_questions(tmp_path):
    """Target (issue 10): an MSP with a current policy and one contract: <= 22 questions."""
    (tmp_path / "eo-advisor-profile.toml").write_text("keep me\n")
    py = shlex.quote(sys.executable)
    child = spawn(f"{py} -m eo_advisor assess --format json > out.json", tmp_path)
    ask = Counted(child)
    ask("Business name", "Harbor IT" + ENTER)
    ask("Annual revenue", "2.4M" + ENTER)
    ask("Staff besides", CLEAR + "9" + ENTER)
    ask("Years in business", "8" + ENTER)
    ask("US state", "NV" + ENTER)
    ask("Services you provide", DOWN + " " + ENTER)  # Managed services
    ask("Industries your clients", DOWN + " " + ENTER)  # Healthcare
    ask("Largest single contract", "300k" + ENTER)
    ask("Which of these apply", " " + DOWN + " " + ENTER)  # sensitive data, on-site
    ask("practices", " " + DOWN + " " + DOWN + " " + ENTER)
    ask("contracts set insurance requirements", CLEAR + "1" + ENTER)
    ask("Client name", "Mercy Clinic" + ENTER)
    ask("E&O limit", "3M" + ENTER)
    ask("What else does", " " + DOWN + " " + ENTER)  # cyber cover, defense outside the limit
    ask("Cyber limit", "1M" + ENTER)
    ask("policy today", "y")
    ask("per-claim limit", "2M" + ENTER)
    ask("deductible", "5000" + ENTER)
    ask("current cover have", DOWN + " " + DOWN + " " + ENTER)  # cyber, general liability
    ask("Retroactive date", "2018-01-01" + ENTER)
    ask("change planned", "")
    child.expect("Switching to another insurer")  # choices by label, never an id such as switch_insurer
    child.send(ENTER)  # No change planned
    ask("security controls", " " + DOWN + " " + ENTER)
    child.expect("Save your answers")
    child.send(ENTER)
    child.expect("exists. Overwrite")  # never overwritten without asking
    child.send("n")
    child.expect("Save your answers")
    child.send(CLEAR + "harbor.toml" + ENTER)
    finish(child)
    assert ask.asked <= 22 and ask.total == ask.asked, ask.seen
    assert [i for i, _ in ask.seen] == list(range(1, ask.asked + 1))
    assert (tmp_path / "eo-advisor-profile.toml").read_text() == "keep me\n"
    saved = load_toml(tmp_path / "harbor.toml")
    assert saved["contracts"] == [
        {"client": "Mercy Clinic", "eo_limit": 3_000_000, "cyber_limit": 1_000_000, "defense_outside_limits": True, "additional_insured": False}
    ]
    assert saved["current_policy"]["planned_change"] == "none"
    assert saved["work"]["contractual_minimum"] == max(c["eo_limit"] for c in saved["contracts"])  # answered by the contract question
    result = json.loads((tmp_path / "out.json").read_text())
    assert result["limit"]["per_claim"] == 3_000_000


def test_ctrl_c_in_a_real_terminal_exits_130_and_writes_nothing(tmp_path):
    py = shlex.quote(sys.executable)
    child = spawn(f"{py} -m eo_advisor assess --format json --output out.json --export answers.toml", tmp_path)
    answer(child, "Business name", "Half Done" + ENTER)
    child.expect("Annual revenue")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "interrupted" in child.before
    assert list(tmp_path.iterdir()) == []


def test_piped_stdin_never_hangs(tmp_path):
    py = shlex.quote(sys.executable)
    child = spawn(f"echo | {py} -m eo_advisor assess", tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "--profile" in child.before
