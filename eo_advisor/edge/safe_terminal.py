"""Text that cannot act on a terminal: the one place user-supplied strings are
neutralised before they reach a terminal (text output, options, stderr messages).

:func:`terminal_text` shows every character that could move the cursor, change
colours, open a hyperlink, ring the bell, reorder the line or hide text as a visible
escape (``\\x1b``, ``\\x9b``, ``\\u202e``): C0 controls (newline kept where asked),
DEL, C1 controls (0x9B, the one-byte CSI, among them), bidi embeddings, overrides,
isolates and marks, zero-width and other invisible format characters, line and
paragraph separators, tag characters and lone surrogates.

Rich markup is a second, separate danger: the text formatters never pass user text
to rich as a markup string (they wrap it in ``rich.text.Text``), so ``[/bold]`` or
``[link=...]`` in a name prints literally; :func:`markup_text` is for the rare place
where a string must be embedded in markup.

Cheap to import (``re`` only): :mod:`eo_advisor.edge.terminal` uses it at start-up.
"""

from __future__ import annotations

import re

from eo_advisor.edge.unsafe import unsafe_pattern

_PATTERNS: dict[bool, re.Pattern[str]] = {}  # compiled on first use: start-up stays cheap


def _pattern(keep_newlines: bool) -> re.Pattern[str]:
    pattern = _PATTERNS.get(keep_newlines)
    if pattern is None:
        pattern = _PATTERNS[keep_newlines] = unsafe_pattern(keep="\n" if keep_newlines else "")
    return pattern


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def terminal_text(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as text safe to print on a terminal: every control, bidi and
    invisible character shown as an escape (``\\x1b``). Newlines are escaped too
    unless ``keep_newlines`` (a multi-line message of ours)."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():  # the common case, without a regex
        return text
    pattern = _pattern(keep_newlines)
    if pattern.search(text) is None:  # the common case: nothing to do
        return text
    return pattern.sub(_visible, text)


def markup_text(value: object) -> str:
    """``value`` safe to embed in a rich markup string: terminal-neutralised and with
    its square brackets escaped (imports rich: only for callers that use it)."""
    from rich.markup import escape

    return escape(terminal_text(value))


__all__ = ["markup_text", "terminal_text"]
