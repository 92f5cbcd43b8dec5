"""The client report (html, and markdown to match): written for people, printable in at
most 3 pages, readable at 400 px, and safe whatever a user typed.

Browser checks run headless Chromium on a TEST copy of the report (a page size, or an
iframe harness whose script measures it); the shipped report has no script.
"""

from __future__ import annotations

import datetime
import html as htmllib
import itertools
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, load_toml
from markdown_it import MarkdownIt

from eo_advisor import __version__
from eo_advisor.advice import engine
from eo_advisor.advice.options import options
from eo_advisor.edge.safe_markup import markdown_text
from eo_advisor.formats import Report
from eo_advisor.formats import labels as L
from eo_advisor.formats.html import BAR_NON_ERODING, HtmlFormatter, tick_step
from eo_advisor.formats.markdown import MarkdownFormatter
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.model import validate

MSP = ROOT / "profiles" / "msp-serving-banks.toml"
WEB = ROOT / "profiles" / "freelance-web-developer.toml"
SOLO = ROOT / "profiles" / "it-support-solo.toml"
TODAY = datetime.date(2026, 11, 25)
say = default_renderer()


def report(path=WEB, *, explain=False, **business):
    data = load_toml(path)
    data["business"].update(business)
    p = validate(data)
    r = engine.assess(p, explain=explain, as_of=TODAY)
    return Report(r, say, p, options(p, r), TODAY)


def both(rep):
    return HtmlFormatter().format(rep), MarkdownFormatter().format(rep)


@pytest.fixture(scope="module")
def reports():
    return {name: both(report(path)) for name, path in (("msp", MSP), ("web", WEB), ("solo", SOLO))}


# -- written for the client and their broker ------------------------------------------------
def test_title_and_prepared_line(reports):
    rules = report().result.rules_version
    for text in reports["web"]:
        assert "Technology E&amp;O insurance: Pixel &amp; Pine Web Studio" in text or "# Technology E&O insurance: Pixel & Pine Web Studio" in text
        assert f"Prepared on 25 November 2026 with eo-advisor {__version__}, rules {rules}" in text


@pytest.mark.parametrize("name", ["msp", "web", "solo"])
def test_no_keys_or_ids_anywhere(reports, name):
    for text in reports[name]:
        for raw in (
            "web_development",
            "managed_services",
            "practices.",
            "cost_to_complete",
            "workers_compensation",
            "employment_practices",
            "contracts_limit_liability",
            "offline_backups",
            "current_policy.",
            "work.",
            "eroding-acceptable",
            "shared/",
            "docs/methodology",
            ".txt",
            "claims_history",
            "client_industries",
            "{'",
            "True",
            "False",
        ):
            assert raw not in text, (name, raw)
        assert not re.search(r"\bNone\b(?! found)", text), name


def test_labels_for_gaps_severity_factors_and_defense(reports):
    html, md = reports["msp"]
    for text in (html, md):
        for label in (
            "Crime / social engineering",
            "Employment practices",
            "Workers' compensation",
            "Outside the limit (non-eroding)",
            "Risk-management practices",
            "Years of prior acts",
            "Client industries",
            "High",
            "Medium",
            "reviewed limitation-of-liability clauses",
            "multi-factor authentication",
        ):
            assert label in text.replace("&#x27;", "'"), label
    web_html, web_md = reports["web"]
    assert "Media / IP liability" in web_html and "Cost to complete" in web_md and "Web design &amp; development" in web_html


def test_answers_are_questions_and_plain_answers(reports):
    html, md = reports["msp"]
    for text in (html, md):
        assert "Annual revenue" in text and "$3,800,000" in text and "Annual revenue (USD)" not in text
        assert "Do you work at client premises or install hardware?" in text
        assert "Managed services (MSP)" in text and "Finance / banking / insurance" in text
        assert "1 March 2019" in text  # the retroactive date
    web_html, _ = reports["web"]
    assert "Retroactive date" not in web_html  # no current policy: nothing unset is shown
    rows = dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", web_html))
    assert rows["Do you handle personal, health or payment data of your clients&#x27; customers?"] == "Yes"
    assert rows["Do you sell your own software product, SaaS or licensed IP?"] == "No"


