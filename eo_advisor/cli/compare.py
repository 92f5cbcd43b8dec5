"""``compare``: two profiles' advice side by side, and which answers caused the difference."""

from __future__ import annotations

from typing import Any, Optional

import typer

from eo_advisor.cli.common import (
    CompareFormat,
    as_of_option,
    command,
    emit,
    force_option,
    format_option,
    get_env,
    output_option,
    pick_format,
    quiet_option,
    read_profile_input,
    refuse_same,
    set_quiet,
    shown,
    with_paths_shown,
)
from eo_advisor.errors import EOAdvisorError

EPILOG = (
    "Examples:\n\n"
    "  eo-advisor compare last-year.toml this-year.toml\n\n"
    "  eo-advisor compare client.toml what-if.toml --format json --output diff.json"
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
    as_of: Optional[Any] = as_of_option("The review date both profiles are assessed at, YYYY-MM-DD (default: today)."),
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

    as_of = as_of or datetime.date.today()

    def load(path: str) -> Any:
        try:
            return validate(read_profile_input(env, path), source=shown(path), as_of=as_of)
        except EOAdvisorError as exc:
            exc.message = with_paths_shown(exc.message, [path])
            raise

    result = compare(load(first), load(second), as_of=as_of)
    fmt = pick_format(env, "compare", format)
    # on a terminal a file name is shown escaped; json, markdown and html escape their own strings
    names = (shown(first), shown(second)) if fmt == "text" else (first, second)
    text = get_formatter("compare", fmt).format(CompareReport(result, *names, default_renderer()), width=env.width)
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"comparison written to {output}")
