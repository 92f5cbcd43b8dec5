"""Every ``assess`` format over the hostile catalogue (issue 11, "Text that cannot act").

Each catalogue string (tests/hostile.py) is used as the business name and as a
contract's client. Strings the profile refuses (control characters, bidi marks, lone
surrogates, over 200 characters) must be refused naming both fields; every accepted
string goes through every format in ``REGISTRY["assess"]``:

* no format raises;
* no C0/C1 control character reaches csv, text or markdown output (other than the tab
  and line feed a format writes itself), nor a bidi mark the text or markdown output;
* json and toml load back with exactly the name; csv parses back to one header and one
  row, whose name is the name (with the formula guard's apostrophe if it needs one) and
  none of whose cells can start a formula;
* text shows the name as typed (rich markup is not read; no OSC 8 hyperlink in colour);
* markdown, rendered by a CommonMark parser, has the same links, images, raw HTML,
  headings and table cells as the report for a plain name: user text adds none;
* html, parsed, has the same elements and attributes as the report for a plain name.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import sys
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import BASE_PROFILE, deep_merge
from hostile import BIDI_MARKS, FORMULA_START, HOSTILE, INVISIBLE_CHARS, accepted, controls, formula_cells

from eo_advisor.advice import engine
from eo_advisor.advice.options import options
from eo_advisor.errors import ProfileError
from eo_advisor.formats import REGISTRY, Report, get_formatter
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.model import validate
from eo_advisor.rules import load_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = load_rules()
FORMATS = tuple(REGISTRY["assess"])
PLAIN = "Plain Name Co"

ACCEPTED = {k: v for k, v in HOSTILE.items() if accepted(v)}
REFUSED = {k: v for k, v in HOSTILE.items() if not accepted(v)}


def profile_data(name: str) -> dict:
    return deep_merge(BASE_PROFILE, {"business": {"name": name}, "contracts": [{"client": name, "eo_limit": 1_000_000}]})


_reports: dict[tuple[str, str, bool], str] = {}


def report(name: str, fmt: str, *, color: bool = False) -> str:
    """The ``assess`` output in ``fmt`` for the base profile named ``name`` (cached:
    every format is asked for the same few profiles many times)."""
    key = (name, fmt, color)
    if key not in _reports:
        profile = validate(profile_data(name), rules=RULES)
        result = engine.assess(profile, RULES, as_of=datetime.date(2025, 1, 1))
        formatter = get_formatter("assess", fmt)
        opts = options(profile, result) if formatter.wants_options else None
        _reports[key] = formatter.format(Report(result, default_renderer(), profile, opts, datetime.date(2025, 1, 1)), color=color)
    return _reports[key]


def test_the_catalogue_has_both_kinds():
    assert len(ACCEPTED) > 30 and len(REFUSED) > 20
    assert set(FORMATS) == {"text", "json", "toml", "markdown", "csv", "html"}, "a new format: add its checks here"


# ---------------------------------------------------------------------------
# Refused at the door
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(REFUSED.values()), ids=list(REFUSED))
def test_refused_names_are_input_errors_naming_the_field(name):
    with pytest.raises(ProfileError) as info:
        validate(profile_data(name), rules=RULES)
    assert set(info.value.fields) == {"business.name", "contracts[0].client"}


# ---------------------------------------------------------------------------
# Machine formats (this branch)
# ---------------------------------------------------------------------------
names = pytest.mark.parametrize("name", list(ACCEPTED.values()), ids=list(ACCEPTED))


@names
def test_json_reloads_to_the_same_name(name):
    name = name.strip()  # as the profile keeps it
    out = report(name, "json")
    data = json.loads(out)
    assert data["business_name"] == name
    assert [c["client"] for c in data["contracts"]] == [name]
    assert not controls(out) and not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)


@names
def test_toml_reloads_to_the_same_name(name):
    name = name.strip()
    out = report(name, "toml")
    data = tomllib.loads(out)
    assert data["business_name"] == name
    assert [c["client"] for c in data["contracts"]] == [name]
    assert not controls(out.replace("\t", "")) and not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)


@names
def test_csv_is_one_row_with_no_formula_and_no_control(name):
    name = name.strip()
    out = report(name, "csv")
    assert not controls(out) and not INVISIBLE_CHARS.search(out)
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1])
    assert formula_cells(rows) == []
    cell = rows[1][0]
    shown = INVISIBLE_CHARS.sub("\ufffd", name)  # an invisible character shows as U+FFFD
    assert cell in (shown, "'" + shown)
    if name.lstrip("\u200b\ufeff").startswith((*FORMULA_START, "\uff1d")):
        assert cell == "'" + shown


# ---------------------------------------------------------------------------
# Text, markdown, html (the terminal and report branches)
# ---------------------------------------------------------------------------
def compact(text: str) -> str:
    return "".join(text.split())


def plainly_printable(name: str) -> bool:
    """Names the terminal should show character for character (no invisible characters,
    short enough not to be cut in a title)."""
    return len(name) <= 40 and all(c.isprintable() or c == " " for c in name)


@names
@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_text_is_inert_and_shows_the_name(name, color):
    name = name.strip()
    out = report(name, "text", color=color)
    if color:
        assert "\x1b]" not in out and "\x9d" not in out, "an OSC sequence (a hyperlink, a title) from user text"
        return
    assert not controls(out), "a control character reached the terminal"
    assert not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)
    if plainly_printable(name):  # as often as a plain name is shown (title, reasons, contracts)
        plain = compact(report(PLAIN, "text"))
        expected = plain.count(compact(PLAIN)) + plain.count(compact(name))  # and where it occurs anyway ("-1" in a date)
        assert compact(out).count(compact(name)) == expected, "the name is not shown as typed (read as markup?)"


def markdown_structure(text: str) -> Counter:
    """What a markdown report does, as counts of CommonMark tokens (tables on): links,
    images, raw HTML, headings, rules, table cells."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True  # count every link, as a lax renderer would make it
    kinds = {"link_open", "image", "html_inline", "html_block", "heading_open", "hr", "table_open", "th_open", "td_open", "tr_open"}
    counts: Counter = Counter()

    def walk(tokens) -> None:
        for t in tokens:
            if t.type in kinds:
                counts[t.type] += 1
            if t.children:
                walk(t.children)

    walk(md.parse(text))
    return counts


