"""Issue 18: one review date for a whole book (batch --as-of), in every worker, shown
in the output; and the compact JSON lines for scripts."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_book

from eo_advisor.batch import run as batch

SOLO = ROOT / "profiles" / "it-support-solo.toml"  # has a retroactive date


def retro_book(tmp_path: Path, retro: str, n: int) -> Path:
    one = json.loads(batch.jsonl_template())
    one["current_policy"] = {
        "limit": 1_000_000,
        "deductible": 2_500,
        "defense_costs": "eroding",
        "includes_cyber": False,
        "has_general_liability": False,
        "retroactive_date": retro,
    }
    path = tmp_path / "book.jsonl"
    path.write_text("".join(json.dumps({**one, "id": f"c{i}"}) + "\n" for i in range(n)))
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_date_for_the_whole_book_in_every_worker(tmp_path, jobs):
    # a retroactive date after today but before --as-of is valid for that review date
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    later = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    book = retro_book(tmp_path, future, 2 * batch.CHUNK_ROWS + 10)
    r = run(["batch", str(book), "-o", str(tmp_path / "a.csv"), "--jobs", jobs, "--as-of", later])
    assert r.exit_code == 0, r.stderr[:500]
    assert f"as of {later}" in r.stderr
    r = run(["batch", str(book), "-o", str(tmp_path / "b.csv"), "--jobs", jobs])
    assert r.exit_code == 3 and f"as of {datetime.date.today().isoformat()}" in r.stderr  # the same rows, judged today


def test_as_of_from_the_environment_and_a_bad_date(tmp_path):
    r = run(["batch", str(SOLO)], environ={"EO_ADVISOR_AS_OF": "2027-01-31"})
    assert r.exit_code == 0 and "as of 2027-01-31" in r.stderr
    assert run(["batch", str(SOLO), "--as-of", "31/01/2027"]).exit_code == 2


def test_jsonl_compact_names_the_date_cites_sources_by_id_and_is_smaller(tmp_path):
    book = tmp_path / "book.csv"
    gen_book.write(300, str(book), "csv", seed=7)
    full = run(["batch", str(book), "-f", "jsonl", "--as-of", "2026-12-31"]).stdout
    compact = run(["batch", str(book), "-f", "jsonl-compact", "--as-of", "2026-12-31"]).stdout
    head, *rows = [json.loads(x) for x in compact.splitlines()]
    assert head["as_of"] == "2026-12-31" and head["format"].startswith("eo-advisor batch jsonl-compact")
    assert len(rows) == len(full.splitlines()) == 300
    for c, f in zip(rows, map(json.loads, full.splitlines()), strict=True):
        assert (c["id"], c["status"], c["error"]) == (f["id"], f["status"], f["error"])
        if f["result"]:
            assert [head["sources"][i]["title"] for i in c["result"]["sources"]] == [s["title"] for s in f["result"]["sources"]]
            findings = [x["finding"] for x in c["result"]["findings"]]
            assert not set(c["result"]["warnings"]) & set(findings)  # each finding once
    per_row_full, per_row_compact = len(full.encode()) / 300, len(compact.encode()) / 300
    assert per_row_compact < 0.8 * per_row_full
    print(f"jsonl {per_row_full:,.0f} B/row, jsonl-compact {per_row_compact:,.0f} B/row")


def test_jsonl_compact_with_workers_is_the_same_bytes(tmp_path):
    book = tmp_path / "book.csv"
    gen_book.write(2 * batch.CHUNK_ROWS + 5, str(book), "csv", seed=9)
    outs = [run(["batch", str(book), "-f", "jsonl-compact", "--jobs", j, "--as-of", "2026-12-31"]).stdout for j in ("1", "2")]
    assert outs[0] == outs[1]
