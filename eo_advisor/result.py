"""The result of an assessment: plain data, one ``to_dict()`` shared by every format.

NamedTuples rather than dataclasses: immutable, and an order of magnitude cheaper
to define at import time (start-up is part of the contract, see docs/cli.md).

Field names here are the public contract of ``assess --format json``
(documented in ``docs/result.md``): add fields, never rename them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

RESULT_SCHEMA_VERSION = 1


class Trace(NamedTuple):
    """One rule that fired: what it used and where its numbers come from."""

    step: str
    rule: str
    inputs: dict[str, Any]
    output: Any
    params: list[str]
    sources: list[dict[str, Any]] = []  # noqa: RUF012 -- each param's value, unit and source

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "rule": self.rule, "inputs": self.inputs, "output": self.output,
                "params": self.params, "sources": self.sources}


class LimitAdvice(NamedTuple):
    per_claim: int
    aggregate: int
    reasons: list[str]
    exposure: int  # what the facts say a bad claim could cost, before rounding
    driver: str  # which rule set the limit

    def to_dict(self) -> dict[str, Any]:
        return {"per_claim": self.per_claim, "aggregate": self.aggregate, "exposure": self.exposure, "driver": self.driver, "reasons": self.reasons}


class DeductibleAdvice(NamedTuple):
    amount: int
    absorbable: int
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "absorbable": self.absorbable, "reasons": self.reasons}


class DefenseAdvice(NamedTuple):
    recommendation: str  # "non-eroding" | "eroding-acceptable"
    limit_if_eroding: int
    triggers: list[str]
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"recommendation": self.recommendation, "limit_if_eroding": self.limit_if_eroding, "triggers": self.triggers, "reasons": self.reasons}


class Gap(NamedTuple):
    coverage: str
    severity: str
    reason: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "severity": self.severity, "reason": self.reason, "source": self.source}


class Factor(NamedTuple):
    name: str
    multiplier: float
    detail: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "multiplier": self.multiplier, "detail": self.detail, "source": self.source}


class Premium(NamedTuple):
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


class Action(NamedTuple):
    id: str
    action: str
    effect: str
    saving: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action, "effect": self.effect, "saving": self.saving}


class ContractCheck(NamedTuple):
    client: str
    required_limit: int
    recommended_meets: bool
    current_meets: bool | None  # None: no current policy
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"client": self.client, "required_limit": self.required_limit, "recommended_meets": self.recommended_meets,
                "current_meets": self.current_meets, "notes": self.notes}


class Finding(NamedTuple):
    topic: str
    severity: str  # high | medium | low | info
    finding: str
    ask: str  # what to ask the broker ("" when nothing to ask)

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "severity": self.severity, "finding": self.finding, "ask": self.ask}


class Flag(NamedTuple):
    flag: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag, "reason": self.reason}


class Underwriting(NamedTuple):
    referred: bool
    flags: list[Flag]
    advice: str

    def to_dict(self) -> dict[str, Any]:
        return {"referred": self.referred, "flags": [f.to_dict() for f in self.flags], "advice": self.advice}


NO_UNDERWRITING = Underwriting(False, [], "")


class Result(NamedTuple):
    limit: LimitAdvice
    deductible: DeductibleAdvice
    defense_costs: DefenseAdvice
    gaps: list[Gap]
    premium: Premium
    actions: list[Action]
    warnings: list[str]
    business_name: str | None = None
    rules_version: str = ""
    sources: tuple[dict[str, Any], ...] = ()
    explain: list[Trace] | None = None
    contracts: list[ContractCheck] = []  # noqa: RUF012 (never mutated)
    policy_review: list[Finding] = []  # noqa: RUF012
    underwriting: Underwriting = NO_UNDERWRITING

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
            "contracts": [x.to_dict() for x in self.contracts],
            "policy_review": [x.to_dict() for x in self.policy_review],
            "underwriting": self.underwriting.to_dict(),
            "rules_version": self.rules_version,
            "sources": list(self.sources),
        }
        if self.explain is not None:
            d["explain"] = [t.to_dict() for t in self.explain]
        return d
