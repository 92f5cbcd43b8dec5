"""Markdown: the HTML report's sections and labels, to paste into an email, a ticket or a wiki.

Every text that can carry what a user typed (the business name, client names, and the
sentences that quote them) goes through :func:`eo_advisor.edge.safe_markup.markdown_text`,
so a name cannot bring links, images or raw HTML into a report meant for clients. The
only links are the sources' own http(s) URLs.
"""

from __future__ import annotations

from eo_advisor import __version__
from eo_advisor.advice.reasons import Reason
from eo_advisor.edge.safe_markup import markdown_text as t
from eo_advisor.formats import Report
from eo_advisor.formats import labels as L
from eo_advisor.formats.labels import usd


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _link(title: str, url: str | None) -> str:
    if not url:
        return t(title)
    return f"[{t(title)}](<{url.replace('>', '%3E').replace('<', '%3C').replace(' ', '%20')}>)"


class MarkdownFormatter:
    name = "markdown"
    wants_options = True

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        r, say, profile, opts = report.result, report.render, report.profile, report.options
        title = f"Technology E&O insurance: {r.business_name}" if r.business_name else "Technology E&O insurance recommendation"
        prepared = (
            f"Prepared on {L.long_date(report.prepared_on)} with eo-advisor {__version__}, rules {r.rules_version}"
            if report.prepared_on
            else f"Prepared with eo-advisor {__version__}, rules {r.rules_version}"
        )
        dc = r.defense_costs
        sources = L.sources_of(r, say)
        number = {s["id"]: s["n"] for s in sources}

        def s(reason: Reason) -> str:
            return t(say(reason))

        out = [
            f"# {t(title)}",
            "",
            "Technology errors & omissions (professional liability): a recommendation to discuss with your broker.",
            "",
            f"_{t(prepared)}_",
            "",
        ]
        out += [_row("", "Recommendation"), _row("---", "---")]
        if r.closing:
            plan, tail = say.closing_summary(r.tail)
            out += [_row("Plan", t(plan)), _row("Tail", t(tail)), ""]
        else:
            out += [
                _row("Limit", f"**{usd(r.limit.per_claim)}** per claim, {usd(r.limit.aggregate)} aggregate"),
                _row("Deductible", f"**{usd(r.deductible.amount)}** per claim"),
                _row("Defense costs", t(say.defense_line(dc, r.limit.per_claim))),
                _row("Premium estimate", f"**{usd(r.premium.low)}–{usd(r.premium.high)}** a year ({t(say.premium_caveat(r.premium))})"),
                "",
            ]
        if r.gaps:
            out += [
                "**Also consider:** "
                + ", ".join(f"{L.COVERAGE.get(g.coverage, L.words(g.coverage))} ({L.SEVERITY.get(g.severity, g.severity).lower()})" for g in r.gaps)
                + ".",
                "",
            ]
        if not r.closing:  # a closing business buys no new policy: no terms or gaps to explain
            out += ["## Why this recommendation", ""]
            for heading, reasons in (("Limit", r.limit.reasons), ("Deductible", r.deductible.reasons), ("Defense costs", dc.reasons)):
                out += [f"### {heading}", ""] + [f"- {s(x)}" for x in reasons] + [""]
            out += ["## Coverage gaps", ""]
            if r.gaps:
                out += [_row("Coverage", "Severity", "Suggested limit", "Why"), _row("---", "---", "---:", "---")]
                for g in r.gaps:
                    limit = usd(g.suggested_limit) + (f" ({t(g.parties)})" if g.parties else "") if g.suggested_limit else "Ask your broker"
                    out.append(_row(L.COVERAGE.get(g.coverage, t(L.words(g.coverage))), L.SEVERITY.get(g.severity, g.severity), limit, s(g.reason)))
            else:
                out.append("None found for these answers.")
            out.append("")
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (
            ("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]),
            ("Your current policy", r.policy_review),
        ):
            if found:
                out += [f"## {heading}", "", _row("Severity", "Finding", "Ask the broker"), _row("---", "---", "---")]
                out += [_row(L.SEVERITY.get(f.severity, f.severity), s(f.finding), s(f.ask) if f.ask else "") for f in found]
                out.append("")
        if r.tail:
            out += [
                "## Extended reporting period (tail)",
                "",
                "What a tail would cost, once, when the policy ends.",
                "",
                _row("Reporting period", "Price"),
                _row("---", "---:"),
            ]
            out += [_row(f"{x.years} year{'s' if x.years != 1 else ''}", f"{usd(x.low)}–{usd(x.high)}") for x in r.tail]
            out.append("")
        if r.contracts:
            out += [
                "## Client contracts",
                "",
                _row("Client", "Requires", "Recommended", "Current", "Notes"),
                _row("---", "---:", "---", "---", "---"),
            ]
            for c in r.contracts:
                now = "No current policy" if c.current_meets is None else ("Met" if c.current_meets else "**Not met**")
                out.append(
                    _row(
                        t(L.client_name(c.client)),
                        usd(c.required_limit),
                        "Met" if c.recommended_meets else "**Not met**",
                        now,
                        " ".join(s(n) for n in c.notes),
                    )
                )
            out.append("")
        if opts is not None and not r.closing:
            out += [
                "## Options",
                "",
                "Estimated annual premium for each limit and deductible: defense costs inside the limit (eroding) and outside it (non-eroding).",
                "",
            ]
            out += [
                _row("Limit per claim / aggregate", *[f"{usd(d)} deductible" for d in opts.deductibles]),
                _row(*["---"] * (len(opts.deductibles) + 1)),
            ]
            for rung in opts.limits:
                row = [cell for cell in opts.cells if cell.limit == rung]
                cells = []
                for cell in row:
                    er = f"eroding {usd(cell.eroding_low)}–{usd(cell.eroding_high)}" + ("" if cell.eroding_meets_contracts else " ✗")
                    ne = f"non-eroding {usd(cell.non_eroding_low)}–{usd(cell.non_eroding_high)}" + ("" if cell.non_eroding_meets_contracts else " ✗")
                    if cell.recommended:
                        er, ne = (f"**★ {er}**", ne) if opts.recommended_defense != "non-eroding" else (er, f"**★ {ne}**")
                    cells.append(f"{er}<br>{ne}")
                out.append(_row(f"{usd(rung)} / {usd(row[0].aggregate)}" + ("" if row[0].meets_contracts else " ✗"), *cells))
            note = "★ recommended"
            if any(not (cell.meets_contracts and cell.eroding_meets_contracts and cell.non_eroding_meets_contracts) for cell in opts.cells):
                note += f"; ✗ does not meet a client contract (a limit below {usd(opts.contract_minimum)}, or eroding cover where a contract asks for defense outside the limit)"
            out += ["", note + ".", ""]
        if not r.closing:  # the tail is the cost that matters, shown in the summary
            out += [
                "## Premium estimate",
                "",
                f"**{usd(r.premium.low)}–{usd(r.premium.high)} a year** (point estimate {usd(r.premium.estimate)}): a base premium of {usd(r.premium.base)} times these factors.",
                "",
                _row("Factor", "×", "Why", "Source"),
                _row("---", "---:", "---", "---:"),
            ]
            out += [
                _row(
                    L.FACTOR.get(f.name, t(L.words(f.name))), f"{f.multiplier:g}", s(f.detail), f"[{number[f.source]}]" if f.source in number else ""
                )
                for f in r.premium.factors
            ]
            out.append("")
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            out += ["## Underwriting", ""] + [f"- {t(f['reason'])}" for f in uw["flags"]] + ["", f"**{t(uw['advice'])}**", ""]
        if r.actions:
            out += ["## Actions that lower the premium", ""] + [f"- {s(a.action)} Effect: {s(a.effect)}" for a in r.actions] + [""]
        if profile is not None:
            out += ["## Your answers", ""]
            for section, qa in L.answers(profile, say):
                out += [f"### {t(section)}", "", _row("Question", "Answer"), _row("---", "---")] + [_row(t(q), t(a)) for q, a in qa] + [""]
        out += ["## Sources", ""]
        out += [f"{x['n']}. {_link(x['title'], x['link'])} _({t(x['kind'])})_" for x in sources]
        out += [
            "",
            f"> **An estimate, not a quote.** {t(' '.join(say.all(r.premium.basis)))} "
            "This report prepares a conversation with a specialist broker; it is not insurance advice.",
            "",
        ]
        if r.explain:
            out += [
                "## Appendix: how this was worked out",
                "",
                "Each rule that fired, what it used, what it decided, and where its numbers come from.",
                "",
            ]
            for step in L.trace_steps(r.explain, say):
                out += [f"### {t(step['title'])}", "", _row("Fact", "Value"), _row("---", "---")]
                out += [_row(t(k), t(v)) for k, v in step["inputs"]] + [_row(f"{t(k)} (decided)", f"**{t(v)}**") for k, v in step["outputs"]] + [""]
                if step["params"]:
                    out += [_row("Rules parameter", "Value", "Source", "Confidence"), _row("---", "---", "---", "---")]
                    out += [_row(t(p), t(v), t(ti), t(c)) for p, v, ti, c in step["params"]] + [""]
        return "\n".join(out)
