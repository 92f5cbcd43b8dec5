"""The command line: thin Typer commands over :mod:`eo_advisor.api`.

Data goes to stdout, everything meant for a person to stderr. Errors are caught
once (:func:`command`) and mapped to the exit codes documented in docs/cli.md.
Heavy modules (rich, questionary) are imported inside the paths that use them.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from typing import Any, Callable, List, Optional, TypeVar

import typer

from . import __version__
from .errors import EOAdvisorError, ExitCode, NotInteractiveError, ProfileError
from .formats import formats
from .termenv import Env

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="eo-advisor",
    help="How much Technology E&O (professional liability) insurance an IT freelancer or small tech firm needs, and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
profile_app = typer.Typer(
    help="Profile files: print a commented template, validate files.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(profile_app, name="profile")


def _format_enum(command: str) -> Any:
    """--format choices of a command, from the formatter registry (formats.REGISTRY)."""
    return Enum(f"{command.title()}Format", {name: name for name in formats(command)}, type=str)  # type: ignore[misc]


AssessFormat = _format_enum("assess")
OptionsFormat = _format_enum("options")
CompareFormat = _format_enum("compare")
RulesFormat = _format_enum("rules")
FORMAT_ENV = "EO_ADVISOR_FORMAT"


def pick_format(command: str, given: Any) -> str:
    """--format if given, else EO_ADVISOR_FORMAT when this command has that format, else text."""
    if given is not None:
        return str(given.value)
    wanted = os.environ.get(FORMAT_ENV, "").strip().lower()
    return wanted if wanted in formats(command) else "text"


def format_help(command: str) -> str:
    return f"Output format: {', '.join(formats(command))} (default text; environment: {FORMAT_ENV}, used when this command has that format)."


class TemplateFormat(str, Enum):
    toml = "toml"
    csv = "csv"
    jsonl = "jsonl"


class BatchFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"


class BatchInputFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    toml = "toml"


def get_env(ctx: typer.Context) -> Env:
    """The Env given by a test (``obj=``), else the real terminal's."""
    root = ctx.find_root()
    if not isinstance(root.obj, Env):
        root.obj = Env.from_system()
    return root.obj


