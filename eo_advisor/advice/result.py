"""The result of an assessment: plain decisions, worded only when rendered.

The engine fills these NamedTuples with numbers, ids, severities and
:class:`Reason` values (a key into ``rules/messages.toml`` plus the values it needs);
no sentence is written until :mod:`eo_advisor.formats.render` words them. ``to_dict()``
renders with the packaged messages and is the public contract of
``assess --format json`` (documented in ``docs/result.md``): add fields, never
rename them.

NamedTuples rather than dataclasses: immutable, and an order of magnitude cheaper
to define at import time (start-up is part of the contract, see docs/cli.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Protocol

from eo_advisor.advice.reasons import Reason, Reasons

if TYPE_CHECKING:  # a type for the checker only: a runtime Protocol costs start-up

    class Renderer(Protocol):
        """What ``to_dict`` needs of the wording (eo_advisor.formats.render.Renderer is one):
        the caller hands it in, so the decisions never import their wording."""

        def __call__(self, reason: Reason) -> str: ...

        def all(self, reasons: Iterable[Reason]) -> list[str]: ...

        def warning(self, finding: Finding) -> str: ...

        def sources(self, ids: Iterable[str]) -> list[dict[str, Any]]: ...


__all__ = ["Reason", "Reasons", "Result", "decisions"]  # Reason re-exported for the engine and formats

RESULT_SCHEMA_VERSION = 1


class Trace(NamedTuple):
    """One rule that fired: what it used and where its numbers come from."""

    step: str
    rule: str
    inputs: dict[str, Any]
    output: Any
    params: list[str]
    sources: list[dict[str, Any]] = []

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "rule": self.rule, "inputs": self.inputs, "output": self.output, "params": self.params, "sources": self.sources}


class LimitAdvice(NamedTuple):
    per_claim: int
    aggregate: int
    exposure: int  # what the facts say a bad claim could cost, before rounding
    driver: str  # which rule set the limit
    reasons: Reasons
    params: tuple[str, ...] = ()  # the rules parameters it rests on (their sources are cited)

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "per_claim": self.per_claim,
            "aggregate": self.aggregate,
            "exposure": self.exposure,
            "driver": self.driver,
            "reasons": render.all(self.reasons),
        }


class DeductibleAdvice(NamedTuple):
    amount: int
    absorbable: int
    reasons: Reasons
    params: tuple[str, ...] = ()

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {"amount": self.amount, "absorbable": self.absorbable, "reasons": render.all(self.reasons)}


class DefenseAdvice(NamedTuple):
    recommendation: str  # "non-eroding" | "eroding-acceptable"
    limit_if_eroding: int | None  # None: no ladder limit leaves the recommended one for damages
    triggers: tuple[str, ...]
    reasons: Reasons
    eroding_meets_contracts: bool = True  # False when a contract demands defense outside the limit
    allowance: int = 0  # defense costs to allow for inside an eroding limit
    params: tuple[str, ...] = ()

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "limit_if_eroding": self.limit_if_eroding,
            "triggers": list(self.triggers),
            "eroding_meets_contracts": self.eroding_meets_contracts,
            "allowance": self.allowance,
            "reasons": render.all(self.reasons),
        }


class Gap(NamedTuple):
    coverage: str
    severity: str
    reason: Reason
    source: str
    rule: str  # the gap rule's id in rules/gaps.toml
    suggested_limit: int | None = None  # where a rule supports one
    parties: str | None = None  # cyber: which losses the cover must answer
    # "open": the facts need it and it is not held; "confirm_held": needed, but whether it
    # is held was not answered; "confirm_fact": needed if an unanswered question is a yes
    status: str = "open"
    confirm: Reason | None = None  # what to confirm, for the confirm statuses

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "severity": self.severity,
            "status": self.status,
            "reason": render(self.reason),
            "confirm": render(self.confirm) if self.confirm is not None else "",
            "source": self.source,
            "rule": self.rule,
            "suggested_limit": self.suggested_limit,
            "parties": self.parties,
        }


class Factor(NamedTuple):
    name: str
    multiplier: float
    detail: Reason
    source: str

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {"name": self.name, "multiplier": self.multiplier, "detail": render(self.detail), "source": self.source}


class Premium(NamedTuple):
    low: int
    high: int
    estimate: int
    base: int
    factors: tuple[Factor, ...]
    basis: Reasons
    currency: str = "USD"
    period: str = "year"
    params: tuple[str, ...] = ()  # every rating parameter the estimate used

    @property
    def indicative(self) -> bool:
        """The range is indicative only: the revenue factor rests on eo-advisor's own points
        (a larger firm), or the work is one no rating value prices (safety-critical)."""
        return any(b.key in ("premium.revenue_assumed", "premium.safety_unpriced") for b in self.basis)

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "estimate": self.estimate,
            "currency": self.currency,
            "period": self.period,
            "base": self.base,
            "factors": [f.to_dict(render) for f in self.factors],
            "basis": " ".join(render.all(self.basis)),
        }


class Action(NamedTuple):
    id: str
    action: Reason
    effect: Reason
    saving: int

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {"id": self.id, "action": render(self.action), "effect": render(self.effect), "saving": self.saving}


class ContractCheck(NamedTuple):
    client: str
    required_limit: int
    recommended_meets: bool
    current_meets: bool | None  # None: no current policy
    notes: Reasons

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "client": self.client,
            "required_limit": self.required_limit,
            "recommended_meets": self.recommended_meets,
            "current_meets": self.current_meets,
            "notes": render.all(self.notes),
        }


class Finding(NamedTuple):
    """One finding: about the policy held today (``scope="policy"``) or about the
    advice itself (``scope="advice"``, e.g. an exposure above the ladder)."""

    id: str
    topic: str
    severity: str  # high | medium | low | info
    finding: Reason
    ask: Reason | None  # what to ask the broker (None: nothing to ask)
    scope: str = "policy"
    source: str | None = None  # a rules source the finding rests on (a state rule), if any

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "severity": self.severity,
            "finding": render(self.finding),
            "ask": render(self.ask) if self.ask is not None else "",
            "id": self.id,
        }

    @property
    def is_warning(self) -> bool:
        return self.severity in ("high", "medium")


class TailPrice(NamedTuple):
    """The price of an extended reporting period (tail) of ``years``, a year's premium range."""

    years: int
    low: int
    high: int
    recommended: bool = False  # the length advised (a closing firm: what its contracts or claims need)

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Flag(NamedTuple):
    flag: str
    reason: Reason

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {"flag": self.flag, "reason": render(self.reason)}


