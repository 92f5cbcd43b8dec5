"""``profile template|examples|validate``: profile files."""

from __future__ import annotations

from typing import Any, List, Optional

import typer

from eo_advisor.cli.common import (
    TemplateFormat,
    as_of_option,
    command,
    emit,
    force_option,
    get_env,
    output_option,
    quiet_option,
    read_profile_input,
    set_quiet,
    shown,
    with_paths_shown,
)
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import EOAdvisorError, ExitCode

profile_app = typer.Typer(
    help="Profile files: print a commented template or a shipped example, validate files.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    as_of: Optional[Any] = as_of_option("The review date retroactive dates are checked against, YYYY-MM-DD (default: today)."),
) -> None:
    """Check profiles and report every problem in each; exit 1 if any is invalid."""
    env = get_env(ctx)
    set_quiet(env, quiet)
    bad = sum(not check_one(env, path, as_of) for path in files)  # every file, whatever happened to the ones before
    from eo_advisor.formats.render import count

    if bad:
        env.info(f"{bad:,} of {count(len(files), 'profile')} invalid")
        raise typer.Exit(int(ExitCode.ERROR))
    env.info(f"{count(len(files), 'profile')} valid")


def check_one(env: Env, path: str, as_of: Any) -> bool:
    """Validate one profile file and say so: ``ok: NAME`` or its problems, the name
    shown with every control character escaped (a line break in a file name cannot
    forge an ``ok:`` line)."""
    from eo_advisor.profile.model import validate

    name = shown(path)
    try:
        validate(read_profile_input(env, path), source=name, as_of=as_of)
    except EOAdvisorError as exc:
        env.message(f"error: {with_paths_shown(exc.message, [path])}")
        return False
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # a bug, but one file's: say so and go on to the next
        if env.debug:
            raise
        env.message(f"error: {name}: internal error: {type(exc).__name__}; this is a bug in eo-advisor (EO_ADVISOR_DEBUG=1 shows the traceback)")
        return False
    env.info(f"ok: {name}")
    return True
