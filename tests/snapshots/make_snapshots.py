#!/usr/bin/env python3
"""Snapshot what people read: every example profile's report in text (80 columns),
markdown, HTML and CSV, its ``--explain`` text and its options table, and every broker
panel profile's markdown report, as plain files a diff can show (tests/test_snapshots.py).

    python tests/snapshots/make_snapshots.py        # rewrite tests/snapshots/out/

The runs go through the CLI (in process) with a fixed review date, 80 columns and no
colour, so only a change in the tool changes a file. Rewrite them only when the output
is *meant* to change, and read the diff.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "out"
AS_OF = "2026-11-27"
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "EO_ADVISOR_FORMAT": "", "CI": "true"}

# (file suffix, command and options) for each example profile
EXAMPLE_RUNS = (
    ("assess.txt", ["assess", "-f", "text"]),
    ("assess.md", ["assess", "-f", "markdown"]),
    ("assess.html", ["assess", "-f", "html"]),
    ("assess.csv", ["assess", "-f", "csv"]),
    ("explain.txt", ["assess", "-f", "text", "--explain"]),
    ("options.txt", ["options", "-f", "text"]),
    ("options.md", ["options", "-f", "markdown"]),
    ("options.csv", ["options", "-f", "csv"]),
)


def _panel_profiles() -> Iterator[tuple[str, dict]]:
    """(name, nested profile data) of each broker panel profile, merged over its base."""
    sys.path.insert(0, str(HERE.parent))
    from conftest import DATA, deep_merge, load_toml  # type: ignore[import-not-found]

    panel = load_toml(DATA / "broker_panel.toml")
    for entry in panel["profile"]:
        yield entry["name"], deep_merge(panel["base"], entry.get("data", {}))


def runs() -> Iterator[tuple[str, list[str], str | None]]:
    """(output file name, CLI arguments, profile TOML text or None for a path argument)."""
    import tomli_w

    for path in sorted((ROOT / "profiles").glob("*.toml")):
        for suffix, args in EXAMPLE_RUNS:
            extra = ["--as-of", AS_OF] if args[0] == "assess" else []
            yield f"{path.stem}.{suffix}", [*args, *extra, "--no-input", "-p", str(path)], None
    for name, data in _panel_profiles():
        yield f"panel/{name}.md", ["assess", "-f", "markdown", "--as-of", AS_OF, "--no-input", "-p", "-"], tomli_w.dumps(data)


def render(args: list[str], stdin: str | None) -> str:
    from typer.testing import CliRunner

    from eo_advisor.cli.app import app

    result = CliRunner().invoke(app, args, input=stdin, env=ENV, catch_exceptions=False)
    return result.stdout if result.exit_code == 0 else f"exit {result.exit_code}\n{result.stdout}{result.stderr}"


def snapshot() -> Iterator[tuple[str, str]]:
    os.environ.update(ENV)
    for name, args, stdin in runs():
        yield name, render(args, stdin)


if __name__ == "__main__":
    import shutil

    tmp = Path(tempfile.mkdtemp(dir=HERE))
    for name, text in snapshot():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(text, encoding="utf-8")
    shutil.rmtree(OUT, ignore_errors=True)
    tmp.rename(OUT)
    print(f"wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files under {OUT.relative_to(ROOT)}")