def command(fn: F) -> F:
    """Map every way a command can fail to one message on stderr and one exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx") or typer.get_current_context()
        env = get_env(ctx)
        try:
            return fn(*args, **kwargs)
        except EOAdvisorError as exc:
            env.message(f"error: {exc.message}")
            raise typer.Exit(int(exc.exit_code)) from None
        except (KeyboardInterrupt, typer.Abort):
            env.message("\ninterrupted: nothing was written")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except EOFError:
            env.message("\nerror: input ended while a question was open; use --profile FILE and --no-input to run without prompts")
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except (typer.Exit, typer.BadParameter, click_exceptions()):
            raise
        except Exception as exc:  # a bug: say so plainly, traceback only on request
            if os.environ.get("EO_ADVISOR_DEBUG"):
                raise
            env.message(f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in eo-advisor; run again with EO_ADVISOR_DEBUG=1 to see the traceback.")
            raise typer.Exit(int(ExitCode.ERROR)) from None

    return wrapper  # type: ignore[return-value]


def click_exceptions() -> type[BaseException]:
    """The base class of typer/click's own usage errors (they map to exit 2)."""
    try:
        from typer._click.exceptions import ClickException  # typer >= 0.26 vendors click
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException
    return ClickException


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eo-advisor {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Optional[bool] = typer.Option(None, "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True),
) -> None:
    """How much Technology E&O insurance an IT freelancer or small tech firm needs, and why.

    Start with `eo-advisor assess` (it asks the questions), or give it a profile:
    `eo-advisor assess --profile profiles/freelance-web-developer.toml`.
    """


# ---------------------------------------------------------------------------
# assess
# ---------------------------------------------------------------------------
@app.command()
@command
def assess(
    ctx: typer.Context,
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="TOML profile to read ('-' for stdin). Without it, the questions are asked in a terminal.", metavar="FILE"),
    format: Optional[AssessFormat] = typer.Option(None, "--format", "-f", help=format_help("assess"), case_sensitive=False, show_default=False),
    output: str = typer.Option("-", "--output", "-o", help="Write the result to FILE ('-' = stdout). Never overwrites without --force.", metavar="FILE"),
    export: Optional[str] = typer.Option(None, "--export", help="Also save the completed answers as a TOML profile to FILE (atomic; needs --force to overwrite).", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow --output/--export to overwrite an existing file."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; fail naming every missing field.", envvar="EO_ADVISOR_NO_INPUT"),
    set_: Optional[List[str]] = typer.Option(None, "--set", "-s", help="Override one answer, KEY=VALUE (repeatable), e.g. --set work.largest_contract=2.5M", metavar="KEY=VALUE"),
    explain: bool = typer.Option(False, "--explain", help="Add the rules that fired, their inputs and sources (an 'explain' key in json/toml)."),
) -> None:
    """Recommend a Tech E&O limit, deductible, defense-costs form, gaps and a premium range."""
    from .api import assess as run_assessment
    from .files import check_writable, write_text
    from .formats import Report, get_formatter
    from .render import default_renderer

    env = get_env(ctx)
    if export == "-" and output == "-":
        raise typer.BadParameter("--export - and result on stdout would mix; give --output FILE or --export FILE", param_hint="--export")
    for path in (output, export):
        if path is not None:
            check_writable(path, force=force)
    validated, interviewed = gather_profile(env, profile, set_, no_input)
    result = run_assessment(validated, explain=explain)
    color = env.stdout_color and output == "-"
    fmt = pick_format("assess", format)
    formatter = get_formatter("assess", fmt)
    opts = None
    if formatter.wants_options:
        from .options import options

        opts = options(validated, result)
    import datetime

    report = Report(result, default_renderer(), validated, opts, datetime.date.today())
    text = formatter.format(report, color=color)
    if export:
        from .template import profile_toml

        write_text(export, profile_toml(validated), force=force, stdout=env.stdout)
        env.message(f"profile saved to {export}")
    write_text(output, text, force=force, stdout=env.stdout)
    if output != "-":
        env.message(f"result written to {output}")
    elif interviewed and fmt == "text":
        from .prompts import Asker

        if Asker(env).confirm("Compare the options side by side (limits x deductibles)?", default=True):
            from .options import options

            env.stdout.write("\n" + get_formatter("options", "text").format(options(validated, result), color=color))


def gather_profile(env: Env, profile: Optional[str], set_: Optional[List[str]], no_input: bool) -> tuple[Any, bool]:
    """The validated profile from a file/stdin, --set and (in a terminal) prompts.

    Returns (profile, whether the full interview ran). Prompts only when allowed;
    otherwise fails naming every missing field and what to do instead."""
    from .api import read_profile_data
    from .profile import apply_overrides, flatten, missing_fields, unflatten, validate

    interactive = env.can_prompt and not no_input and profile != "-"
    if profile is None and not set_ and not interactive:
        raise NotInteractiveError(
            "no profile given and no terminal to ask questions in (stdin is not a terminal or --no-input is set); "
            "use --profile FILE (or --profile - to read stdin), or --set KEY=VALUE for every field"
        )
    data: dict[str, Any] = read_profile_data(profile, stdin=env.stdin) if profile else {"schema_version": 1}
    if set_:
        data = apply_overrides(data, set_)
    source = profile and ("<stdin>" if profile == "-" else profile)
    full_interview = profile is None and not set_
    try:
        validated = validate(data, source=source)
    except ProfileError as exc:
        missing = [p.field for p in exc.problems if p.message.startswith("missing")]
        if len(missing) < len(exc.problems) or not interactive:
            hint = "Add the missing fields to the profile or pass --set KEY=VALUE" + (
                "" if no_input or not missing else "; or run in a terminal to be asked"
            )
            raise ProfileError(exc.problems, source, hint=hint if missing else "") from None
        validated = None
    if validated is None or full_interview:
        from .prompts import ask_contracts, ask_missing

        flat = ask_missing(flatten(data), missing_fields(flatten(data)), env, full=full_interview)
        nested = unflatten(flat)
        if full_interview:
            contracts = ask_contracts(env)
            if contracts:
                nested["contracts"] = contracts
        validated = validate(nested, source=source)
    return validated, full_interview


