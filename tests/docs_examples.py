#!/usr/bin/env python3
"""Every ```console example in README.md and docs/*.md is run, and its output is the
output shown: ``tests/test_docs.py`` runs :func:`check`; after changing the advice or an
output format, rewrite the examples with

    python tests/docs_examples.py --write

A block preceded by ``<!-- docs: not run ... -->`` is shown but not run (it writes into
the reader's shell configuration, for instance). Commands run in a scratch directory
holding the example profiles, one block at a time, with a plain 120-column terminal; a
batch summary's timing and a report's date are compared as placeholders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?P<before>[^\n]*\n)?```console\n(?P<body>.*?)```", re.S)
SKIP = "<!-- docs: not run"
TIMING = re.compile(r"in \d+(?:\.\d+)? s \([\d,]+ rows/s\)(?:, as of \d{4}-\d\d-\d\d)?")
TODAY = re.compile(r"Prepared on \d{1,2} [A-Z][a-z]+ \d{4}")


def _normal(text: str) -> str:
    """What may differ from run to run: a batch's timing, the date a report was prepared."""
    return TODAY.sub("Prepared on DATE", TIMING.sub("in N s (N rows/s), as of DATE", text)).rstrip()


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EO_ADVISOR_")}
    bindir = str(Path(sys.executable).parent)
    env.update({"PATH": f"{bindir}:{env.get('PATH', '')}", "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "HOME": str(home)})
    env.pop("FORCE_COLOR", None)
    return env


def run_block(body: str) -> str:
    """The block with each command's output replaced by what it prints now."""
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "profiles").symlink_to(ROOT / "profiles")
        for line in body.splitlines():
            if not line.startswith("$ "):
                continue
            out.append(line)
            command = line[2:].split("  #", 1)[0]
            done = subprocess.run(
                ["bash", "-c", command], cwd=work, env=_env(work), capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
            )
            printed = (done.stdout + done.stderr).rstrip("\n")
            if printed:
                out.append(printed)
    return "\n".join(out) + "\n"


def blocks(path: Path):
    text = path.read_text(encoding="utf-8")
    for m in BLOCK.finditer(text):
        if SKIP in (m.group("before") or ""):
            continue
        yield m


def check() -> list[str]:
    """Blocks whose shown output differs from what the commands print now."""
    stale = []
    for path in FILES:
        for m in blocks(path):
            if _normal(run_block(m.group("body"))) != _normal(m.group("body")):
                first = m.group("body").splitlines()[0]
                stale.append(f"{path.relative_to(ROOT)}: {first}")
    return stale


def write() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for m in reversed(list(blocks(path))):
            new = run_block(m.group("body"))
            start, end = m.span("body")
            text = text[:start] + new + text[end:]
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    stale = check()
    print("\n".join(stale) or "every console example is current")
    sys.exit(1 if stale else 0)
