"""``eo-advisor contract read``: contract files in, their insurance requirements out.

:func:`build` makes the ``contract`` command group; the CLI registers it with its own
error-mapping decorator (``eo_advisor.cli.command``), passed in so that this module never
imports the CLI (no import cycle). Only typer is imported at start-up: the reader, pypdf
and python-docx load when a file is read.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer


class ContractFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    toml = "toml"


EPILOG = (
    "Examples:\n\n"
    "  eo-advisor contract read msa.pdf\n\n"
    "  eo-advisor contract read msa.docx --format toml --client 'City of Springfield' >> profile.toml\n\n"
    "  eo-advisor contract read contracts/ --format jsonl --output readings.jsonl\n\n"
    "  pbpaste | eo-advisor contract read - --format json"
)


def expand(paths: List[str]) -> List[str]:
    """The files to read: each argument, a directory standing for its supported files
    (sorted, not descending into sub-directories)."""
    from eo_advisor.contracts.extract import SUPPORTED
    from eo_advisor.errors import InputError

    out: List[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED)
            if not found:
                raise InputError(f"{path}: a directory with no contract files ({', '.join(SUPPORTED)})")
            out.extend(found)
        else:
            out.append(path)
    return out


def _env(ctx: typer.Context) -> Any:
    from eo_advisor.edge.terminal import Env

    root = ctx.find_root()
    if not isinstance(root.obj, Env):
        root.obj = Env.from_system()
    return root.obj


def read(
    ctx: typer.Context,
    files: List[str] = typer.Argument(
        ..., help="Contract files (.txt, .md, .docx, .pdf) or directories of them; '-' reads stdin.", metavar="FILE..."
    ),
    format: ContractFormat = typer.Option(
        ContractFormat.text,
        "--format",
        "-f",
        help="text (each requirement beside its quote), json, jsonl (one line a file) or toml ([[contracts]] entries).",
        case_sensitive=False,
    ),
    client: Optional[str] = typer.Option(
        None, "--client", help="The client's name for --format toml (default: the party the contract names).", metavar="NAME"
    ),
    value: Optional[str] = typer.Option(
        None,
        "--value",
        help="The contract's value (e.g. 750k): picks among limits tiered by contract size, and fills `value` in toml.",
        metavar="AMOUNT",
    ),
    output: str = typer.Option("-", "--output", "-o", help="Write to FILE ('-' = stdout); atomic, never overwrites without --force.", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Allow --output to overwrite an existing file."),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No informational messages on stderr (errors still print). Environment: EO_ADVISOR_QUIET=1."
    ),
) -> None:
    """Read the insurance requirements of contracts, offline, each with the sentence it comes from."""
    from eo_advisor.edge.files import check_writable, same_destination, write_text

    env = _env(ctx)
    env.quiet = env.quiet or quiet
    amount = _amount(value)
    for path in files:
        if path != "-" and same_destination(output, path, other_is_input=True):
            raise typer.BadParameter(f"{output!r} is one of the contracts being read; give a different file", param_hint="--output")
    check_writable(output, force=force)
    paths = expand(files)
    readings, failed, lines = _read_all(env, paths, amount, alone=len(paths) == 1 and format.value != "jsonl")
    text = _render(format.value, readings, lines, client)
    if text:
        write_text(output, text, force=force, stdout=env.stdout, written=env.written)
        if output != "-":
            env.info(f"readings written to {output}")
    if failed:
        raise typer.Exit(1)


def _amount(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    from eo_advisor.profile.amounts import parse_amount

    try:
        amount = parse_amount(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--value") from None
    if amount < 0:
        raise typer.BadParameter("a contract's value cannot be negative", param_hint="--value")
    return amount


def _read_all(env: Any, paths: List[str], amount: Optional[int], *, alone: bool) -> tuple[list[Any], list[Any], list[str]]:
    """Each file read; an unreadable one is an error line on stderr (and in JSON Lines,
    a line with its ``error``) and the others go on. ``alone``: one file whose error is
    the command's error."""
    from eo_advisor.contracts.extract import extract
    from eo_advisor.contracts.reader import read_contract
    from eo_advisor.contracts.render import jsonl_line
    from eo_advisor.errors import InputError

    readings, failed, lines = [], [], []
    for path in paths:
        try:
            doc = extract(path, env.stdin)
        except InputError as exc:
            if alone:
                raise
            failed.append(exc)
            env.message(f"error: {exc.message}")
            lines.append(jsonl_line(None, source="<stdin>" if path == "-" else path, error=exc.message))
            continue
        reading = read_contract(doc.text, source=doc.source, page_starts=doc.page_starts, contract_value=amount)
        if reading.empty_reason:
            env.info(f"{doc.source}: {reading.empty_reason}")
        readings.append(reading)
        lines.append(jsonl_line(reading))
    return readings, failed, lines


def _render(fmt: str, readings: list[Any], lines: list[str], client: Optional[str]) -> str:
    from eo_advisor.contracts.render import json_report, text_report, toml_entry

    if fmt == "jsonl":
        return "".join(lines)
    if not readings:
        return ""
    if fmt == "json":
        return json_report(readings)
    if fmt == "toml":
        return "\n".join(toml_entry(r, client) for r in readings)
    return "\n".join(text_report(r) for r in readings)


def build(wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> typer.Typer:
    """The ``contract`` command group, its commands wrapped by ``wrap`` (the CLI's
    error handling: one line on stderr and an exit code, never a traceback)."""
    app = typer.Typer(
        help="Client contracts: read the insurance clause into requirements, each with its quote.",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.command("read", epilog=EPILOG)(wrap(read))
    return app