@names
def test_markdown_is_inert(name):
    out = report(name.strip(), "markdown")
    assert not controls(out) and not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)
    assert markdown_structure(out) == markdown_structure(report(PLAIN, "markdown")), "user text changed the report's structure"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.found[tag] += 1
        for attr, value in attrs:
            self.found[f"{tag}[{attr}]"] += 1
            if value and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found["script-url"] += 1

    def handle_comment(self, data):
        self.found["<!--"] += 1


def html_elements(text: str) -> Counter:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser.found


@names
def test_html_is_inert(name):
    out = report(name.strip(), "html")
    assert not controls(out.replace("\r", "")) and not BIDI_MARKS.search(out) and not INVISIBLE_CHARS.search(out)
    assert html_elements(out) == html_elements(report(PLAIN, "html")), "user text added elements or attributes"


def test_the_structure_checks_see_injection():
    """The markdown and html checks would catch what they look for."""
    base = "# Title\n\n| a | b |\n|---|---|\n| c | d |\n"
    assert markdown_structure(base + "[x](javascript:alert(1))") != markdown_structure(base)
    assert markdown_structure(base + "\n![i](http://e/x.png)\n<script>x</script>") != markdown_structure(base)
    page = "<html><body><p>x</p></body></html>"
    assert html_elements(page.replace("x", "<script>alert(1)</script>")) != html_elements(page)
    assert html_elements(page.replace("<p>", "<p onclick='x'>")) != html_elements(page)
