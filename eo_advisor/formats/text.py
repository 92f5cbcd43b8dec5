"""Text for a person at a terminal, rendered with rich (imported only here).

Terminal safety: nothing user-supplied is ever given to rich as a markup string.
Every sentence, name and label goes in as a ``rich.text.Text`` built by :func:`_t`,
which first shows control, bidi and invisible characters as escapes
(:func:`eo_advisor.edge.safe_terminal.terminal_text`); our own headings are the only markup.

Width: the caller's (the CLI's ``Env.width``: a terminal's own width, else ``COLUMNS``,
else 80, always within 20-500 columns).
Below :data:`WIDE` columns the two-column layouts (gaps, findings, the premium
factors) stack each entry under its label instead of squeezing it into a column,
so no word is ever cut.
"""

from __future__ import annotations

from typing import Any, Iterable

from eo_advisor.edge.safe_terminal import terminal_text
from eo_advisor.formats import Report
from eo_advisor.formats.labels import param_value, sentence_value
from eo_advisor.profile.amounts import format_amount as usd

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
WIDE = 90  # from this width on, label and text side by side; below it, stacked


def _met(recommended: bool, current: bool | None) -> str:
    text = "met" if recommended else "NOT MET"
    if current is not None:
        text += " (now: " + ("met" if current else "not met") + ")"
    return text


def make_console(file=None, *, color: bool, width: int):
    """A rich console of exactly ``width`` columns (the caller's Env.width, bounded)."""
    from rich.console import Console

    return Console(
        file=file,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width,
        highlight=False,
        markup=True,  # for our own headings only: user text always arrives as Text
        emoji=False,
        soft_wrap=False,
    )


def _t(value: Any, style: str | None = None) -> Any:
    """User-derived text as a rich Text: never parsed as markup, never able to act."""
    from rich.text import Text

    return Text(terminal_text(value), style=style or "")


def words(name: str) -> str:
    """An id as words: ``client_industries`` -> ``client industries``."""
    return name.replace("_", " ")


# ---------------------------------------------------------------------------
# --explain: the trace as sentences
# ---------------------------------------------------------------------------
_INPUT_NAMES = {
    "business.annual_revenue": "annual revenue",
    "business.employees": "staff besides the owners",
    "business.max_deductible": "most the owner could pay per claim",
    "business.state": "state",
    "work.handles_sensitive_data": "handles sensitive data",
    "exposure_from": "exposure taken from",
    "exposure_value": "value at stake",
    "regulated_clients": "regulated client industries",
    "contract_minimum": "highest limit a contract requires",
    "limit.per_claim": "per-claim limit",
    "limit_if_eroding": "limit to buy if eroding",
    "triggers": "reasons for non-eroding cover",
    "facts": "facts that matched",
}
_STEP_NAMES = {"limit": "Limit", "deductible": "Deductible", "defense_costs": "Defense costs", "gaps": "Coverage gap", "premium": "Premium"}


def explain_sentences(step: Any, say: Any) -> tuple[str, list[str]]:
    """One trace step as a sentence, and one sentence per rules number it used."""
    name = _STEP_NAMES.get(step.step, words(step.step).capitalize())
    if step.step == "premium":
        used = "; ".join(f"{words(k)} ×{v:g}" for k, v in step.inputs.items())
    else:
        used = "; ".join(f"{_INPUT_NAMES.get(k, words(k.rsplit('.', 1)[-1]))} {sentence_value(k, v, say)}" for k, v in step.inputs.items())
    if isinstance(step.output, dict):
        out = "; ".join(f"{_INPUT_NAMES.get(k, words(k))} {sentence_value(k, v, say) if v is not None else 'none'}" for k, v in step.output.items())
    else:
        out = f"severity {step.output}" if step.step == "gaps" else sentence_value(step.step, step.output, say)
    head = f"{name}, rule “{words(step.rule)}”. It used {used}. It gave {out}."
    sources = [
        f"{words(src['param'].split('.', 1)[-1]).capitalize()}: {param_value(src['param'], src['value'], src['unit'], say)}. "
        f"Source {src['source']} ({src['confidence']}): {src['title']}."
        for src in step.sources
    ]
    return head, sources


