"""batch --jobs N: worker processes give the same bytes, errors and exit codes as one."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_book
from conftest import run

from eo_advisor.batch import run as batch
from eo_advisor.batch import workers

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
    real = workers.run_parallel

    def spy(*args):
        seen.append(args[5])  # the worker count
        return real(*args)

    monkeypatch.setattr(workers, "run_parallel", spy)
    r = run(["batch", str(book), "-o", str(tmp_path / "a.csv")], environ={"EO_ADVISOR_JOBS": "2"})
    assert r.exit_code == 3 and seen == [2]
    cores = workers.cpu_count()
    assert batch.resolve_jobs(0) == cores and batch.resolve_jobs(3) == min(3, cores)
    with pytest.raises(ValueError):
        batch.resolve_jobs(-1)
    assert run(["batch", str(book), "--jobs", "-1"]).exit_code == 2


def test_a_small_book_stays_in_process(monkeypatch):
    monkeypatch.setattr(workers, "run_parallel", lambda *a: pytest.fail("no workers for one chunk"))
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


# ---------------------------------------------------------------------------
# Issue 18: bounded workers; a dead worker ends the run, never hangs it
# ---------------------------------------------------------------------------
def test_jobs_are_bounded_by_the_cores_and_a_hard_cap(book, tmp_path, monkeypatch):
    assert batch.resolve_jobs(batch.MAX_JOBS) == workers.cpu_count()
    r = run(["batch", str(book), "--jobs", str(batch.MAX_JOBS + 1)])
    assert r.exit_code == 2 and f"at most {batch.MAX_JOBS}" in r.stderr
    r = run(["batch", str(book)], environ={"EO_ADVISOR_JOBS": "100000"})
    assert r.exit_code == 2 and "--jobs 100000" in r.stderr
    started = []
    real = workers.run_parallel

    def spy(*args):
        summary = real(*args)
        started.append(args[5])
        return summary

    monkeypatch.setattr(workers, "run_parallel", spy)
    assert run(["batch", str(book), "-o", str(tmp_path / "a.csv"), "--jobs", "24"]).exit_code == 3
    assert started == [min(24, workers.cpu_count())]


def test_a_worker_that_dies_at_start_ends_the_run_with_one_error(book, tmp_path, monkeypatch):
    import worker_faults

    monkeypatch.setattr(workers, "_init_worker", worker_faults.die_at_start)
    out = tmp_path / "out.csv"
    out.write_text("previous")
    r = run(["batch", str(book), "-o", str(out), "--force", "--jobs", "2"])
    assert r.exit_code == 1 and "worker process ended" in r.stderr and "internal error" not in r.stderr
    assert out.read_text() == "previous" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def _workers_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("stress") / "big.csv"
    gen_book.write(40_000, str(path), "csv", seed=3)
    return path


CHILD_ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
CHILD_ENV.pop("EO_ADVISOR_QUIET", None)


def _start(big_book: Path, out: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "eo_advisor", "batch", str(big_book), "-o", str(out), "--force", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=CHILD_ENV,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_workers_of(proc.pid)) < 2:
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are busy with chunks
    return proc


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers through /proc")
@pytest.mark.parametrize("what", ["SIGKILL a worker", "SIGTERM the parent", "SIGINT the parent"])
def test_signals_during_jobs_end_the_run_cleanly(big_book, tmp_path, what):
    """The stress test: a worker killed (the OOM killer), or the parent told to stop,
    while --jobs 2 runs: the run ends promptly with its exit code and message, the old
    output is untouched, no temp file stays and no worker outlives the parent."""
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    proc = _start(big_book, out)
    pool = _workers_of(proc.pid)
    assert pool, "the workers did not start"
    started = time.monotonic()
    if what == "SIGKILL a worker":
        os.kill(pool[0], signal.SIGKILL)
    else:
        proc.send_signal(signal.SIGTERM if "TERM" in what else signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - started
    expected = {"SIGKILL a worker": 1, "SIGTERM the parent": 143, "SIGINT the parent": 130}[what]
    assert proc.returncode == expected, err.decode()
    assert "worker process ended" in err.decode() if expected == 1 else "interrupted" in err.decode()
    assert out.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]
    assert took < 30
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pool):
        time.sleep(0.05)
    assert not any(_alive(p) for p in pool), "a worker outlived the run"
