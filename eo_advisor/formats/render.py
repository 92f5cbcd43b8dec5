"""The one place decisions become sentences.

The engine returns :class:`~eo_advisor.advice.result.Reason` values: a key into
``rules/messages.toml`` and the raw values the sentence needs (amounts as ints,
shares as floats, ids as strings). A message names how each value is shown with a
format spec after the colon:

=================  ==========================================================
``{x:usd}``         an amount: ``$1,000,000``
``{x:x}``           a multiplier or plain number: ``1.5``
``{x:pct}``         a share as a percentage number: ``0.38`` -> ``38``
``{x:list}``        ids joined with commas
``{x:list_or_none}`` the same, or ``none`` when empty
``{x:labels}``      service, industry, practice or control ids as their labels
``{x:labels_or_none}`` the same, or ``none`` when empty
``{x:date}``        an ISO date
``{x:who}``         a contract's client, or "a client contract" for the shorthand
``{x:Who}``         the same, capitalised at the start of a sentence
``{x:@section}``    the value names another message: ``section.<value>``
``{x:and}``         a list of nested reasons, rendered and joined with " and "
``{x:tails}``       tail prices: ``[(years, low, high), ...]``
``{x:#noun}``       a count with its noun: ``1 claim``, ``3 claims``
=================  ==========================================================

Templates are parsed once per key, so rendering a row costs string joins only.
"""

from __future__ import annotations

from _string import formatter_parser  # type: ignore[import-not-found]  # what string.Formatter.parse uses, without importing string
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from eo_advisor.advice.reasons import Reason
from eo_advisor.profile.amounts import format_amount

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.advice.result import DefenseAdvice, Finding
    from eo_advisor.rules import Rules

_Part = tuple[str, str | None, str]  # literal, field name (None: none), spec


def count(n: int, noun: str) -> str:
    """``n`` with its noun, singular for one: ``count(1, "claim") == "1 claim"``,
    ``count(1200, "record") == "1,200 records"`` (regular plurals only)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


class Renderer:
    """Words reasons with a rules object's messages and vocabulary labels."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.messages = rules.messages
        self._parsed: dict[str, list[_Part]] = {}
        labels = {
            **{k: v["label"] for k, v in rules.services.items()},
            **{k: v["label"] for k, v in rules.industries.items()},
            **{k.removeprefix("label."): v for k, v in rules.messages.items() if k.startswith("label.")},
        }
        self._labels = labels
        self._specs: dict[str, Callable[[Any], str]] = {
            "": str,
            "usd": format_amount,
            "x": lambda v: f"{v:g}",
            "pct": lambda v: f"{round(v * 100, 4):g}",
            "list": lambda v: ", ".join(map(str, v)),
            "list_or_none": lambda v: ", ".join(map(str, v)) or "none",
            "labels": lambda v: ", ".join(labels.get(i, i) for i in v),
            "labels_or_none": lambda v: ", ".join(labels.get(i, i) for i in v) or "none",
            "label": lambda v: labels.get(v, v),
            "date": lambda v: v.isoformat(),
            "who": lambda v: f"the contract with {v}" if v else "a client contract",
            "Who": lambda v: f"The contract with {v}" if v else "A client contract",
            "and": lambda v: " and ".join(self(x) for x in v),
            "tails": self._tails,
        }

    # -- templates --------------------------------------------------------
    def _parts(self, key: str) -> list[_Part]:
        parts = self._parsed.get(key)
        if parts is None:
            try:
                template = self.messages[key]
            except KeyError:
                raise KeyError(f"no message {key!r} in rules/messages.toml") from None
            parts = self._parsed[key] = [(literal, name, spec or "") for literal, name, spec, _conv in formatter_parser(template)]
        return parts

    def fields(self, key: str) -> dict[str, str]:
        """The fields a message uses, with their specs (for tests and docs)."""
        return {name: spec for _lit, name, spec in self._parts(key) if name is not None}

    def __call__(self, reason: Reason) -> str:
        out: list[str] = []
        params = reason.params
        for literal, name, spec in self._parts(reason.key):
            out.append(literal)
            if name is None:
                continue
            value = params[name]
            if spec.startswith("@"):
                out.append(self(Reason(f"{spec[1:]}.{value}")))
            elif spec.startswith("#"):
                out.append(count(value, spec[1:]))
            else:
                out.append(self._specs[spec](value))
        return "".join(out)

    def all(self, reasons: Iterable[Reason]) -> list[str]:
        return [self(r) for r in reasons]

    # -- composites -------------------------------------------------------
    def _tails(self, tails: Iterable[tuple[int, ...]]) -> str:
        parts = []
        for i, (years, low, high, *recommended) in enumerate(tails):
            about = " about" if i == 0 else ""
            advised = " (advised)" if recommended and recommended[0] else ""
            parts.append(f"{count(years, 'year')}{advised}{about} {format_amount(low)}–{format_amount(high)}")
        return ", ".join(parts)

    def warning(self, finding: Finding) -> str:
        """A finding as one self-contained warning line: what is wrong, then what to ask."""
        text = self(finding.finding)
        return f"{text} {self(finding.ask)}" if finding.ask is not None else text

    def defense_summary(self, defense: DefenseAdvice, per_claim: int) -> tuple[str, str]:
        """The defense-costs advice for a summary under a "Defense costs" heading: the
        form in a few words, and what to buy instead (lower case, no full stop)."""
        form = defense.recommendation
        only = defense.limit_if_eroding is None and form == "non-eroding"
        same = form == "non-eroding" and defense.limit_if_eroding == per_claim  # eroding at this limit still leaves the exposure
        key = f"summary.defense_{form}" + ("_only" if only else "_same" if same else "")
        return self(Reason(f"summary.form_{form}")), self(Reason(key, {"limit": per_claim, "limit_if_eroding": defense.limit_if_eroding}))

    def defense_line(self, defense: DefenseAdvice, per_claim: int) -> str:
        """The defense-costs advice in one line, for a summary."""
        return "; ".join(self.defense_summary(defense, per_claim))

    def closing_summary(self, tails: Iterable[tuple[int, int, int]]) -> tuple[str, str]:
        """A closing business's summary: the plan, and the tail prices."""
        return self(Reason("summary.closing_plan")), self(Reason("summary.closing_tail", {"tails": tails}))

    def premium_caveat(self, premium: Any) -> str:
        """What a premium range in a summary is: an estimate, or (a larger firm) indicative only."""
        return self(Reason("summary.premium_indicative" if premium.indicative else "summary.premium_estimate"))

    def label(self, vid: str) -> str:
        """A service's or industry's label (ids are for files, labels for people)."""
        return self._labels.get(vid, vid)

    def sources(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        srcs = self.rules.sources
        return [{"id": i, "title": srcs[i].title, "url": srcs[i].url, "confidence": srcs[i].confidence} for i in ids]


@lru_cache(maxsize=1)
def default_renderer() -> Renderer:
    from eo_advisor.rules import load_rules

    return Renderer(load_rules())
