"""batch --jobs N: worker processes give the same bytes, errors and exit codes as one."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_book
from conftest import run

from eo_advisor.batch import run as batch

ROWS = 2 * batch.CHUNK_ROWS + 345  # three chunks, the last one partial


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("jobs") / "book.csv"
    gen_book.write(ROWS, str(path), "csv", seed=21)  # realistic, with ~1% bad rows
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_jobs_2_writes_the_same_bytes_as_jobs_1(book, tmp_path, fmt):
    missing = str(tmp_path / "missing.csv")  # an unreadable input: one error record, the rest go on
    outs, codes, summaries = [], [], []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.{fmt}"
        r = run(["batch", str(book), missing, "--format", fmt, "-o", str(out), "--jobs", jobs])
        outs.append(out.read_bytes())
        codes.append(r.exit_code)
        summaries.append(r.stderr.split(" in ")[0])
    assert outs[0] == outs[1]
    assert codes == [3, 3]
    assert summaries[0] == summaries[1]
    lines = outs[0].decode().splitlines()
    assert len(lines) == ROWS + 1 + (fmt == "csv")
    assert sum('"status": "error"' in x or ",error," in x for x in lines) > 2  # bad rows are there


def test_jobs_from_the_environment_and_every_core(book, tmp_path, monkeypatch):
    seen = []
    real = batch._run_parallel

    def spy(*args):
        seen.append(args[5])  # the worker count
        return real(*args)

    monkeypatch.setattr(batch, "_run_parallel", spy)
    r = run(["batch", str(book), "-o", str(tmp_path / "a.csv")], environ={"EO_ADVISOR_JOBS": "2"})
    assert r.exit_code == 3 and seen == [2]
    assert batch.resolve_jobs(0) >= 1 and batch.resolve_jobs(3) == 3
    with pytest.raises(ValueError):
        batch.resolve_jobs(-1)
    assert run(["batch", str(book), "--jobs", "-1"]).exit_code == 2


def test_a_small_book_stays_in_process(monkeypatch):
    monkeypatch.setattr(batch, "_run_parallel", lambda *a: pytest.fail("no workers for one chunk"))
    profile = {"business": {"annual_revenue": 1}}
    s = batch.run([batch.Record("1", "x", profile)], io.StringIO(), "csv", jobs=4)
    assert s.read == 1 and s.errors == 1


def test_memory_stays_flat_records_are_pulled_a_few_chunks_ahead(book):
    out = io.StringIO()
    records = list(batch.read_inputs([str(book)], None)) * 3
    most_ahead = 0

    def pulled():
        nonlocal most_ahead
        for i, record in enumerate(records):
            if i % 250 == 0:
                written = out.getvalue().count("\n") - 1
                most_ahead = max(most_ahead, i - written)
            yield record

    summary = batch.run(pulled(), out, "csv", jobs=2)
    assert summary.read == len(records)
    assert most_ahead <= (2 * 2 + 2) * batch.CHUNK_ROWS  # in flight, being filled, being written


def test_ctrl_c_with_workers_exits_130_and_leaves_no_file(book, tmp_path, monkeypatch):
    real = batch.read_inputs

    def interrupted(*args, **kwargs):
        for i, record in enumerate(real(*args, **kwargs)):
            if i == 1_500:
                raise KeyboardInterrupt
            yield record

    monkeypatch.setattr(batch, "read_inputs", interrupted)
    out = tmp_path / "out.csv"
    out.write_text("previous")
    r = run(["batch", str(book), "-o", str(out), "--force", "--jobs", "2"])
    assert r.exit_code == 130
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
