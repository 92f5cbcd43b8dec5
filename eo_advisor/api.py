"""The Python API: what the CLI and the batch runner call, and what brokers script.

    from eo_advisor import load_profile, assess, to_dict
    result = assess(load_profile("profiles/freelance-web-developer.toml"))
    to_dict(result)    # == assess --format json

Documented in ``docs/api.md``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from eo_advisor.advice import engine
from eo_advisor.advice.result import Result
from eo_advisor.edge.files import parse_toml, read_text
from eo_advisor.errors import EOAdvisorError, ProfileError
from eo_advisor.profile.model import Profile, apply_overrides, validate
from eo_advisor.rules import Rules, load_rules


def read_profile_data(path: str | Path, *, stdin: Any = None) -> dict[str, Any]:
    """Raw (unvalidated) nested data of a TOML profile file, or stdin for ``-``."""
    path = str(path)
    return parse_toml(read_text(path, stdin=stdin), "<stdin>" if path == "-" else path)


def load_profile(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Iterable[str] = (),
    rules: Rules | None = None,
    as_of: datetime.date | None = None,
    contracts: Iterable[str] = (),
) -> Profile:
    """A validated :class:`Profile` from a TOML path (``-`` = stdin) or nested data.

    ``overrides`` are ``KEY=VALUE`` strings, as with ``--set``.
    Raises :class:`ProfileError` (every problem, each naming its field) or
    :class:`InputError` (unreadable file, bad TOML).
    """
    if isinstance(source, Mapping):
        data, name = dict(source), None
    else:
        data, name = read_profile_data(source), str(source)
    overrides = list(overrides)
    if overrides:
        data = apply_overrides(data, overrides)
    data = with_contract_files(data, contracts)
    return validate(data, rules=rules, source=name, as_of=as_of)


def with_contract_files(data: Mapping[str, Any], paths: Iterable[str], *, client: str | None = None) -> dict[str, Any]:
    """Profile data with a ``[[contracts]]`` table added for each contract file read
    (``eo-advisor contract read``: text, markdown, .docx, .pdf): the requirements its
    insurance clause states, as typing them would give."""
    from eo_advisor.contracts.api import contract_tables

    paths = list(paths)
    if not paths:
        return dict(data)
    return {**data, "contracts": [*data.get("contracts", ()), *contract_tables(paths, client=client)]}


def assess(
    profile: Profile | Mapping[str, Any] | str | Path,
    *,
    rules: Rules | None = None,
    explain: bool = False,
    as_of: datetime.date | None = None,
) -> Result:
    """Assess one profile: a :class:`Profile`, nested data (validated first) or the path
    of a TOML profile (read with :func:`load_profile`).

    ``as_of``: the date the policy review counts from (default: today)."""
    if isinstance(profile, (str, Path)):
        profile = load_profile(profile, rules=rules, as_of=as_of)
    elif isinstance(profile, Mapping):
        profile = validate(profile, rules=rules, as_of=as_of)
    elif not isinstance(profile, Profile):
        raise TypeError(f"assess() takes a Profile, profile data (a mapping) or a TOML path, not {type(profile).__name__}")
    return engine.assess(profile, rules, explain=explain, as_of=as_of or datetime.date.today())


def assess_many(
    profiles: Iterable[Profile | Mapping[str, Any]],
    *,
    rules: Rules | None = None,
    errors: str = "raise",
) -> Iterator[Result | EOAdvisorError]:
    """Assess profiles lazily, one at a time, in order (constant memory).

    ``errors="raise"`` stops at the first bad profile; ``errors="yield"`` yields the
    :class:`EOAdvisorError` in its place and goes on.
    """
    if errors not in ("raise", "yield"):
        raise ValueError("errors must be 'raise' or 'yield'")
    rules = rules or load_rules()
    for item in profiles:
        try:
            yield assess(item, rules=rules)
        except ProfileError as exc:
            if errors == "raise":
                raise
            yield exc


def to_dict(obj: Any, *, render: Any = None) -> dict[str, Any]:
    """The JSON object of a :class:`Result` (docs/result.md, exactly what ``assess --format
    json`` prints), of an options table or of a comparison, worded with the packaged
    messages (or ``render``: a :class:`~eo_advisor.formats.render.Renderer`)."""
    from eo_advisor.formats.render import default_renderer

    to = getattr(obj, "to_dict", None)
    if to is None:
        raise TypeError(f"to_dict() takes a Result, Options or Comparison, not {type(obj).__name__}")
    return to(render or default_renderer())


__all__ = ["assess", "assess_many", "load_profile", "read_profile_data", "to_dict", "with_contract_files"]