class Underwriting(NamedTuple):
    referred: bool
    flags: tuple[Flag, ...]
    params: tuple[str, ...] = ()

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        return {
            "referred": self.referred,
            "flags": [f.to_dict(render) for f in self.flags],
            "advice": render(Reason("underwriting.summary")) if self.referred else "",
        }


class Result(NamedTuple):
    limit: LimitAdvice
    deductible: DeductibleAdvice
    defense_costs: DefenseAdvice
    gaps: tuple[Gap, ...]
    premium: Premium
    actions: tuple[Action, ...]
    findings: tuple[Finding, ...]
    contracts: tuple[ContractCheck, ...]
    underwriting: Underwriting
    business_name: str | None
    rules_version: str
    sources: tuple[str, ...]  # source ids the advice rests on, in the order first cited
    tail: tuple[TailPrice, ...] = ()  # tail prices, when the policy is ending (switch or close)
    explain: list[Trace] | None = None

    # -- derived views ------------------------------------------------------
    @property
    def policy_review(self) -> tuple[Finding, ...]:
        """Findings on the policy held today (every severity, info included)."""
        return tuple(f for f in self.findings if f.scope == "policy")

    @property
    def closing(self) -> bool:
        """The business is closing: the advice is the tail, not a new policy (the limit,
        deductible, defense and premium are kept for reference only)."""
        return any(f.id == "closing_no_upsell" for f in self.findings)  # the engine's decision, from Profile.closing

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings that call for action (high or medium), whatever their scope."""
        return tuple(f for f in self.findings if f.is_warning)

    def to_dict(self, render: Renderer) -> dict[str, Any]:
        """The JSON object of docs/result.md, worded by ``render`` (the caller's renderer:
        data never imports the wording; ``eo_advisor.api.to_dict`` supplies the packaged one)."""
        r = render
        d: dict[str, Any] = {
            "schema_version": RESULT_SCHEMA_VERSION,
            "business_name": self.business_name or "",
            "limit": self.limit.to_dict(r),
            "deductible": self.deductible.to_dict(r),
            "defense_costs": self.defense_costs.to_dict(r),
            "gaps": [g.to_dict(r) for g in self.gaps],
            "premium": self.premium.to_dict(r),
            "actions": [a.to_dict(r) for a in self.actions],
            "warnings": [r.warning(f) for f in self.warnings],
            "contracts": [x.to_dict(r) for x in self.contracts],
            "policy_review": [x.to_dict(r) for x in self.policy_review],
            "findings": [{**x.to_dict(r), "scope": x.scope} for x in self.findings],
            "underwriting": self.underwriting.to_dict(r),
            "rules_version": self.rules_version,
            "sources": r.sources(self.sources),
            "tail": [t.to_dict() for t in self.tail],
            "closing": self.closing,
        }
        if self.explain is not None:
            d["explain"] = [t.to_dict() for t in self.explain]
        return d


def decisions(value: Any) -> Any:
    """The decisions in a result (numbers, ids, severities, flags), without the reasons:
    what must change when a rules value changes, whatever the wording."""
    if isinstance(value, Reason):
        return None
    if isinstance(value, Trace):
        return None
    if isinstance(value, tuple):  # NamedTuples and tuples
        return tuple(decisions(v) for v in value)
    if isinstance(value, list):
        return [decisions(v) for v in value]
    if isinstance(value, dict):
        return {k: decisions(v) for k, v in value.items()}
    return value
