"""The rules data as the advice reads it: every value under its own rules name.

A :class:`RuleSet` is built once per rules object (:func:`ruleset`). It holds each
parameter typed for lookup (``"limits.limit_ladder"`` is a tuple, ``"rating.claims_factor"``
a step function, ``"rating.deductible_factor"`` points read between), the rating's factor
table compiled into lookups, and what depends only on the rules (gap rules with their
fact sets, severity order, the parameter -> source table). Nothing grows per row.

A step reads values through a :class:`Reads` recorder: ``r("limits.minimum_limit")``
returns the value and records that the advice rests on it; ``r.peek(name)`` reads a
value that may not bind (a floor that may not apply) without recording it, and
``r.cite(name)`` records it once it does. What a step recorded is what ``--explain``
lists and what the sources cite: no hand-kept list of names to keep in step.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from eo_advisor.rules import FactorSpec, Param, Rules, load_rules


class Brackets:
    """A (min, value) step function, looked up with bisect."""

    __slots__ = ("mins", "values")

    def __init__(self, pairs: tuple[tuple[float, float], ...]) -> None:
        self.mins = [m for m, _ in pairs]
        self.values = [v for _, v in pairs]

    def __call__(self, x: float) -> float:
        return self.values[max(bisect_right(self.mins, x) - 1, 0)]


class Points:
    """A {point: factor} table read linearly between points and flat outside them."""

    __slots__ = ("table", "xs", "ys")

    def __init__(self, table: dict[int, float]) -> None:
        self.table = table
        self.xs = sorted(table)
        self.ys = [table[x] for x in self.xs]

    def __call__(self, x: float) -> float:
        found = self.table.get(x)  # type: ignore[call-overload]
        if found is not None:
            return found
        xs, ys = self.xs, self.ys
        if x <= xs[0]:
            return ys[0]
        if x >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, x)
        lo, hi = xs[i - 1], xs[i]
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - lo) / (hi - lo)


def round_to(x: float, step: int) -> int:
    """Nearest multiple of ``step``, halves up (amounts here are positive)."""
    return int((x + step / 2) // step) * step


def typed(param: Param) -> Any:
    """A parameter's value as the advice looks it up: brackets a step function, a table
    keyed by amounts points read between, a table keyed by ids a dict, a list a tuple."""
    if param.kind == "brackets":
        return Brackets(param.value)
    if param.kind == "map":
        if all(str(k).isdigit() for k in param.value):
            return Points({int(k): float(v) for k, v in param.value.items()})
        return dict(param.value)
    return param.value


class Reads:
    """What one step read: values by their rules names, recorded in the order read."""

    __slots__ = ("names", "values")

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.names: list[str] = []

    def __call__(self, name: str) -> Any:
        """The value of ``name``, recorded: the advice rests on it."""
        self.names.append(name)
        return self.values[name]

    def peek(self, name: str) -> Any:
        """The value of ``name``, not recorded: consulted, but it may not bind."""
        return self.values[name]

    def cite(self, *names: str) -> None:
        """Record values read with :meth:`peek` that turned out to bind."""
        self.names.extend(names)

    @property
    def used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.names))


class Priced(NamedTuple):
    """One factor's lookup: its multiplier, the value it names, what it read and the
    parameter whose source backs it."""

    multiplier: float
    detail: Any
    cited: tuple[str, ...]
    source_param: str


Lookup = Callable[[Any, dict[str, Any]], Priced]


def _interpolated(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    first, *more = spec.params
    table = dict(values[first].table)
    for extra in more:
        table.update(values[extra].table)
    points, last = Points(table), values[first].xs[-1]

    def look(x: Any, _inputs: dict[str, Any]) -> Priced:
        if more and x > last:  # past the first table's points: the extension's points count
            return Priced(points(x), x, (first, *more), more[0])
        return Priced(points(x), x, (first,), first)

    return look


def _stepped(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    (name,) = spec.params
    steps = values[name]
    return lambda x, _inputs: Priced(steps(x), x, (name,), name)


def _highest(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    (name,) = spec.params
    table = values[name]

    def look(ids: Any, _inputs: dict[str, Any]) -> Priced:
        top = max(ids, key=table.__getitem__)
        return Priced(table[top], top, (name,), name)

    return look


def _flag(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    (name,) = spec.params
    factor = values[name]
    return lambda on, _inputs: Priced(factor, True, (name,), name) if on else Priced(1.0, False, (), name)


def _credits(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    credits_name, cap_name = spec.params
    credits, floor = values[credits_name], 1.0 - values[cap_name]

    def look(in_place: Any, _inputs: dict[str, Any]) -> Priced:
        credited = tuple(p for p in in_place if p in credits)
        product = 1.0
        for p in credited:
            product *= credits[p]
        if product <= floor:
            return Priced(floor, credited, (credits_name, cap_name), credits_name)
        return Priced(product, credited, (credits_name,), credits_name)

    return look


def _limit_curve(spec: FactorSpec, values: dict[str, Any]) -> Lookup:
    curve_name, primary_name, excess_name = spec.params
    curve, primary, per_million = values[curve_name], values[primary_name], values[excess_name]

    def look(per_claim: Any, inputs: dict[str, Any]) -> Priced:
        others = inputs["others"]  # the premium with every factor but this one
        factor = curve(per_claim)
        if per_claim > primary and others > 0:
            floor = curve(primary) + per_million * (per_claim - primary) / 1_000_000 / others
            if floor > factor:  # the detail names the floor's terms
                return Priced(floor, {"limit": per_claim, "primary": primary, "per_million": per_million}, spec.params, excess_name)
        return Priced(factor, per_claim, (curve_name,), curve_name)

    return look


LOOKUP_BUILDERS: dict[str, Callable[[FactorSpec, dict[str, Any]], Lookup]] = {
    "interpolated": _interpolated,
    "stepped": _stepped,
    "highest": _highest,
    "flag": _flag,
    "credits": _credits,
    "limit_curve": _limit_curve,
}


WORKED_OUT_LAST = "limit_curve"  # the lookup worked out after every other factor (it needs their product)


class GapTest(NamedTuple):
    """A gap rule with its facts as sets, and its sentence's message key."""

    rule: Any
    when: frozenset[str]
    unless: frozenset[str]
    reason_key: str
    when_unknown: frozenset[str] = frozenset()  # "fact?" for each fact of when: not answered
    unless_unknown: frozenset[str] = frozenset()


