"""Issue 18, raw text and crashes on the command line: file names that act on the
terminal or forge lines, --set over a value, closed standard streams, an invalid
EO_ADVISOR_FORMAT, and --as-of wherever a date matters."""

from __future__ import annotations

import datetime
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run
from hostile import BIDI, BIDI_MARKS, INVISIBLE, INVISIBLE_CHARS, LINES, TERMINAL, controls

SAAS = ROOT / "profiles" / "saas-startup.toml"
CHILD_ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
CHILD_ENV.pop("EO_ADVISOR_QUIET", None)


FILE_NAMES = {k: v for k, v in {**TERMINAL, **LINES, **BIDI, **INVISIBLE}.items() if "\x00" not in v and "/" not in v}


@pytest.mark.parametrize("name", FILE_NAMES.values(), ids=FILE_NAMES.keys())
def test_compare_and_validate_show_file_names_escaped(tmp_path, name):
    path = tmp_path / (name + ".toml")
    path.write_text(SAAS.read_text())
    compared, validated = run(["compare", str(path), str(SAAS)]), run(["profile", "validate", str(path)])
    for r in (compared, validated):
        assert r.exit_code == 0
        out = r.stdout + r.stderr
        assert not controls(out.replace("\n", "")) and not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)
    assert validated.stderr.splitlines()[1:] == ["1 profile valid"]  # one `ok:` line, whatever the name holds


def test_compare_error_names_the_file_escaped(tmp_path):
    bad = tmp_path / "x\x1b[2J.toml"
    bad.write_text("schema_version = 1\n")
    r = run(["compare", str(bad), str(SAAS)])
    assert r.exit_code == 1 and "\x1b" not in r.stderr and "\\x1b[2J" in r.stderr


def test_a_line_break_in_a_file_name_cannot_forge_an_ok_line(tmp_path):
    forged = tmp_path / "x\nok: fake.toml"
    forged.write_text(SAAS.read_text())
    missing = tmp_path / "y\nok: also-fake.toml"
    r = run(["profile", "validate", str(forged), str(missing)])
    lines = r.stderr.splitlines()
    assert not any(line.startswith("ok: fake") or line.startswith("ok: also-fake") for line in lines), lines
    assert any(line.startswith("ok: ") and "\\x0aok: fake.toml" in line for line in lines)
    assert any(line.startswith("error: ") and "\\x0aok: also-fake.toml" in line for line in lines)


def test_set_over_a_section_that_is_not_a_table_is_a_profile_error(tmp_path):
    (tmp_path / "p.toml").write_text("schema_version = 1\nbusiness = 3\n")
    r = run(["assess", "-p", str(tmp_path / "p.toml"), "--set", "business.name=x"])
    assert r.exit_code == 1 and "business: expected a table" in r.stderr and "internal error" not in r.stderr


def sh(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=CHILD_ENV, timeout=60)


EO = f"{shlex.quote(sys.executable)} -m eo_advisor"


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (f"{EO} assess -p {SAAS} -f json >&-", "error: <stdout>: Bad file descriptor (stdout is closed)"),
        (f"{EO} assess -p - <&-", "error: <stdin>: Bad file descriptor (stdin is closed)"),
        (f"{EO} batch - -i csv <&- -o /dev/null", "error: <stdin>: Bad file descriptor (stdin is closed)"),
        (f"{EO} rules >&-", "error: <stdout>: Bad file descriptor (stdout is closed)"),
    ],
)
def test_a_closed_standard_stream_is_one_line_not_a_traceback(command, said):
    r = sh(command)
    assert r.returncode == 1
    assert said in r.stderr and "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_stdout_closed_does_not_matter_with_an_output_file_and_stderr_closed_never_reaches_stdout(tmp_path):
    out = tmp_path / "o.json"
    assert sh(f"{EO} assess -p {SAAS} -f json -o {out} >&-").returncode == 0 and out.exists()
    r = sh(f"{EO} profile validate {tmp_path / 'missing.toml'} 2>&-")
    assert r.returncode == 1 and r.stdout == ""


def test_an_invalid_eo_advisor_format_is_an_error_like_other_variables():
    r = run(["assess", "-p", str(SAAS)], environ={"EO_ADVISOR_FORMAT": "jsn"})
    assert r.exit_code == 2 and "EO_ADVISOR_FORMAT='jsn' is not a format" in r.stderr
    assert run(["rules"], environ={"EO_ADVISOR_FORMAT": "toml"}).exit_code == 0  # a format, not this command's: text


def future_retro(tmp_path: Path) -> tuple[Path, str]:
    """A profile whose retroactive date is 30 days ahead, and a review date past it."""
    text = (ROOT / "profiles" / "it-support-solo.toml").read_text()
    retro = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    lines = [f"retroactive_date = {retro}" if line.startswith("retroactive_date") else line for line in text.splitlines()]
    lines = [line.replace("close_business", "none") if line.startswith("planned_change") else line for line in lines]
    path = tmp_path / "p.toml"
    path.write_text("\n".join(lines) + "\n")
    return path, (datetime.date.today() + datetime.timedelta(days=60)).isoformat()


@pytest.mark.parametrize("command", [["options", "-p"], ["profile", "validate"], ["compare", str(SAAS)]], ids=["options", "validate", "compare"])
def test_as_of_wherever_a_date_matters(tmp_path, command):
    path, later = future_retro(tmp_path)
    assert run([*command, str(path)]).exit_code == 1  # in the future today
    r = run([*command, str(path), "--as-of", later])
    assert r.exit_code == 0, r.stderr
