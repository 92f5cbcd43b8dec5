"""The contract reader against the hand-written clause corpus (tests/contracts/corpus):
per-field accuracy, printed, and at least 95% for every field."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import load_toml

from eo_advisor.contracts.model import PER_EVENT_KEY
from eo_advisor.contracts.reader import read_contract

CORPUS = Path(__file__).parent / "contracts" / "corpus"
LINES = {
    "pl": "professional_liability",
    "cy": "cyber",
    "gl": "general_liability",
    "um": "umbrella",
    "wc": "workers_compensation",
    "el": "employers_liability",
    "au": "auto",
    "cr": "crime",
}
TERMS = {
    "claims_made": "claims_made_allowed",
    "retro": "retro_on_or_before_start",
    "years": "years_after_completion",
    "defense": "defense_outside_limits",
    "carve_out": "defense_eo_carved_out",
    "ai": "additional_insured",
    "wos": "waiver_of_subrogation",
    "pnc": "primary_non_contributory",
    "statutory": "statutory",
}
MINIMUM = 0.95


def cases() -> list[dict[str, Any]]:
    out = []
    for path in sorted(CORPUS.glob("*.toml")):
        out.extend(load_toml(path)["case"])
    return out


def compare(case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, expected, got) for every field of one case; ``field`` is the name the
    accuracy is reported under."""
    reading = read_contract(case["text"], contract_value=case.get("value")).to_dict()
    expect = case.get("expect", {})
    got_lines = set(reading["coverages"])
    want_lines = {LINES[k] for k in expect if k in LINES}
    rows: list[tuple[str, Any, Any]] = [("coverage lines", sorted(want_lines), sorted(got_lines))]
    for short, line in LINES.items():
        want = expect.get(short)
        got = reading["coverages"].get(line)
        if want is None and got is None:
            continue
        want, got = want or {}, got or {}
        rows.append(("required", want.get("required", True) if want or short in expect else None, got.get("required")))
        key = PER_EVENT_KEY[line]
        if key is not None:
            rows.append(("per claim / occurrence", want.get("per"), got.get(key)))
            rows.append(("aggregate", want.get("agg"), got.get("aggregate")))
            rows.append(("per-project aggregate", want.get("project", False) or None, got.get("per_project_aggregate") or None))
        for alias, name in TERMS.items():
            if name in got or alias in want:
                rows.append((name, want.get(alias), got.get(name)))
    combined = next((c["per_claim"] for c in reading["combined_limits"] if {"professional_liability", "cyber"} <= set(c["lines"])), None)
    rows.append(("combined E&O and cyber", expect.get("combined"), combined))
    rows.append(("notice of cancellation days", expect.get("notice"), reading["notice_of_cancellation_days"]))
    rows.append(("insurer rating", expect.get("rating"), reading["insurer_rating"]))
    rows.append(("client", expect.get("client"), reading["client"]))
    rows.append(("currency", expect.get("currency", "USD"), reading["currency"]))
    unsettled = sorted(c["field"] for c in reading["cannot_tell"] if c["reason"] != "not stated")
    rows.append(("cannot tell", sorted(expect.get("cannot_tell", [])), unsettled))
    return rows


def accuracy() -> tuple[dict[str, list[int]], list[str]]:
    """Per field: [right, counted]; a field counts for a case when the expected or the
    read value is not null (two nulls are not counted as a success). And the misses."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for case in cases():
        for field, want, got in compare(case):
            if want in (None, []) and got in (None, []) and field not in ("coverage lines", "currency"):
                continue
            table[field][1] += 1
            if want == got:
                table[field][0] += 1
            else:
                misses.append(f"{case['id']}: {field}: expected {want!r}, read {got!r}")
    return dict(table), misses


def report(table: dict[str, list[int]]) -> str:
    lines = [f"{'field':32} {'right':>6} {'of':>5} {'accuracy':>9}"]
    for field, (right, n) in sorted(table.items()):
        lines.append(f"{field:32} {right:6} {n:5} {right / n:9.1%}")
    right = sum(r for r, _ in table.values())
    total = sum(n for _, n in table.values())
    lines.append(f"{'all fields':32} {right:6} {total:5} {right / total:9.1%}")
    return "\n".join(lines)


def test_the_corpus_is_large_and_varied():
    all_cases = cases()
    assert len(all_cases) >= 100
    assert len({c["id"] for c in all_cases}) == len(all_cases), "case ids are unique"
    assert len({c["style"] for c in all_cases}) >= 40


def test_field_accuracy(capsys: pytest.CaptureFixture[str]):
    table, misses = accuracy()
    with capsys.disabled():
        print("\ncontract reader, per-field accuracy on the corpus:\n" + report(table))
        if misses:
            print("misses:\n  " + "\n  ".join(misses))
    low = {f: f"{r}/{n}" for f, (r, n) in table.items() if r / n < MINIMUM}
    assert not low, f"fields under {MINIMUM:.0%}: {low}"


if __name__ == "__main__":  # python tests/test_contract_corpus.py: the table and every miss
    table, misses = accuracy()
    print(report(table))
    print("\n".join(misses))
