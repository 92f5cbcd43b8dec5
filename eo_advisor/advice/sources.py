"""Which sources the advice cites: those of the rules values its steps read (what each
step recorded), each once, in the order first cited; and, for ``--explain``, each value's
unit and source."""

from __future__ import annotations

from typing import Any, Iterable

from eo_advisor.advice.result import Finding, Gap, Premium, Underwriting
from eo_advisor.rules.ruleset import RuleSet

TAIL_PARAMS = ("review.tail_factor_low", "review.tail_factor_high")


def cited_sources(
    rs: RuleSet,
    *,
    tails: bool,
    priced: Iterable[Any],
    premium: Premium | None,
    gaps: tuple[Gap, ...] = (),
    state_source: str | None = None,
    found: tuple[Finding, ...] = (),
    uw: Underwriting | None = None,
) -> tuple[str, ...]:
    """The source ids of every rules value the advice used, each once, in the order first
    cited (and only those: a floor that did not apply is not cited). ``priced``: the
    decisions whose reads are cited; ``premium``: the rating whose factors are shown."""
    source = rs.source_of.__getitem__
    ids = dict.fromkeys(["seed"])  # the article the advice starts from
    if tails:  # the tail prices: shares of the expiring premium
        ids.update(dict.fromkeys(map(source, TAIL_PARAMS)))
    for advice in priced:
        ids.update(dict.fromkeys(map(source, advice.params)))
    if premium is not None:
        ids.update(dict.fromkeys([fa.source for fa in premium.factors]))
    ids.update(dict.fromkeys([g.source for g in gaps]))
    if state_source is not None:  # the defense advice names the state rule
        ids[state_source] = None
    ids.update(dict.fromkeys([x.source for x in found if x.source]))
    if uw is not None:
        ids.update(dict.fromkeys(map(source, uw.params)))
    return tuple(ids)


def param_sources(names: list[str], rs: RuleSet) -> list[dict[str, Any]]:
    """Value, unit and source of each rules parameter a rule used (for --explain)."""
    out = []
    for name in names:
        param = rs.rules.params.get(name)
        if param is None:  # a gap rule: its source is on the gap itself
            continue
        src = rs.rules.sources[param.source]
        as_dict = param.to_dict()
        out.append(
            {
                "param": name,
                "value": as_dict.get("value", as_dict.get("brackets")),
                "unit": param.unit,
                "source": param.source,
                "title": src.title,
                "confidence": src.confidence,
            }
        )
    return out
