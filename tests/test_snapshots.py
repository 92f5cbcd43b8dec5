"""What people read does not change by accident: every example profile's report in text
(80 columns), markdown, HTML and CSV, its explain text and options table, and each broker
panel profile's markdown report, against plain files under tests/snapshots/out/.

When the output is *meant* to change, run ``python tests/snapshots/make_snapshots.py``,
read ``git diff tests/snapshots``, and say in the commit what changed and why.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "snapshots"
sys.path.insert(0, str(HERE))

import make_snapshots  # noqa: E402

RUNS = list(make_snapshots.runs())


def test_every_snapshot_file_is_made_by_a_run():
    made = {name for name, _args, _stdin in RUNS}
    on_disk = {str(p.relative_to(make_snapshots.OUT)) for p in make_snapshots.OUT.rglob("*") if p.is_file()}
    assert on_disk == made, f"stale files {sorted(on_disk - made)[:5]}, missing {sorted(made - on_disk)[:5]}"
    assert len(made) >= 5 * len(make_snapshots.EXAMPLE_RUNS) + 50


@pytest.mark.parametrize(("name", "args", "stdin"), RUNS, ids=[r[0] for r in RUNS])
def test_output_unchanged(name, args, stdin, monkeypatch):
    for key, value in make_snapshots.ENV.items():
        monkeypatch.setenv(key, value)
    want = (make_snapshots.OUT / name).read_text(encoding="utf-8")
    got = make_snapshots.render(args, stdin)
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"snapshot/{name}", "now", n=1))
        pytest.fail(f"{name} differs from its snapshot (regenerate only if meant):\n{diff[:4000]}")
