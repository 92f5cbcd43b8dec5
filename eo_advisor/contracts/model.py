"""What a reading of a contract is: frozen records, and their JSON shape (``to_dict``).

The JSON is a documented contract (docs/contracts.md, "JSON"); ``SCHEMA_VERSION`` moves
when a key changes meaning or goes away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

#: The key of each line's per-event limit in JSON; workers' compensation has none (it is
#: statutory: ``statutory`` says whether the contract says so).
PER_EVENT_KEY = {
    "professional_liability": "per_claim",
    "cyber": "per_claim",
    "crime": "per_claim",
    "general_liability": "per_occurrence",
    "umbrella": "per_occurrence",
    "auto": "per_occurrence",
    "employers_liability": "per_accident",
    "workers_compensation": None,
}
#: Terms read for one line only, with their JSON keys.
LINE_TERMS = {
    "professional_liability": (
        "claims_made_allowed",
        "retro_on_or_before_start",
        "years_after_completion",
        "defense_outside_limits",
        "defense_eo_carved_out",
    ),
    "general_liability": ("additional_insured", "additional_insured_parties", "waiver_of_subrogation", "primary_non_contributory"),
    "workers_compensation": ("statutory",),
}


@dataclass(frozen=True)
class Evidence:
    """A sentence of the document: its text, its character span in the extracted text
    (``text == document[start:end]``), its page (PDF only) and the fields it supports."""

    text: str
    start: int
    end: int
    page: int | None = None
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.page is not None:
            out["page"] = self.page
        if self.fields:
            out["fields"] = list(self.fields)
        return out


@dataclass(frozen=True)
class Tier:
    """One of several requirements a contract sets by contract value or kind of work."""

    lines: tuple[str, ...]
    condition: str
    minimum_value: int | None
    maximum_value: int | None
    per_event: int | None
    aggregate: int | None
    chosen: bool
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": list(self.lines),
            "condition": self.condition,
            "minimum_contract_value": self.minimum_value,
            "maximum_contract_value": self.maximum_value,
            "per_event": self.per_event,
            "aggregate": self.aggregate,
            "chosen": self.chosen,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Combined:
    """One limit shared by several lines (``$5M combined for E&O and cyber``)."""

    lines: tuple[str, ...]
    per_claim: int | None
    aggregate: int | None
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"lines": list(self.lines), "per_claim": self.per_claim, "aggregate": self.aggregate, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Coverage:
    line: str
    required: bool
    per_event: int | None = None
    aggregate: int | None = None
    per_project_aggregate: bool = False
    currency: str = "USD"
    terms: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"required": self.required}
        key = PER_EVENT_KEY[self.line]
        if key is not None:
            out[key] = self.per_event
            out["aggregate"] = self.aggregate
            out["per_project_aggregate"] = self.per_project_aggregate
            out["currency"] = self.currency
        for name in LINE_TERMS.get(self.line, ()):
            out[name] = self.terms.get(name)
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True)
class CannotTell:
    """A field the reader could not settle, why, and the sentences it comes from."""

    field: str
    reason: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Reading:
    source: str
    coverages: dict[str, Coverage]
    client: str | None = None
    currency: str = "USD"
    contract_value: int | None = None
    sections: tuple[tuple[str, int, int], ...] = ()
    combined: tuple[Combined, ...] = ()
    tiers: tuple[Tier, ...] = ()
    notice_of_cancellation_days: int | None = None
    insurer_rating: str | None = None
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)
    cannot_tell: tuple[CannotTell, ...] = ()
    empty_reason: str | None = None
    pages: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "client": self.client,
            "currency": self.currency,
            "contract_value": self.contract_value,
            "pages": self.pages,
            "sections": [{"heading": h, "start": s, "end": e} for h, s, e in self.sections],
            "coverages": {line: c.to_dict() for line, c in self.coverages.items()},
            "combined_limits": [c.to_dict() for c in self.combined],
            "tiers": [t.to_dict() for t in self.tiers],
            "notice_of_cancellation_days": self.notice_of_cancellation_days,
            "insurer_rating": self.insurer_rating,
            "evidence": {k: [e.to_dict() for e in v] for k, v in self.evidence.items()},
            "cannot_tell": [c.to_dict() for c in self.cannot_tell],
            "empty_reason": self.empty_reason,
        }
