#!/usr/bin/env python3
"""Snapshot the advice (the full JSON result) for every example profile and a 1,000-row
generated book, in files a reviewer can read (tests/test_golden.py):

- ``digests.tsv``: one line per record, ``id``, a digest of its whole JSON result and the
  headline decisions (limit, aggregate, deductible, defense form, premium range, gap and
  finding ids). Any change to any field changes a digest; the headline columns make
  ``git diff`` show *what* moved on the rows that changed.
- ``counts.txt``: per-decision counts over the book (limits, deductibles, defense forms,
  gaps, findings, warnings), so a diff shows how many rows moved where.
- ``sample/*.json``: the whole result, pretty-printed, for the example profiles and a
  fixed sample of book rows.

    python tests/golden/make_golden.py        # rewrite the files above

Run it only when the advice is *meant* to change, and review the diff it makes.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "bench"))
AS_OF = datetime.date(2026, 11, 27)
BOOK_ROWS, BOOK_SEED = 1000, 7
SAMPLE_EVERY = 100  # book rows 0, 100, 200, ... are kept whole in sample/


def cases() -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, nested profile data) for the example profiles and the generated book."""
    import gen_book

    from eo_advisor.api import read_profile_data
    from eo_advisor.profile.parse import unflatten

    for path in sorted((ROOT / "profiles").glob("*.toml")):
        yield path.stem, read_profile_data(path)
    for row in gen_book.rows(BOOK_ROWS, BOOK_SEED):
        rid = row.pop("id")
        yield rid, unflatten({k: v for k, v in row.items() if v != ""})


def snapshot() -> Iterator[dict[str, Any]]:
    from eo_advisor.api import assess, to_dict
    from eo_advisor.errors import ProfileError

    for rid, data in cases():
        try:
            result = to_dict(assess(data, as_of=AS_OF))
        except ProfileError as exc:
            result = {"error": [list(p) for p in exc.problems]}
        result.pop("rules_version", None)  # the date of the rules data, not advice
        yield {"id": rid, "result": json.loads(json.dumps(result))}


def digest(result: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(result, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def headline(result: dict[str, Any]) -> str:
    """The decisions of one result on one line."""
    if "error" in result:
        return "error " + ",".join(sorted({p[0] for p in result["error"]}))
    lim, ded, dfn, prem = result["limit"], result["deductible"], result["defense_costs"], result["premium"]
    gaps = ",".join(g["coverage"] for g in result["gaps"]) or "-"
    found = ",".join(sorted(f["id"] for f in result["findings"])) or "-"
    limit = "closing" if result.get("closing") else f"{lim['per_claim']}/{lim['aggregate']}"
    return "\t".join(
        [limit, str(ded.get("amount")), str(dfn.get("recommendation")), f"{prem.get('low')}-{prem.get('high')}", f"gaps={gaps}", f"findings={found}"]
    )


def counts(records: list[dict[str, Any]]) -> str:
    """Per-decision counts over every record, one section per decision."""
    tallies: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for rec in records:
        r = rec["result"]
        if "error" in r:
            tallies["errors"]["rows with an error"] += 1
            continue
        tallies["limit per claim / aggregate"]["closing" if r.get("closing") else f"{r['limit']['per_claim']:,} / {r['limit']['aggregate']:,}"] += 1
        tallies["limit driver"][str(r["limit"].get("driver"))] += 1
        tallies["deductible"][f"{r['deductible'].get('amount')}"] += 1
        tallies["defense costs"][str(r["defense_costs"].get("recommendation"))] += 1
        for g in r["gaps"]:
            tallies["gaps (coverage, severity)"][f"{g['coverage']} {g['severity']}"] += 1
        for f in r["findings"]:
            tallies["findings (id, severity)"][f"{f['id']} {f['severity']}"] += 1
        for a in r["actions"]:
            tallies["actions"][a["id"]] += 1
        tallies["warnings"][str(len(r["warnings"])) + " warnings"] += 1
        tallies["underwriting referred"][str(r["underwriting"].get("referred"))] += 1
    lines = []
    for section in sorted(tallies):
        lines.append(f"[{section}]")
        lines.extend(f"{n:6d}  {what}" for what, n in sorted(tallies[section].items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append("")
    return "\n".join(lines)


def write(records: list[dict[str, Any]]) -> None:
    with open(HERE / "digests.tsv", "w", encoding="utf-8") as fh:
        fh.write("# id\tdigest\tlimit\tdeductible\tdefense\tpremium\tgaps\tfindings\n")
        for rec in records:
            fh.write(f"{rec['id']}\t{digest(rec['result'])}\t{headline(rec['result'])}\n")
    (HERE / "counts.txt").write_text(counts(records), encoding="utf-8")
    sample = HERE / "sample"
    sample.mkdir(exist_ok=True)
    for old in sample.glob("*.json"):
        old.unlink()
    examples = len(list((ROOT / "profiles").glob("*.toml")))
    for i, rec in enumerate(records):
        if i < examples or (i - examples) % SAMPLE_EVERY == 0:
            (sample / f"{rec['id']}.json").write_text(
                json.dumps(rec["result"], indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
            )


if __name__ == "__main__":
    write(list(snapshot()))
