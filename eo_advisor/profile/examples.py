"""The example profiles that ship in the package (``eo_advisor/examples/*.toml``;
the repository's ``profiles/`` is a link to them): ``eo-advisor profile examples``."""

from __future__ import annotations

import difflib
from pathlib import Path

from eo_advisor.errors import InputError

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"  # package data: eo_advisor/examples


def _summary(text: str) -> str:
    """The first sentence (or clause) of the comment block at the top of a profile."""
    words: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        words.append(line.lstrip("#").strip())
    joined = " ".join(w for w in words if w)
    for stop in (". ", "; ", ": "):
        joined = joined.split(stop, 1)[0]
    return joined.rstrip(".;:")


def examples() -> dict[str, str]:
    """Every shipped example: name (file name without ``.toml``) -> one-line summary."""
    return {p.stem: _summary(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.toml"))}


def example_text(name: str) -> str:
    """The TOML text of one example; an :class:`InputError` naming the choices if unknown."""
    name = name.removesuffix(".toml")
    path = EXAMPLES_DIR / f"{name}.toml"
    if "/" in name or "\\" in name or not path.is_file():
        names = [p.stem for p in sorted(EXAMPLES_DIR.glob("*.toml"))]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(f"no example profile named {name!r}; {hint}choose one of: {', '.join(names)}")
    return path.read_text(encoding="utf-8")
