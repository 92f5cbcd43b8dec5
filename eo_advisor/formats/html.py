"""A self-contained HTML report a consultant can send to a client or a broker.

Written for people: labels, never ids; sources as titles with links; one disclaimer.
No network fetches: the CSS is inline, the chart is inline SVG, there are no scripts,
fonts or images to load. Every text is escaped. Printed (Letter or A4) the summary is
on page 1 and a typical report takes at most 3 pages; at 400 px nothing is wider than
the screen (tables scroll inside their own box, the chart's text keeps its size).
"""

from __future__ import annotations

from html import escape
from typing import Any

from eo_advisor import __version__
from eo_advisor.formats import Report
from eo_advisor.formats import labels as L
from eo_advisor.formats.labels import usd

BAR_ERODING = "#5b8fc7"
BAR_NON_ERODING = "#0b4f8a"

CSS = """
*{box-sizing:border-box}
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;max-width:960px;margin:1.5em auto;padding:0 1em;overflow-wrap:break-word}
h1,header p{overflow-wrap:anywhere}
header{border-left:6px solid #0b4f8a;background:#eef4fa;padding:.7em 1em;border-radius:4px}
h1{font-size:1.55em;margin:0 0 .15em;color:#0b2f52}h2{font-size:1.15em;margin:1.4em 0 .45em;border-bottom:2px solid #dfe6ee;padding-bottom:.15em}
h3{font-size:1em;margin:.8em 0 .3em}
.sub{color:#4d5d6e;margin:.15em 0}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:.7em;margin:.9em 0}
.card{border:1px solid #dfe6ee;border-radius:8px;padding:.6em .8em;background:#f7fafc}.card b{display:block;font-size:1.25em;color:#0b4f8a}
.why{columns:2 300px;column-gap:.7em}.box{border:1px solid #dfe6ee;border-radius:8px;padding:.2em .8em;margin-bottom:.7em;break-inside:avoid}
.box h3{margin:.5em 0 .2em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #dfe6ee;padding:.3em .5em;text-align:left;vertical-align:top}
thead th,tr.head th{background:#f0f4f8}td.num,th.num{text-align:right;white-space:nowrap}.rec{background:#e3f1ff;font-weight:600}.below{color:#7b8794}
.cell span{display:block;white-space:nowrap}.cell i{font-style:normal;color:#4d5d6e;font-size:.85em}
.sev{font-weight:700;white-space:nowrap}.high{color:#b3261e}.medium{color:#a15c00}.low{color:#2a6f97}.info{color:#4d5d6e}
ul{padding-left:1.2em;margin:.3em 0}li{margin:.15em 0}
.disclaimer{border-left:4px solid #a15c00;background:#fff8ec;padding:.6em .9em;margin:1.2em 0}
small,.src,.note{color:#4d5d6e;font-size:.85em}
.answers{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 1em}
.answers table th{width:62%;font-weight:normal;background:none}
figure{margin:.5em 0}svg.chart{display:block;width:100%;overflow:visible}svg.chart text{font:12px sans-serif;fill:#1d2733}
svg.chart text.in{fill:#fff}.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;border-radius:2px;margin:0 .25em 0 .6em}
.appendix{break-before:page}
@page{margin:10mm 11mm 11mm}
@media print{
 body{font-size:8.2pt;line-height:1.25;max-width:none;margin:0;padding:0}
 header,.card,.rec,.key,.disclaimer,thead th,tr.head th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{font-size:1.15em;margin:.8em 0 .25em;break-after:avoid}h3{margin:.4em 0 .15em;break-after:avoid}
 header{padding:.4em .8em}.box{margin-bottom:.5em}.box ul{margin:.15em 0 .4em}
 .opts,.answers,.src{font-size:7.5pt}.answers h3{margin:.3em 0 .1em}
 .cards{grid-template-columns:repeat(4,1fr);gap:.5em;margin:.6em 0}.card b{font-size:1.15em}
 .answers{display:block;columns:3;column-gap:.8em}.answers>div{break-inside:avoid}.answers table th{width:60%}
 ol.src{columns:2;column-gap:1.5em}
 .scroll{overflow:visible}
 th,td{padding:.1em .3em}li{margin:.05em 0}
 header,.card,.box,tr,li,figure,.disclaimer,.answers>div,.keep{break-inside:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    """A table inside a box that scrolls sideways on a narrow screen (``head`` is markup)."""
    th = "".join(f"<th>{h}</th>" for h in head)
    return f'<div class="scroll"><table{f" class={cls!r}" if cls else ""}><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _chart(points: list[tuple[int, int, int, int, int, bool]]) -> str:
    """Premium range per limit (eroding bar, non-eroding bar), as inline SVG.

    Horizontal bars; x positions in percent and y in pixels, so the chart takes the
    page's width while its text keeps its 12 px size at any width (no viewBox scaling).
    Each bar runs to the high estimate and is labelled with the range.
    """
    if not points:
        return ""
    top_value = max(max(p[2], p[4]) for p in points) or 1
    step = L.tick_step(top_value)
    axis_max = step * -(-top_value // step)
    left, right = 22.0, 97.0  # plot area, % of the width
    row, bar, gap, top = 40, 15, 2, 4
    height = top + row * len(points) + 28

    def x(v: float) -> float:
        return left + (right - left) * v / axis_max

    parts = [f'<svg class="chart" role="img" aria-label="Estimated annual premium by limit" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    plot_bottom = top + row * len(points)
    for i in range(0, int(axis_max // step) + 1):
        v = i * step
        parts.append(f'<line x1="{x(v):.2f}%" x2="{x(v):.2f}%" y1="{top}" y2="{plot_bottom}" stroke="#e1e8ef"/>')
        anchor = "start" if i == 0 else ("end" if v == axis_max else "middle")
        parts.append(f'<text x="{x(v):.2f}%" y="{plot_bottom + 16}" text-anchor="{anchor}">{_e(usd(v))}</text>')
    for i, (limit, elow, ehigh, nlow, nhigh, rec) in enumerate(points):
        y0 = top + row * i + (row - 2 * bar - gap) / 2
        label = usd(limit) + (" ★" if rec else "")
        weight = ' font-weight="bold"' if rec else ""
        parts.append(f'<text x="0" y="{y0 + bar + gap / 2 + 4:.0f}"{weight}>{_e(label)}</text>')
        for j, (lo, hi, color, form) in enumerate(((elow, ehigh, BAR_ERODING, "eroding"), (nlow, nhigh, BAR_NON_ERODING, "non-eroding"))):
            by = y0 + j * (bar + gap)
            w = max(x(hi) - left, 0.4)
            text = f"{usd(lo)}–{usd(hi)}"
            parts.append(
                f'<rect x="{left}%" y="{by:.0f}" width="{w:.2f}%" height="{bar}" fill="{color}" rx="2"><title>{form}: {_e(text)}</title></rect>'
            )
            inside = hi / axis_max > 0.62  # long bar: the value inside it, else just after it
            tx, anchor, dx, cls = (x(hi), "end", -4, ' class="in"') if inside else (x(hi), "start", 4, "")
            parts.append(f'<text{cls} x="{tx:.2f}%" dx="{dx}" y="{by + bar - 4:.0f}" text-anchor="{anchor}">{_e(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


class HtmlFormatter:
    name = "html"
    wants_options = True

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        r, say, profile, opts = report.result, report.render, report.profile, report.options
        name = r.business_name
        title = f"Technology E&O insurance: {name}" if name else "Technology E&O insurance recommendation"
        prepared = (
            f"Prepared on {L.long_date(report.prepared_on)} with eo-advisor {__version__}, rules {r.rules_version}"
            if report.prepared_on
            else f"Prepared with eo-advisor {__version__}, rules {r.rules_version}"
        )
        sources = L.sources_of(r, say)
        number = {s["id"]: s["n"] for s in sources}
        dc = r.defense_costs
        h: list[str] = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
            f'<header><h1>{_e(title)}</h1><p class="sub">Technology errors &amp; omissions (professional liability): a recommendation to discuss with your broker.</p>'
            f'<p class="sub prepared">{_e(prepared)}</p></header>',
            '<section class="summary"><div class="cards">',
        ]
        if r.closing:
            plan, tail = say.closing_summary(r.tail)
            h += [f'<div class="card">Plan<b>Closing: buy a tail</b>{_e(plan)}</div>', f'<div class="card">Tail<b>Paid once</b>{_e(tail)}</div>']
        else:
            h += [
                f'<div class="card">Limit<b>{_e(usd(r.limit.per_claim))}</b>per claim, {_e(usd(r.limit.aggregate))} aggregate</div>',
                f'<div class="card">Deductible<b>{_e(usd(r.deductible.amount))}</b>per claim</div>',
                '<div class="card">Defense costs<b>{}</b>{}</div>'.format(
                    *(_e(x[:1].upper() + x[1:]) for x in say.defense_summary(dc, r.limit.per_claim))
                ),
                f'<div class="card">Premium estimate<b>{_e(usd(r.premium.low))}–{_e(usd(r.premium.high))}</b>a year ({_e(say.premium_caveat(r.premium))})</div>',
            ]
        h.append("</div>")
        if r.gaps:
            h.append(
                "<p><b>Also consider:</b> "
                + _e(
                    ", ".join(f"{L.COVERAGE.get(g.coverage, L.words(g.coverage))} ({L.SEVERITY.get(g.severity, g.severity).lower()})" for g in r.gaps)
                )
                + ".</p>"
            )
        h.append("</section>")
        if not r.closing:  # a closing business buys no new policy: no terms or gaps to explain
            h += ["<h2>Why this recommendation</h2>", '<div class="why">']
            for heading, reasons in (("Limit", r.limit.reasons), ("Deductible", r.deductible.reasons), ("Defense costs", dc.reasons)):
                h.append(f'<div class="box"><h3>{heading}</h3>{_list([say(x) for x in reasons])}</div>')
            h.append("</div>")
            h.append("<h2>Coverage gaps</h2>")
            if r.gaps:
                rows = []
                for g in r.gaps:
                    limit = usd(g.suggested_limit) + (f" ({g.parties})" if g.parties else "") if g.suggested_limit else "Ask your broker"
                    rows.append(
                        f'<tr><td>{_e(L.COVERAGE.get(g.coverage, L.words(g.coverage)))}</td><td class="sev {_e(g.severity)}">{_e(L.SEVERITY.get(g.severity, g.severity))}</td>'
                        f"<td>{_e(limit)}</td><td>{_e(say(g.reason))}</td></tr>"
                    )
                h.append(_table(["Coverage", "Severity", "Suggested limit", "Why"], rows))
            else:
                h.append("<p>None found for these answers.</p>")
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (
            ("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]),
            ("Your current policy", r.policy_review),
        ):
            if found:
                h.append(f"<h2>{heading}</h2>")
                h.append(
                    _table(
                        ["Severity", "Finding", "Ask the broker"],
                        [
                            f'<tr><td class="sev {_e(f.severity)}">{_e(L.SEVERITY.get(f.severity, f.severity))}</td><td>{_e(say(f.finding))}</td>'
                            f"<td>{_e(say(f.ask) if f.ask else '')}</td></tr>"
                            for f in found
                        ],
                    )
                )
        if r.tail:
            h += [
                "<h2>Extended reporting period (tail)</h2>",
                '<p class="note">What a tail would cost, once, when the policy ends.</p>',
                _table(
                    ["Reporting period", "Price"],
                    [
                        f'<tr><td>{t.years} year{"s" if t.years != 1 else ""}</td><td class="num">{_e(usd(t.low))}–{_e(usd(t.high))}</td></tr>'
                        for t in r.tail
                    ],
                ),
            ]
        if r.contracts:
            h.append("<h2>Client contracts</h2>")
            rows = []
            for c in r.contracts:
                now = "No current policy" if c.current_meets is None else ("Met" if c.current_meets else "Not met")
                rows.append(
                    f'<tr><td>{_e(L.client_name(c.client))}</td><td class="num">{_e(usd(c.required_limit))}</td>'
                    f"<td>{'Met' if c.recommended_meets else 'Not met'}</td><td>{now}</td><td>{_e(' '.join(say(n) for n in c.notes))}</td></tr>"
                )
            h.append(_table(["Client", "Requires", "Recommended", "Current", "Notes"], rows))
        if opts is not None and not r.closing:
            h += self._options(opts)
        if not r.closing:  # the tail is the cost that matters, shown in the summary
            h.append("<h2>Premium estimate</h2>")
            h.append(
                f"<p><b>{_e(usd(r.premium.low))}–{_e(usd(r.premium.high))} a year</b> (point estimate {_e(usd(r.premium.estimate))}): a base premium of {_e(usd(r.premium.base))} times these factors.</p>"
            )
            h.append(
                _table(
                    ["Factor", "×", "Why", "Source"],
                    [
                        f'<tr><td>{_e(L.FACTOR.get(f.name, L.words(f.name)))}</td><td class="num">{f.multiplier:g}</td><td>{_e(say(f.detail))}</td>'
                        f'<td class="num">{self._cite(number.get(f.source))}</td></tr>'
                        for f in r.premium.factors
                    ],
                )
            )
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            h += ['<h2>Underwriting</h2><div class="keep">', _list([f["reason"] for f in uw["flags"]]), f"<p><b>{_e(uw['advice'])}</b></p></div>"]
        if r.actions:
            h += ["<h2>Actions that lower the premium</h2>", _list([f"{say(a.action)} Effect: {say(a.effect)}" for a in r.actions])]
        if profile is not None:
            h += ["<h2>Your answers</h2>", '<div class="answers">']
            for section, qa in L.answers(profile, say):
                h.append(
                    f"<div><h3>{_e(section)}</h3><table>" + "".join(f"<tr><th>{_e(q)}</th><td>{_e(a)}</td></tr>" for q, a in qa) + "</table></div>"
                )
            h.append("</div>")
        h.append('<h2 id="sources">Sources</h2><ol class="src">')
        for s in sources:
            shown = f'<a href="{_e(s["link"])}">{_e(s["title"])}</a>' if s["link"] else _e(s["title"])
            h.append(f'<li id="src-{s["n"]}">{shown} <i>({_e(s["kind"])})</i></li>')
        h.append("</ol>")
        h.append(
            f'<div class="disclaimer"><b>An estimate, not a quote.</b> {_e(" ".join(say.all(r.premium.basis)))} '
            "This report prepares a conversation with a specialist broker; it is not insurance advice.</div>"
        )
        if r.explain:
            h += self._appendix(r.explain, say)
        h += ["</body></html>", ""]
        return "\n".join(h)

    @staticmethod
    def _cite(n: int | None) -> str:
        return f'<a href="#src-{n}">[{n}]</a>' if n else ""

    @staticmethod
    def _options(opts: Any) -> list[str]:
        h = [
            "<h2>Options</h2>",
            '<p class="note">Estimated annual premium for each limit and deductible: defense costs inside the limit (eroding) and outside it (non-eroding).</p>',
        ]
        head = ["Limit per claim / aggregate"] + [f"{_e(usd(d))} deductible" for d in opts.deductibles]
        rows = []
        for limit in opts.limits:
            row = [c for c in opts.cells if c.limit == limit]
            mark = "" if row[0].meets_contracts else " ✗"
            cells = []
            for c in row:
                cls = "cell rec" if c.recommended else ("cell below" if not c.meets_contracts else "cell")
                star_er = "★ " if c.recommended and opts.recommended_defense != "non-eroding" else ""
                star_ne = "★ " if c.recommended and opts.recommended_defense == "non-eroding" else ""
                x_er = "" if c.eroding_meets_contracts else " ✗"
                x_ne = "" if c.non_eroding_meets_contracts else " ✗"
                cells.append(
                    f'<td class="{cls}"><span>{star_er}<i>eroding</i> {_e(usd(c.eroding_low))}–{_e(usd(c.eroding_high))}{x_er}</span>'
                    f"<span>{star_ne}<i>non-eroding</i> {_e(usd(c.non_eroding_low))}–{_e(usd(c.non_eroding_high))}{x_ne}</span></td>"
                )
            rows.append(f"<tr><th>{_e(usd(limit))} / {_e(usd(row[0].aggregate))}{mark}</th>{''.join(cells)}</tr>")
        h.append(_table(head, rows, "opts"))
        note = "★ recommended"
        if any(not (c.meets_contracts and c.eroding_meets_contracts and c.non_eroding_meets_contracts) for c in opts.cells):
            note += f"; ✗ does not meet a client contract (a limit below {_e(usd(opts.contract_minimum))}, or eroding cover where a contract asks for defense outside the limit)"
        h.append(f'<p class="note">{note}.</p>')
        points = []
        for limit in opts.limits:
            c = opts.cell(limit, opts.recommended_deductible)
            points.append((limit, c.eroding_low, c.eroding_high, c.non_eroding_low, c.non_eroding_high, c.recommended))
        h += [
            '<figure class="keep"><h2>Premium against limit</h2>',
            f'<p class="note">At the recommended {_e(usd(opts.recommended_deductible))} deductible; each bar runs to the high estimate and is labelled with the range (USD a year).'
            f'<span class="key" style="background:{BAR_ERODING}"></span>eroding<span class="key" style="background:{BAR_NON_ERODING}"></span>non-eroding</p>',
            _chart(points),
            "</figure>",
        ]
        return h

    @staticmethod
    def _appendix(explain: list, say: Any) -> list[str]:
        h = [
            '<section class="appendix"><h2>Appendix: how this was worked out</h2>',
            '<p class="note">Each rule that fired, what it used, what it decided, and where its numbers come from.</p>',
        ]
        for step in L.trace_steps(explain, say):
            h.append(f"<h3>{_e(step['title'])}</h3>")
            facts = [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in step["inputs"]]
            facts += [f"<tr><th>{_e(k)} (decided)</th><td><b>{_e(v)}</b></td></tr>" for k, v in step["outputs"]]
            h.append(f'<div class="scroll"><table>{"".join(facts)}</table></div>')
            if step["params"]:
                h.append(
                    _table(
                        ["Rules parameter", "Value", "Source", "Confidence"],
                        [f"<tr><td>{_e(p)}</td><td>{_e(v)}</td><td>{_e(t)}</td><td>{_e(c)}</td></tr>" for p, v, t, c in step["params"]],
                    )
                )
        h.append("</section>")
        return h