# ---------------------------------------------------------------------------
class TextFormatter:
    name = "text"
    wants_options = False

    def format(self, report: Report, *, color: bool = False, width: int = 80) -> str:
        import io

        from rich.padding import Padding
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        buf = io.StringIO()
        con = make_console(buf, color=color, width=width)
        wide = con.width >= WIDE
        r, say = report.result, report.render
        head = Text("Tech E&O recommendation", style="bold")
        if r.business_name:
            head.append(" — ")
            head.append_text(_t(r.business_name))
        con.print(head)
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="bold", no_wrap=True)
        summary.add_column()
        if r.closing:
            plan, tail = say.closing_summary(r.tail)
            summary.add_row("Plan", plan)
            summary.add_row("Tail", tail)
        else:
            summary.add_row("Limit", f"{usd(r.limit.per_claim)} per claim / {usd(r.limit.aggregate)} aggregate")
            summary.add_row("Deductible", usd(r.deductible.amount))
            summary.add_row("Defense costs", say.defense_line(r.defense_costs, r.limit.per_claim))
            summary.add_row("Premium", f"{usd(r.premium.low)} – {usd(r.premium.high)} a year ({say.premium_caveat(r.premium)})")
        con.print(Panel(summary, expand=False))

        def bullets(heading: str, items: Iterable[tuple[Any, Any]], *, stack: bool = False) -> None:
            """Entries under a heading: the mark beside the text, or (``stack``)
            the mark on its own line and the text indented under it."""
            con.print(f"\n[bold]{heading}[/bold]")
            if stack:
                for mark, body in items:
                    con.print(Padding(mark if isinstance(mark, Text) else _t(mark), (0, 0, 0, 2)))
                    con.print(Padding(body if isinstance(body, Text) else _t(body), (0, 0, 0, 4)))
                return
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column()
            for mark, body in items:
                grid.add_row(mark if isinstance(mark, Text) else _t(mark), body if isinstance(body, Text) else _t(body))
            con.print(Padding(grid, (0, 0, 0, 2)))

        if not r.closing:  # a closing business buys no new policy: no terms or gaps to explain
            bullets("Why this limit", [("•", x) for x in say.all(r.limit.reasons)])
            bullets("Why this deductible", [("•", x) for x in say.all(r.deductible.reasons)])
            bullets("Defense costs", [("•", x) for x in say.all(r.defense_costs.reasons)])
            if r.gaps:
                bullets(
                    "Coverage gaps",
                    [(_t(f"{g.severity.upper():6} {words(g.coverage)}", SEVERITY_STYLE[g.severity]), say(g.reason)) for g in r.gaps],
                    stack=not wide,
                )
            else:
                con.print("\n[bold]Coverage gaps[/bold]\n  none found for these answers")

        if not r.closing:  # the tail is the cost that matters, shown in the summary
            con.print("\n[bold]Premium estimate[/bold]")
            if wide:
                factors = Table(show_edge=False, box=None, padding=(0, 1))
                factors.add_column("factor", no_wrap=True)
                factors.add_column("×", justify="right", no_wrap=True)
                factors.add_column("why")
                factors.add_column("source", style="dim", no_wrap=True)
                for f in r.premium.factors:
                    factors.add_row(words(f.name), f"{f.multiplier:g}", _t(say(f.detail)), _t(f.source))
                con.print(factors)
            else:  # stacked: "revenue ×1.3", then why and source under it, wrapped at word boundaries
                for f in r.premium.factors:
                    con.print(Padding(Text(f"{words(f.name)} ×{f.multiplier:g}", style="bold"), (0, 0, 0, 2)))
                    line = _t(say(f.detail))
                    line.append_text(_t(f" (source: {f.source})", "dim"))
                    con.print(Padding(line, (0, 0, 0, 4)))
            con.print(Padding(_t(" ".join(say.all(r.premium.basis)), "italic"), (0, 0, 0, 2)))

        if r.contracts:
            bullets(
                "Client contracts",
                [
                    (
                        _t(_met(x.recommended_meets, x.current_meets), "green" if x.recommended_meets else "bold red"),
                        f"{x.client}: " + " ".join(say.all(x.notes)),
                    )
                    for x in r.contracts
                ],
                stack=not wide,
            )
        # each finding once: the advice's own warnings, then the current policy's review
        for heading, found in (
            ("Points to raise with your broker", [f for f in r.findings if f.scope != "policy"]),
            ("Your current policy", r.policy_review),
        ):
            if found:
                bullets(
                    heading,
                    [
                        (
                            _t(f.severity.upper(), SEVERITY_STYLE.get(f.severity, "dim")),
                            say(f.finding) + (f" → {say(f.ask)}" if f.ask is not None else ""),
                        )
                        for f in found
                    ],
                )
        if r.underwriting.referred:
            uw = r.underwriting.to_dict(say)
            bullets("Underwriting", [("•", f["reason"]) for f in uw["flags"]] + [("→", uw["advice"])])
        if r.actions:
            bullets("Actions", [("•", f"{say(a.action)} Effect: {say(a.effect)}.") for a in r.actions])
        if r.explain:
            con.print("\n[bold]How this was worked out (--explain)[/bold]")
            for step in r.explain:
                head_line, sources = explain_sentences(step, say)
                con.print(Padding(_t(head_line), (0, 0, 0, 2)))
                for line in sources:
                    con.print(Padding(_t(line, "dim"), (0, 0, 0, 4)))
        con.print()
        con.print(_t("Sources", "bold"))
        kinds = {"high": "published", "low": "secondary", "assumption": "eo-advisor assumption"}
        for src in say.sources(r.sources):
            line = f"{src['id']}: {src['title']} ({kinds.get(src['confidence'], src['confidence'])})"
            con.print(Padding(_t(line, "dim"), (0, 0, 0, 2)))
        con.print(Padding(_t(f"Every number: `eo-advisor rules`. Rules {r.rules_version}.", "dim"), (0, 0, 0, 2)))
        text = buf.getvalue()
        if not color:  # padding spaces are noise in a pipe or a file
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text
