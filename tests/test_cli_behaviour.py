"""How the CLI behaves as a Unix citizen: file modes, what --force may replace, OS
errors as one line, signals, closed pipes, --quiet, completion, shipped examples."""

from __future__ import annotations

import errno
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest
import typer
from conftest import ROOT, run

from eo_advisor.cli.app import app
from eo_advisor.edge.terminal import Env

WEB = str(ROOT / "profiles" / "freelance-web-developer.toml")
CHILD_ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
CHILD_ENV.pop("EO_ADVISOR_QUIET", None)


def cli(args, **kw):
    """The real program in a child process (real fds, real signals)."""
    return subprocess.run([sys.executable, "-m", "eo_advisor", *args], capture_output=True, env=CHILD_ENV, timeout=30, **kw)


def book(tmp_path, rows=30_000):
    """A CSV book big enough to take a while (~1 s) to assess."""
    from eo_advisor.batch.run import csv_template

    template = csv_template().splitlines()
    path = tmp_path / "book.csv"
    path.write_text(template[0] + "\n" + "\n".join([template[1]] * rows) + "\n")
    return path


# --- files ------------------------------------------------------------------
def test_new_file_gets_0666_less_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    out = tmp_path / "out.json"
    old = os.umask(0o027)
    try:
        assert run(["assess", "-p", WEB, "-f", "json", "-o", str(out)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    out.chmod(0o604)
    assert run(["assess", "-p", WEB, "-f", "json", "-o", str(out), "--force"]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604


def test_force_on_a_symlink_writes_through_to_its_target(tmp_path):
    target = tmp_path / "real.toml"
    target.write_text("old")
    link = tmp_path / "link.toml"
    link.symlink_to(target.name)
    assert run(["assess", "-p", WEB, "-f", "toml", "-o", str(link)]).exit_code == 1  # exists: needs --force
    assert run(["assess", "-p", WEB, "-f", "toml", "-o", str(link), "--force"]).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text().startswith("schema_version") or "business_name" in target.read_text()
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to("missing/nowhere.toml")
    r = run(["assess", "-p", WEB, "-o", str(dangling), "--force"])
    assert r.exit_code == 1 and "symbolic link to a missing file" in r.output


def test_devices_and_pipes_are_written_into_never_replaced(tmp_path):
    r = run(["assess", "-p", WEB, "-f", "json", "-o", os.devnull, "--force"])
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run(["assess", "-p", WEB, "-f", "json", "-o", str(fifo)])  # no --force needed
    reader.join(10)
    assert r.exit_code == 0, r.output
    assert stat.S_ISFIFO(fifo.stat().st_mode) and b'"business_name"' in got[0]


def test_directories_and_sockets_are_refused_even_with_force(tmp_path):
    r = run(["assess", "-p", WEB, "-o", str(tmp_path), "--force"])
    assert r.exit_code == 1 and "is a directory" in r.output
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        r = run(["assess", "-p", WEB, "-o", str(sock_path), "--force"])
    assert r.exit_code == 1 and "is a socket" in r.output


@pytest.mark.parametrize("dest", ["-", "/dev/stdout"])
def test_stdout_by_dash_or_by_dev_stdout(dest):
    r = cli(["assess", "-p", WEB, "-f", "json", "-o", dest])
    assert r.returncode == 0, r.stderr
    assert b'"business_name"' in r.stdout


def test_output_equal_to_export_or_to_the_input_is_a_usage_error_before_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run(["assess", "-p", WEB, "-o", "x.toml", "--export", "./x.toml"])
    assert r.exit_code == 2 and "same file" in r.output
    assert not (tmp_path / "x.toml").exists()
    (tmp_path / "in.toml").write_text(open(WEB).read())
    link = tmp_path / "alias.toml"
    link.symlink_to("in.toml")
    before = (tmp_path / "in.toml").read_text()
    for args in (
        ["assess", "-p", "in.toml", "-o", str(link), "--force"],
        ["assess", "-p", "in.toml", "--export", "in.toml", "--force"],
        ["compare", "in.toml", WEB, "-o", "in.toml", "--force"],
        ["batch", "in.toml", "-o", "in.toml", "--force"],
    ):
        r = run(args)
        assert r.exit_code == 2, (args, r.output)
    assert (tmp_path / "in.toml").read_text() == before


# --- OS errors ----------------------------------------------------------------
def test_a_full_stdout_is_one_line_exit_1_not_a_bug():
    with open("/dev/full", "wb") as full:
        r = subprocess.run(
            [sys.executable, "-m", "eo_advisor", "assess", "-p", WEB, "-f", "json"], stdout=full, stderr=subprocess.PIPE, env=CHILD_ENV, timeout=30
        )
    assert r.returncode == 1
    assert r.stderr.decode() == "error: <stdout>: No space left on device\n"


def test_a_full_file_names_the_path():
    r = run(["assess", "-p", WEB, "-o", "/dev/full"])
    assert r.exit_code == 1 and r.output == "error: /dev/full: No space left on device\n"


def test_file_size_limit_efbig_leaves_no_temp_file(tmp_path):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    r = subprocess.run(
        [sys.executable, "-m", "eo_advisor", "assess", "-p", WEB, "-f", "json", "-o", "out.json"],
        capture_output=True,
        env=CHILD_ENV,
        cwd=tmp_path,
        preexec_fn=limit,
        timeout=30,
    )
    assert r.returncode == 1
    assert r.stderr.decode() == "error: out.json: File too large\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT])
def test_every_os_error_while_writing_is_one_line(tmp_path, monkeypatch, code):
    def refuse(*a, **k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "link", refuse)  # a new file is published by a hard link (exclusive)
    r = run(["assess", "-p", WEB, "-o", str(tmp_path / "out.md"), "-f", "markdown"])
    assert r.exit_code == 1
    assert r.output == f"error: {tmp_path / 'out.md'}: {os.strerror(code)}\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory anyway; the mapping is tested by the monkeypatched case")
def test_read_only_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    r = run(["assess", "-p", WEB, "-o", str(ro / "x.json")])
    assert r.exit_code == 1 and "Permission denied" in r.output and "internal error" not in r.output


def test_empty_stdin_says_so():
    r = run(["assess", "--profile", "-"], input="")
    assert r.exit_code == 1
    assert r.output.startswith("error: <stdin> is empty")


# --- signals and pipes ----------------------------------------------------------
def _wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signals_keep_the_old_file_and_leave_no_temp_file(tmp_path, sig):
    src = book(tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "eo_advisor", "batch", str(src), "-o", str(out), "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=CHILD_ENV,
    )
    assert _wait_for(lambda: any(n.endswith(".tmp") for n in os.listdir(tmp_path)))
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + sig
    assert out.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["book.csv", "out.csv"]
    assert err.decode().strip().endswith("nothing was written")


def test_interrupted_batch_to_stdout_says_output_was_written(tmp_path):
    src = book(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "eo_advisor", "batch", str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CHILD_ENV)
    assert proc.stdout.read(1000)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode().strip() == "interrupted: output so far was written to stdout"


def test_interrupt_at_the_last_question_writes_nothing(monkeypatch):
    """The last questions (options, save) come before the report (issue 18: so the
    recommendation does not scroll away): Ctrl-C there has written nothing yet."""
    from eo_advisor.api import load_profile
    from eo_advisor.cli import assess as cli_mod
    from eo_advisor.cli import interview as prompts

    monkeypatch.setattr(cli_mod, "gather_profile", lambda *a, **k: (load_profile(WEB), True))

    def ctrl_c(self, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(prompts.Asker, "confirm", ctrl_c)
    r = run(["assess"])
    assert r.exit_code == 130
    assert "Tech E&O" not in r.output and r.output.rstrip().endswith("interrupted: nothing was written")


def test_interrupt_messages_tell_what_was_written():
    e = Env()
    assert e.interrupted_message() == "interrupted: nothing was written"
    e.written("profile.toml")
    assert e.interrupted_message() == "interrupted: profile.toml had been written"
    e.written("-", True)
    assert (
        e.interrupted_message("interrupted by SIGTERM")
        == "interrupted by SIGTERM: profile.toml had been written and output so far was written to stdout"
    )


@pytest.mark.parametrize("args", [["batch", "{book}"], ["batch", "{book}", "--format", "jsonl"]])
def test_a_closed_pipe_ends_quietly_with_141(tmp_path, args):
    src = book(tmp_path, rows=3000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "eo_advisor", *[a.format(book=src) for a in args]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CHILD_ENV
    )
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.wait(30)
    assert proc.returncode == 141
    assert err == b""


@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"], ["profile", "--help"]])
def test_help_into_a_closed_pipe_ends_quietly_with_141(args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write meets EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "eo_advisor", *args], stdout=write_end, stderr=subprocess.PIPE, env=CHILD_ENV, timeout=30)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (141, b"")


def test_an_error_with_stdout_on_dev_null_keeps_its_exit_code():
    with open(os.devnull, "w") as null:
        proc = subprocess.run(
            [sys.executable, "-m", "eo_advisor", "assess", "--profile", "no-such.toml", "--no-input"],
            stdout=null,
            stderr=subprocess.PIPE,
            env=CHILD_ENV,
            timeout=30,
        )
    assert proc.returncode == 1 and b"no-such.toml" in proc.stderr


# --- quiet, completion, examples, help ----------------------------------------------
def test_quiet_drops_information_but_never_errors(tmp_path):
    out = tmp_path / "o.json"
    loud = run(["assess", "-p", WEB, "-f", "json", "-o", str(out)])
    assert "result written to" in loud.output
    quiet = run(["assess", "-p", WEB, "-f", "json", "-o", str(out), "--force", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    assert run(["batch", WEB, "-o", str(tmp_path / "b.csv"), "--quiet"]).output == ""
    assert run(["profile", "validate", WEB, "-q"]).output == ""
    r = run(["profile", "validate", WEB, str(tmp_path / "missing.toml"), "-q"])
    assert r.exit_code == 1 and r.output.startswith("error:") and "ok:" not in r.output
    assert run(["assess", "-p", WEB, "-f", "json", "-o", str(out), "--force"], env=Env(quiet=True)).output == ""


def test_quiet_from_the_environment(monkeypatch):
    monkeypatch.setenv("EO_ADVISOR_QUIET", "1")
    assert Env.from_system().quiet
    monkeypatch.setenv("EO_ADVISOR_QUIET", "0")
    assert not Env.from_system().quiet


def test_completion_prints_the_named_shells_script():
    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        r = run(["completion", shell])
        assert r.exit_code == 0
        scripts[shell] = r.output
    assert "complete -o" in scripts["bash"] or "complete -F" in scripts["bash"] or "COMPREPLY" in scripts["bash"]
    assert scripts["zsh"].startswith("#compdef eo-advisor")
    assert "complete --command eo-advisor" in scripts["fish"]
    assert run(["completion", "tcsh"]).exit_code == 2


def test_example_profiles_are_listed_and_printed(tmp_path):
    listing = run(["profile", "examples"])
    assert listing.exit_code == 0
    names = [line.split()[0] for line in listing.output.splitlines()]
    assert "freelance-web-developer" in names and all(len(line.split()) > 3 for line in listing.output.splitlines())
    text = run(["profile", "examples", "freelance-web-developer"]).output
    assert text == open(WEB).read()
    r = run(["assess", "--profile", "-", "-f", "json"], input=text)
    assert r.exit_code == 0 and '"business_name"' in r.output
    out = tmp_path / "msp.toml"
    assert run(["profile", "examples", "msp-serving-banks", "-o", str(out)]).exit_code == 0
    assert out.read_text() == (ROOT / "profiles" / "msp-serving-banks.toml").read_text()
    bad = run(["profile", "examples", "nope"])
    assert bad.exit_code == 2 and "freelance-web-developer" in bad.output


def test_profiles_dir_is_the_packaged_examples():
    assert (ROOT / "profiles").is_symlink()
    assert (ROOT / "profiles").resolve() == (ROOT / "eo_advisor" / "examples").resolve()
    assert "examples/*.toml" in (ROOT / "pyproject.toml").read_text()


def _all_commands(group, prefix="eo-advisor"):
    for name, cmd in getattr(group, "commands", {}).items():
        if hasattr(cmd, "commands"):
            yield from _all_commands(cmd, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", cmd


@pytest.mark.parametrize("path,cmd", list(_all_commands(typer.main.get_command(app))), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_help_has_an_example(path, cmd):
    assert cmd.epilog and "Examples:" in cmd.epilog and path in cmd.epilog, path


def test_no_message_points_at_repository_paths():
    for name in ("cli/app.py", "cli/interview.py", "edge/files.py", "errors.py"):
        text = (ROOT / "eo_advisor" / name).read_text()
        code = [line for line in text.splitlines() if '"' in line and not line.strip().startswith("#")]
        for line in code:
            assert "docs/methodology.md" not in line and "profiles/" not in line, (name, line)
