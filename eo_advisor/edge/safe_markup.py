"""User text made inert in Markdown: the one escaping function of the Markdown report.

Everything a user typed (a business or client name, and any sentence that quotes one)
goes through :func:`markdown_text` before it reaches Markdown, so a name can neither
start a heading, a list or a table cell, nor carry a link, an image, an autolink or raw
HTML into a report meant for clients. Control characters are shown as visible symbols.
"""

from __future__ import annotations

import re

from eo_advisor.edge.unsafe import unsafe_pattern

# the characters that open Markdown (CommonMark + GFM) constructs anywhere in a line:
# code, emphasis, links and images ([ ] !), autolinks and raw HTML (< >), headings (#),
# table cells (|), strikethrough (~). Parentheses only matter after an (escaped) ]; $ is
# left alone so amounts stay readable. A backslash before ASCII punctuation is always a
# valid CommonMark escape.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # &amp; &#60; ... would be decoded
_AUTOLINK = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)|\b(www)\.")  # GFM autolinks: http://, www.
_EMAIL = re.compile(r"@")
_LINE_START = re.compile(r"^(\s*)([-=+>]|\d{1,9}[.)](?=\s|$))")  # list, setext, quote markers at the start


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400..241F control pictures: ␀ ␇ ␛ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls, bidi marks, invisible characters, lone surrogates


_UNSAFE = unsafe_pattern()  # the one class (eo_advisor.edge.unsafe); tab and line breaks are spaces by then


def markdown_text(value: object) -> str:
    """``value`` as literal Markdown text, on one line: safe in a heading, a list item or a
    table cell. Newlines and tabs become spaces; other control characters become visible."""
    text = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    text = _UNSAFE.sub(lambda m: _visible(m.group()), text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _AUTOLINK.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(2)}\\.", text)
    text = _EMAIL.sub(r"\\@", text)
    text = _LINE_START.sub(
        lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text
    )
    return text
