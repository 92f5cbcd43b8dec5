"""The broker path: batch over CSV/JSONL/TOML books, and the Python API."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT, load_toml, run

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_book

from eo_advisor import assess, assess_many, load_profile, to_dict
from eo_advisor.batch import records
from eo_advisor.batch import run as batch
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import ProfileError
from eo_advisor.profile.parse import flatten


def read_csv_out(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def to_csv_row(profile_path: Path, rid: str) -> dict[str, str]:
    flat = flatten(load_toml(profile_path))
    flat.pop("schema_version", None)
    flat.pop("contracts", None)
    row = {"id": rid}
    for k, v in flat.items():
        row[k] = ";".join(v) if isinstance(v, list) else (str(v).lower() if isinstance(v, bool) else str(v))
    return row


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    columns = ["id", *batch.CSV_INPUT_COLUMNS[1:]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, restval="")
        w.writeheader()
        w.writerows(rows)


NO_CONTRACTS = [p for p in PROFILES if "contracts" not in load_toml(p)]


def test_the_three_input_formats_give_the_same_advice(tmp_path):
    rows = [to_csv_row(p, p.stem) for p in NO_CONTRACTS]
    write_csv(tmp_path / "book.csv", rows)
    with (tmp_path / "book.jsonl").open("w") as fh:
        for p in NO_CONTRACTS:
            fh.write(json.dumps({"id": p.stem, **load_toml(p)}, default=str) + "\n")
    toml_dir = tmp_path / "profiles"
    toml_dir.mkdir()
    for p in NO_CONTRACTS:
        (toml_dir / p.name).write_text(p.read_text())
    outputs = {}
    for name, inp in (("csv", "book.csv"), ("jsonl", "book.jsonl"), ("toml", "profiles")):
        r = run(["batch", str(tmp_path / inp), "--format", "jsonl"])
        assert r.exit_code == 0, r.stderr
        outputs[name] = {rec["id"]: rec["result"] for rec in map(json.loads, r.stdout.splitlines())}
    assert outputs["csv"] == outputs["jsonl"] == outputs["toml"]
    for p in NO_CONTRACTS:  # and equal to assess itself
        assert outputs["csv"][p.stem] == to_dict(assess(load_profile(p)))


def test_csv_output_matches_assess(tmp_path):
    write_csv(tmp_path / "book.csv", [to_csv_row(p, p.stem) for p in NO_CONTRACTS])
    r = run(["batch", str(tmp_path / "book.csv")])
    assert r.exit_code == 0, r.stderr
    for row, p in zip(read_csv_out(r.stdout), NO_CONTRACTS, strict=False):
        res = assess(load_profile(p))
        assert row["status"] == "ok" and row["id"] == p.stem
        if res.closing:  # no new policy: the policy cells are empty, the warnings say close
            assert row["limit_per_claim"] == row["premium_low"] == row["gaps"] == "" and "close" in row["warnings"].split(";")
            continue
        assert int(row["limit_per_claim"]) == res.limit.per_claim
        assert int(row["deductible"]) == res.deductible.amount
        assert int(row["premium_low"]) == res.premium.low and int(row["premium_high"]) == res.premium.high
        assert row["gaps"] == ";".join(g.coverage for g in res.gaps)
        assert row["defense_costs"] == res.defense_costs.recommendation


def test_good_and_bad_rows_mixed(tmp_path):
    good = to_csv_row(ROOT / "profiles" / "saas-startup.toml", "good")
    bad_service = {**good, "id": "bad-service", "work.services": "webdesign"}
    missing = {**good, "id": "missing", "history.claims_last_5_years": ""}
    negative = {**good, "id": "negative", "business.annual_revenue": "-5k"}
    wrong_type = {**good, "id": "wrong-type", "work.onsite_work": "sometimes"}
    write_csv(tmp_path / "book.csv", [good, bad_service, {**good, "id": "good2"}, missing, negative, wrong_type, {**good, "id": "good3"}])
    r = run(["batch", str(tmp_path / "book.csv"), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 3
    rows = read_csv_out((tmp_path / "out.csv").read_text())
    assert [x["id"] for x in rows] == ["good", "bad-service", "good2", "missing", "negative", "wrong-type", "good3"]
    assert [x["status"] for x in rows] == ["ok", "error", "ok", "error", "error", "error", "ok"]
    errors = {x["id"]: x["error"] for x in rows if x["status"] == "error"}
    assert "work.services" in errors["bad-service"] and "web_development" in errors["bad-service"]
    assert errors["missing"] == "history.claims_last_5_years: missing (required)"
    assert "business.annual_revenue" in errors["negative"] and "negative" in errors["negative"]
    assert "work.onsite_work" in errors["wrong-type"]
    assert [x["source"] for x in rows][:2] == [f"{tmp_path / 'book.csv'}:2", f"{tmp_path / 'book.csv'}:3"]
    assert "7 records read, 3 ok, 4 errors" in r.stderr


def test_unknown_column_is_fatal_and_named(tmp_path):
    (tmp_path / "book.csv").write_text("id,business.anual_revenue\n1,100\n")
    r = run(["batch", str(tmp_path / "book.csv")])
    assert r.exit_code == 1
    assert "business.anual_revenue" in r.stderr and "business.annual_revenue" in r.stderr


def test_one_unreadable_input_does_not_stop_the_others(tmp_path):
    r = run(["batch", str(tmp_path / "missing.csv"), str(ROOT / "profiles" / "saas-startup.toml")])
    assert r.exit_code == 3
    rows = read_csv_out(r.stdout)
    assert [x["status"] for x in rows] == ["error", "ok"]
    assert "no such file" in rows[0]["error"]
    assert "no such file" in r.stderr


def test_nothing_readable_exits_1(tmp_path):
    (tmp_path / "bad.csv").write_bytes("id,business.n\xe4me\n".encode("latin-1"))
    r = run(["batch", str(tmp_path / "bad.csv"), str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 1
    assert "UTF-8" in r.stderr


def test_a_non_utf8_row_fails_alone(tmp_path):
    good = to_csv_row(ROOT / "profiles" / "it-support-solo.toml", "a")
    write_csv(tmp_path / "book.csv", [good, {**good, "id": "b"}])
    data = (tmp_path / "book.csv").read_bytes().replace(b"Northside PC Help", b"Northsid\xe9 PC Help", 1)
    (tmp_path / "book.csv").write_bytes(data)
    r = run(["batch", str(tmp_path / "book.csv")])
    assert r.exit_code == 3
    rows = read_csv_out(r.stdout)
    assert [(x["id"], x["status"]) for x in rows] == [("a", "error"), ("b", "ok")]
    assert "UTF-8" in rows[0]["error"]


def test_jsonl_bad_lines_are_reported_by_line(tmp_path):
    good = json.dumps({"id": "ok1", **load_toml(ROOT / "profiles" / "msp-serving-banks.toml")}, default=str)
    (tmp_path / "book.jsonl").write_text(f"{good}\n{{not json\n\n[1, 2]\n{good}\n")
    r = run(["batch", str(tmp_path / "book.jsonl"), "-f", "jsonl"])
    assert r.exit_code == 3
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["source"].rsplit(":", 1)[1], x["status"]) for x in recs] == [("1", "ok"), ("2", "error"), ("4", "error"), ("5", "ok")]
    assert "not valid JSON" in recs[1]["error"] and "JSON object" in recs[2]["error"]
    assert recs[0]["result"]["limit"]["per_claim"] == 5_000_000  # contracts work in JSONL


def test_stdin_and_stdout():
    text = batch.csv_template()
    r = run(["batch", "-", "--input-format", "csv"], input=text)
    assert r.exit_code == 0, r.stderr
    assert read_csv_out(r.stdout)[0]["status"] == "ok"
    r = run(["batch", "-"], input=text)
    assert r.exit_code == 2 and "--input-format" in r.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "toml"])
def test_templates_feed_straight_back(tmp_path, fmt):
    r = run(["profile", "template", "--format", fmt])
    path = tmp_path / f"t.{fmt}"
    path.write_text(r.stdout)
    out = run(["batch", str(path), "-f", "jsonl"])
    assert out.exit_code == 0, out.stdout + out.stderr
    assert json.loads(out.stdout.splitlines()[0])["status"] == "ok"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","click")', "+1+2", "-3+4", "@SUM(A1)", "\tTab", "\rCR"])
def test_csv_injection_is_neutralised(tmp_path, name):
    row = to_csv_row(ROOT / "profiles" / "it-support-solo.toml", name)
    row["business.name"] = name
    write_csv(tmp_path / "book.csv", [row])
    r = run(["batch", str(tmp_path / "book.csv"), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 0, r.stderr
    out = read_csv_out((tmp_path / "out.csv").read_text())[0]
    kept = name.strip()  # ids and names are trimmed on input: a leading tab or CR is gone already
    for col in ("id", "business_name"):
        assert out[col] == ("'" + kept if kept[0] in "=+-@" else kept), out[col]
        assert not out[col].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_error_cells_are_neutralised_too(tmp_path):
    row = to_csv_row(ROOT / "profiles" / "it-support-solo.toml", "x")
    row["business.annual_revenue"] = "=1+1"
    write_csv(tmp_path / "book.csv", [row])
    out = read_csv_out(run(["batch", str(tmp_path / "book.csv")]).stdout)[0]
    assert out["status"] == "error" and not out["error"].startswith("=")


def test_output_is_atomic_and_never_clobbered(tmp_path, monkeypatch):
    book = tmp_path / "book.csv"
    gen_book.write(300, str(book), "csv", seed=5)
    out = tmp_path / "out.csv"
    out.write_text("previous")
    assert run(["batch", str(book), "-o", str(out)]).exit_code == 1  # exists, no --force
    assert out.read_text() == "previous"

    real = batch.assess_record
    calls = {"n": 0}

    def dies_half_way(record, rules, **kw):
        calls["n"] += 1
        if calls["n"] == 150:
            raise KeyboardInterrupt
        return real(record, rules, **kw)

    monkeypatch.setattr(records, "assess_record", dies_half_way)
    r = run(["batch", str(book), "-o", str(out), "--force"])
    assert r.exit_code == 130
    assert out.read_text() == "previous"  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.csv", "out.csv"]  # no temp file left
    new = tmp_path / "new.csv"
    calls["n"] = 0
    r = run(["batch", str(book), "-o", str(new)])
    assert r.exit_code == 130 and not new.exists()


def test_a_generated_book(tmp_path):
    book = tmp_path / "book.csv"
    gen_book.write(3_000, str(book), "csv", seed=11)
    r = run(["batch", str(book), "-o", str(tmp_path / "out.csv")])
    rows = read_csv_out((tmp_path / "out.csv").read_text())
    assert len(rows) == 3_000
    assert [x["id"] for x in rows] == [f"C{i:07d}" for i in range(1, 3_001)]
    errors = [x for x in rows if x["status"] == "error"]
    assert 0 < len(errors) < 100  # the generator plants about 1% bad rows
    assert all(x["error"] and x["limit_per_claim"] == "" for x in errors)
    assert r.exit_code == 3
    oks = [x for x in rows if x["status"] == "ok"]
    assert all(int(x["limit_per_claim"]) >= 1_000_000 and int(x["premium_low"]) <= int(x["premium_high"]) for x in oks)


def test_run_streams_one_record_at_a_time():
    """run() pulls a record only after writing the previous result: constant memory."""
    profile = load_toml(ROOT / "profiles" / "it-support-solo.toml")
    written = io.StringIO()
    pulled = []

    def records():
        for i in range(1000):
            pulled.append(i)
            # when record i is pulled, every earlier record is already in the output
            assert written.getvalue().count("\n") == i + 1  # header + i rows
            yield batch.Record(str(i), f"mem:{i}", profile)

    summary = batch.run(records(), written, "csv")
    assert summary.read == 1000 and summary.ok == 1000 and len(pulled) == 1000


def test_assess_many_is_lazy_and_can_yield_errors():
    good = load_toml(ROOT / "profiles" / "saas-startup.toml")
    bad = {**good, "work": {**good["work"], "services": ["nope"]}}
    seen = []

    def gen():
        for item in (good, bad, good):
            seen.append(1)
            yield item

    it = assess_many(gen(), errors="yield")
    first = next(it)
    assert len(seen) == 1 and first.limit.per_claim == assess(good).limit.per_claim
    second = next(it)
    assert isinstance(second, ProfileError) and "work.services" in second.fields
    assert to_dict(next(it)) == to_dict(first)
    with pytest.raises(ProfileError):
        list(assess_many([good, bad]))


def test_assess_takes_a_profile_data_or_a_path_and_names_what_it_cannot_take():
    path = ROOT / "profiles" / "saas-startup.toml"
    expected = to_dict(assess(load_profile(path)))
    assert to_dict(assess(path)) == expected
    assert to_dict(assess(str(path))) == expected
    assert to_dict(assess(load_toml(path))) == expected
    with pytest.raises(TypeError, match="not list"):
        assess([1, 2])  # type: ignore[arg-type]


def test_progress_only_on_a_terminal(tmp_path):
    book = tmp_path / "book.csv"
    gen_book.write(1_200, str(book), "csv", seed=3)
    quiet = run(["batch", str(book), "-o", str(tmp_path / "a.csv")], env=Env(stderr_isatty=False))
    assert quiet.stderr.count("\n") == 1 and quiet.stderr.startswith("batch: 1,200 records read")
    shown = run(["batch", str(book), "-o", str(tmp_path / "b.csv")], env=Env(stderr_isatty=True))
    assert shown.exit_code == quiet.exit_code == 3
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    assert batch.ByteMeter().total([str(book), str(ROOT / "profiles")]) == book.stat().st_size + sum(
        p.stat().st_size for p in (ROOT / "profiles").glob("*.toml")
    )
    assert batch.ByteMeter().total([str(book), "-"]) is None


def test_the_meter_counts_every_byte(tmp_path):
    book = tmp_path / "book.csv"
    gen_book.write(500, str(book), "csv", seed=4)
    meter = batch.ByteMeter()
    assert sum(1 for _ in batch.read_inputs([str(book)], None, meter=meter)) == 500
    assert meter.done == book.stat().st_size
