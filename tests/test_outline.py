"""One report outline, thin emitters: what a report says is decided once
(eo_advisor/formats/outline.py) as plain blocks; text, markdown and HTML only write them."""

from __future__ import annotations

import ast
import datetime
import itertools
from pathlib import Path

import pytest
from conftest import DATA, ROOT, deep_merge, load_toml, make_profile

from eo_advisor.advice import engine
from eo_advisor.advice.options import options
from eo_advisor.errors import ProfileError
from eo_advisor.formats import OptionsReport, Report
from eo_advisor.formats import blocks as B
from eo_advisor.formats.options import options_lines
from eo_advisor.formats.outline import BRIEF, DOCUMENT, outline
from eo_advisor.formats.render import Renderer
from eo_advisor.profile.model import validate
from eo_advisor.rules import load_rules

TODAY = datetime.date(2026, 11, 27)
FORMATS = Path(__file__).resolve().parent.parent / "eo_advisor" / "formats"


def _profiles():
    out = [validate(load_toml(p)) for p in sorted((ROOT / "profiles").glob("*.toml"))]
    panel = load_toml(DATA / "broker_panel.toml")
    for entry in panel["profile"]:
        try:
            out.append(validate(deep_merge(panel["base"], entry.get("data", {})), as_of=TODAY))
        except ProfileError:  # a profile the panel keeps to show it is refused
            pass
    policy = {"deductible": 5000, "defense_costs": "non-eroding", "includes_cyber": False, "has_general_liability": False}
    for minimum in (50_000_000, 1_000_000):  # a contract no limit on the ladder meets; one the current policy meets
        out.append(make_profile(work={"contractual_minimum": minimum}, current_policy={"limit": 5_000_000, **policy}))
    return out


class Recording(Renderer):
    """A renderer that notes every message key it words."""

    def __init__(self) -> None:
        super().__init__(load_rules())
        self.used: set[str] = set()

    def __call__(self, reason):
        self.used.add(reason.key)
        return super().__call__(reason)


@pytest.fixture(scope="module")
def outlines():
    say = Recording()
    made = []
    for p in _profiles():
        for explain in (False, True):
            r = engine.assess(p, explain=explain, as_of=TODAY)
            rep = Report(r, say, p, None if r.closing else options(p, r), TODAY)
            made += [outline(rep), outline(rep, brief=True), outline(rep._replace(prepared_on=None))]
            if rep.options is not None:
                made.append(options_lines(OptionsReport(rep.options, say)))
    from eo_advisor.advice.compare import compare
    from eo_advisor.formats.compare import CompareReport, compare_blocks

    examples = _profiles()[:5]
    for a, b in ((examples[0], examples[0]), *itertools.pairwise(examples)):  # the same profile twice, then neighbours
        made.append(compare_blocks(CompareReport(compare(a, b, as_of=TODAY), "a.toml", "b.toml", say)))
    return say, made


def test_every_report_message_is_said_by_the_outline(outlines):
    say, _ = outlines
    report = {k for k in say.messages if k.startswith("report.")}
    unused = sorted(report - say.used)
    assert not unused, f"report.* messages the outline never says: {unused}"


def test_outline_is_plain_blocks(outlines):
    _, made = outlines
    kinds = {B.Title, B.Cards, B.Paragraph, B.Bullets, B.Table, B.KeyValues, B.Grid, B.Chart, B.Sources, B.Section}

    def walk(blocks):
        for b in blocks:
            assert type(b) in kinds, type(b)
            if isinstance(b, B.Section):
                walk(b.blocks)

    for blocks in made:
        walk(blocks)
    assert all(isinstance(made_one[0], B.Title) for made_one in made)


def test_each_section_is_one_builder_in_the_order():
    assert DOCUMENT[0].__name__ == "title" and BRIEF[0].__name__ == "brief_title"
    assert len({b.__name__ for b in DOCUMENT}) == len(DOCUMENT)


