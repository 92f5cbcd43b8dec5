"""The command line: the Typer app over :mod:`eo_advisor.api`, one module per command
group (:mod:`~eo_advisor.cli.assess`, :mod:`~eo_advisor.cli.batch`,
:mod:`~eo_advisor.cli.compare`, :mod:`~eo_advisor.cli.profile`,
:mod:`~eo_advisor.cli.rules`), what they share in :mod:`~eo_advisor.cli.common`.

Data goes to stdout, everything meant for a person to stderr. Heavy modules (rich,
questionary) are imported inside the paths that use them. A new command group is a
module with its own ``typer.Typer()``, added here with ``app.add_typer(...)``.
"""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from eo_advisor import __version__
from eo_advisor.cli import assess, batch, compare, rules
from eo_advisor.cli.common import command
from eo_advisor.cli.contract import build as contract_commands
from eo_advisor.cli.profile import profile_app
from eo_advisor.errors import ExitCode

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


app.add_typer(profile_app, name="profile")


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


# the commands, in the order `--help` lists them
app.command(epilog=assess.ASSESS_EPILOG)(assess.assess)
app.command("options", epilog=assess.OPTIONS_EPILOG)(assess.options_cmd)
app.command("compare", epilog=compare.EPILOG)(compare.compare_cmd)
app.command(epilog=batch.EPILOG)(batch.batch)
app.command("rules", epilog=rules.RULES_EPILOG)(rules.rules_cmd)
app.command("completion", epilog=rules.COMPLETION_EPILOG)(rules.completion_cmd)
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
    from eo_advisor.edge.streams import replace_closed_streams

    replace_closed_streams()  # `>&-`, `<&-`, `2>&-`: one clear error, never a traceback
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