def test_sources_are_titles_and_only_web_urls_are_links(reports):
    html, md = reports["msp"]
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "http://", "#src-")) for h in hrefs)
    # the page that states the figure (issue 16: sources a client can follow), linked
    assert '<a href="https://www.insureon.com/small-business-insurance/errors-omissions/cost">Insureon, E&amp;O cost' in html
    assert "An increased-limit curve against $1M" in html  # no public page: shown by its title alone
    assert "[Insureon, E&O cost for small businesses" in md or "[Insureon, E\\&O cost for small businesses" in md
    assert "(<https://www.insureon.com/small-business-insurance/errors-omissions/cost>)" in md
    assert not re.search(r"\]\((?!<https?://)", md)


@pytest.mark.parametrize("name", ["msp", "web", "solo"])
def test_one_disclaimer(reports, name):
    for text in reports[name]:
        assert text.count("An estimate, not a quote") == 1  # said once (the premium basis opens with it)
        assert text.count("it is not insurance advice") == 1


def test_options_cells_are_labelled_and_marked(reports):
    html, md = reports["msp"]
    cells = re.findall(r'<td class="cell[^"]*">(.*?)</td>', html)
    assert cells and all("<i>eroding</i>" in c and "<i>non-eroding</i>" in c for c in cells)
    assert "✗" in html and "does not meet a client contract" in html
    rows = [line for line in md.splitlines() if line.startswith("| $") and "<br>" in line]
    assert rows and all(line.count("non-eroding") == line.count("<br>") for line in rows)


def test_chart_has_round_ticks_and_values_on_the_bars(reports):
    for name in ("msp", "web"):
        html = reports[name][0]
        svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group()
        ticks = [int(x.replace(",", "")) for x in re.findall(r'text-anchor="(?:start|middle|end)">\$([\d,]+)</text>', svg)]
        step = ticks[1] - ticks[0]
        assert ticks[0] == 0 and len(ticks) >= 3 and all(b - a == step for a, b in itertools.pairwise(ticks))
        mantissa = step / 10 ** (len(str(step)) - 1)
        assert mantissa in (1, 2, 2.5, 5), step
        values = re.findall(r"<text[^>]*>(\$[\d,]+–\$[\d,]+)</text>", svg)
        assert len(values) == 2 * svg.count("<rect") // 2 and len(values) >= 6


@pytest.mark.parametrize(("top", "step"), [(660, 200), (1630, 500), (19_330, 5000), (31_280, 10_000), (4000, 1000), (1, 1)])
def test_tick_step_is_a_nice_number(top, step):
    assert tick_step(top) == step


def test_gap_limits_and_tail_prices(reports):
    html, md = reports["web"]
    assert "$1,000,000 (first and third party)" in html and "$1,000,000 (first and third party)" in md
    solo = report(SOLO)
    assert solo.result.tail
    shtml, smd = reports["solo"]
    for t in solo.result.tail:
        price = f"{L.usd(t.low)}–{L.usd(t.high)}"
        assert price in shtml and price in smd
    assert "Extended reporting period (tail)" in shtml and "Extended reporting period (tail)" in smd


def test_explain_adds_a_readable_appendix():
    html, md = both(report(MSP, explain=True))
    for text in (html, md):
        assert "Appendix: how this was worked out" in text
        # the MSP's bank clients carve breaches out of its reviewed contracts' caps: x2 applies
        assert "Consequential damages factor" in text and "×2" in text and "$5,000,000" in text
        assert not re.search(
            r"\{'|\[\{|=True|\(\d{4,}, |\b\d{5,}\b", re.sub(r"https?://[^\s\"<>]+", "", text)
        )  # a page id in a URL is not a raw number
    assert "Appendix" not in both(report(MSP))[0]


# -- markdown: user text cannot become markup ----------------------------------------------
HOSTILE = [
    "[x](javascript:alert(1))",
    "![i](http://evil/x.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Acme | Evil | Co",
    "# Heading *bold* _it_ `code` ~~del~~",
    "- list\n# heading\n\n<div>",
    "Visit www.evil.example or http://evil.example",
    "mail me@evil.example",
    "&lt;script&gt; &#60;b&#62;",
    "back\\slash \\[x\\](y)",
    "bell\x07 esc\x1b[31m del\x7f nul\x00 bidi\u202eevil",
    "[ref]: http://evil.example",
    "1. ordered",
    "> quote",
]


