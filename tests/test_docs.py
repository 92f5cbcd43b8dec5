"""Docs that cannot drift: every command, option, profile field, result field and rules
parameter is documented, and the README's two commands are the ones CI runs."""

from __future__ import annotations

import re

import pytest
import typer
from conftest import ROOT

from eo_advisor.advice.engine import assess
from eo_advisor.api import to_dict
from eo_advisor.cli.app import app
from eo_advisor.formats.rulesdoc import rules_markdown
from eo_advisor.profile.schema import FIELDS

DOCS = ROOT / "docs"
CLI_DOC = (DOCS / "cli.md").read_text()


def commands(group, prefix="eo-advisor"):
    yield prefix, group
    for name, cmd in getattr(group, "commands", {}).items():
        yield from commands(cmd, f"{prefix} {name}")


ALL = list(commands(typer.main.get_command(app)))


def section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", CLI_DOC, re.S | re.M)
    assert m, f"docs/cli.md has no section '## {title}'"
    return m.group(1)


@pytest.mark.parametrize("path,cmd", ALL, ids=[p for p, _ in ALL])
def test_every_command_and_option_is_documented(path, cmd):
    text = section(path)
    for param in cmd.params:
        for opt in param.opts + param.secondary_opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in text, f"{path}: option {opt} is not documented in docs/cli.md"
        if param.envvar:
            assert param.envvar in CLI_DOC


def test_every_profile_field_is_documented():
    """docs/profile.md's field tables are the schema's (one declaration: the schema)."""
    from eo_advisor.profile.template import reference_markdown

    text = (DOCS / "profile.md").read_text()
    block = text.split("<!-- fields:start -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert block == reference_markdown(), "docs/profile.md's field tables differ from the schema: paste reference_markdown()"
    for f in FIELDS:
        assert f"`{f.key}`" in text, f.key


def _leaves(value, prefix=""):
    """Dotted paths of every leaf; list items of objects as ``list[].key``."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            yield from _leaves(item, f"{prefix}[]")
    else:
        yield prefix


def test_every_result_field_is_documented():
    from conftest import load_toml

    from eo_advisor.profile.model import validate

    text = (DOCS / "result.md").read_text()
    documented = set(re.findall(r"`([a-z_\[\].]+)`", text))
    for name in ("msp-serving-banks", "saas-startup"):
        result = to_dict(assess(validate(load_toml(ROOT / "profiles" / f"{name}.toml")), explain=True))
        for path in set(_leaves(result)):
            if path.startswith(("explain[].inputs.", "explain[].output.", "explain[].sources[].value")):
                continue  # free-form per rule, documented as a whole
            assert path in documented or f"{path}[]" in documented, f"{path} is not documented in docs/result.md"


def test_methodology_has_the_current_rules_table():
    text = (DOCS / "methodology.md").read_text()
    m = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert m, "docs/methodology.md lost its rules markers"
    assert m.group(1) == rules_markdown(), "regenerate with: eo-advisor rules --format markdown"


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert "python3 -m venv" in install and "pip install ." in install
    assert re.search(r"eo-advisor assess --profile profiles/\S+\.toml", install)
    assert (ROOT / re.search(r"profiles/\S+\.toml", install).group(0)).exists()
    test_cmd = tests.split("&&")[-1].strip()
    assert test_cmd == ".venv/bin/python -m pytest -n auto"
    ci = (ROOT / ".ci" / "run").read_text()
    install_cmd = tests.split("&&")[0].strip().removeprefix(".venv/bin/pip install ")
    assert f"{test_cmd} < /dev/null" in ci and "set -euo pipefail" in ci and f"pip install --quiet {install_cmd}" in ci


def test_every_console_example_prints_what_it_shows():
    """README.md and docs/*.md: each ```console block is run and its output compared
    (tests/docs_examples.py; regenerate with `python tests/docs_examples.py --write`)."""
    import docs_examples

    ran = sum(1 for path in docs_examples.FILES for _ in docs_examples.blocks(path))
    assert ran >= 4
    stale = docs_examples.check()
    assert not stale, f"stale examples (regenerate with python tests/docs_examples.py --write): {stale}"
