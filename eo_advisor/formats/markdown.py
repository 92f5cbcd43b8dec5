"""Markdown: a report to paste into an email, a ticket or a wiki."""

from __future__ import annotations

from typing import Any

from ..amounts import format_amount as usd
from ..result import Result


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


class MarkdownFormatter:
    name = "markdown"

    def format(self, result: Result, *, color: bool = False, profile: Any = None) -> str:
        r = result
        title = f"Tech E&O recommendation: {r.business_name}" if r.business_name else "Tech E&O recommendation"
        out = [f"# {title}", ""]
        out += [
            "| | Recommendation |",
            "|---|---|",
            f"| Limit | {usd(r.limit.per_claim)} per claim / {usd(r.limit.aggregate)} aggregate |",
            f"| Deductible | {usd(r.deductible.amount)} |",
            f"| Defense costs | {r.defense_costs.recommendation} (if eroding, buy {usd(r.defense_costs.limit_if_eroding)}) |",
            f"| Premium estimate | {usd(r.premium.low)} – {usd(r.premium.high)} a year |",
            "",
        ]
        for heading, reasons in (
            ("Limit", r.limit.reasons),
            ("Deductible", r.deductible.reasons),
            ("Defense costs", r.defense_costs.reasons),
        ):
            out += [f"## {heading}", ""] + [f"- {_cell(x)}" for x in reasons] + [""]
        out += ["## Coverage gaps", ""]
        if r.gaps:
            out += ["| Coverage | Severity | Why |", "|---|---|---|"]
            out += [f"| {g.coverage} | {g.severity} | {_cell(g.reason)} |" for g in r.gaps]
        else:
            out.append("None found for these answers.")
        out += ["", "## Premium estimate", "", f"**{usd(r.premium.low)} – {usd(r.premium.high)} a year** (point estimate {usd(r.premium.estimate)}).", ""]
        out += ["| Factor | Multiplier | Why | Source |", "|---|---:|---|---|"]
        out += [f"| {f.name} | {f.multiplier:g} | {_cell(f.detail)} | {f.source} |" for f in r.premium.factors]
        out += ["", f"_{_cell(r.premium.basis)}_", ""]
        if r.contracts:
            out += ["## Client contracts", "", "| Client | Requires | Recommended cover | Current policy | Notes |", "|---|---:|---|---|---|"]
            for x in r.contracts:
                now = "—" if x.current_meets is None else ("met" if x.current_meets else "**not met**")
                out.append(f"| {_cell(x.client)} | {usd(x.required_limit)} | {'met' if x.recommended_meets else '**not met**'} | {now} | {_cell(' '.join(x.notes))} |")
            out.append("")
        if r.policy_review:
            out += ["## Your current policy", "", "| Severity | Finding | Ask the broker |", "|---|---|---|"]
            out += [f"| {f.severity} | {_cell(f.finding)} | {_cell(f.ask)} |" for f in r.policy_review]
            out.append("")
        if r.underwriting.referred:
            out += ["## Underwriting", ""] + [f"- {_cell(f.reason)}" for f in r.underwriting.flags] + ["", f"**{_cell(r.underwriting.advice)}**", ""]
        if r.actions:
            out += ["## Actions", ""] + [f"- **{_cell(a.action)}** — {_cell(a.effect)}" for a in r.actions] + [""]
        if r.warnings and not r.policy_review:  # the review already says each of them, with what to ask
            out += ["## Warnings", ""] + [f"- ⚠ {_cell(w)}" for w in r.warnings] + [""]
        if r.explain:
            out += ["## How this was worked out", ""]
            for step in r.explain:
                inputs = ", ".join(f"`{k}`={v}" for k, v in step.inputs.items())
                out.append(f"- **{step.step}** — rule `{step.rule}`; inputs {inputs}; output {_cell(str(step.output))}")
                out += [f"  - `{src['param']}` = {src['value']} {src['unit']} — `{src['source']}` ({src['confidence']})" for src in step.sources]
            out.append("")
        out += ["## Sources", ""] + [f"- `{s['id']}` ({s['confidence']}): {s['title']} — {s['url']}" for s in r.sources]
        out += ["", f"_Rules data version {r.rules_version}. eo-advisor gives an estimate, not insurance advice or a quote._", ""]
        return "\n".join(out)
