"""Issue 18, data lost or corrupted: a batch never merges, drops or renumbers records
silently, never reads its own output, and never replaces an output it did not finish.
The signal and worker-death cases are in tests/test_batch_jobs.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from eo_advisor.batch import run as batch

HEADER = ",".join(batch.CSV_INPUT_COLUMNS)
GOOD = batch.csv_template().splitlines()[1]  # one valid row, id client-001
NAME = "Acme Web Studio"


def good(rid: str, name: str = NAME) -> str:
    return GOOD.replace("client-001", rid).replace(NAME, name)


def read(text: str, fmt: str = "csv") -> list[batch.Record]:
    return list(batch.read_inputs(["-"], fmt, stdin=io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")))


def cli(*args: str, stdin=None, cwd=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eo_advisor.cli.app", *args]
        if False
        else [sys.executable, "-c", "from eo_advisor.cli.app import main; main()", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


# ---------------------------------------------------------------------------
# An unclosed quote never swallows rows
# ---------------------------------------------------------------------------
def test_an_unclosed_quote_that_happens_to_give_the_header_width_swallows_no_row():
    # c1's name opens a quote that the quote of c3's name closes: merged, the record has
    # exactly the header's width (the "4 clients in, 2 records read")
    rows = [good("c1", '"Acme'), good("c2"), good("c3", '"Beta"'), good("c4")]
    records = read("\n".join([HEADER, *rows]) + "\n")
    assert [r.id for r in records] == ["c1", "c2", "c3", "c4"]
    assert [r.error is None for r in records] == [False, True, True, True]
    assert "line 2" in records[0].error and records[0].source == "<stdin>:2"
    assert [r.source for r in records[1:]] == ["<stdin>:3", "<stdin>:4", "<stdin>:5"]


def test_rows_with_the_header_width_inside_a_quote_are_not_one_record():
    # the quote closes right before a comma, so a strict reader would take it; the lines
    # inside it are whole rows, though
    rows = [good("c1", '"Acme'), good("c2"), f'c3",{GOOD.split(",", 1)[1]}', good("c4")]
    records = read("\n".join([HEADER, *rows]) + "\n")
    assert records[0].id == "c1" and "does not close" in records[0].error
    assert [r.id for r in records[1:2]] == ["c2"] and records[1].error is None
    assert records[-1].id == "c4" and records[-1].error is None


def test_a_well_formed_multiline_record_is_one_record_with_its_line_range_and_lines_do_not_drift():
    text = "\n".join([HEADER, good("c1", '"Acme\nWeb"'), good("c2"), good("c3", '"x\ny\nz"'), good("c4")]) + "\n"
    records = read(text)
    assert [(r.id, r.source) for r in records] == [("c1", "<stdin>:2-3"), ("c2", "<stdin>:4"), ("c3", "<stdin>:5-7"), ("c4", "<stdin>:8")]
    outcomes = [batch.assess_record(r, batch.load_rules()) for r in records]
    assert [o.ok for o in outcomes] == [False, True, False, True]  # a name refuses the line break: that record alone


def test_a_row_with_the_wrong_number_of_cells_keeps_its_id():
    records = read("\n".join([HEADER, good("c1"), "c2,only,three", good("c3")]) + "\n")
    assert [r.id for r in records] == ["c1", "c2", "c3"]
    assert "cells" in records[1].error and records[1].source == "<stdin>:3"


# ---------------------------------------------------------------------------
# An input that shrinks while it is read
# ---------------------------------------------------------------------------
def test_an_input_truncated_while_read_is_an_error_not_a_short_book(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("\n".join([HEADER, *(good(f"c{i}") for i in range(2_000))]) + "\n")
    records = []
    for i, record in enumerate(batch.read_inputs([str(book)], None)):
        records.append(record)
        if i == 10:
            os.truncate(book, 200_000)  # another program cuts the file
    assert records[-1].unreadable and "truncated" in records[-1].error
    assert len(records) < 2_000
