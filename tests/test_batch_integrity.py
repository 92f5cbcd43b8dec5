"""Issue 18, data lost or corrupted: a batch never merges, drops or renumbers records
silently, never reads its own output, and never replaces an output it did not finish.
The signal and worker-death cases are in tests/test_batch_jobs.py."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run

from eo_advisor.batch import run as batch

HEADER = ",".join(batch.CSV_INPUT_COLUMNS)
GOOD = batch.csv_template().splitlines()[1]  # one valid row, id client-001
NAME = "Acme Web Studio"


def good(rid: str, name: str = NAME) -> str:
    return GOOD.replace("client-001", rid).replace(NAME, name)


def read(text: str, fmt: str = "csv") -> list[batch.Record]:
    return list(batch.read_inputs(["-"], fmt, stdin=io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")))


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


def test_a_quote_closed_by_the_next_rows_opening_quote_swallows_nothing():
    # found by `pytest --fuzz`: the next row's quoted cell `",0"` closes c1's quote and the
    # merged record has the header's width, over two lines only (no line inside to test)
    rows = [f'c1,"Acme,{GOOD.split(",", 2)[2]}', GOOD.replace("client-001", "c2").replace(",180000,", ',",0",', 1), good("c3")]
    records = read("\n".join([HEADER, *rows]) + "\n")
    assert [r.id for r in records] == ["c1", "c2", "c3"] and "does not close" in records[0].error


def test_a_cell_ending_in_a_line_break_and_a_comma_is_still_one_record():
    rows = [good("c1", '"Acme\n,"'), good("c2")]
    records = read("\n".join([HEADER, *rows]) + "\n")
    assert [(r.id, r.source) for r in records] == [("c1", "<stdin>:2-3"), ("c2", "<stdin>:4")]


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


# ---------------------------------------------------------------------------
# Never read the output, never replace it after a failure, never race for it
# ---------------------------------------------------------------------------
def cli(*args: str, stdin=None, stdout=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from eo_advisor.cli.app import main; main()", *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text("\n".join([HEADER, good("c1"), good("c2")]) + "\n")
    return path


def test_appending_to_an_input_is_refused_not_read_forever(book):
    before = book.read_bytes()
    with book.open("a") as fh:  # eo-advisor batch book.csv >> book.csv
        r = cli("batch", str(book), stdout=fh, timeout=20)
    assert r.returncode == 2 and "stdout is redirected to the input" in r.stderr
    assert book.read_bytes() == before


def test_stdin_redirected_from_the_output_is_refused(book):
    before = book.read_bytes()
    with book.open("rb") as fh:  # batch - < book.csv -o book.csv --force
        r = cli("batch", "-", "-i", "csv", "-o", str(book), "--force", stdin=fh)
    assert r.returncode == 2 and "<stdin>" in r.stderr
    assert book.read_bytes() == before


def test_a_profile_inside_a_directory_input_is_an_input(tmp_path):
    (tmp_path / "clients").mkdir()
    profile = tmp_path / "clients" / "a.toml"
    profile.write_text((ROOT / "profiles" / "saas-startup.toml").read_text())
    before = profile.read_text()
    r = run(["batch", str(tmp_path / "clients"), "-o", str(profile), "--force"])
    assert r.exit_code == 2 and "a.toml" in " ".join(r.stderr.split()).replace("│", "").replace(" ", "")
    assert profile.read_text() == before


@pytest.mark.parametrize("inputs", [["missing.csv"], ["empty.csv"], ["bad-header.csv"]])
def test_a_failed_batch_leaves_an_existing_output_as_it_was(tmp_path, inputs):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "bad-header.csv").write_text("id,business.anual_revenue\n1,2\n")
    out = tmp_path / "advice.csv"
    out.write_text("last week's advice\n")
    r = run(["batch", *(str(tmp_path / i) for i in inputs), "-o", str(out), "--force"])
    assert r.exit_code == 1 and "left as it was" in r.stderr
    assert out.read_text() == "last week's advice\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file
    new = tmp_path / "new.csv"
    assert run(["batch", *(str(tmp_path / i) for i in inputs), "-o", str(new)]).exit_code == 1 and not new.exists()


def test_a_missing_file_is_not_counted_as_a_record_read(tmp_path, book):
    r = run(["batch", str(tmp_path / "missing.csv"), str(book)])
    assert r.exit_code == 3
    assert "batch: 2 records read, 2 ok, 0 errors, 1 input unreadable" in r.stderr


def test_a_new_output_created_meanwhile_is_never_replaced(tmp_path, monkeypatch):
    """The check-then-rename race: another run creates the file after the check."""
    from eo_advisor.edge import files
    from eo_advisor.errors import OutputError

    out = tmp_path / "out.csv"
    real_replace, real_link = os.replace, getattr(os, "link", None)

    def other_run_first(src, dst, *a, **kw):
        Path(dst).write_text("the other run's output")
        return (real_link if real_link is not None and kw.pop("_link", False) else real_replace)(src, dst, *a, **kw)

    monkeypatch.setattr(files.os, "replace", other_run_first)
    monkeypatch.setattr(files.os, "link", lambda src, dst: other_run_first(src, dst, _link=True))
    with pytest.raises(OutputError, match="already exists"):
        files.write_text(str(out), "ours", force=False)
    monkeypatch.undo()
    assert out.read_text() == "the other run's output"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_two_runs_writing_the_same_new_output_never_both_succeed(tmp_path):
    from eo_advisor.edge import files
    from eo_advisor.errors import OutputError

    def attempt(path: str, text: str, results: list) -> None:
        try:
            files.write_text(path, text, force=False)
            results.append(text)
        except OutputError:
            results.append(None)

    for trial in range(100):
        path = str(tmp_path / f"out{trial}.csv")
        results: list = []
        threads = [threading.Thread(target=attempt, args=(path, text, results)) for text in ("a" * 20_000, "b" * 20_000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [r for r in results if r is not None]
        assert len(winners) == 1 and Path(path).read_text() == winners[0]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_replaced_file_drops_a_setuid_bit(tmp_path):
    from eo_advisor.edge import files

    out = tmp_path / "out.csv"
    out.write_text("old")
    os.chmod(out, 0o4755 | 0o2000)
    files.write_text(str(out), "new", force=True)
    assert out.read_text() == "new" and stat.S_IMODE(out.stat().st_mode) == 0o755


def test_a_read_only_file_system_is_named_as_such(tmp_path, monkeypatch):
    from eo_advisor.edge import files
    from eo_advisor.errors import OutputError

    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(files.os, "access", lambda *a, **kw: False)
    monkeypatch.setattr(files.os, "statvfs", lambda path: ReadOnly())
    with pytest.raises(OutputError, match="Read-only file system"):
        files.check_writable(str(tmp_path / "new.csv"), force=False)
