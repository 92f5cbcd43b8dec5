"""Markdown: a report to paste into an email, a ticket or a wiki."""

from __future__ import annotations

from typing import Any

from ..amounts import format_amount as usd
from . import Report


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


class MarkdownFormatter:
    name = "markdown"
    wants_options = False

    def format(self, report: Report, *, color: bool = False) -> str:
        r, say = report.result, report.render
        title = f"Tech E&O recommendation: {r.business_name}" if r.business_name else "Tech E&O recommendation"
        out = [f"# {title}", ""]
        out += [
            "| | Recommendation |",
            "|---|---|",
            f"| Limit | {usd(r.limit.per_claim)} per claim / {usd(r.limit.aggregate)} aggregate |",
            f"| Deductible | {usd(r.deductible.amount)} |",
            "| Defense costs | " + r.defense_costs.recommendation + (f" (if eroding, buy {usd(r.defense_costs.limit_if_eroding)})" if r.defense_costs.limit_if_eroding else "") + " |",
            f"| Premium estimate | {usd(r.premium.low)} – {usd(r.premium.high)} a year |",
            "",
        ]
        for heading, reasons in (
            ("Limit", say.all(r.limit.reasons)),
            ("Deductible", say.all(r.deductible.reasons)),
            ("Defense costs", say.all(r.defense_costs.reasons)),
        ):
            out += [f"## {heading}", ""] + [f"- {_cell(x)}" for x in reasons] + [""]
        out += ["## Coverage gaps", ""]
        if r.gaps:
            out += ["| Coverage | Severity | Why |", "|---|---|---|"]
            out += [f"| {g.coverage} | {g.severity} | {_cell(say(g.reason))} |" for g in r.gaps]
        else:
            out.append("None found for these answers.")
        out += ["", "## Premium estimate", "", f"**{usd(r.premium.low)} – {usd(r.premium.high)} a year** (point estimate {usd(r.premium.estimate)}).", ""]
        out += ["| Factor | Multiplier | Why | Source |", "|---|---:|---|---|"]
        out += [f"| {f.name} | {f.multiplier:g} | {_cell(say(f.detail))} | {f.source} |" for f in r.premium.factors]
        out += ["", f"_{_cell(' '.join(say.all(r.premium.basis)))}_", ""]
        if r.contracts:
            out += ["## Client contracts", "", "| Client | Requires | Recommended cover | Current policy | Notes |", "|---|---:|---|---|---|"]
            for x in r.contracts:
                now = "—" if x.current_meets is None else ("met" if x.current_meets else "**not met**")
                out.append(f"| {_cell(x.client)} | {usd(x.required_limit)} | {'met' if x.recommended_meets else '**not met**'} | {now} | {_cell(' '.join(say.all(x.notes)))} |")
            out.append("")
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]), ("Your current policy", r.policy_review)):
            if found:
                out += [f"## {heading}", "", "| Severity | Finding | Ask the broker |", "|---|---|---|"]
                out += [f"| {f.severity} | {_cell(say(f.finding))} | {_cell(say(f.ask) if f.ask else '')} |" for f in found]
                out.append("")
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            out += ["## Underwriting", ""] + [f"- {_cell(f['reason'])}" for f in uw["flags"]] + ["", f"**{_cell(uw['advice'])}**", ""]
        if r.actions:
            out += ["## Actions", ""] + [f"- **{_cell(say(a.action))}** — {_cell(say(a.effect))}" for a in r.actions] + [""]
        if r.explain:
            out += ["## How this was worked out", ""]
            for step in r.explain:
                inputs = ", ".join(f"`{k}`={v}" for k, v in step.inputs.items())
                out.append(f"- **{step.step}** — rule `{step.rule}`; inputs {inputs}; output {_cell(str(step.output))}")
                out += [f"  - `{src['param']}` = {src['value']} {src['unit']} — `{src['source']}` ({src['confidence']})" for src in step.sources]
            out.append("")
        out += ["## Sources", ""] + [f"- `{s['id']}` ({s['confidence']}): {s['title']} — {s['url']}" for s in say.sources(r.sources)]
        out += ["", f"_Rules data version {r.rules_version}. eo-advisor gives an estimate, not insurance advice or a quote._", ""]
        return "\n".join(out)
