from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PROFILES = sorted((ROOT / "profiles").glob("*.toml"))


def load_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


BASE_PROFILE: dict[str, Any] = load_toml(DATA / "cases.toml")["base"]


def make_profile(**sections: dict[str, Any]):
    """A validated profile: the base profile of tests/data/cases.toml with overrides."""
    from eo_advisor.profile.model import validate

    return validate(deep_merge(BASE_PROFILE, sections))


@pytest.fixture
def base_data() -> dict[str, Any]:
    return copy.deepcopy(BASE_PROFILE)


# ---------------------------------------------------------------------------
# Fuzzing (tests/test_fuzz.py): a few seconds by default; `pytest --fuzz` for the
# long run (FUZZ_LONG_EXAMPLES per property). Always derandomized: a failure found
# once is found again on every machine. See docs/cli.md ("Safety").
# ---------------------------------------------------------------------------
FUZZ_LONG_EXAMPLES = 10_000
FUZZ_LONG = False  # set by --fuzz (pytest_configure runs before test modules are imported)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz",
        action="store_true",
        default=False,
        help=f"long fuzz run: {FUZZ_LONG_EXAMPLES:,} generated cases per property in tests/test_fuzz.py",
    )


def pytest_configure(config: pytest.Config) -> None:
    global FUZZ_LONG
    FUZZ_LONG = bool(config.getoption("--fuzz", default=False))


# The test layers (issue 15: a fast inner loop). `pytest -m unit` runs the engine, rules,
# profile and report tests as plain functions in seconds; `property` is the hypothesis
# suites; `cli` runs the command line (CliRunner, batch, workers, a real terminal). The full
# suite (all three) runs in parallel in CI: `python -m pytest -n auto`.
UNIT_MODULES = {
    "test_architecture",
    "test_broker_panel",
    "test_calibration",
    "test_contract_corpus",
    "test_engine_cases",
    "test_golden",
    "test_outline",
    "test_profile",
    "test_report",
    "test_rules",
    "test_snapshots",
}
PROPERTY_MODULES = {"test_engine_properties", "test_advice_properties", "test_fuzz"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        layer = "unit" if module in UNIT_MODULES else "property" if module in PROPERTY_MODULES else "cli"
        item.add_marker(getattr(pytest.mark, layer))


def fuzz_examples(ci: int) -> int:
    """Examples per property: ``ci`` in a normal run, FUZZ_LONG_EXAMPLES with --fuzz."""
    return FUZZ_LONG_EXAMPLES if FUZZ_LONG else ci


def run(args, *, input=None, env=None, tty=False, environ=None):
    """The one way tests run the CLI in-process: typer's CliRunner with an injected
    terminal. ``env`` is an :class:`~eo_advisor.edge.terminal.Env` (default: a fresh one, stdin a
    terminal when ``tty``); ``environ`` sets environment variables for the run."""
    from typer.testing import CliRunner

    from eo_advisor.cli.app import app
    from eo_advisor.edge.terminal import Env

    return CliRunner().invoke(app, [str(a) for a in args], input=input, obj=env if env is not None else Env(stdin_isatty=tty), env=environ)