@app.command("options")
@command
def options_cmd(
    ctx: typer.Context,
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="TOML profile to read ('-' for stdin); without it, the questions are asked in a terminal.", metavar="FILE"),
    format: Optional[OptionsFormat] = typer.Option(None, "--format", "-f", help=format_help("options"), case_sensitive=False, show_default=False),
    output: str = typer.Option("-", "--output", "-o", help="Write to FILE ('-' = stdout); never overwrites without --force.", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow --output to overwrite an existing file."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; fail naming every missing field.", envvar="EO_ADVISOR_NO_INPUT"),
    set_: Optional[List[str]] = typer.Option(None, "--set", "-s", help="Override one answer, KEY=VALUE (repeatable).", metavar="KEY=VALUE"),
) -> None:
    """Compare limits x deductibles side by side: premium ranges, eroding and non-eroding."""
    from .files import check_writable, write_text
    from .formats import get_formatter
    from .options import options

    env = get_env(ctx)
    check_writable(output, force=force)
    validated, _ = gather_profile(env, profile, set_, no_input)
    opts = options(validated)
    text = get_formatter("options", pick_format("options", format)).format(opts, color=env.stdout_color and output == "-")
    write_text(output, text, force=force, stdout=env.stdout)


@app.command("compare")
@command
def compare_cmd(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="Profile A (e.g. last year's), TOML; '-' for stdin.", metavar="A.toml"),
    second: str = typer.Argument(..., help="Profile B (e.g. this year's, or a what-if), TOML.", metavar="B.toml"),
    format: Optional[CompareFormat] = typer.Option(None, "--format", "-f", help=format_help("compare"), case_sensitive=False, show_default=False),
    output: str = typer.Option("-", "--output", "-o", help="Write to FILE ('-' = stdout); never overwrites without --force.", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow --output to overwrite an existing file."),
) -> None:
    """Show what differs between two profiles' advice, and which answers caused it."""
    import datetime

    from .api import load_profile
    from .compare import compare
    from .files import check_writable, write_text
    from .formats import get_formatter

    env = get_env(ctx)
    if first == "-" and second == "-":
        raise typer.BadParameter("only one of A and B can be '-'", param_hint="A.toml")
    check_writable(output, force=force)
    result = compare(load_profile(first), load_profile(second), as_of=datetime.date.today())
    text = get_formatter("compare", pick_format("compare", format)).format((result, first, second))
    write_text(output, text, force=force, stdout=env.stdout)


# ---------------------------------------------------------------------------
# profile template / validate
# ---------------------------------------------------------------------------
@profile_app.command("template")
@command
def profile_template(
    ctx: typer.Context,
    format: TemplateFormat = typer.Option(TemplateFormat.toml, "--format", "-f", help="Template format.", case_sensitive=False),
    output: str = typer.Option("-", "--output", "-o", help="Write to FILE instead of stdout.", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow overwriting FILE."),
) -> None:
    """Print an example profile: commented TOML, or a CSV/JSONL book `batch` reads as it stands."""
    from .files import write_text

    env = get_env(ctx)
    if format is TemplateFormat.toml:
        from .template import template_toml

        text = template_toml()
    else:
        from .batch import csv_template, jsonl_template

        text = csv_template() if format is TemplateFormat.csv else jsonl_template()
    write_text(output, text, force=force, stdout=env.stdout)


@profile_app.command("validate")
@command
def profile_validate(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., help="Profile files to check ('-' for stdin).", metavar="FILE..."),
) -> None:
    """Check profiles and report every problem in each; exit 1 if any is invalid."""
    from .api import read_profile_data
    from .profile import validate

    env = get_env(ctx)
    bad = 0
    for path in files:
        name = "<stdin>" if path == "-" else path
        try:
            validate(read_profile_data(path, stdin=env.stdin), source=name)
        except EOAdvisorError as exc:
            bad += 1
            env.message(f"error: {exc.message}")
        else:
            env.message(f"ok: {name}")
    if bad:
        env.message(f"{bad} of {len(files)} profile(s) invalid")
        raise typer.Exit(int(ExitCode.ERROR))


