"""``assess`` and ``options``: one profile (a file, stdin, --set or the interview) to
its advice, or to the options table."""

from __future__ import annotations

import os
from typing import Any, List, Optional

import typer

from eo_advisor.cli.common import (
    AssessFormat,
    OptionsFormat,
    as_of_option,
    command,
    contract_option,
    emit,
    force_option,
    format_option,
    get_env,
    no_input_option,
    output_option,
    pick_format,
    profile_option,
    quiet_option,
    read_profile_input,
    refuse_same,
    set_option,
    set_quiet,
)
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import EOAdvisorError, NotInteractiveError, ProfileError

ASSESS_EPILOG = (
    "Examples:\n\n"
    "  eo-advisor assess\n\n"
    "  eo-advisor assess --profile client.toml --format json --output client.json\n\n"
    "  eo-advisor profile examples saas-startup | eo-advisor assess -p - --set work.contractual_minimum=2M"
)


def export_option() -> Any:
    return typer.Option(
        None, "--export", help="Also save the completed answers as a TOML profile to FILE (atomic; needs --force to overwrite).", metavar="FILE"
    )


@command
def assess(
    ctx: typer.Context,
    profile: Optional[str] = profile_option(),
    format: Optional[AssessFormat] = format_option("assess"),
    output: str = output_option(),
    export: Optional[str] = export_option(),
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
    from eo_advisor.formats import OptionsReport, Report, get_formatter
    from eo_advisor.formats.render import default_renderer

    env = get_env(ctx)
    set_quiet(env, quiet)
    check_outputs(profile, output, export, force)
    fmt = pick_format(env, "assess", format)
    if explain and fmt == "csv":
        raise typer.BadParameter(
            "csv has no room for the trace; use --explain with --format text, json, toml, markdown or html", param_hint="--explain"
        )
    import datetime

    today = as_of or datetime.date.today()
    validated, asked = gather_profile(env, profile, set_, no_input, contract, as_of=today)
    result = run_assessment(validated, explain=explain, as_of=today)
    color = env.stdout_color and output == "-"
    formatter = get_formatter("assess", fmt)
    opts = None
    if formatter.wants_options:
        from eo_advisor.advice.options import options

        opts = options(validated, result)
    report = Report(result, default_renderer(), validated, opts, today)
    text = formatter.format(report, color=color, width=env.width)
    # after questions: the last prompts come first, so the report is what stays on screen
    show_options = asked and output == "-" and fmt == "text" and ask_for_options(env, today)
    if asked and export is None:
        offer_export(env, validated)
    if export:
        from eo_advisor.profile.template import profile_toml

        emit(env, export, profile_toml(validated), force=force)
        env.info(f"profile saved to {export}")
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"result written to {output}")
    elif show_options:
        from eo_advisor.advice.options import options

        data = OptionsReport(options(validated, result), report.render)
        emit(env, "-", "\n" + get_formatter("options", "text").format(data, color=color, width=env.width), force=False)


def check_outputs(profile: Optional[str], output: str, export: Optional[str], force: bool) -> None:
    """Usage errors before anything is asked: --output and --export the same file, or
    either the profile being read; then whether each can be written at all."""
    from eo_advisor.edge.files import check_writable, same_destination

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


def ask_for_options(env: Env, as_of: Any) -> bool:
    from eo_advisor.cli.interview import Asker

    return Asker(env, as_of=as_of).confirm("After the recommendation, compare the options side by side (limits x deductibles)?", default=True)


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


def refuse_set_over_values(data: dict[str, Any], assignments: List[str], profile: Optional[str]) -> None:
    """``--set business.name=X`` over a profile whose ``business`` is not a table
    (``business = 3``): the profile's error, named, not a crash."""
    from collections.abc import Mapping

    from eo_advisor.errors import Problem

    sections = {text.partition("=")[0].strip().partition(".")[0] for text in assignments}
    bad = [s for s in sorted(sections) if s in data and not isinstance(data[s], Mapping)]
    if bad:
        source = profile and ("<stdin>" if profile == "-" else profile)
        raise ProfileError([Problem(s, f"expected a table, got {type(data[s]).__name__}; --set cannot add a key to it") for s in bad], source)


def gather_profile(
    env: Env, profile: Optional[str], set_: Optional[List[str]], no_input: bool, contracts: Optional[List[str]] = None, *, as_of: Any = None
) -> tuple[Any, bool]:
    """The validated profile from a file/stdin, --set and (in a terminal) prompts.

    Returns (profile, whether any question was asked: the full interview, or the
    fields a partial profile lacked). Prompts only when allowed;
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
        refuse_set_over_values(data, set_, profile)
        data = apply_overrides(data, set_)
    if contracts:  # --contract FILE: the requirements each contract's insurance clause states
        from eo_advisor.api import with_contract_files

        data = with_contract_files(data, contracts)
    source = profile and ("<stdin>" if profile == "-" else profile)
    full_interview = profile is None and not set_
    try:
        validated = validate(data, source=source, as_of=as_of)
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

        validated = validate(interview(env, as_of), source=source, as_of=as_of)
    elif validated is None:  # a profile or --set gave most of it: ask only what is missing
        from eo_advisor.cli.interview import ask_missing

        flat = ask_missing(flatten(data), missing_fields(flatten(data)), env, as_of)
        validated = validate(unflatten(flat), source=source, as_of=as_of)
        return validated, True  # answers were typed: offer to save them, and the options
    return validated, full_interview


OPTIONS_EPILOG = "Examples:\n\n  eo-advisor options --profile client.toml\n\n  eo-advisor options -p client.toml --format csv --output options.csv"


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
    as_of: Optional[Any] = as_of_option(
        "The date the review counts from, YYYY-MM-DD (default: today): retroactive dates and years of prior acts, which price the options."
    ),
) -> None:
    """Compare limits x deductibles side by side: premium ranges, eroding and non-eroding."""
    import datetime

    from eo_advisor.advice.options import options
    from eo_advisor.api import assess as run_assessment
    from eo_advisor.edge.files import check_writable
    from eo_advisor.formats import OptionsReport, get_formatter
    from eo_advisor.formats.render import default_renderer

    env = get_env(ctx)
    set_quiet(env, quiet)
    refuse_same(output, {"--profile": profile}, inputs=True)
    check_writable(output, force=force)
    as_of = as_of or datetime.date.today()
    validated, _ = gather_profile(env, profile, set_, no_input, contract, as_of=as_of)
    if validated.closing:
        raise EOAdvisorError(
            "the business is closing (current_policy.planned_change = close_business): no new limit or deductible is advised, "
            "so there are no options to compare; `eo-advisor assess` prices the tail"
        )
    opts = options(validated, run_assessment(validated, as_of=as_of))
    data = OptionsReport(opts, default_renderer())
    text = get_formatter("options", pick_format(env, "options", format)).format(data, color=env.stdout_color and output == "-", width=env.width)
    emit(env, output, text, force=force)
    if output != "-":
        env.info(f"options written to {output}")