class RuleSet:
    """Every rules value by its name, and what depends only on the rules, built once."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.values: dict[str, Any] = {name: typed(p) for name, p in rules.params.items()}
        self.source_of: dict[str, str] = {name: p.source for name, p in rules.params.items()}
        self.factors = tuple((spec, LOOKUP_BUILDERS[spec.lookup](spec, self.values)) for spec in rules.factor_table)
        # the order of rating, split once: the limit curve needs the product of the others
        self.factors_first = tuple(f for f in self.factors if f[0].lookup != WORKED_OUT_LAST)
        self.factors_below = tuple(f for f in self.factors_first if not f[0].on_top)
        self.factors_on_top = tuple(f for f in self.factors_first if f[0].on_top)
        self.factors_last = tuple(f for f in self.factors if f[0].lookup == WORKED_OUT_LAST)
        self.regulated: frozenset[str] = rules.regulated_industries
        self.gaps = tuple(
            GapTest(
                g,
                frozenset(g.when_any),
                frozenset(g.unless_any),
                f"gap.{g.id}",
                frozenset(f"{f}?" for f in g.when_any),
                frozenset(f"{f}?" for f in g.unless_any),
            )
            for g in rules.gaps
        )
        self.cyber_gaps = tuple(g for g in self.gaps if g.rule.coverage == "cyber")
        self.practice_actions = tuple(rules.practice_actions)
        self.states = rules.states

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def reads(self) -> Reads:
        """A recorder for one step's reads."""
        return Reads(self.values)


@lru_cache(maxsize=8)
def _ruleset(rules: Rules) -> RuleSet:
    return RuleSet(rules)


def ruleset(rules: Rules | None = None) -> RuleSet:
    """The RuleSet of ``rules`` (default: the packaged rules)."""
    return _ruleset(rules or load_rules())
