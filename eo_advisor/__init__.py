"""eo-advisor: how much Technology E&O insurance an IT freelancer or small firm needs, and why.

Public API (see docs/api.md)::

    from eo_advisor import load_profile, assess, assess_many, to_dict, Profile, Result
    from eo_advisor import EOAdvisorError, ProfileError, InputError

Names are resolved lazily so that ``import eo_advisor`` (and the CLI's start-up)
stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what type checkers see; at run time the names load lazily (below)
    from eo_advisor.advice.engine import rate
    from eo_advisor.advice.result import Result
    from eo_advisor.api import assess, assess_many, load_profile, read_profile_data, to_dict
    from eo_advisor.errors import EOAdvisorError, ExitCode, InputError, OutputError, ProfileError
    from eo_advisor.profile.model import Profile, validate
    from eo_advisor.rules import load_rules

_LAZY = {
    "assess": "api",
    "assess_many": "api",
    "load_profile": "api",
    "read_profile_data": "api",
    "to_dict": "api",
    "Profile": "profile.model",
    "validate": "profile.model",
    "Result": "advice.result",
    "rate": "advice.engine",
    "load_rules": "rules",
    "EOAdvisorError": "errors",
    "ProfileError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "ExitCode": "errors",
}

__all__ = [  # the names of _LAZY, spelled out for tools that read __all__ statically
    "EOAdvisorError",
    "ExitCode",
    "InputError",
    "OutputError",
    "Profile",
    "ProfileError",
    "Result",
    "__version__",
    "assess",
    "assess_many",
    "load_profile",
    "load_rules",
    "rate",
    "read_profile_data",
    "to_dict",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eo_advisor' has no attribute {name!r}")
