"""The hostile catalogue (issue 11): strings that try to act on whatever shows them.

One place, imported by every output-safety test (``from hostile import HOSTILE``):
CSV, JSON lines, TOML and batch here (tests/test_output_safety.py,
tests/test_machine_outputs.py), terminal text, markdown and HTML in the tests of those
formats. Each entry has an id (for ``pytest.mark.parametrize(..., ids=...)``) and a
string; the groups say what the string attacks. Some are refused by the profile
(control characters, bidi marks, lone surrogates: see ``profile.parse_text``) and
are meant for places that take text unchecked (batch ids, file names, error
messages, key names); :func:`accepted` tells which.

The input-side fuzz catalogue (tests/test_fuzz.py) is about parsing; this one is
about output.
"""

from __future__ import annotations

import re

import pytest

# terminal: escape sequences, C0/C1 controls that move the cursor, retitle, ring
TERMINAL = {
    "esc-clear-screen": "\x1b[2J\x1b[HAcme",
    "esc-colour": "\x1b[31mred\x1b[0m Ltd",
    "osc8-hyperlink": "\x1b]8;;http://evil.example\x1b\\click me\x1b]8;;\x1b\\",
    "osc8-hyperlink-bel": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "osc-window-title": "\x1b]0;pwned\x07Acme",
    "bell": "Acme\x07\x07",
    "backspace-overwrite": "Acme\x08\x08\x08\x08Evil",
    "cr-overwrite": "Safe Co\rEvil Co",
    "c1-csi": "\x9b31mred",
    "c1-osc": "\x9d0;title\x9c",
    "nel": "Acme\x85Ltd",
    "del": "Acme\x7f",
    "nul": "Acme\x00Ltd",
    "vertical-tab-form-feed": "Acme\x0b\x0cLtd",
}
# line breaks and separators: split rows, lines and records
LINES = {
    "lf": "Acme\nLtd",
    "cr": "Acme\rLtd",
    "crlf": "Acme\r\nLtd",
    "lf-formula": "\n=cmd|' /C calc'!A0",
    "cr-formula": "Acme\r=1+1",
    "crlf-formula": "Acme\r\n@SUM(A1)",
    "line-separator": "Acme\u2028Ltd",
    "paragraph-separator": "Acme\u2029Ltd",
    "forged-ok-line": "x\nok: fake.toml",  # issue 18: a file name forging a `profile validate` line
}
# bidi and invisible characters: text that reads differently from what it is
BIDI = {
    "rlo": "\u202eevil\u202c",
    "rli-isolate": "\u2067gnp.exe\u2069",
    "lrm-rlm": "Acme\u200e\u200f",
    "arabic-letter-mark": "Acme\u061c",
}
INVISIBLE = {
    "zero-width-space": "Ac\u200bme",
    "zero-width-joiner": "Ac\u200dme",
    "bom": "\ufeffAcme",
    "soft-hyphen": "Ac\u00adme",
    "nbsp": "Acme\u00a0Ltd",
    # issue 18: invisible characters that still reached HTML, markdown, JSON and CSV raw
    "tag-characters": "Acme\U000e0049\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065",  # "ASCII smuggling"
    "tag-cancel": "Acme\U000e007f",
    "word-joiner": "Ac\u2060me",
    "invisible-times": "Ac\u2062me",
    "zero-width-non-joiner": "Ac\u200cme",
    "mongolian-vowel-separator": "Ac\u180eme",
    "bom-inside": "Ac\ufeffme",
    "interlinear-annotation": "\ufff9Acme\ufffaA\ufffb",
    "soft-hyphens-only": "\u00ad\u00ad",
}
# rich console markup and emoji codes
RICH = {
    "rich-close-tag": "[/bold]",
    "rich-brackets": "Smith [and] Co",
    "rich-link": "[link=http://evil.example]Acme[/link]",
    "rich-style": "[bold red on white blink]ALERT",
    "rich-emoji-code": "Acme :skull: Ltd",
    "rich-escaped": "\\[not markup]",
}
# markdown: links, images, raw HTML, structure
MARKDOWN = {
    "md-js-link": "[x](javascript:alert(1))",
    "md-image": "![i](http://e/x.png)",
    "md-autolink": "<http://evil.example>",
    "md-reference": "[x][1] [1]: http://evil.example",
    "md-table-pipe": "| a | b |",
    "md-heading": "# Heading",
    "md-emphasis": "*bold* _it_ `code` ~~s~~",
    "md-rule": "---",
    "md-html-img": "<img src=x onerror=alert(1)>",
    "md-backslash": "Acme\\",
}
# HTML
HTML = {
    "script": "<script>alert(1)</script>",
    "attr-break": '"><svg onload=alert(1)>',
    "attr-break-single": "' onmouseover='alert(1)",
    "entity": "&lt;b&gt; &amp; &#x3c;",
    "comment": "<!-- x -->",
}
# spreadsheets: OWASP CSV injection, plus the whitespace and invisible tricks
FORMULAS = {
    "equals": "=1+1",
    "hyperlink": '=HYPERLINK("http://evil.example","click")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+1",
    "minus": "-1",
    "at": "@SUM(A1)",
    "tab-equals": "\t=1",
    "cr-equals": "\r=1+1",
    "space-equals": " =1+1",
    "nbsp-equals": "\u00a0=1+1",
    "zero-width-equals": "\u200b=1+1",
    "bom-equals": "\ufeff=1+1",
    "fullwidth-equals": "\uff1d1+1",
    "inner-equals": "Acme =1+1",
}
# CSV and JSON structure
QUOTING = {
    "comma": "Acme, Inc.",
    "double-quotes": '"Acme" Ltd',
    "lone-quote": 'Acme"',
    "single-quotes": "O'Brien's",
    "semicolon": "a;b;c",
    "json-break": '"}, {"id": "x',
    "toml-break": 'x"\nschema_version = 2\n#',
    "backslashes": "C:\\new\\table",
}
# size and Unicode that is fine but easy to get wrong
UNICODE = {
    "long-200": "A" * 199 + "Z",  # MAX_TEXT_CHARS: the longest name accepted
    "long-201": "B" * 201,
    "long-10k": "C" * 10_000,
    "emoji": "Acme \U0001f4bb\U0001f525 Ltd",
    "combining": "Ame\u0301lie Cafe\u0301",
    "rtl-text": "\u0634\u0631\u0643\u0629 \u0627\u0644\u0623\u0645\u0646",
    "cjk": "株式会社エイクミ",
    "replacement-char": "Acme\ufffd",
    "lone-surrogate": "Acme\ud800",
}

