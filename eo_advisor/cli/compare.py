"""``compare``: two profiles' advice side by side, and which answers caused the difference."""

from __future__ import annotations

from typing import Any, Optional

import typer

from eo_advisor.cli.common import (
    CompareFormat,
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
)

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