def _render(md: str) -> str:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").render(md)


@pytest.mark.parametrize("name", HOSTILE)
def test_markdown_text_is_inert(name):
    rendered = _render(f"# {markdown_text(name)}\n\n| a |\n|---|\n| {markdown_text(name)} |\n\n- {markdown_text(name)}\n")
    assert not re.search(r"<(a|img|script|div|em|strong|code|del|h[2-6]|ol|blockquote)\b", rendered), rendered
    assert rendered.count("<h1>") == 1 and rendered.count("<li>") == 1 and rendered.count("<td>") == 1
    text = htmllib.unescape(re.search(r"<h1>(.*?)</h1>", rendered).group(1))
    expected = re.sub(r"\s+", " ", name.replace("\n", " "))
    expected = "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 else "\u2421" if c == "\x7f" else "\ufffd" if c == "\u202e" else c for c in expected)
    assert re.sub(r"\s+", " ", text).strip() == expected.strip()  # the name, shown literally
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', rendered))


@pytest.mark.parametrize(
    "name", [n for n in HOSTILE if not re.search("[\\x00-\\x1f\\x7f\\u202e]", n)]
)  # profiles refuse control characters; the escaper is tested above
def test_markdown_report_escapes_business_and_client_names(name):
    data = load_toml(MSP)
    data["business"]["name"] = name
    data["contracts"][0]["client"] = name
    p = validate(data)
    r = engine.assess(p, as_of=TODAY)
    md = MarkdownFormatter().format(Report(r, say, p, options(p, r), TODAY))
    rendered = _render(md)
    assert not re.search(r"<(img|script|div)\b", rendered)
    links = re.findall(r'<a href="([^"]*)"', rendered)
    assert all(h.startswith("https://") for h in links)  # only the sources' own links
    assert len(links) == sum(1 for s in L.sources_of(r, say) if s["link"])
    assert rendered.count("<h1>") == 1
    table: list[int] = []  # unescaped pipes per row: a name never adds a cell
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(len(re.findall(r"(?<!\\)\|", line)))
        elif table:
            assert len(set(table)) == 1, table
            table = []
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", md)


# -- in a real browser ------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)")


def _flags(tmp: Path, name: str) -> list[str]:
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / ('profile-' + name)}",
    ]