GROUPS = {
    "terminal": TERMINAL,
    "lines": LINES,
    "bidi": BIDI,
    "invisible": INVISIBLE,
    "rich": RICH,
    "markdown": MARKDOWN,
    "html": HTML,
    "formulas": FORMULAS,
    "quoting": QUOTING,
    "unicode": UNICODE,
}
HOSTILE: dict[str, str] = {k: v for group in GROUPS.values() for k, v in group.items()}
assert len(HOSTILE) == sum(map(len, GROUPS.values())), "ids must be unique"

#: What a spreadsheet may run a cell for (OWASP): a cell must not start with these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

#: C0 and C1 control characters and DEL, except tab and LF (which formats use).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidi embedding/override/isolate marks.
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Invisible characters (issue 18): soft hyphen, zero-width, word joiner, invisible
#: operators, BOM, interlinear annotation, tag characters. Written out independently
#: of eo_advisor.edge.unsafe, so the test does not trust the class it checks.
INVISIBLE_CHARS = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")


def controls(text: str) -> list[str]:
    """The control characters (other than tab and LF) in ``text``."""
    return CONTROL.findall(text)


def formula_cells(rows: list[list[str]]) -> list[str]:
    """The cells of parsed CSV rows that a spreadsheet could run as a formula."""
    return [c for row in rows for c in row if c.startswith(FORMULA_START)]


def accepted(text: str) -> bool:
    """Does the profile accept ``text`` as a name (business.name, a contract's client)?"""
    from eo_advisor.profile.parse import parse_text

    try:
        parse_text(text)
    except ValueError:
        return False
    return True


def params(items: dict[str, str] | None = None) -> list:
    """``pytest.param(text, id=name)`` for every entry (or those of one group)."""
    return [pytest.param(v, id=k) for k, v in (HOSTILE if items is None else items).items()]


__all__ = [
    "BIDI",
    "BIDI_MARKS",
    "CONTROL",
    "FORMULAS",
    "FORMULA_START",
    "GROUPS",
    "HOSTILE",
    "HTML",
    "INVISIBLE",
    "INVISIBLE_CHARS",
    "LINES",
    "MARKDOWN",
    "QUOTING",
    "RICH",
    "TERMINAL",
    "UNICODE",
    "accepted",
    "controls",
    "formula_cells",
    "params",
]
