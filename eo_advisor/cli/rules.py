"""``rules`` and ``completion``."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from eo_advisor.cli.common import RulesFormat, command, emit, format_option, get_env, pick_format

RULES_EPILOG = "Examples:\n\n  eo-advisor rules\n\n  eo-advisor rules --format json | jq '.parameters | length'"


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


COMPLETION_EPILOG = (
    "Examples:\n\n"
    "  eo-advisor completion bash > ~/.local/share/bash-completion/completions/eo-advisor\n\n"
    '  eo-advisor completion zsh > "${fpath[1]}/_eo-advisor"\n\n'
    "  eo-advisor completion fish > ~/.config/fish/completions/eo-advisor.fish"
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
