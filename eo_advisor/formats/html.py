"""A self-contained one-page HTML report a consultant can send to a client or a broker.

No network fetches: the CSS is inline, the chart is inline SVG, there are no scripts,
fonts or images to load. Every text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..amounts import format_amount as usd
from ..amounts import short_amount
from . import Report

CSS = """
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;max-width:960px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:2px solid #dfe6ee;padding-bottom:.2em}
.sub{color:#5b6b7c}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8em;margin:1em 0}
.card{border:1px solid #dfe6ee;border-radius:8px;padding:.7em .9em;background:#f7fafc}.card b{display:block;font-size:1.3em;color:#0b4f8a}
table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{border:1px solid #dfe6ee;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.num{text-align:right;white-space:nowrap}.rec{background:#e3f1ff;font-weight:600}.below{color:#98a4b0}
.sev{font-weight:700;text-transform:uppercase;font-size:.8em}.high{color:#b3261e}.medium{color:#a15c00}.low{color:#2a6f97}.info{color:#5b6b7c}
ul{padding-left:1.2em}li{margin:.2em 0}.disclaimer{border-left:4px solid #a15c00;background:#fff8ec;padding:.6em .9em;margin:1.5em 0}
small,.src{color:#5b6b7c;font-size:.85em}svg text{font:12px sans-serif;fill:#1d2733}
@media print{body{margin:0}h2{break-after:avoid}}
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"


def _chart(points: list[tuple[int, int, int, int, int, bool]]) -> str:
    """Premium range (eroding bar, non-eroding bar) per limit, as inline SVG."""
    if not points:
        return ""
    width, height, left, bottom = 640, 240, 70, 40
    top = max(p[4] for p in points) * 1.1
    n = len(points)
    slot = (width - left - 10) / n
    parts = [f'<svg role="img" aria-label="Estimated annual premium by limit" viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        y = height - bottom - (height - bottom - 10) * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 5}" y1="{y:.0f}" y2="{y:.0f}" stroke="#e6ecf2"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{_e(short_amount(int(top * i / 4)))}</text>')

    def y_of(v: float) -> float:
        return height - bottom - (height - bottom - 10) * v / top

    for i, (limit, elow, ehigh, nlow, nhigh, rec) in enumerate(points):
        x = left + slot * i + slot * 0.2
        w = slot * 0.28
        for j, (lo, hi, color) in enumerate(((elow, ehigh, "#7fb3e0"), (nlow, nhigh, "#0b4f8a"))):
            bx = x + j * (w + 4)
            parts.append(f'<rect x="{bx:.0f}" y="{y_of(hi):.0f}" width="{w:.0f}" height="{max(2, y_of(lo) - y_of(hi)):.0f}" fill="{color}" rx="2"><title>{_e(usd(lo))}–{_e(usd(hi))}</title></rect>')
        label = short_amount(limit) + (" ★" if rec else "")
        parts.append(f'<text x="{x + w:.0f}" y="{height - bottom + 18}" text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}">limit per claim — light: eroding, dark: non-eroding (range of estimates, USD/year)</text>')
    parts.append("</svg>")
    return "".join(parts)


class HtmlFormatter:
    name = "html"
    wants_options = True

    def format(self, report: Report, *, color: bool = False) -> str:
        r, say, profile, opts = report.result, report.render, report.profile, report.options
        title = f"Tech E&O recommendation — {r.business_name}" if r.business_name else "Tech E&O recommendation"
        h: list[str] = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{_e(title)}</h1>",
            f'<p class="sub">Technology errors &amp; omissions (professional liability) — prepared with eo-advisor, rules data {_e(r.rules_version)}</p>',
            '<div class="cards">',
            f'<div class="card">Limit<b>{_e(usd(r.limit.per_claim))}</b>per claim / {_e(usd(r.limit.aggregate))} aggregate</div>',
            f'<div class="card">Deductible<b>{_e(usd(r.deductible.amount))}</b>per claim</div>',
            f'<div class="card">Defense costs<b>{_e(r.defense_costs.recommendation)}</b>' + (f'if eroding, buy {_e(usd(r.defense_costs.limit_if_eroding))}' if r.defense_costs.limit_if_eroding else "no eroding alternative") + "</div>",
            f'<div class="card">Premium estimate<b>{_e(usd(r.premium.low))}–{_e(usd(r.premium.high))}</b>a year</div>',
            "</div>",
        ]
        if profile is not None:
            h += ["<h2>Your answers</h2>", "<table>"]
            from ..profile import FIELD_BY_KEY

            for key, value in profile.flat().items():
                if key in ("schema_version", "contracts"):
                    continue
                field = FIELD_BY_KEY.get(key)
                if field is not None and field.kind == "amount":
                    shown = usd(value)
                else:
                    shown = ", ".join(value) if isinstance(value, list) else ("yes" if value is True else "no" if value is False else value)
                h.append(f"<tr><th>{_e(key)}</th><td>{_e(shown)}</td></tr>")
            h.append("</table>")
        h += ["<h2>Why this limit</h2>", _list(say.all(r.limit.reasons)), "<h2>Why this deductible</h2>", _list(say.all(r.deductible.reasons)),
              "<h2>Defense costs</h2>", _list(say.all(r.defense_costs.reasons)), "<h2>Coverage gaps</h2>"]
        if r.gaps:
            h.append("<table><tr><th>Coverage</th><th>Severity</th><th>Why</th></tr>")
            h += [f'<tr><td>{_e(g.coverage)}</td><td class="sev {g.severity}">{_e(g.severity)}</td><td>{_e(say(g.reason))}</td></tr>' for g in r.gaps]
            h.append("</table>")
        else:
            h.append("<p>None found for these answers.</p>")
        if opts is not None:
            h += ["<h2>Options</h2>", "<table><tr><th>Limit</th>" + "".join(f"<th>{_e(usd(d))} deductible</th>" for d in opts.deductibles) + "</tr>"]
            for limit in opts.limits:
                row = [c for c in opts.cells if c.limit == limit]
                h.append(f"<tr><th>{_e(usd(limit))} / {_e(usd(row[0].aggregate))}{'' if row[0].meets_contracts else ' ✗'}</th>")
                for c in row:
                    cls = "num rec" if c.recommended else ("num below" if not c.meets_contracts else "num")
                    star_er = "★ " if c.recommended and opts.recommended_defense != "non-eroding" else ""
                    star_ne = "★ " if c.recommended and opts.recommended_defense == "non-eroding" else ""
                    h.append(f'<td class="{cls}">{star_er}{_e(usd(c.eroding_low))}–{_e(usd(c.eroding_high))}<br>'
                             f'<small>{star_ne}non-eroding {_e(usd(c.non_eroding_low))}–{_e(usd(c.non_eroding_high))}</small></td>')
                h.append("</tr>")
            h.append("</table><p><small>★ recommended" + (f"; ✗ below the {_e(usd(opts.contract_minimum))} a contract requires" if any(not c.meets_contracts for c in opts.cells) else "") + ".</small></p>")
            points = []
            for limit in opts.limits:
                c = opts.cell(limit, opts.recommended_deductible)
                points.append((limit, c.eroding_low, c.eroding_high, c.non_eroding_low, c.non_eroding_high, c.recommended))
            h += ["<h2>Premium against limit</h2>", f"<p class=\"sub\">At the recommended {_e(usd(opts.recommended_deductible))} deductible.</p>", _chart(points)]
        if r.contracts:
            h += ["<h2>Client contracts</h2>", "<table><tr><th>Client</th><th>Requires</th><th>Recommended cover</th><th>Current policy</th><th>Notes</th></tr>"]
            for x in r.contracts:
                now = "—" if x.current_meets is None else ("met" if x.current_meets else "not met")
                h.append(f"<tr><td>{_e(x.client)}</td><td class=\"num\">{_e(usd(x.required_limit))}</td><td>{'met' if x.recommended_meets else 'not met'}</td><td>{now}</td><td>{_e(' '.join(say.all(x.notes)))}</td></tr>")
            h.append("</table>")
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]), ("Your current policy", r.policy_review)):
            if found:
                h += [f"<h2>{heading}</h2>", "<table><tr><th>Severity</th><th>Finding</th><th>Ask the broker</th></tr>"]
                h += [f'<tr><td class="sev {f.severity}">{_e(f.severity)}</td><td>{_e(say(f.finding))}</td><td>{_e(say(f.ask) if f.ask else "")}</td></tr>' for f in found]
                h.append("</table>")
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            h += ["<h2>Underwriting</h2>", _list([f["reason"] for f in uw["flags"]]), f"<p><b>{_e(uw['advice'])}</b></p>"]
        h += ["<h2>Premium estimate</h2>", "<table><tr><th>Factor</th><th>×</th><th>Why</th><th>Source</th></tr>"]
        h += [f'<tr><td>{_e(f.name)}</td><td class="num">{f.multiplier:g}</td><td>{_e(say(f.detail))}</td><td>{_e(f.source)}</td></tr>' for f in r.premium.factors]
        h.append("</table>")
        if r.actions:
            h += ["<h2>Actions</h2>", _list([f"{say(a.action)} Effect: {say(a.effect)}." for a in r.actions])]
        h += [f'<div class="disclaimer"><b>An estimate, not a quote.</b> {_e(" ".join(say.all(r.premium.basis)))} This report prepares a conversation with a specialist broker; it is not insurance advice.</div>',
              "<h2>Sources</h2><ul>"]
        h += [f'<li class="src"><code>{_e(s["id"])}</code> ({_e(s["confidence"])}): {_e(s["title"])} — {_e(s["url"])}</li>' for s in say.sources(r.sources)]
        h += ["</ul></body></html>", ""]
        return "\n".join(h)
