"""``batch``: a whole book of clients, with a progress bar on a terminal."""

from __future__ import annotations

import os
from typing import Any, Callable, List, Optional

import typer

from eo_advisor.cli.common import (
    BatchFormat,
    BatchInputFormat,
    as_of_option,
    command,
    force_option,
    get_env,
    output_option,
    quiet_option,
    refuse_same,
    set_quiet,
)
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import ExitCode, InputError


def refuse_reading_output(env: Env, output: str, inputs: List[str]) -> None:
    """A usage error when the output is a file an input reads: the same device and
    inode, through a directory input, or stdin redirected from it
    (``batch book.csv >> book.csv``, ``batch - < book.csv -o book.csv --force``):
    the run would read its own output for ever, or destroy its input."""
    from eo_advisor.edge.files import input_files, output_file

    target = output_file(output, env.stdout)
    if target is None:
        return
    source = input_files(inputs, env.stdin).get(target)
    if source is not None:
        where = "stdout is redirected to" if output == "-" else f"{output!r} is"
        raise typer.BadParameter(f"{where} the input {source!r}; the output must be another file", param_hint="--output")


def batch_format_option() -> Any:
    return typer.Option(
        BatchFormat.csv,
        "--format",
        "-f",
        help="Output format: one record per input, in input order; jsonl-compact: a header record with the sources table, then each result citing sources by id.",
        envvar="EO_ADVISOR_BATCH_FORMAT",
        case_sensitive=False,
    )


def jobs_option() -> Any:
    return typer.Option(
        1,
        "--jobs",
        "-j",
        min=0,
        help="Worker processes (0 = one per core); the output is the same for any number.",
        envvar="EO_ADVISOR_JOBS",
        metavar="N",
    )


EPILOG = (
    "Examples:\n\n"
    "  eo-advisor batch book.csv --output advice.csv\n\n"
    "  eo-advisor batch clients/ more.jsonl --format jsonl > advice.jsonl\n\n"
    "  cat book.csv | eo-advisor batch - --input-format csv --quiet"
)


@command
def batch(
    ctx: typer.Context,
    inputs: List[str] = typer.Argument(
        ..., help="CSV files (a client a row), JSONL files (a profile a line), TOML profiles or directories of them; '-' = stdin.", metavar="INPUT..."
    ),
    output: str = output_option(),
    format: BatchFormat = batch_format_option(),
    input_format: Optional[BatchInputFormat] = typer.Option(
        None, "--input-format", "-i", help="Format of the inputs (default: from each file's extension; required for '-').", case_sensitive=False
    ),
    force: bool = force_option(),
    quiet: bool = quiet_option("No progress bar and no summary line (errors still print). Environment: EO_ADVISOR_QUIET=1."),
    jobs: int = jobs_option(),
    as_of: Optional[Any] = as_of_option(
        "The review date of the whole book, YYYY-MM-DD (default: today), the same in every worker; named in the summary line and the jsonl-compact header."
    ),
) -> None:
    """Assess a whole book of clients; bad rows are reported, never fatal to the rest.

    Exit 0 when every row is ok, 3 when some rows had errors (the output is still
    complete), 1 when nothing could be read, 2 on usage errors.
    """
    import datetime

    from eo_advisor.batch import run as batch_mod
    from eo_advisor.edge.files import atomic_write

    env = get_env(ctx)
    set_quiet(env, quiet)
    check_batch_usage(env, inputs, input_format, output, force)
    as_of = as_of or datetime.date.today()  # one date for the whole book, every worker
    meter = batch_mod.ByteMeter() if env.stderr_isatty and not env.quiet else None  # only a terminal shows progress
    records = announced(env, batch_mod.read_inputs(inputs, input_format.value if input_format else None, stdin=env.stdin, meter=meter))
    holder: dict[str, Any] = {}

    def write(fh: Any) -> None:
        with progress(env, meter, meter.total(inputs) if meter else None) as on_row:
            holder["summary"] = s = batch_mod.run(records, fh, format.value, on_row=on_row, jobs=jobs, as_of=as_of)
        if s.read and s.unreadable_inputs == s.read:  # a failed run: an existing output stays as it was
            kept = "" if output == "-" else f"; {output} was left as it was" if os.path.lexists(output) else f"; {output} was not written"
            raise InputError(f"batch: no record could be read{kept}")

    atomic_write(output, write, force=force, stdout=env.stdout, written=env.written)
    s = holder["summary"]
    env.info(summary_line(s, output))
    if s.errors:
        raise typer.Exit(int(ExitCode.BATCH_ROW_ERRORS))


def check_batch_usage(env: Env, inputs: List[str], input_format: Any, output: str, force: bool) -> None:
    """Usage errors before anything is read: stdin twice or without a format, the
    output one of the inputs; then whether the output can be written at all."""
    from eo_advisor.edge.files import check_writable

    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin ('-') can be read only once", param_hint="INPUT")
    if "-" in inputs and input_format is None:
        raise typer.BadParameter("reading '-' needs --input-format csv|jsonl|toml", param_hint="--input-format")
    refuse_same(output, {f"INPUT {i}": path for i, path in enumerate(inputs, 1)}, inputs=True)
    refuse_reading_output(env, output, inputs)
    check_writable(output, force=force)


def announced(env: Env, records: Any) -> Any:
    """The records, with each whole input that cannot be read said on stderr too."""
    for record in records:
        if record.unreadable:
            env.message(f"error: {record.error}")
        yield record


def summary_line(s: Any, output: str) -> str:
    """``batch: 200 records read, 198 ok, 2 errors in 0.41 s (488 rows/s), as of
    2026-12-05; written to advice.csv``: inputs that could not be read are counted
    apart from records, and the review date of the whole book is named."""
    from eo_advisor.formats.render import count

    return (
        f"batch: {count(s.read - s.unreadable_inputs, 'record')} read, {s.ok:,} ok, {count(s.errors - s.unreadable_inputs, 'error')}"
        + (f", {count(s.unreadable_inputs, 'input')} unreadable" if s.unreadable_inputs else "")
        + f" in {s.seconds:.2f} s"
        + (f" ({s.rate:,.0f} rows/s)" if s.read else "")
        + (f", as of {s.as_of.isoformat()}" if s.as_of else "")
        + (f"; written to {output}" if output != "-" else "")
    )


class progress:
    """A rich progress bar on stderr, only when stderr is a terminal: bytes of input
    read against their total (so it can show an ETA) when the inputs are files, a
    spinner when they are not; rows and rows/s either way."""

    def __init__(self, env: Env, meter: Any = None, total: int | None = None) -> None:
        self.env, self.meter, self.total = env, meter, total
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.env.stderr_isatty or self.env.quiet:
            return None
        import time

        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        console = Console(file=self.env.stderr, no_color=not self.env.stderr_color)
        known = bool(self.total) and self.meter is not None
        columns: list[Any] = [SpinnerColumn()]
        if known:
            columns += [BarColumn(), TaskProgressColumn(), TimeRemainingColumn()]
        columns += [TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
        self.bar = Progress(*columns, console=console, transient=True)
        self.bar.start()
        task = self.bar.add_task("batch", total=self.total if known else None, rows=0, rate="")
        start = time.perf_counter()

        def on_row(n: int) -> None:
            if n % 500 == 0:
                elapsed = time.perf_counter() - start
                done = self.meter.done if known else n
                self.bar.update(task, completed=done, rows=n, rate=f"{n / elapsed:,.0f} rows/s" if elapsed else "")

        return on_row

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
