"""What every command shares: the injected :class:`Env`, the error mapping to exit
codes (:func:`command`), SIGTERM/SIGHUP as interrupts, the options several commands
declare, and writing an output by the rules of :mod:`eo_advisor.edge.files`.

Errors are caught once (:func:`command`) and mapped to the exit codes documented in
docs/cli.md: user errors (:class:`EOAdvisorError`, OS errors among them) exit 1 with
one line, usage errors 2, a closed stdout pipe 141 quietly, SIGHUP/SIGINT/SIGTERM
128+signal after the same clean-up."""

from __future__ import annotations

import functools
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, TypeVar

import typer

from eo_advisor.edge.terminal import Env
from eo_advisor.errors import EOAdvisorError, ExitCode, InputError, UsageError
from eo_advisor.formats import REGISTRY, formats

F = TypeVar("F", bound=Callable[..., Any])


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
    if wanted and not any(wanted in formats(c) for c in REGISTRY):
        every = sorted({name for c in REGISTRY for name in formats(c)})
        raise UsageError(f"{FORMAT_ENV}={wanted!r} is not a format; use one of {', '.join(every)} (or unset it)")
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
    jsonl_compact = "jsonl-compact"


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


def shown(path: str) -> str:
    """A path as a message or a terminal may show it: ``<stdin>`` for ``-``, and every
    control, bidi or invisible character (a line break too) as an escape, so a file
    name cannot forge a line (``x\nok: fake.toml``) or act on the terminal."""
    from eo_advisor.edge.safe_terminal import terminal_text

    return terminal_text("<stdin>" if path == "-" else path)


def with_paths_shown(message: str, paths: list[str]) -> str:
    """``message`` with each raw path in it replaced by :func:`shown` (messages from
    below name files as they were given)."""
    for path in sorted(set(paths), key=len, reverse=True):
        if path != "-" and path in message:
            message = message.replace(path, shown(path))
    return message


def refuse_same(output: str, others: dict[str, Optional[str]], *, inputs: bool = False) -> None:
    """A usage error (exit 2, before anything is read or written) when --output is
    the same file as another output or an input."""
    from eo_advisor.edge.files import same_destination

    for hint, other in others.items():
        if other is not None and output is not None and same_destination(output, other, other_is_input=inputs):
            what = "an input" if inputs else hint
            raise typer.BadParameter(f"{output!r} is the same file as {what} ({other!r}); give a different file", param_hint="--output")


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


def as_of_option(help: str = "The date the review counts from, YYYY-MM-DD (default: today); shown in the report.") -> Any:
    return typer.Option(
        None,
        "--as-of",
        help=help,
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
