"""End to end in a real pseudo-terminal (pexpect): the interview as a person sees it."""

from __future__ import annotations

import json
import os
import shlex
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from conftest import ROOT, load_toml  # noqa: E402

pytestmark = pytest.mark.pty
ENTER, DOWN, CLEAR = "\r", "\x1b[B", "\x15"


def spawn(cmd: str, cwd) -> "pexpect.spawn":
    # PROMPT_TOOLKIT_NO_CPR: pexpect is no terminal emulator and never answers the
    # cursor-position request, which would cost a 1 s timeout per question (a real
    # terminal answers at once: measured 0.07 s between questions under tmux).
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "NO_COLOR": "1", "COLUMNS": "120", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("CI", None)
    return pexpect.spawn("bash", ["-c", cmd], cwd=str(cwd), env=env, encoding="utf-8", timeout=15, dimensions=(40, 120))


def answer(child, prompt: str, keys: str) -> None:
    child.expect(prompt)
    child.send(keys)


def test_full_interview_in_a_real_terminal(tmp_path):
    py = shlex.quote(sys.executable)
    child = spawn(f"{py} -m eo_advisor assess --format json --export answers.toml > out.json", tmp_path)
    answer(child, "Business name", "Byte Forge" + ENTER)
    answer(child, "Annual revenue", CLEAR + "$400k" + ENTER)
    answer(child, "Staff besides", CLEAR + "3" + ENTER)
    answer(child, "Years in business", CLEAR + "6" + ENTER)
    answer(child, "US state", "NY" + ENTER)
    answer(child, "Services you provide", DOWN * 2 + " " + ENTER)  # software_development
    answer(child, "Largest single contract", CLEAR + "900k" + ENTER)
    answer(child, "Highest E&O limit", CLEAR + "0" + ENTER)
    answer(child, "Industries your clients", " " + ENTER)  # finance
    answer(child, "injure people", "n")  # asked: software development can be safety-critical
    answer(child, "personal, health or payment", "y")
    answer(child, "client premises", "n")
    answer(child, "own software product", "n")
    answer(child, "claims in the last 5 years", CLEAR + "0" + ENTER)
    answer(child, "limitation-of-liability", "y")
    answer(child, "project documentation", "y")
    answer(child, "QA / testing", "n")
    answer(child, "communication logs", "n")
    answer(child, "multi-factor", "y")  # cyber controls: asked because the firm holds sensitive data
    answer(child, "offline", "n")
    answer(child, "endpoint detection", "n")
    answer(child, "policy today", "n")
    answer(child, "contract set insurance requirements", "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    result = json.loads((tmp_path / "out.json").read_text())
    assert result["business_name"] == "Byte Forge"
    # 900k x 2 (consequential) x 1.5 (finance; the sensitive-data weight does not compound) = 2.7M -> 3M
    assert result["limit"]["per_claim"] == 3_000_000
    answers = load_toml(tmp_path / "answers.toml")
    assert answers["business"]["state"] == "NY"
    assert "current_policy" not in answers
    assert any("Regulation 107" in r for r in result["defense_costs"]["reasons"])


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
