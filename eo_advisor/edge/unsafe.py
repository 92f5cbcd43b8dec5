"""The one class of characters that must never reach a reader raw: every safe-text
function (terminal, markdown, HTML, JSON, TOML, CSV) is built on :data:`UNSAFE_RANGES`.

They are the characters that act instead of showing, or that show as nothing:

* C0 controls, DEL and C1 controls (ESC and the one-byte CSI 0x9B among them);
* line and paragraph separators (U+2028/U+2029), which line splitters break at;
* bidi controls: ALM, LRM/RLM, embeddings and overrides, isolates;
* invisible characters: soft hyphen, Mongolian vowel separator, zero-width space,
  non-joiner and joiner, word joiner, invisible operators, deprecated format controls,
  the BOM / zero-width no-break space, interlinear annotation, tag characters
  (U+E0000-U+E007F: "ASCII smuggling");
* lone surrogates (bytes that were not UTF-8).

A destination keeps what its format needs (CSV and JSON keep tab and line feed; the
terminal keeps our own line breaks) with ``keep``; each then shows the rest its own
way: a visible escape on a terminal, ``\\uXXXX`` in JSON and TOML, U+FFFD in CSV,
markdown and HTML. Cheap to import (``re`` only).
"""

from __future__ import annotations

import re

UNSAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x1F),  # C0 controls (tab and line feed included: destinations keep what they need)
    (0x7F, 0x9F),  # DEL, C1 controls
    (0xAD, 0xAD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x2028, 0x202E),  # line/paragraph separators; LRE, RLE, PDF, LRO, RLO
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # isolates (LRI, RLI, FSI, PDI); deprecated format controls
    (0xFEFF, 0xFEFF),  # BOM, zero-width no-break space
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0xD800, 0xDFFF),  # lone surrogates
    (0xE0000, 0xE007F),  # tag characters
)
C0 = "".join(map(chr, range(0x20)))  # for ``keep``: JSON and TOML writers escape C0 themselves


def _char(code: int) -> str:
    c = chr(code)
    return "\\" + c if c in "\\]^-[" else c


def unsafe_chars(keep: str = "") -> str:
    """The body of a regex character class (no brackets) matching every unsafe
    character except those in ``keep``."""
    kept = {ord(c) for c in keep}
    parts = []
    for low, high in UNSAFE_RANGES:
        code = low
        while code <= high:
            if code in kept:
                code += 1
                continue
            end = code
            while end + 1 <= high and end + 1 not in kept:
                end += 1
            parts.append(_char(code) if end == code else f"{_char(code)}-{_char(end)}")
            code = end + 1
    return "".join(parts)


def unsafe_pattern(keep: str = "") -> re.Pattern[str]:
    """A compiled pattern of one unsafe character (those in ``keep`` excepted)."""
    return re.compile(f"[{unsafe_chars(keep)}]")


def json_escape(match: re.Match[str]) -> str:
    """``\\uXXXX`` for one character, a surrogate pair past the BMP (JSON's only way)."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def toml_escape(match: re.Match[str]) -> str:
    """``\\uXXXX`` for one character, ``\\UXXXXXXXX`` past the BMP (TOML has no surrogates)."""
    code = ord(match.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


__all__ = ["C0", "UNSAFE_RANGES", "json_escape", "toml_escape", "unsafe_chars", "unsafe_pattern"]
