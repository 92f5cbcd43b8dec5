"""Text for a person at a terminal, rendered with rich (imported only here)."""

from __future__ import annotations

import os
from typing import Any

from ..amounts import format_amount as usd
from . import Report

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _met(recommended: bool, current: bool | None) -> str:
    text = "met" if recommended else "NOT MET"
    if current is not None:
        text += " (now: " + ("met" if current else "not met") + ")"
    return text


def make_console(file=None, *, color: bool, width: int | None = None):
    from rich.console import Console

    if width is None and not color:
        width = int(os.environ.get("COLUMNS", "100") or 100)
    return Console(
        file=file,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


class TextFormatter:
    name = "text"
    wants_options = False

    def format(self, report: Report, *, color: bool = False) -> str:
        import io

        from rich.padding import Padding
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        buf = io.StringIO()
        con = make_console(buf, color=color)
        r, say = report.result, report.render
        title = f"Tech E&O recommendation — {r.business_name}" if r.business_name else "Tech E&O recommendation"
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="bold")
        summary.add_column()
        summary.add_row("Limit", f"{usd(r.limit.per_claim)} per claim / {usd(r.limit.aggregate)} aggregate")
        summary.add_row("Deductible", usd(r.deductible.amount))
        summary.add_row("Defense costs", r.defense_costs.recommendation + (f" (if eroding, buy {usd(r.defense_costs.limit_if_eroding)})" if r.defense_costs.limit_if_eroding else ""))
        summary.add_row("Premium", f"{usd(r.premium.low)} – {usd(r.premium.high)} a year (estimate, not a quote)")
        con.print(Panel(summary, title=title, expand=False))

        def bullets(heading: str, items: list[tuple[Any, str]]) -> None:
            con.print(f"\n[bold]{heading}[/bold]")
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column()
            for mark, body in items:
                grid.add_row(mark, Text(body))
            con.print(Padding(grid, (0, 0, 0, 2)))

        bullets("Why this limit", [("•", x) for x in say.all(r.limit.reasons)])
        bullets("Why this deductible", [("•", x) for x in say.all(r.deductible.reasons)])
        bullets("Defense costs", [("•", x) for x in say.all(r.defense_costs.reasons)])
        if r.gaps:
            bullets("Coverage gaps", [
                (Text(f"{g.severity.upper():6} {g.coverage}", style=SEVERITY_STYLE[g.severity]), say(g.reason)) for g in r.gaps
            ])
        else:
            con.print("\n[bold]Coverage gaps[/bold]\n  none found for these answers")

        con.print("\n[bold]Premium estimate[/bold]")
        factors = Table(show_edge=False, box=None, padding=(0, 1))
        factors.add_column("factor")
        factors.add_column("×", justify="right")
        factors.add_column("why")
        factors.add_column("source", style="dim")
        for f in r.premium.factors:
            factors.add_row(f.name, f"{f.multiplier:g}", say(f.detail), f.source)
        con.print(factors)
        con.print(Padding(Text(" ".join(say.all(r.premium.basis)), style="italic"), (0, 0, 0, 2)))

        if r.contracts:
            bullets("Client contracts", [
                (Text(_met(x.recommended_meets, x.current_meets), style="green" if x.recommended_meets else "bold red"),
                 f"{x.client}: " + " ".join(say.all(x.notes))) for x in r.contracts
            ])
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]), ("Your current policy", r.policy_review)):
            if found:
                bullets(heading, [
                    (Text(f.severity.upper(), style=SEVERITY_STYLE.get(f.severity, "dim")),
                     say(f.finding) + (f" → {say(f.ask)}" if f.ask is not None else ""))
                    for f in found
                ])
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            bullets("Underwriting", [("•", f["reason"]) for f in uw["flags"]] + [("→", uw["advice"])])
        if r.actions:
            bullets("Actions", [("•", f"{say(a.action)} Effect: {say(a.effect)}.") for a in r.actions])
        if r.explain:
            con.print("\n[bold]How this was worked out (--explain)[/bold]")
            for step in r.explain:
                inputs = ", ".join(f"{k}={v}" for k, v in step.inputs.items())
                con.print(Padding(Text(f"{step.step}: rule {step.rule}; inputs {inputs}; output {step.output}"), (0, 0, 0, 2)))
                for src in step.sources:
                    con.print(Padding(Text(f"{src['param']} = {src['value']} {src['unit']} — {src['source']} ({src['confidence']}): {src['title']}", style="dim"), (0, 0, 0, 6)))
        con.print(f"\n[dim]Sources: {', '.join(r.sources)} (see --format json or `eo-advisor rules`). Rules {r.rules_version}.[/dim]")
        text = buf.getvalue()
        if not color:  # padding spaces are noise in a pipe or a file
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text
