"""Issue 18: a book as spreadsheets and scripts write it: a missing required column
said once, ``.tsv`` read as tabs, semicolon CSV (European Excel) sniffed, a ``.json``
array of profiles accepted, JSON duplicate keys refused (as CSV and TOML refuse them)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import run

from eo_advisor.batch import run as batch

TEMPLATE = batch.csv_template()
HEADER, GOOD = TEMPLATE.splitlines()
ROWS = 200


def book_rows(n: int = ROWS) -> list[list[str]]:
    row = next(csv.reader([GOOD]))
    return [[f"c{i:03d}", *row[1:]] for i in range(n)]


def write(path, rows, delimiter=",", header=None) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        w.writerow(header or HEADER.split(","))
        w.writerows(rows)


def test_a_missing_required_column_is_said_once_not_once_a_row(tmp_path):
    header = HEADER.split(",")
    at = header.index("business.years_in_business")
    write(tmp_path / "book.csv", [r[:at] + r[at + 1 :] for r in book_rows()], header=header[:at] + header[at + 1 :])
    r = run(["batch", str(tmp_path / "book.csv")])
    assert r.exit_code == 1
    assert r.stderr.count("business.years_in_business") == 1 and "missing required column" in r.stderr
    assert len(r.stdout.splitlines()) == 2  # the header and one error record for the file


def test_a_book_without_any_current_policy_column_is_fine(tmp_path):
    header = HEADER.split(",")
    keep = [i for i, h in enumerate(header) if not h.startswith("current_policy.")]
    rows = [[r[i] for i in keep] for r in book_rows(3)]
    write(tmp_path / "book.csv", rows, header=[header[i] for i in keep])
    assert run(["batch", str(tmp_path / "book.csv")]).exit_code == 0


@pytest.mark.parametrize(("suffix", "delimiter"), [(".tsv", "\t"), (".csv", ";"), (".csv", "\t")])
def test_tabs_and_semicolons_are_read_as_their_delimiter(tmp_path, suffix, delimiter):
    path = tmp_path / f"book{suffix}"
    write(path, book_rows(), delimiter=delimiter)
    r = run(["batch", str(path)])
    assert r.exit_code == 0, r.stderr
    assert f"{ROWS} records read, {ROWS} ok" in r.stderr


def test_semicolon_csv_on_stdin_is_sniffed_too(tmp_path):
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([HEADER.split(","), *book_rows(2)])
    r = run(["batch", "-", "-i", "csv"], input=buf.getvalue())
    assert r.exit_code == 0 and "2 records read, 2 ok" in r.stderr


def test_a_json_array_of_profiles_is_a_book(tmp_path):
    one = json.loads(batch.jsonl_template())
    items = [{**one, "id": f"c{i}"} for i in range(ROWS)]
    items[5] = "not a profile"
    (tmp_path / "book.json").write_text(json.dumps(items, indent=2))
    r = run(["batch", str(tmp_path / "book.json"), "-f", "jsonl"])
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.exit_code == 3 and len(out) == ROWS
    assert out[5]["status"] == "error" and "one profile per element" in out[5]["error"]
    assert out[5]["source"].endswith("book.json[5]") and out[0]["id"] == "c0"
    assert sum(x["status"] == "error" for x in out) == 1


def test_a_json_file_of_lines_still_reads_as_json_lines(tmp_path):
    (tmp_path / "book.json").write_text(batch.jsonl_template() * 2)
    assert run(["batch", str(tmp_path / "book.json")]).exit_code == 0


@pytest.mark.parametrize(
    "line",
    ['{"id": "a", "id": "b"}', '{"business": {"annual_revenue": 1}, "business": {"annual_revenue": 2}}', '{"work": {"x": 1, "x": 2}}'],
)
def test_json_lines_refuse_duplicate_keys(line):
    records = list(batch.read_inputs(["-"], "jsonl", stdin=io.TextIOWrapper(io.BytesIO((line + "\n").encode()), encoding="utf-8")))
    assert len(records) == 1 and "duplicate key" in records[0].error
