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
    from eo_advisor.profile import validate

    return validate(deep_merge(BASE_PROFILE, sections))


@pytest.fixture
def base_data() -> dict[str, Any]:
    return copy.deepcopy(BASE_PROFILE)
