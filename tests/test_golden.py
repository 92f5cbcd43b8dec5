"""The advice does not change by accident: every example profile and a 1,000-row
generated book against a reviewed snapshot (tests/golden/golden.jsonl.gz).

When the advice is *meant* to change, regenerate the snapshot with
``python tests/golden/make_golden.py``, read the diff, and say what changed and why in
the commit. History: the engine refactor (issue 8, commit de4c1f3) was proved against a
snapshot of the old engine with its differences listed; the advice rework (issue 9)
then regenerated it.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_golden  # noqa: E402


@pytest.fixture(scope="module")
def snapshot():
    with gzip.open(GOLDEN / "golden.jsonl.gz", "rt", encoding="utf-8") as fh:
        golden = {rec["id"]: rec["result"] for rec in map(json.loads, fh)}
    return golden, [(rec["id"], json.loads(json.dumps(rec["result"]))) for rec in make_golden.snapshot()]


def test_golden_covers_profiles_and_book(snapshot):
    golden, now = snapshot
    assert len(now) == len(golden) >= 1000 + len(list(make_golden.ROOT.glob("profiles/*.toml")))
    assert sum("error" in r for r in golden.values()) >= 5  # the book's bad rows stay bad


def test_advice_unchanged(snapshot):
    golden, now = snapshot
    changed = [
        rid
        for rid, new in now
        if {k: v for k, v in new.items() if k != "rules_version"} != {k: v for k, v in golden[rid].items() if k != "rules_version"}
    ]
    assert not changed, f"{len(changed)} results differ from the snapshot, first {changed[:5]}; regenerate only if meant"
