"""The advice does not change by accident: every example profile and a 1,000-row
generated book against a reviewed snapshot under tests/golden/ (a digest of each whole
result beside its headline decisions, per-decision counts, and a readable sample).

When the advice is *meant* to change, regenerate with ``python tests/golden/make_golden.py``,
read ``git diff tests/golden`` (the headline columns and the counts say what moved), and
say what changed and why in the commit.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_golden  # noqa: E402


@pytest.fixture(scope="module")
def now():
    return list(make_golden.snapshot())


def _saved() -> dict[str, tuple[str, str]]:
    out = {}
    for line in (GOLDEN / "digests.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        rid, dig, head = line.split("\t", 2)
        out[rid] = (dig, head)
    return out


def test_golden_covers_profiles_and_book(now):
    saved = _saved()
    assert len(now) == len(saved) >= 1000 + len(list(make_golden.ROOT.glob("profiles/*.toml")))
    assert sum(head.startswith("error") for _dig, head in saved.values()) >= 5  # the book's bad rows stay bad


def test_advice_unchanged(now):
    saved = _saved()
    changed = [(rec["id"], make_golden.headline(rec["result"])) for rec in now if saved.get(rec["id"], ("",))[0] != make_golden.digest(rec["result"])]
    if changed:
        lines = [f"{rid}: was {saved.get(rid, ('', 'absent'))[1]}\n{' ' * len(rid)}  now {head}" for rid, head in changed[:10]]
        counts = "".join(
            difflib.unified_diff(
                (GOLDEN / "counts.txt").read_text(encoding="utf-8").splitlines(True),
                make_golden.counts(now).splitlines(True),
                "counts.txt",
                "now",
                n=0,
            )
        )
        pytest.fail(f"{len(changed)} results differ from the snapshot (regenerate only if meant):\n" + "\n".join(lines) + "\n" + counts[:3000])


def test_sample_is_readable_and_current(now):
    by_id = {rec["id"]: rec["result"] for rec in now}
    files = sorted((GOLDEN / "sample").glob("*.json"))
    assert len(files) >= 15
    import json

    for path in files:
        assert json.loads(path.read_text(encoding="utf-8")) == by_id[path.stem], f"{path.name} differs; regenerate only if meant"
