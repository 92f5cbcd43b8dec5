"""User text made inert in HTML: :func:`escape` is :func:`html.escape` (quotes
included) after every unsafe character (:mod:`eo_advisor.edge.unsafe`: controls,
bidi marks, zero-width and tag characters, the BOM, soft hyphen) but tab and line
feed has become U+FFFD, so nothing in a report reads differently from what it is."""

from __future__ import annotations

import html

from eo_advisor.edge.unsafe import unsafe_pattern

_UNSAFE = unsafe_pattern(keep="\t\n")


def escape(value: str, quote: bool = True) -> str:
    text = value if value.isascii() and value.isprintable() else _UNSAFE.sub("\ufffd", value)
    return html.escape(text, quote=quote)


__all__ = ["escape"]
