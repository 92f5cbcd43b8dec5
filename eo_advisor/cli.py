"""The command line: thin Typer commands over :mod:`eo_advisor.api`.

Data goes to stdout, everything meant for a person to stderr. Errors are caught
once (:func:`command`) and mapped to the exit codes documented in docs/cli.md.
Heavy modules (rich, questionary) are imported inside the paths that use them.
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from typing import Any, Callable, List, Optional, TypeVar

import typer

from . import __version__
from .errors import EOAdvisorError, ExitCode, NotInteractiveError, OutputError, ProfileError
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


class AssessFormat(str, Enum):
    text = "text"
    json = "json"
    toml = "toml"
    markdown = "markdown"
    csv = "csv"


class TemplateFormat(str, Enum):
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

    return wrapper  # type: ignore[return-value]


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
    format: AssessFormat = typer.Option(AssessFormat.text, "--format", "-f", help="Output format.", envvar="EO_ADVISOR_FORMAT", case_sensitive=False),
    output: str = typer.Option("-", "--output", "-o", help="Write the result to FILE ('-' = stdout). Never overwrites without --force.", metavar="FILE"),
    export: Optional[str] = typer.Option(None, "--export", help="Also save the completed answers as a TOML profile to FILE (atomic; needs --force to overwrite).", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow --output/--export to overwrite an existing file."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; fail naming every missing field.", envvar="EO_ADVISOR_NO_INPUT"),
    set_: Optional[List[str]] = typer.Option(None, "--set", "-s", help="Override one answer, KEY=VALUE (repeatable), e.g. --set work.largest_contract=2.5M", metavar="KEY=VALUE"),
    explain: bool = typer.Option(False, "--explain", help="Add the rules that fired, their inputs and sources (an 'explain' key in json/toml)."),
) -> None:
    """Recommend a Tech E&O limit, deductible, defense-costs form, gaps and a premium range."""
    from .api import read_profile_data
    from .engine import assess as run_assessment
    from .files import check_writable, write_text
    from .formats import get_formatter
    from .profile import apply_overrides, flatten, missing_fields, unflatten, validate

    env = get_env(ctx)
    if export == "-" and output == "-":
        raise typer.BadParameter("--export - and result on stdout would mix; give --output FILE or --export FILE", param_hint="--export")
    for path in (output, export):
        if path is not None:
            check_writable(path, force=force)

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
        from .prompts import ask_missing

        flat = ask_missing(flatten(data), missing_fields(flatten(data)), env, full=full_interview)
        validated = validate(unflatten(flat), source=source)
    result = run_assessment(validated, explain=explain)
    color = env.stdout_color and output == "-"
    text = get_formatter(format.value).format(result, color=color)
    if export:
        from .template import profile_toml

        write_text(export, profile_toml(validated), force=force, stdout=env.stdout)
        env.message(f"profile saved to {export}")
    write_text(output, text, force=force, stdout=env.stdout)
    if output != "-":
        env.message(f"result written to {output}")


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
    """Print a fully commented example profile (it validates as it stands)."""
    from .files import write_text
    from .template import template_toml

    env = get_env(ctx)
    write_text(output, template_toml(), force=force, stdout=env.stdout)


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


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("rules")
@command
def rules_cmd(
    ctx: typer.Context,
    format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f", help="Output format.", case_sensitive=False),
) -> None:
    """Show every number the advice uses: value, unit, description and source."""
    from . import rulesdoc

    env = get_env(ctx)
    if format is RulesFormat.json:
        from .formats.data import to_json

        env.stdout.write(to_json(rulesdoc.rules_dict()) + "\n")
    elif format is RulesFormat.markdown:
        env.stdout.write(rulesdoc.rules_markdown())
    else:
        env.stdout.write(rulesdoc.rules_text())


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="eo-advisor")
    except KeyboardInterrupt:  # outside a command (e.g. during start-up)
        print("\ninterrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))


__all__ = ["app", "main", "OutputError"]
