"""Compare two profiles' advice and say which answers caused each difference.

Attribution is by counterfactual: starting from A, each changed answer is applied
alone; an answer "caused" a difference when applying it alone moves that output.
Pure: no I/O.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, NamedTuple

from eo_advisor.advice import engine
from eo_advisor.advice.result import Result
from eo_advisor.profile.model import Profile, validate
from eo_advisor.rules import Rules, load_rules

# the outputs compared, and how to read each from a Result
OUTPUTS: dict[str, Callable[[Result], Any]] = {
    "limit.per_claim": lambda r: r.limit.per_claim,
    "limit.aggregate": lambda r: r.limit.aggregate,
    "deductible.amount": lambda r: r.deductible.amount,
    "defense_costs.recommendation": lambda r: r.defense_costs.recommendation,
    "defense_costs.limit_if_eroding": lambda r: r.defense_costs.limit_if_eroding,
    "gaps": lambda r: [f"{g.coverage} ({g.severity})" for g in r.gaps],
    "premium.low": lambda r: r.premium.low,
    "premium.high": lambda r: r.premium.high,
    "underwriting.referred": lambda r: r.underwriting.referred,
    "warnings": lambda r: [f.id for f in r.warnings],
}


class InputChange(NamedTuple):
    key: str
    a: Any
    b: Any


class OutputChange(NamedTuple):
    output: str
    a: Any
    b: Any
    caused_by: list[str]  # input keys; empty = only their combination moves it


class Comparison(NamedTuple):
    inputs: list[InputChange]
    outputs: list[OutputChange]
    a: Result
    b: Result

    def to_dict(self, render: Any) -> dict[str, Any]:
        return {
            "changed_answers": [{"key": c.key, "a": c.a, "b": c.b} for c in self.inputs],
            "changed_advice": [{"output": c.output, "a": c.a, "b": c.b, "caused_by": c.caused_by} for c in self.outputs],
            "a": self.a.to_dict(render),
            "b": self.b.to_dict(render),
        }


def _units(profile: Profile) -> dict[str, Any]:
    """The answers as comparable units: each field, but the current policy and the
    contracts each as one unit (their fields only make sense together)."""
    data = profile.to_dict()
    units: dict[str, Any] = {}
    for section, values in data.items():
        if section in ("schema_version",):
            continue
        if section in ("current_policy", "contracts"):
            units[section] = values
        else:
            for key, value in values.items():
                units[f"{section}.{key}"] = value
    for section in ("current_policy", "contracts"):
        units.setdefault(section, None)
    return units


def _with(profile: Profile, key: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(profile.to_dict())
    if "." in key:
        section, name = key.split(".", 1)
        if value is None:
            data.get(section, {}).pop(name, None)
        else:
            data.setdefault(section, {})[name] = value
    elif value is None:
        data.pop(key, None)
    else:
        data[key] = value
    return data


def compare(a: Profile, b: Profile, rules: Rules | None = None, *, as_of: Any = None) -> Comparison:
    rules = rules or load_rules()
    ra, rb = engine.assess(a, rules, as_of=as_of), engine.assess(b, rules, as_of=as_of)
    ua, ub = _units(a), _units(b)
    inputs = [InputChange(k, ua.get(k), ub.get(k)) for k in dict.fromkeys([*ua, *ub]) if ua.get(k) != ub.get(k)]
    singles: dict[str, Result] = {}
    for change in inputs:
        singles[change.key] = engine.assess(validate(_with(a, change.key, change.b), rules=rules, as_of=as_of), rules, as_of=as_of)
    outputs = []
    for name, read in OUTPUTS.items():
        va, vb = read(ra), read(rb)
        if va == vb:
            continue
        causes = [k for k, r in singles.items() if read(r) != va]
        outputs.append(OutputChange(name, va, vb, causes))
    return Comparison(inputs, outputs, ra, rb)