@pytest.mark.parametrize("emitter", ["text.py", "markdown.py", "html.py"])
def test_emitters_say_nothing_of_their_own(emitter):
    """An emitter writes syntax: no renderer, no messages, no labels, no domain objects."""
    tree = ast.parse((FORMATS / emitter).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not imported & {"eo_advisor.formats.render", "eo_advisor.formats.labels", "eo_advisor.advice.reasons", "eo_advisor.advice.result"}, (
        imported
    )
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not names & {"result", "render", "say", "default_renderer"}, names & {"result", "render", "say", "default_renderer"}


def test_formats_modules_and_functions_stay_short():
    for path in FORMATS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") <= 450, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 <= 60, f"{path.name}:{node.name}"


# -- issue 18: the report's own fixes --------------------------------------------------
def _report(path="msp-serving-banks", **business):
    data = load_toml(ROOT / "profiles" / f"{path}.toml")
    data["business"].update(business)
    p = validate(data, as_of=TODAY)
    r = engine.assess(p, as_of=TODAY)
    from eo_advisor.formats.render import default_renderer

    return Report(r, default_renderer(), p, options(p, r), TODAY)


def _html(rep):
    from eo_advisor.formats.html import HtmlFormatter

    return HtmlFormatter().format(rep)


def _md(rep):
    from eo_advisor.formats.markdown import MarkdownFormatter

    return MarkdownFormatter().format(rep)


def test_html_report_has_a_strict_content_security_policy():
    import re

    page = _html(_report())
    head = page.split("</head>", 1)[0]
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
    assert meta, head[:500]
    policy = dict(p.strip().split(" ", 1) for p in meta.group(1).split(";"))
    assert policy["default-src"] == "'none'" and policy["style-src"] == "'unsafe-inline'" and policy["img-src"] == "data:"
    assert "script-src" not in policy and "<script" not in page.lower()
    assert head.index("Content-Security-Policy") < head.index("<style>")  # in force before anything it governs


def test_options_grid_fits_a_1200px_window():
    """Without a browser: the grid's narrowest layout, from what cannot wrap. The page is
    at most 960 px wide at 15 px type (about 8.5 px a character, 8 px padding a side); a
    cell's lines wrap between the form and its range, whose text never breaks."""
    import re

    page = _html(_report())
    assert ".cell .r{white-space:nowrap}" in page and ".cell span{display:block;white-space:nowrap}" not in page
    table = re.search(r"<table class='opts'>(.*?)</table>", page).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    columns: dict[int, int] = {}
    for row in rows[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for i, cell in enumerate(cells):
            unbreakable = re.findall(r'<span class="r">(.*?)</span>', cell) or re.sub("<[^>]+>", "", cell).split(" / ")
            columns[i] = max(columns.get(i, 0), *(len(x) for x in unbreakable))
    assert len(columns) == 5  # the widest example: four deductibles
    assert sum(n * 8.5 + 16 for n in columns.values()) <= 960, columns


def test_disclaimer_says_it_is_an_estimate_once():
    rep = _report()
    for text in (_md(rep), _html(rep)):
        assert text.count("An estimate, not a quote") == 1


def test_markdown_escapes_every_text_alike():
    """Our prose and the user's text go through one escaping: E&O is E&O everywhere (an &
    is escaped only where it would start a character reference)."""
    rep = _report(name="R&D; <b>Labs</b> &amp; Co")
    md = _md(rep)
    assert "E\\&O" not in md and "E&O;" in md  # a sentence "...excluded from E&O; ..."
    assert "R&D; \\<b\\>Labs\\</b\\> \\&amp; Co" in md  # the user's markup stays literal
    from markdown_it import MarkdownIt

    shown = MarkdownIt("commonmark").render(md)
    assert "R&amp;D; &lt;b&gt;Labs&lt;/b&gt; &amp;amp; Co" in shown


def test_compare_for_a_client_in_markdown_and_html(tmp_path):
    """compare -f markdown/html: labels, not keys; the contracts diff a row per client;
    the file names escaped like any text."""
    from eo_advisor.advice.compare import compare
    from eo_advisor.formats import REGISTRY, get_formatter
    from eo_advisor.formats.compare import CompareReport
    from eo_advisor.formats.render import default_renderer

    assert {"markdown", "html"} <= set(REGISTRY["compare"])
    a = validate(load_toml(ROOT / "profiles" / "msp-serving-banks.toml"), as_of=TODAY)
    b = validate(load_toml(ROOT / "profiles" / "saas-startup.toml"), as_of=TODAY)
    data = CompareReport(compare(a, b, as_of=TODAY), "a<script>.toml", "b|[x](javascript:1).toml", default_renderer())
    md = get_formatter("compare", "markdown").format(data)
    page = get_formatter("compare", "html").format(data)
    for text in (md, page):
        assert "business.annual_revenue" not in text and "limit.per_claim" not in text and "Annual revenue" in text
        assert "Limit per claim" in text and "First Regional Bank" in text and "Lakeshore Credit Union" in text
    assert "<script" not in page and "a&lt;script&gt;.toml" in page and "Content-Security-Policy" in page
    assert "a\\<script\\>.toml" in md and "b\\|\\[x\\](javascript:1).toml" in md  # no link: its brackets are escaped
    contracts = md.split("### Client contracts", 1)[1]
    assert contracts.count("\n| First Regional Bank |") == 1 and "E&O limit required: $5,000,000" in contracts
