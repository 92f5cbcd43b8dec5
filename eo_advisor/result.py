"""The result of an assessment: plain data, one ``to_dict()`` shared by every format.

Field names here are the public contract of ``assess --format json``
(documented in ``docs/result.md``): add fields, never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RESULT_SCHEMA_VERSION = 1


@dataclass(slots=True)
class Trace:
    """One rule that fired: what it used and where its numbers come from."""

    step: str
    rule: str
    inputs: dict[str, Any]
    output: Any
    params: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "rule": self.rule, "inputs": self.inputs, "output": self.output, "params": self.params}


@dataclass(slots=True)
class LimitAdvice:
    per_claim: int
    aggregate: int
    reasons: list[str]
    exposure: int  # what the facts say a bad claim could cost, before rounding
    driver: str  # which rule set the limit

    def to_dict(self) -> dict[str, Any]:
        return {"per_claim": self.per_claim, "aggregate": self.aggregate, "exposure": self.exposure, "driver": self.driver, "reasons": self.reasons}


@dataclass(slots=True)
class DeductibleAdvice:
    amount: int
    absorbable: int
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "absorbable": self.absorbable, "reasons": self.reasons}


@dataclass(slots=True)
class DefenseAdvice:
    recommendation: str  # "non-eroding" | "eroding-acceptable"
    limit_if_eroding: int
    triggers: list[str]
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"recommendation": self.recommendation, "limit_if_eroding": self.limit_if_eroding, "triggers": self.triggers, "reasons": self.reasons}


@dataclass(slots=True)
class Gap:
    coverage: str
    severity: str
    reason: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "severity": self.severity, "reason": self.reason, "source": self.source}


@dataclass(slots=True)
class Factor:
    name: str
    multiplier: float
    detail: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "multiplier": self.multiplier, "detail": self.detail, "source": self.source}


@dataclass(slots=True)
class Premium:
    low: int
    high: int
    estimate: int
    base: int
    factors: list[Factor]
    basis: str
    currency: str = "USD"
    period: str = "year"

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "estimate": self.estimate,
            "currency": self.currency,
            "period": self.period,
            "base": self.base,
            "factors": [f.to_dict() for f in self.factors],
            "basis": self.basis,
        }


@dataclass(slots=True)
class Action:
    id: str
    action: str
    effect: str
    saving: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action, "effect": self.effect, "saving": self.saving}


@dataclass(slots=True)
class Result:
    limit: LimitAdvice
    deductible: DeductibleAdvice
    defense_costs: DefenseAdvice
    gaps: list[Gap]
    premium: Premium
    actions: list[Action]
    warnings: list[str]
    business_name: str | None = None
    rules_version: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)
    explain: list[Trace] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema_version": RESULT_SCHEMA_VERSION,
            "business_name": self.business_name or "",
            "limit": self.limit.to_dict(),
            "deductible": self.deductible.to_dict(),
            "defense_costs": self.defense_costs.to_dict(),
            "gaps": [g.to_dict() for g in self.gaps],
            "premium": self.premium.to_dict(),
            "actions": [a.to_dict() for a in self.actions],
            "warnings": list(self.warnings),
            "rules_version": self.rules_version,
            "sources": self.sources,
        }
        if self.explain is not None:
            d["explain"] = [t.to_dict() for t in self.explain]
        return d
