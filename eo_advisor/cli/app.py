"""The command line: thin Typer commands over :mod:`eo_advisor.api`.

Data goes to stdout, everything meant for a person to stderr. Errors are caught
once (:func:`command`) and mapped to the exit codes documented in docs/cli.md:
user errors (:class:`EOAdvisorError`, OS errors among them) exit 1 with one line,
usage errors 2, a closed stdout pipe 141 quietly, SIGHUP/SIGINT/SIGTERM 128+signal
after the same clean-up. Heavy modules (rich, questionary) are imported inside the
paths that use them.
"""

from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Optional, TypeVar

import typer

from eo_advisor import __version__
from eo_advisor.cli.contract import build as contract_commands
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import EOAdvisorError, ExitCode, InputError, NotInteractiveError, ProfileError
from eo_advisor.formats import formats

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="eo-advisor",
    help="How much Technology E&O (professional liability) insurance an IT freelancer or small tech firm needs, and why.",
    epilog="Examples:\n\n"
    "  eo-advisor assess                     (asks the questions)\n\n"
    "  eo-advisor profile examples saas-startup | eo-advisor assess -p -\n\n"
    "  eo-advisor batch book.csv --output advice.csv\n\n"
    "Every command has --help, with examples.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
profile_app = typer.Typer(
    help="Profile files: print a commented template or a shipped example, validate files.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(profile_app, name="profile")


def _format_enum(command: str) -> Any:
    """--format choices of a command, from the formatter registry (formats.REGISTRY)."""
    return Enum(f"{command.title()}Format", {name: name for name in formats(command)}, type=str)


if TYPE_CHECKING:  # for type checkers: an Enum; at run time built from the registry
    AssessFormat = Enum
    OptionsFormat = Enum
    CompareFormat = Enum
    RulesFormat = Enum
else:
    AssessFormat = _format_enum("assess")
    OptionsFormat = _format_enum("options")
    CompareFormat = _format_enum("compare")
    RulesFormat = _format_enum("rules")
FORMAT_ENV = "EO_ADVISOR_FORMAT"


def pick_format(env: Env, command: str, given: Any) -> str:
    """--format if given, else EO_ADVISOR_FORMAT when this command has that format, else text."""
    if given is not None:
        return str(given.value)
    wanted = env.format_name
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


class Signalled(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program stands, like Ctrl-C, so the same
    clean-up runs (a file being written keeps its old content, no temp file stays)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP raise :class:`Signalled`. A second
    one of the same kind is not caught: it ends the process at once. A signal the
    caller ignores (``nohup``) stays ignored. ``signal`` is imported by typer
    already, so this costs nothing at start-up."""
    import signal

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signum, signal.SIG_DFL)
        raise Signalled(signum)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            if signal.getsignal(sig) is signal.SIG_IGN:
                continue
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread (a test runner's worker)
            pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            try:
                signal.signal(sig, old)
            except (ValueError, OSError, TypeError):
                pass


def _interrupt_exit(env: Env, exc: BaseException) -> typer.Exit:
    signum = getattr(exc, "signum", None)
    if signum is None:
        env.message("\n" + env.interrupted_message("interrupted"))
        return typer.Exit(int(ExitCode.INTERRUPTED))
    import signal

    env.message("\n" + env.interrupted_message(f"interrupted by {signal.Signals(signum).name}"))
    return typer.Exit(128 + signum)


def _settle_stdout(env: Env) -> None:
    """After a failure: push out what is buffered for stdout, or, if stdout itself
    is what failed (a full disk, a closed pipe), let go of it quietly so the flush
    at exit does not fail a second time."""
    from eo_advisor.edge.files import silence_stdout

    try:
        env.stdout.flush()
    except (OSError, ValueError):
        silence_stdout(env.stdout)


def command(fn: F) -> F:
    """Map every way a command can fail to one message on stderr and one exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx") or typer.get_current_context()  # type: ignore[attr-defined]
        env = get_env(ctx)
        with signals_as_interrupts():
            try:
                try:
                    result = fn(*args, **kwargs)
                except typer.Exit:
                    _flush_stdout(env)
                    raise
                _flush_stdout(env)
                return result
            except EOAdvisorError as exc:
                env.message(f"error: {exc.message}")
                _settle_stdout(env)
                raise typer.Exit(int(exc.exit_code)) from None
            except (KeyboardInterrupt, typer.Abort) as exc:
                raise _interrupt_exit(env, exc) from None
            except EOFError:
                env.message("\nerror: input ended while a question was open; use --profile FILE and --no-input to run without prompts")
                raise typer.Exit(int(ExitCode.ERROR)) from None
            except BrokenPipeError:  # the reader went away (`| head`): nothing to say
                from eo_advisor.edge.files import silence_stdout

                silence_stdout(env.stdout)
                raise typer.Exit(int(ExitCode.BROKEN_PIPE)) from None
            except (typer.Exit, typer.BadParameter, click_exceptions()):
                raise
            except OSError as exc:  # the OS said no somewhere not mapped closer: still not a bug
                from eo_advisor.errors import os_reason

                where = f"{exc.filename}: " if exc.filename else ""
                env.message(f"error: {where}{os_reason(exc)}")
                _settle_stdout(env)
                raise typer.Exit(int(ExitCode.ERROR)) from None
            except Exception as exc:  # a bug: say so plainly, traceback only on request
                if env.debug:
                    raise
                env.message(
                    f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in eo-advisor; run again with EO_ADVISOR_DEBUG=1 to see the traceback."
                )
                raise typer.Exit(int(ExitCode.ERROR)) from None

    return wrapper  # type: ignore[return-value]


def _flush_stdout(env: Env) -> None:
    """Surface a failing stdout here (one clear line), not in Python's flush at exit."""
    from eo_advisor.edge.files import STDOUT_NAME, output_errors

    with output_errors(STDOUT_NAME):
        env.stdout.flush()


def emit(env: Env, path: str, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` (``-`` = stdout) by the rules of :mod:`files`,
    recording it so an interrupt can tell what was written."""
    from eo_advisor.edge.files import write_text

    write_text(path, text, force=force, stdout=env.stdout, written=env.written)


def read_profile_input(env: Env, path: str, *, allow_empty: bool = False) -> dict[str, Any]:
    """Raw data of a TOML profile (``-`` = stdin); an empty one is one clear error,
    not a list of every missing field."""
    from eo_advisor.api import read_profile_data

    data = read_profile_data(path, stdin=env.stdin)
    if not data and not allow_empty:
        name = "<stdin>" if path == "-" else path
        raise InputError(f"{name} is empty; expected a TOML profile (`eo-advisor profile template` prints one)")
    return data


def refuse_same(output: str, others: dict[str, Optional[str]], *, inputs: bool = False) -> None:
    """A usage error (exit 2, before anything is read or written) when --output is
    the same file as another output or an input."""
    from eo_advisor.edge.files import same_destination

    for hint, other in others.items():
        if other is not None and output is not None and same_destination(output, other, other_is_input=inputs):
            what = "an input" if inputs else hint
            raise typer.BadParameter(f"{output!r} is the same file as {what} ({other!r}); give a different file", param_hint="--output")


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


QUIET_HELP = "No informational messages on stderr (errors still print). Environment: EO_ADVISOR_QUIET=1."


# Options several commands share, declared once (each call is a fresh OptionInfo).
def profile_option() -> Any:
    return typer.Option(
        None, "--profile", "-p", help="TOML profile to read ('-' for stdin). Without it, the questions are asked in a terminal.", metavar="FILE"
    )


def format_option(command: str) -> Any:
    """``--format`` with the choices the formatter registry has for ``command``."""
    return typer.Option(None, "--format", "-f", help=format_help(command), case_sensitive=False, show_default=False)


def output_option(help: str = "Write to FILE ('-' = stdout); atomic, never overwrites without --force.") -> Any:
    return typer.Option("-", "--output", "-o", help=help, metavar="FILE")


def force_option(help: str = "Allow --output to overwrite an existing file.") -> Any:
    return typer.Option(False, "--force", help=help)


def no_input_option() -> Any:
    return typer.Option(False, "--no-input", help="Never prompt; fail naming every missing field.", envvar="EO_ADVISOR_NO_INPUT")


def as_of_option() -> Any:
    return typer.Option(
        None,
        "--as-of",
        help="The date the review counts from, YYYY-MM-DD (default: today); shown in the report.",
        metavar="DATE",
        envvar="EO_ADVISOR_AS_OF",
        parser=_parse_as_of,
    )


def _parse_as_of(text: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2026-12-31") from None


def contract_option() -> Any:
    return typer.Option(
        None,
        "--contract",
        help="A client contract (text, markdown, .docx or .pdf) whose insurance clause adds a [[contracts]] entry (repeatable; see `eo-advisor contract read`).",
        metavar="FILE",
    )


def set_option() -> Any:
    return typer.Option(
        None, "--set", "-s", help="Override one answer, KEY=VALUE (repeatable), e.g. --set work.largest_contract=2.5M", metavar="KEY=VALUE"
    )


def quiet_option(help: str = QUIET_HELP) -> Any:
    return typer.Option(False, "--quiet", "-q", help=help)


def set_quiet(env: Env, quiet: bool) -> None:
    env.quiet = env.quiet or quiet


def click_exceptions() -> type[BaseException]:
    """The base class of typer/click's own usage errors (they map to exit 2)."""
    try:
        from typer._click.exceptions import ClickException  # typer >= 0.26 vendors click
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException  # type: ignore[import-not-found,no-redef,assignment,unused-ignore]
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

    Start with `eo-advisor assess` (it asks the questions), or give it a shipped
    example profile: `eo-advisor profile examples freelance-web-developer | eo-advisor assess --profile -`.
    """


# ---------------------------------------------------------------------------
# assess
# ---------------------------------------------------------------------------
@app.command(
    epilog="Examples:\n\n"
    "  eo-advisor assess\n\n"
    "  eo-advisor assess --profile client.toml --format json --output client.json\n\n"
    "  eo-advisor profile examples saas-startup | eo-advisor assess -p - --set work.contractual_minimum=2M"
)
@command
def assess(
    ctx: typer.Context,
    profile: Optional[str] = profile_option(),
    format: Optional[AssessFormat] = format_option("assess"),
    output: str = output_option(),
    export: Optional[str] = typer.Option(
        None, "--export", help="Also save the completed answers as a TOML profile to FILE (atomic; needs --force to overwrite).", metavar="FILE"
    ),
    force: bool = force_option("Allow --output/--export to overwrite an existing file."),
    no_input: bool = no_input_option(),
    set_: Optional[List[str]] = set_option(),
    explain: bool = typer.Option(False, "--explain", help="Add the rules that fired, their inputs and sources (an 'explain' key in json/toml)."),
    quiet: bool = quiet_option(),
    as_of: Optional[Any] = as_of_option(),
    contract: Optional[List[str]] = contract_option(),
) -> None:
    """Recommend a Tech E&O limit, deductible, defense-costs form, gaps and a premium range."""
    from eo_advisor.api import assess as run_assessment
    from eo_advisor.edge.files import check_writable, same_destination
    from eo_advisor.formats import OptionsReport, Report, get_formatter
    from eo_advisor.formats.render import default_renderer

    env = get_env(ctx)
    set_quiet(env, quiet)
    if export is not None and same_destination(output, export):
        if output == "-" or export == "-":
            raise typer.BadParameter("--export - and result on stdout would mix; give --output FILE or --export FILE", param_hint="--export")
        raise typer.BadParameter(f"--output and --export are the same file ({output!r}); give two different files", param_hint="--export")
    for path in (output, export):
        if path is not None and profile is not None and same_destination(path, profile, other_is_input=True):
            raise typer.BadParameter(
                f"{path!r} is the profile being read; give a different file to write", param_hint="--output" if path == output else "--export"
            )
    for path in (output, export):
        if path is not None:
            check_writable(path, force=force)
    fmt = pick_format(env, "assess", format)
    if explain and fmt == "csv":
        raise typer.BadParameter(
            "csv has no room for the trace; use --explain with --format text, json, toml, markdown or html", param_hint="--explain"
        )
    validated, interviewed = gather_profile(env, profile, set_, no_input, contract)
    import datetime

    today = as_of or datetime.date.today()
    result = run_assessment(validated, explain=explain, as_of=today)
    color = env.stdout_color and output == "-"
    formatter = get_formatter("assess", fmt)
    opts = None
    if formatter.wants_options:
        from eo_advisor.advice.options import options

        opts = options(validated, result)
    report = Report(result, default_renderer(), validated, opts, today)
    text = formatter.format(report, color=color, width=env.width)
    if export:
        from eo_advisor.profile.template import profile_toml

        emit(env, export, profile_toml(validated), force=force)
        env.info(f"profile saved to {export}")
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"result written to {output}")
    elif interviewed and fmt == "text":
        from eo_advisor.cli.interview import Asker

        if Asker(env).confirm("Compare the options side by side (limits x deductibles)?", default=True):
            from eo_advisor.advice.options import options

            data = OptionsReport(options(validated, result), report.render)
            emit(env, "-", "\n" + get_formatter("options", "text").format(data, color=color, width=env.width), force=False)
    if interviewed and export is None:
        offer_export(env, validated)


def offer_export(env: Env, validated: Any) -> None:
    """At the end of an interview without --export: offer to save the answers as a
    profile (a default file name; an existing file only overwritten when confirmed;
    a file that cannot be written says why and asks again)."""
    from eo_advisor.cli.interview import ask_save_path
    from eo_advisor.profile.template import profile_toml

    text = profile_toml(validated)
    while True:
        path = ask_save_path(env, os.path.lexists)
        if path is None:
            return
        try:
            emit(env, path, text, force=True)
        except EOAdvisorError as exc:
            env.message(f"error: {exc.message}")
            continue
        env.info(f"profile saved to {path}; next time: eo-advisor assess --profile {path}")
        return


def gather_profile(
    env: Env, profile: Optional[str], set_: Optional[List[str]], no_input: bool, contracts: Optional[List[str]] = None
) -> tuple[Any, bool]:
    """The validated profile from a file/stdin, --set and (in a terminal) prompts.

    Returns (profile, whether the full interview ran). Prompts only when allowed;
    otherwise fails naming every missing field and what to do instead."""
    from eo_advisor.profile.model import apply_overrides, missing_fields, validate
    from eo_advisor.profile.parse import flatten, unflatten

    interactive = env.can_prompt and not no_input and profile != "-"
    if profile is None and not set_ and not interactive:
        raise NotInteractiveError(
            "no profile given and no terminal to ask questions in (stdin is not a terminal or --no-input is set); "
            "use --profile FILE (or --profile - to read stdin), or --set KEY=VALUE for every field"
        )
    data: dict[str, Any] = read_profile_input(env, profile, allow_empty=bool(set_)) if profile else {"schema_version": 1}
    if set_:
        data = apply_overrides(data, set_)
    if contracts:  # --contract FILE: the requirements each contract's insurance clause states
        from eo_advisor.api import with_contract_files

        data = with_contract_files(data, contracts)
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
    if full_interview:  # no profile at all: the interview asks what matters, nothing more
        from eo_advisor.cli.interview import interview

        validated = validate(interview(env), source=source)
    elif validated is None:  # a profile or --set gave most of it: ask only what is missing
        from eo_advisor.cli.interview import ask_missing

        flat = ask_missing(flatten(data), missing_fields(flatten(data)), env)
        validated = validate(unflatten(flat), source=source)
    return validated, full_interview


@app.command(
    "options",
    epilog="Examples:\n\n  eo-advisor options --profile client.toml\n\n  eo-advisor options -p client.toml --format csv --output options.csv",
)
@command
def options_cmd(
    ctx: typer.Context,
    profile: Optional[str] = profile_option(),
    format: Optional[OptionsFormat] = format_option("options"),
    output: str = output_option(),
    force: bool = force_option(),
    no_input: bool = no_input_option(),
    set_: Optional[List[str]] = set_option(),
    quiet: bool = quiet_option(),
    contract: Optional[List[str]] = contract_option(),
) -> None:
    """Compare limits x deductibles side by side: premium ranges, eroding and non-eroding."""
    from eo_advisor.advice.options import options
    from eo_advisor.edge.files import check_writable
    from eo_advisor.formats import OptionsReport, get_formatter
    from eo_advisor.formats.render import default_renderer

    env = get_env(ctx)
    set_quiet(env, quiet)
    refuse_same(output, {"--profile": profile}, inputs=True)
    check_writable(output, force=force)
    validated, _ = gather_profile(env, profile, set_, no_input, contract)
    if validated.closing:
        raise EOAdvisorError(
            "the business is closing (current_policy.planned_change = close_business): no new limit or deductible is advised, "
            "so there are no options to compare; `eo-advisor assess` prices the tail"
        )
    opts = options(validated)
    data = OptionsReport(opts, default_renderer())
    text = get_formatter("options", pick_format(env, "options", format)).format(data, color=env.stdout_color and output == "-", width=env.width)
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"options written to {output}")


@app.command(
    "compare",
    epilog="Examples:\n\n"
    "  eo-advisor compare last-year.toml this-year.toml\n\n"
    "  eo-advisor compare client.toml what-if.toml --format json --output diff.json",
)
@command
def compare_cmd(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="Profile A (e.g. last year's), TOML; '-' for stdin.", metavar="A.toml"),
    second: str = typer.Argument(..., help="Profile B (e.g. this year's, or a what-if), TOML.", metavar="B.toml"),
    format: Optional[CompareFormat] = format_option("compare"),
    output: str = output_option(),
    force: bool = force_option(),
    quiet: bool = quiet_option(),
) -> None:
    """Show what differs between two profiles' advice, and which answers caused it."""
    import datetime

    from eo_advisor.advice.compare import compare
    from eo_advisor.edge.files import check_writable
    from eo_advisor.formats import get_formatter
    from eo_advisor.formats.compare import CompareReport
    from eo_advisor.formats.render import default_renderer
    from eo_advisor.profile.model import validate

    env = get_env(ctx)
    set_quiet(env, quiet)
    if first == "-" and second == "-":
        raise typer.BadParameter("only one of A and B can be '-'", param_hint="A.toml")
    refuse_same(output, {"A.toml": first, "B.toml": second}, inputs=True)
    check_writable(output, force=force)

    def load(path: str) -> Any:
        return validate(read_profile_input(env, path), source="<stdin>" if path == "-" else path)

    result = compare(load(first), load(second), as_of=datetime.date.today())
    data = CompareReport(result, first, second, default_renderer())
    text = get_formatter("compare", pick_format(env, "compare", format)).format(data, width=env.width)
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"comparison written to {output}")


# ---------------------------------------------------------------------------
# profile template / validate
# ---------------------------------------------------------------------------
@profile_app.command(
    "template",
    epilog="Examples:\n\n  eo-advisor profile template > client.toml\n\n  eo-advisor profile template --format csv --output book.csv",
)
@command
def profile_template(
    ctx: typer.Context,
    format: TemplateFormat = typer.Option(TemplateFormat.toml, "--format", "-f", help="Template format.", case_sensitive=False),
    output: str = output_option(),
    force: bool = force_option(),
) -> None:
    """Print an example profile: commented TOML, or a CSV/JSONL book `batch` reads as it stands."""
    env = get_env(ctx)
    if format is TemplateFormat.toml:
        from eo_advisor.profile.template import template_toml

        text = template_toml()
    else:
        from eo_advisor.batch.run import csv_template, jsonl_template

        text = csv_template() if format is TemplateFormat.csv else jsonl_template()
    emit(env, output, text, force=force)


@profile_app.command(
    "examples",
    epilog="Examples:\n\n"
    "  eo-advisor profile examples\n\n"
    "  eo-advisor profile examples msp-serving-banks --output msp.toml\n\n"
    "  eo-advisor profile examples freelance-web-developer | eo-advisor assess --profile -",
)
@command
def profile_examples(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help="The example to print; without it, list them all.", metavar="[NAME]"),
    output: str = output_option(),
    force: bool = force_option(),
) -> None:
    """List the example profiles that ship with eo-advisor, or print one (TOML)."""
    from eo_advisor.profile.examples import example_text, examples

    env = get_env(ctx)
    if name is None:
        found = examples()
        width = max(len(n) for n in found)
        emit(env, output, "".join(f"{n:<{width}}  {summary}\n" for n, summary in found.items()), force=force)
    else:
        try:
            text = example_text(name)
        except EOAdvisorError as exc:
            raise typer.BadParameter(exc.message, param_hint="NAME") from None
        emit(env, output, text, force=force)


@profile_app.command(
    "validate",
    epilog="Examples:\n\n"
    "  eo-advisor profile validate client.toml\n\n"
    "  eo-advisor profile validate --quiet clients/*.toml || echo 'some are invalid'",
)
@command
def profile_validate(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., help="Profile files to check ('-' for stdin).", metavar="FILE..."),
    quiet: bool = quiet_option("Print only the problems: no 'ok:' lines, no count. Environment: EO_ADVISOR_QUIET=1."),
) -> None:
    """Check profiles and report every problem in each; exit 1 if any is invalid."""
    from eo_advisor.profile.model import validate

    env = get_env(ctx)
    set_quiet(env, quiet)
    bad = 0
    for path in files:  # every file is checked, whatever happened to the ones before
        name = "<stdin>" if path == "-" else path
        try:
            validate(read_profile_input(env, path), source=name)
        except EOAdvisorError as exc:
            bad += 1
            env.message(f"error: {exc.message}")
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # a bug, but one file's: say so and go on to the next
            if env.debug:
                raise
            bad += 1
            env.message(f"error: {name}: internal error: {type(exc).__name__}; this is a bug in eo-advisor (EO_ADVISOR_DEBUG=1 shows the traceback)")
        else:
            env.info(f"ok: {name}")
    from eo_advisor.formats.render import count

    if bad:
        env.info(f"{bad:,} of {count(len(files), 'profile')} invalid")
        raise typer.Exit(int(ExitCode.ERROR))
    env.info(f"{count(len(files), 'profile')} valid")


@app.command(
    epilog="Examples:\n\n"
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
    format: BatchFormat = typer.Option(
        BatchFormat.csv,
        "--format",
        "-f",
        help="Output format: one record per input, in input order.",
        envvar="EO_ADVISOR_BATCH_FORMAT",
        case_sensitive=False,
    ),
    input_format: Optional[BatchInputFormat] = typer.Option(
        None, "--input-format", "-i", help="Format of the inputs (default: from each file's extension; required for '-').", case_sensitive=False
    ),
    force: bool = force_option(),
    quiet: bool = quiet_option("No progress bar and no summary line (errors still print). Environment: EO_ADVISOR_QUIET=1."),
    jobs: int = typer.Option(
        1,
        "--jobs",
        "-j",
        min=0,
        help="Worker processes (0 = one per core); the output is the same for any number.",
        envvar="EO_ADVISOR_JOBS",
        metavar="N",
    ),
) -> None:
    """Assess a whole book of clients; bad rows are reported, never fatal to the rest.

    Exit 0 when every row is ok, 3 when some rows had errors (the output is still
    complete), 1 when nothing could be read, 2 on usage errors.
    """
    from eo_advisor.batch import run as batch_mod
    from eo_advisor.edge.files import atomic_write, check_writable

    env = get_env(ctx)
    set_quiet(env, quiet)
    if inputs.count("-") > 1:
        raise typer.BadParameter("stdin ('-') can be read only once", param_hint="INPUT")
    if "-" in inputs and input_format is None:
        raise typer.BadParameter("reading '-' needs --input-format csv|jsonl|toml", param_hint="--input-format")
    refuse_same(output, {f"INPUT {i}": path for i, path in enumerate(inputs, 1)}, inputs=True)
    refuse_reading_output(env, output, inputs)
    check_writable(output, force=force)

    def announced(records: Any) -> Any:
        for record in records:  # a whole input that cannot be read is said on stderr too
            if record.unreadable:
                env.message(f"error: {record.error}")
            yield record

    meter = batch_mod.ByteMeter() if env.stderr_isatty and not env.quiet else None  # only a terminal shows progress
    records = announced(batch_mod.read_inputs(inputs, input_format.value if input_format else None, stdin=env.stdin, meter=meter))
    holder: dict[str, Any] = {}

    def write(fh: Any) -> None:
        with progress(env, meter, meter.total(inputs) if meter else None) as on_row:
            holder["summary"] = s = batch_mod.run(records, fh, format.value, on_row=on_row, jobs=jobs)
        if s.read and s.unreadable_inputs == s.read:  # a failed run: an existing output stays as it was
            kept = "" if output == "-" else f"; {output} was left as it was" if os.path.lexists(output) else f"; {output} was not written"
            raise InputError(f"batch: no record could be read{kept}")

    atomic_write(output, write, force=force, stdout=env.stdout, written=env.written)
    s = holder["summary"]
    from eo_advisor.formats.render import count

    env.info(
        f"batch: {count(s.read - s.unreadable_inputs, 'record')} read, {s.ok:,} ok, {count(s.errors - s.unreadable_inputs, 'error')}"
        + (f", {count(s.unreadable_inputs, 'input')} unreadable" if s.unreadable_inputs else "")
        + f" in {s.seconds:.2f} s"
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


@app.command(
    "rules",
    epilog="Examples:\n\n  eo-advisor rules\n\n  eo-advisor rules --format json | jq '.parameters | length'",
)
@command
def rules_cmd(
    ctx: typer.Context,
    format: Optional[RulesFormat] = format_option("rules"),
) -> None:
    """Show every number the advice uses: value, unit, description and source."""
    from eo_advisor.formats import get_formatter

    env = get_env(ctx)
    emit(env, "-", get_formatter("rules", pick_format(env, "rules", format)).format(None, width=env.width), force=False)


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


@app.command(
    "completion",
    epilog="Examples:\n\n"
    "  eo-advisor completion bash > ~/.local/share/bash-completion/completions/eo-advisor\n\n"
    '  eo-advisor completion zsh > "${fpath[1]}/_eo-advisor"\n\n'
    "  eo-advisor completion fish > ~/.config/fish/completions/eo-advisor.fish",
)
@command
def completion_cmd(
    ctx: typer.Context,
    shell: Shell = typer.Argument(..., help="The shell to print the completion script for.", case_sensitive=False),
) -> None:
    """Print the shell completion script for SHELL (bash, zsh, fish, powershell, pwsh)."""
    from typer._completion_shared import get_completion_script

    env = get_env(ctx)
    prog = "eo-advisor"
    script = get_completion_script(prog_name=prog, complete_var="_EO_ADVISOR_COMPLETE", shell=shell.value)
    emit(env, "-", script + "\n", force=False)


app.add_typer(contract_commands(command), name="contract")


def _stdout_identity() -> tuple[int, int] | None:
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _devnull_identity() -> tuple[int, int]:
    st = os.stat(os.devnull)
    return st.st_dev, st.st_ino


def main() -> None:
    """Console-script entry point."""
    stdout_was = _stdout_identity()
    try:
        app(prog_name="eo-advisor")
    except KeyboardInterrupt:  # outside a command (e.g. during start-up)
        print("\ninterrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:  # e.g. `eo-advisor --help | head -1`, outside a command
        from eo_advisor.edge.files import silence_stdout

        silence_stdout()
        sys.exit(int(ExitCode.BROKEN_PIPE))
    except SystemExit as exc:
        if exc.code == 1 and stdout_was != _stdout_identity() == _devnull_identity():
            # rich met EPIPE while printing help (`--help | head -1`): it pointed stdout at
            # /dev/null and chose exit 1; a closed pipe is 141 everywhere else
            sys.exit(int(ExitCode.BROKEN_PIPE))
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # click met EPIPE (help | head) and chose exit 1
            from eo_advisor.edge.files import silence_stdout

            silence_stdout(sys.__stdout__)
            sys.exit(int(ExitCode.BROKEN_PIPE))
        try:  # what typer/click printed (help, usage) leaves now, or fails quietly
            sys.stdout.flush()
        except BrokenPipeError:
            from eo_advisor.edge.files import silence_stdout

            silence_stdout()
            sys.exit(int(ExitCode.BROKEN_PIPE))
        except (OSError, ValueError):
            from eo_advisor.edge.files import silence_stdout

            silence_stdout()
        raise


__all__ = ["app", "main"]