@app.command()
@command
def batch(
    ctx: typer.Context,
    inputs: List[str] = typer.Argument(..., help="CSV files (a client a row), JSONL files (a profile a line), TOML profiles or directories of them; '-' = stdin.", metavar="INPUT..."),
    output: str = typer.Option("-", "--output", "-o", help="Write to FILE ('-' = stdout); atomic, never overwrites without --force.", metavar="FILE"),
    format: BatchFormat = typer.Option(BatchFormat.csv, "--format", "-f", help="Output format: one record per input, in input order.", envvar="EO_ADVISOR_BATCH_FORMAT", case_sensitive=False),
    input_format: Optional[BatchInputFormat] = typer.Option(None, "--input-format", "-i", help="Format of the inputs (default: from each file's extension; required for '-').", case_sensitive=False),
    force: bool = typer.Option(False, "--force", help="Allow --output to overwrite an existing file."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0, help="Worker processes (0 = one per core); the output is the same for any number.", envvar="EO_ADVISOR_JOBS", metavar="N"),
) -> None:
    """Assess a whole book of clients; bad rows are reported, never fatal to the rest.

    Exit 0 when every row is ok, 3 when some rows had errors (the output is still
    complete), 1 when nothing could be read, 2 on usage errors.
    """
    from . import batch as batch_mod
    from .files import atomic_write, check_writable

    env = get_env(ctx)
    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin ('-') can be read only once", param_hint="INPUT")
    if "-" in inputs and input_format is None:
        raise typer.BadParameter("reading '-' needs --input-format csv|jsonl|toml", param_hint="--input-format")
    check_writable(output, force=force)

    def announced(records: Any) -> Any:
        for record in records:  # a whole input that cannot be read is said on stderr too
            if record.unreadable:
                env.message(f"error: {record.error}")
            yield record

    meter = batch_mod.ByteMeter() if env.stderr_isatty else None  # only a terminal shows progress
    records = announced(batch_mod.read_inputs(inputs, input_format.value if input_format else None, stdin=env.stdin, meter=meter))
    holder: dict[str, Any] = {}

    def write(fh: Any) -> None:
        with progress(env, meter, meter.total(inputs) if meter else None) as on_row:
            holder["summary"] = batch_mod.run(records, fh, format.value, on_row=on_row, jobs=jobs)

    atomic_write(output, write, force=force, stdout=env.stdout)
    s = holder["summary"]
    env.message(
        f"batch: {s.read:,} record(s) read, {s.ok:,} ok, {s.errors:,} error(s) in {s.seconds:.2f} s"
        + (f" ({s.rate:,.0f} rows/s)" if s.read else "")
        + (f"; written to {output}" if output != "-" else "")
    )
    if s.read and s.unreadable_inputs == s.read:
        raise typer.Exit(int(ExitCode.ERROR))
    if s.errors:
        raise typer.Exit(int(ExitCode.BATCH_ROW_ERRORS))


class progress:
    """A rich progress bar on stderr, only when stderr is a terminal: bytes of input
    read against their total (so it can show an ETA) when the inputs are files, a
    spinner when they are not; rows and rows/s either way."""

    def __init__(self, env: Env, meter: Any = None, total: int | None = None) -> None:
        self.env, self.meter, self.total = env, meter, total
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.env.stderr_isatty:
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


@app.command("rules")
@command
def rules_cmd(
    ctx: typer.Context,
    format: Optional[RulesFormat] = typer.Option(None, "--format", "-f", help=format_help("rules"), case_sensitive=False, show_default=False),
) -> None:
    """Show every number the advice uses: value, unit, description and source."""
    from .formats import get_formatter

    env = get_env(ctx)
    env.stdout.write(get_formatter("rules", pick_format("rules", format)).format(None))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="eo-advisor")
    except KeyboardInterrupt:  # outside a command (e.g. during start-up)
        print("\ninterrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))


__all__ = ["app", "main"]
