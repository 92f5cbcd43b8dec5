"""The CLI through typer's CliRunner: formats, exit codes, files, --set, --no-input."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import PROFILES, ROOT, load_toml, run

from eo_advisor import __version__
from eo_advisor.edge.terminal import Env

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

WEB = str(ROOT / "profiles" / "freelance-web-developer.toml")


def test_version_and_help():
    r = run(["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"eo-advisor {__version__}"
    for args in (["--help"], ["assess", "--help"], ["profile", "--help"], ["profile", "template", "--help"], ["profile", "validate", "--help"]):
        r = run(args)
        assert r.exit_code == 0, args
        assert "Usage" in r.stdout


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_example_profile_assesses_to_clean_json(path):
    r = run(["assess", "--profile", str(path), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)  # stdout is only JSON
    assert data["schema_version"] == 1
    for key in ("limit", "deductible", "defense_costs", "gaps", "premium", "actions", "warnings"):
        assert key in data
    assert data["premium"]["currency"] == "USD" and data["premium"]["period"] == "year"
    assert "estimate" in data["premium"]["basis"] and "not a quote" in data["premium"]["basis"]


@pytest.mark.parametrize("fmt", ["text", "json", "toml", "markdown", "csv"])
def test_every_format_shows_the_same_facts(fmt):
    r = run(["assess", "-p", WEB, "-f", fmt])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    # the $1M its contracts ask (the data-access floor yields to a stated requirement)
    if fmt == "json":
        assert json.loads(out)["limit"]["per_claim"] == 1_000_000
    elif fmt == "toml":
        assert tomllib.loads(out)["limit"]["per_claim"] == 1_000_000
    elif fmt == "csv":
        header, row = out.strip().splitlines()
        assert header.startswith("business_name,limit_per_claim")
        assert row.split(",")[1] == "1000000" and "non-eroding" in row
    else:
        assert "$1,000,000" in out and "non-eroding" in out and "cyber" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_profile_from_stdin():
    text = (ROOT / "profiles" / "saas-startup.toml").read_text()
    r = run(["assess", "--profile", "-", "-f", "json"], input=text)
    assert r.exit_code == 0, r.stderr
    assert "patent" in [g["coverage"] for g in json.loads(r.stdout)["gaps"]]


def test_set_overrides_a_field_for_a_what_if():
    base = json.loads(run(["assess", "-p", WEB, "-f", "json"]).stdout)
    r = run(["assess", "-p", WEB, "-f", "json", "--set", "work.contractual_minimum=$5M", "--set", "business.annual_revenue=1,200,000"])
    assert r.exit_code == 0, r.stderr
    what_if = json.loads(r.stdout)
    assert base["limit"]["per_claim"] == 1_000_000
    assert what_if["limit"]["per_claim"] == 5_000_000
    # 0.5% of $1.2M = $6,000 -> the $5,000 rung could be absorbed, but its credit over $2,500
    # (about $180 a year) repays the extra $2,500 only after more than 10 claim-free years (issue 16)
    assert what_if["deductible"]["amount"] == 2_500
    assert any("claim-free years" in reason for reason in what_if["deductible"]["reasons"])


def test_set_with_unknown_key_names_it():
    r = run(["assess", "-p", WEB, "--set", "work.largest_contrac=1M"])
    assert r.exit_code == 1
    assert "work.largest_contrac" in r.stderr and "work.largest_contract" in r.stderr
    assert r.stdout == ""


def test_no_input_names_every_missing_field(tmp_path):
    partial = tmp_path / "partial.toml"
    partial.write_text('schema_version = 1\n[business]\nannual_revenue = "250k"\n')
    r = run(["assess", "--profile", str(partial), "--no-input"], tty=True)
    assert r.exit_code == 1
    for field in ("business.employees", "work.services", "work.largest_contract", "practices.qa_testing", "history.claims_last_5_years"):
        assert field in r.stderr
    assert "business.annual_revenue" not in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_no_terminal_and_no_profile_never_hangs():
    r = run(["assess"], tty=False)
    assert r.exit_code == 1
    assert "--profile" in r.stderr


def test_everything_by_set_without_a_profile():
    sets = [
        "business.annual_revenue=90k",
        "business.employees=0",
        "business.years_in_business=2",
        "work.services=it_support",
        "work.largest_contract=5k",
        "work.contractual_minimum=0",
        "work.client_industries=retail;other",
        "work.handles_sensitive_data=no",
        "work.onsite_work=yes",
        "work.builds_products=no",
        "history.claims_last_5_years=0",
        "practices.contracts_limit_liability=yes",
        "practices.project_documentation=no",
        "practices.qa_testing=no",
        "practices.communication_logs=no",
    ]
    args = ["assess", "--no-input", "-f", "json"]
    for s in sets:
        args += ["--set", s]
    r = run(args)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["gaps"][0]["coverage"] == "general_liability"


@pytest.mark.parametrize(
    "content,field,words",
    [
        ("schema_version = 1\n[business]\nannual_revenue = -5\n", "business.annual_revenue", "negative"),
        ("schema_version = 1\n[business]\nannual_revenue = 99_000_000_000_000\n", "business.annual_revenue", "plausible"),
        ('schema_version = 1\n[work]\nservices = ["webdev"]\n', "work.services", "web_development"),
        ('schema_version = 1\n[work]\nhandles_sensitive_data = "maybe"\n', "work.handles_sensitive_data", "true or false"),
        ('schema_version = 1\n[busines]\nname = "x"\n', "busines", "business"),
        ("schema_version = 2\n", "schema_version", "version"),
        ('schema_version = 1\n[current_policy]\ndefense_costs = "sometimes"\n', "current_policy.defense_costs", "non-eroding"),
    ],
)
def test_bad_profile_values_get_one_clear_error(tmp_path, content, field, words):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    r = run(["assess", "-p", str(path), "--no-input"])
    assert r.exit_code == 1
    assert field in r.stderr and words in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "raw,words",
    [
        (b"schema_version = 1\n[business\n", "not valid TOML"),
        ("schema_version = 1\n[business]\nname = 'Caf\xe9'\n".encode("latin-1"), "UTF-8"),
        (b"x" * 2_000_000, "larger than"),
    ],
)
def test_unreadable_files(tmp_path, raw, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(raw)
    r = run(["assess", "-p", str(path), "--no-input"])
    assert r.exit_code == 1 and words in r.stderr and "Traceback" not in r.stderr


def test_missing_file():
    r = run(["assess", "-p", "nope.toml", "--no-input"])
    assert r.exit_code == 1 and "nope.toml: no such file" in r.stderr


def test_usage_errors_exit_2():
    assert run(["assess", "--format", "yaml"]).exit_code == 2
    assert run(["frobnicate"]).exit_code == 2


def test_output_and_export_never_overwrite_without_force(tmp_path):
    out, exp = tmp_path / "result.json", tmp_path / "answers.toml"
    r = run(["assess", "-p", WEB, "-f", "json", "-o", str(out), "--export", str(exp)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert json.loads(out.read_text())["limit"]["per_claim"] == 1_000_000
    out.write_text("keep me")
    r = run(["assess", "-p", WEB, "-f", "json", "-o", str(out)])
    assert r.exit_code == 1 and "--force" in r.stderr
    assert out.read_text() == "keep me"
    r = run(["assess", "-p", WEB, "-f", "json", "-o", str(out), "--force"])
    assert r.exit_code == 0 and out.read_text().startswith("{")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_exported_profile_loads_back_and_gives_the_same_advice(tmp_path):
    for path in PROFILES:
        exp = tmp_path / f"{path.stem}.toml"
        first = run(["assess", "-p", str(path), "-f", "json", "--export", str(exp)])
        assert first.exit_code == 0, first.stderr
        again = run(["assess", "-p", str(exp), "-f", "json", "--no-input"])
        assert again.exit_code == 0, again.stderr
        assert json.loads(again.stdout) == json.loads(first.stdout)
        assert load_toml(exp)["schema_version"] == 1


def test_profile_template_is_valid_and_commented(tmp_path):
    r = run(["profile", "template"])
    assert r.exit_code == 0
    assert r.stdout.count("#") > 20
    path = tmp_path / "t.toml"
    path.write_text(r.stdout)
    v = run(["profile", "validate", str(path)])
    assert v.exit_code == 0 and "ok:" in v.stderr


def test_profile_validate_reports_every_problem_in_every_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[business]\nannual_revenue = "lots"\nemployes = 3\n')
    r = run(["profile", "validate", str(bad), *map(str, PROFILES)])
    assert r.exit_code == 1
    assert "business.annual_revenue" in r.stderr and "business.employes" in r.stderr
    assert "work.services: missing" in r.stderr
    assert r.stderr.count("ok:") == len(PROFILES)


def test_explain_adds_a_sourced_trace():
    r = run(["assess", "-p", WEB, "-f", "json", "--explain"])
    data = json.loads(r.stdout)
    steps = {t["step"] for t in data["explain"]}
    assert {"limit", "deductible", "defense_costs", "gaps", "premium"} <= steps
    assert "explain" not in json.loads(run(["assess", "-p", WEB, "-f", "json"]).stdout)


def test_env_var_sets_the_format():
    r = run(
        ["assess", "-p", WEB],
        env=Env(),
    )
    assert not r.stdout.lstrip().startswith("{")
    r = run(["assess", "-p", WEB], environ={"EO_ADVISOR_FORMAT": "json"})
    assert json.loads(r.stdout)["deductible"]["amount"] == 1_000


def test_colour_only_on_a_terminal_and_never_with_no_color():
    from eo_advisor.edge.terminal import color_allowed

    assert color_allowed({}, True) is True
    assert color_allowed({}, False) is False
    assert color_allowed({"NO_COLOR": "1"}, True) is False
    assert color_allowed({"TERM": "dumb"}, True) is False
    r = run(["assess", "-p", WEB], env=Env(stdout_color=True))
    assert "\x1b[" in r.stdout


def test_assess_csv_is_spreadsheet_safe(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text((ROOT / "profiles" / "it-support-solo.toml").read_text().replace('name = "Northside PC Help"', 'name = "=HYPERLINK(1)"'))
    r = run(["assess", "-p", str(path), "-f", "csv"])
    assert r.stdout.splitlines()[1].startswith("'=HYPERLINK(1)")