def _run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Chromium runs in parallel: each has its own profile directory."""
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    done = []
    for c, p in zip(commands, procs, strict=False):
        out, err = p.communicate(timeout=90)
        done.append(subprocess.CompletedProcess(c, p.returncode, out, err))
    return done


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, reports):
    tmp = tmp_path_factory.mktemp("report")
    files = {}
    for name in ("msp", "web"):
        files[name] = tmp / f"{name}.html"
        files[name].write_text(reports[name][0])
    return tmp, files


@needs_chromium
def test_prints_in_at_most_three_pages_letter_and_a4(shipped):
    tmp, files = shipped
    commands, pdfs = [], []
    for name, path in files.items():
        for size in ("letter", "A4"):
            copy = tmp / f"{name}-{size}.html"  # the test copy names the paper; the report leaves it to the printer
            copy.write_text(path.read_text().replace("</head>", f"<style>@page{{size:{size}}}</style></head>", 1))
            pdf = tmp / f"{name}-{size}.pdf"
            pdfs.append((name, size, pdf))
            commands.append([*_flags(tmp, f"{name}-{size}"), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", copy.as_uri()])
    for done in _run_all(commands):
        assert done.returncode == 0, done.stderr[-2000:]
    counts = {(name, size): _pages(pdf.read_bytes()) for name, size, pdf in pdfs}
    assert all(2 <= n <= 3 for n in counts.values()), counts


HARNESS = """<!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="width:400px;height:900px;border:0" srcdoc="{src}"></iframe>
<script>
var f = document.getElementById("f");
f.onload = function () {{
  var d = f.contentDocument, w = f.contentWindow;
  var sizes = [].map.call(d.querySelectorAll("svg text"), function (t) {{ return t.getBoundingClientRect().height ? parseFloat(w.getComputedStyle(t).fontSize) : 99; }});
  var wide = [].filter.call(d.querySelectorAll("body *"), function (e) {{ return e.getBoundingClientRect().right > d.documentElement.clientWidth + 0.5 && !e.closest(".scroll"); }});
  document.body.setAttribute("data-result", JSON.stringify({{client: d.documentElement.clientWidth, scroll: d.documentElement.scrollWidth,
    font: Math.min.apply(null, sizes), svg: d.querySelector("svg.chart").getBoundingClientRect().width, wide: wide.map(function (e) {{ return e.tagName; }})}}));
}};
</script></body></html>"""


@needs_chromium
def test_nothing_is_wider_than_a_400px_screen(shipped):
    # Chromium will not open a window narrower than 500 px, so the report goes in a
    # 400 px iframe; the harness (the test's own page) measures it
    tmp, files = shipped
    commands = []
    for name, path in files.items():
        page = tmp / f"{name}-narrow.html"
        page.write_text(HARNESS.format(src=htmllib.escape(path.read_text(), quote=True)))
        commands.append([*_flags(tmp, f"{name}-narrow"), "--virtual-time-budget=5000", "--dump-dom", page.as_uri()])
    for done in _run_all(commands):
        assert done.returncode == 0, done.stderr[-2000:]
        found = re.search(r'data-result="([^"]*)"', done.stdout)
        assert found, done.stdout[-1000:]
        m = json.loads(htmllib.unescape(found.group(1)))
        assert m["client"] <= 400 and m["scroll"] <= m["client"], m  # no horizontal scroll of the page
        assert m["wide"] == [], m
        assert m["svg"] <= m["client"] and m["font"] >= 11, m


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit RGB/RGBA, not interlaced): width, height, bytes per pixel, rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and not interlace
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=False))
        elif f == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def _pixels(rows, bpp, x0, y0, x1, y1):
    for y in range(y0, y1):
        row = rows[y]
        for x in range(x0, x1):
            yield tuple(row[x * bpp : x * bpp + 3])


@needs_chromium
def test_screenshot_shows_the_title_band_and_the_chart_bars(shipped):
    tmp, files = shipped
    # a test copy that also reports where the title band and the chart are on the page
    # (the report's Content-Security-Policy forbids scripts: the probe copy drops it)
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", files["msp"].read_text()).replace(
        "</body>",
        """<script>
function box(e){var r=e.getBoundingClientRect();return [r.left,r.top,r.right,r.bottom].map(Math.round)}
document.body.setAttribute("data-boxes", JSON.stringify({header: box(document.querySelector("header")), chart: box(document.querySelector("svg.chart"))}))
</script></body>""",
    )
    page = tmp / "probe.html"
    page.write_text(probe)
    shot = tmp / "report.png"
    dom, _ = _run_all(
        [
            [*_flags(tmp, "dom"), "--window-size=1000,3600", "--dump-dom", page.as_uri()],
            [*_flags(tmp, "shot"), "--hide-scrollbars", "--window-size=1000,3600", f"--screenshot={shot}", files["msp"].as_uri()],
        ]
    )
    boxes = json.loads(htmllib.unescape(re.search(r'data-boxes="([^"]*)"', dom.stdout).group(1)))
    w, h, bpp, rows = read_png(shot.read_bytes())
    assert (w, h) == (1000, 3600)  # tall enough for the MSP report with its round-3 findings and contract notes
    hx0, hy0, hx1, hy1 = boxes["header"]
    cx0, cy0, cx1, cy1 = boxes["chart"]
    assert cy1 <= h, boxes  # the chart is inside the screenshot
    band = list(_pixels(rows, bpp, hx0 + 2, hy0 + 2, hx1 - 2, hy1 - 2))
    dark = sum(1 for p in band if sum(p) < 300)  # the title's letters
    tint = sum(1 for p in band if p == (0xEE, 0xF4, 0xFA))  # the band's background
    assert dark > 300 and tint > len(band) // 3, (dark, tint, len(band))
    bar = tuple(int(BAR_NON_ERODING[i : i + 2], 16) for i in (1, 3, 5))
    chart = list(_pixels(rows, bpp, cx0, cy0, cx1, cy1))
    assert sum(1 for p in chart if max(abs(a - b) for a, b in zip(p, bar, strict=False)) <= 3) > 2000  # the bars, in the bar colour
    below = list(_pixels(rows, bpp, 0, min(h - 1, cy1 + 400), w, min(h, cy1 + 420)))
    assert any(p != (255, 255, 255) for p in below)  # the page goes on below the chart (not a blank render)
