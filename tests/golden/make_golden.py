#!/usr/bin/env python3
"""Snapshot the advice (full JSON result) for every example profile and a 1,000-row
generated book, so a refactor can prove the advice unchanged (tests/test_golden.py).

    python tests/golden/make_golden.py            # rewrite tests/golden/golden.jsonl.gz

Run it only when the advice is *meant* to change, and review the diff it makes.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "bench"))
AS_OF = datetime.date(2026, 11, 27)
BOOK_ROWS, BOOK_SEED = 1000, 7


def cases():
    """(id, nested profile data) for the example profiles and the generated book."""
    import gen_book

    from eo_advisor.api import read_profile_data
    from eo_advisor.profile import unflatten

    for path in sorted((ROOT / "profiles").glob("*.toml")):
        yield path.stem, read_profile_data(path)
    for row in gen_book.rows(BOOK_ROWS, BOOK_SEED):
        rid = row.pop("id")
        yield rid, unflatten({k: v for k, v in row.items() if v != ""})


def snapshot():
    from eo_advisor.api import assess
    from eo_advisor.errors import ProfileError

    for rid, data in cases():
        try:
            result = assess(data, as_of=AS_OF).to_dict()
        except ProfileError as exc:
            result = {"error": [list(p) for p in exc.problems]}
        yield {"id": rid, "result": result}


if __name__ == "__main__":
    import gzip

    with gzip.open(HERE / "golden.jsonl.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        for rec in snapshot():
            fh.write(json.dumps(rec, sort_keys=True, ensure_ascii=False) + "\n")
