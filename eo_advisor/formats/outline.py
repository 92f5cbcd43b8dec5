"""What a report says, in which order: the one outline of the text, markdown and HTML reports.

:func:`outline` turns a :class:`~eo_advisor.formats.Report` into plain blocks
(:mod:`eo_advisor.formats.blocks`); the emitters only write them. Every word comes from
the renderer: the decisions' sentences, and the report's own prose (``report.*`` in
``rules/messages.toml``). A report has two lengths: the document (markdown, HTML: the
summary, every table, the answers, the sources and the appendix) and the brief
(``assess -f text`` at a terminal, in its own order). **A new section is one builder
here and its name in** :data:`DOCUMENT` (and :data:`BRIEF` if the terminal shows it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from eo_advisor import __version__
from eo_advisor.advice.reasons import Reason
from eo_advisor.formats import labels as L
from eo_advisor.formats.blocks import (
    Block,
    Bullets,
    Card,
    Cards,
    Cell,
    Column,
    Item,
    KeyValues,
    Paragraph,
    Section,
    Source,
    Sources,
    Table,
    Title,
)

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.formats import Report


class Say(NamedTuple):
    """What a section builder needs: the report, its renderer, and the report's own prose."""

    report: Report | Any  # None: prose around something else (the options command)
    say: Any  # the Renderer

    def __call__(self, key: str, **params: Any) -> str:
        """The report's own prose: ``report.<key>`` of the messages, filled in."""
        return self.say(Reason(f"report.{key}", params))

    @property
    def r(self) -> Any:
        return self.report.result


Builder = Callable[[Say], "list[Block]"]


# -- the document (markdown, HTML) ----------------------------------------------------
def title(w: Say) -> list[Block]:
    r, when = w.r, w.report.prepared_on
    head = w("title_named", name=r.business_name) if r.business_name else w("title")
    if when:
        prepared = w("prepared_on", date=L.long_date(when), version=__version__, rules=r.rules_version)
    else:
        prepared = w("prepared", version=__version__, rules=r.rules_version)
    return [Title(head, w("subtitle"), prepared)]


def summary(w: Say) -> list[Block]:
    r, say = w.r, w.say
    cards: tuple[Card, ...]
    if r.closing:
        plan, tail = say.closing_summary(r.tail)
        cards = (Card(w("plan"), w("closing_value"), plan, plan), Card(w("tail"), w("tail_value"), tail, tail))
    else:
        form, instead = say.defense_summary(r.defense_costs, r.limit.per_claim)
        cards = (
            Card(w("limit"), L.usd(r.limit.per_claim), w("per_claim_aggregate", aggregate=r.limit.aggregate)),
            Card(w("deductible"), L.usd(r.deductible.amount), w("per_claim")),
            Card(w("defense"), form[:1].upper() + form[1:], instead[:1].upper() + instead[1:], say.defense_line(r.defense_costs, r.limit.per_claim)),
            Card(w("premium"), w("range", low=r.premium.low, high=r.premium.high), w("a_year", caveat=say.premium_caveat(r.premium))),
        )
    blocks: list[Block] = [Cards(cards, w("summary"))]
    if r.gaps:
        also = ", ".join(
            w("also_consider_item", coverage=L.coverage(g.coverage), severity=L.SEVERITY.get(g.severity, g.severity).lower()) for g in r.gaps
        )
        blocks.append(Paragraph(also + ".", lead=w("also_consider")))
    return [Section("", tuple(blocks), role="summary")]


def why(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:  # a closing business buys no new policy: no terms or gaps to explain
        return []
    parts = ((w("limit"), r.limit.reasons), (w("deductible"), r.deductible.reasons), (w("defense"), r.defense_costs.reasons))
    boxes = tuple(Section(head, (Bullets(tuple(Item(x) for x in say.all(reasons))),), role="box", level=3) for head, reasons in parts)
    return [Section(w("why"), boxes, role="why")]


def gaps(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:
        return []
    if not r.gaps:
        return [Section(w("gaps"), (Paragraph(w("gaps_none")),))]
    rows = []
    for g in r.gaps:
        if not g.suggested_limit:
            limit = w("ask_your_broker")
        else:
            limit = w("limit_parties", limit=g.suggested_limit, parties=g.parties) if g.parties else L.usd(g.suggested_limit)
        rows.append((L.coverage(g.coverage), Cell(L.SEVERITY.get(g.severity, g.severity), severity=g.severity), limit, say(g.reason)))
    columns = (Column(w("coverage")), Column(w("severity")), Column(w("suggested_limit")), Column(w("why_column")))
    return [Section(w("gaps"), (Table(columns, tuple(rows)),))]


def _found(r: Any) -> tuple[tuple[str, list], ...]:
    """Each finding once: the advice's own warnings, then the current policy's review."""
    return (("findings", [f for f in r.findings if f.scope != "policy"]), ("policy_review", list(r.policy_review)))


def findings(w: Say) -> list[Block]:
    say = w.say
    columns = (Column(w("severity")), Column(w("finding")), Column(w("ask_the_broker")))
    out: list[Block] = []
    for heading, found in _found(w.r):
        if found:
            rows = tuple(
                (Cell(L.SEVERITY.get(f.severity, f.severity), severity=f.severity), say(f.finding), say(f.ask) if f.ask else "") for f in found
            )
            out.append(Section(w(heading), (Table(columns, rows),)))
    return out


def tail(w: Say) -> list[Block]:
    r = w.r
    if not r.tail:
        return []
    rows = tuple((w("tail_years", years=x.years), w("range", low=x.low, high=x.high)) for x in r.tail)
    table = Table((Column(w("tail_period")), Column(w("tail_price"), "num")), rows)
    return [Section(w("tail_heading"), (Paragraph(w("tail_note"), role="note"), table))]


def contracts(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if not r.contracts:
        return []
    not_met = Cell(w("not_met"), strong=True)
    rows = []
    for c in r.contracts:
        now = w("no_current_policy") if c.current_meets is None else (w("met") if c.current_meets else not_met)
        client = w("contract_shorthand") if L.is_shorthand(c.client) else c.client
        rows.append((client, L.usd(c.required_limit), w("met") if c.recommended_meets else not_met, now, " ".join(say.all(c.notes))))
    columns = (Column(w("client")), Column(w("requires"), "num"), Column(w("recommended")), Column(w("current")), Column(w("notes")))
    return [Section(w("contracts"), (Table(columns, tuple(rows)),))]


def options(w: Say) -> list[Block]:
    from eo_advisor.formats.grid import chart, options_blocks

    opts = w.report.options
    if opts is None or w.r.closing:
        return []
    return [Section(w("options"), tuple(options_blocks(opts, w))), chart(opts, w)]


def premium(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:  # the tail is the cost that matters, shown in the summary
        return []
    p = r.premium
    number = _source_numbers(w)
    rows = tuple(
        (
            L.FACTOR.get(f.name, L.words(f.name)),
            Cell(f"{f.multiplier:g}"),
            say(f.detail),
            Cell(f"[{number[f.source]}]", cite=number[f.source]) if f.source in number else "",
        )
        for f in p.factors
    )
    lead = Paragraph(w("premium_basis", estimate=p.estimate, base=p.base), lead=w("premium_lead", low=p.low, high=p.high))
    columns = (Column(w("factor")), Column(w("times"), "num"), Column(w("why_column")), Column(w("source"), "ref"))
    return [Section(w("premium"), (lead, Table(columns, rows)))]


def underwriting(w: Say) -> list[Block]:
    r = w.r
    if not r.underwriting.referred:
        return []
    uw = r.underwriting.to_dict(w.say)
    return [Section(w("underwriting"), (Bullets(tuple(Item(f["reason"]) for f in uw["flags"])), Paragraph("", lead=uw["advice"])), role="keep")]


def _actions(w: Say, heading: str, line: str) -> list[Block]:
    r, say = w.r, w.say
    if not r.actions:
        return []
    return [Section(w(heading), (Bullets(tuple(Item(w(line, action=say(a.action), effect=say(a.effect))) for a in r.actions)),))]


def actions(w: Say) -> list[Block]:
    return _actions(w, "actions", "action")


def answers(w: Say) -> list[Block]:
    profile = w.report.profile
    if profile is None:
        return []
    header = (w("question"), w("answer"))
    parts = tuple(Section(section, (KeyValues(tuple(qa), header),), level=3) for section, qa in L.answers(profile, w.say))
    return [Section(w("answers"), parts, role="answers")]


def _sources(w: Say) -> list[dict]:
    return L.sources_of(w.r, w.say)


def _source_numbers(w: Say) -> dict[str, int]:
    return {s["id"]: s["n"] for s in _sources(w)}


def sources(w: Say) -> list[Block]:
    items = tuple(Source(s["n"], s["title"], s["link"], s["kind"]) for s in _sources(w))
    return [Section(w("sources"), (Sources(items),), role="sources")]


def disclaimer(w: Say) -> list[Block]:
    basis = " ".join(w.say.all(w.r.premium.basis))
    return [Paragraph(w("disclaimer", basis=basis), role="disclaimer")]  # the basis says it is an estimate, not a quote


def appendix(w: Say) -> list[Block]:
    from eo_advisor.formats.explain import explain_steps

    if not w.r.explain:
        return []
    return [Section(w("appendix"), (Paragraph(w("appendix_note"), role="note"), *explain_steps(w)), role="appendix")]


# -- the brief (text at a terminal) ---------------------------------------------------
def brief_title(w: Say) -> list[Block]:
    name = w.r.business_name
    return [Title(w("brief_title_named", name=name) if name else w("brief_title"))]


def brief_summary(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:
        plan, tail = say.closing_summary(r.tail)
        return [Cards((Card(w("plan"), line=plan), Card(w("tail"), line=tail)))]
    p = r.premium
    return [
        Cards(
            (
                Card(w("limit"), line=w("brief_limit_line", per_claim=r.limit.per_claim, aggregate=r.limit.aggregate)),
                Card(w("deductible"), line=L.usd(r.deductible.amount)),
                Card(w("defense"), line=say.defense_line(r.defense_costs, r.limit.per_claim)),
                Card(w("brief_premium"), line=w("brief_premium_line", low=p.low, high=p.high, caveat=say.premium_caveat(p))),
            )
        )
    ]


def brief_why(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:
        return []
    parts = ((w("brief_why_limit"), r.limit.reasons), (w("brief_why_deductible"), r.deductible.reasons), (w("defense"), r.defense_costs.reasons))
    return [Section(head, (Bullets(tuple(Item(x) for x in say.all(reasons))),)) for head, reasons in parts]


def brief_gaps(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:
        return []
    if not r.gaps:
        return [Section(w("gaps"), (Paragraph(w("brief_gaps_none")),))]
    items = tuple(
        Item(say(g.reason), w("brief_gap_mark", severity=f"{g.severity.upper():6}", coverage=L.spaced(g.coverage)), g.severity) for g in r.gaps
    )
    return [Section(w("gaps"), (Bullets(items, "fit"),))]


def brief_premium(w: Say) -> list[Block]:
    r, say = w.r, w.say
    if r.closing:
        return []
    factors = r.premium.factors
    rows = tuple((L.spaced(f.name), Cell(f"{f.multiplier:g}"), say(f.detail), f.source) for f in factors)
    narrow = Bullets(
        tuple(
            Item(
                say(f.detail),
                w("brief_factor_mark", factor=L.spaced(f.name), multiplier=f.multiplier),
                "strong",
                w("brief_factor_source", source=f.source),
            )
            for f in factors
        ),
        "stack",
    )
    columns = (Column(w("brief_factor")), Column(w("times"), "num"), Column(w("brief_why")), Column(w("brief_source"), "ref"))
    basis = Paragraph(" ".join(say.all(r.premium.basis)), role="aside")
    return [Section(w("premium"), (Table(columns, rows, narrow), basis))]


def brief_contracts(w: Say) -> list[Block]:
    r, say = w.r, w.say
    items = []
    for x in r.contracts:
        mark = w("brief_met") if x.recommended_meets else w("brief_not_met")
        if x.current_meets is not None:
            mark = w("brief_now", met=mark, now=w("brief_now_met") if x.current_meets else w("brief_now_not_met"))
        items.append(Item(w("brief_contract", client=x.client, notes=" ".join(say.all(x.notes))), mark, "ok" if x.recommended_meets else "high"))
    return [Section(w("contracts"), (Bullets(tuple(items), "fit"),))] if items else []


def brief_findings(w: Say) -> list[Block]:
    say = w.say
    out: list[Block] = []
    for heading, found in _found(w.r):
        if found:
            items = tuple(
                Item(
                    w("brief_finding", finding=say(f.finding), ask=say(f.ask)) if f.ask is not None else say(f.finding),
                    f.severity.upper(),
                    f.severity,
                )
                for f in found
            )
            out.append(Section(w(heading), (Bullets(items),)))
    return out


def brief_underwriting(w: Say) -> list[Block]:
    r = w.r
    if not r.underwriting.referred:
        return []
    uw = r.underwriting.to_dict(w.say)
    return [Section(w("underwriting"), (Bullets((*(Item(f["reason"]) for f in uw["flags"]), Item(uw["advice"], "→"))),))]


def brief_actions(w: Say) -> list[Block]:
    return _actions(w, "brief_actions", "brief_action")


def brief_explain(w: Say) -> list[Block]:
    from eo_advisor.formats.explain import explain_steps

    if not w.r.explain:
        return []
    return [Section(w("brief_explain"), (Paragraph(w("appendix_note")), *explain_steps(w)))]


def brief_sources(w: Say) -> list[Block]:
    kinds = L.SOURCE_KIND
    lines = [
        Paragraph(w("brief_source_line", id=s["id"], title=s["title"], kind=kinds.get(s["confidence"], s["confidence"])), role="muted")
        for s in w.say.sources(w.r.sources)
    ]
    return [Section(w("sources"), (*lines, Paragraph(w("brief_rules", version=w.r.rules_version), role="muted")))]


# the order of each report: a new section goes in here
DOCUMENT: tuple[Builder, ...] = (
    title,
    summary,
    why,
    gaps,
    findings,
    tail,
    contracts,
    options,
    premium,
    underwriting,
    actions,
    answers,
    sources,
    disclaimer,
    appendix,
)
BRIEF: tuple[Builder, ...] = (
    brief_title,
    brief_summary,
    brief_why,
    brief_gaps,
    brief_premium,
    brief_contracts,
    brief_findings,
    brief_underwriting,
    brief_actions,
    brief_explain,
    brief_sources,
)


def outline(report: Report, *, brief: bool = False) -> list[Block]:
    """The report as blocks: the document, or (``brief``) the terminal's shorter report."""
    w = Say(report, report.render)
    return [block for build in (BRIEF if brief else DOCUMENT) for block in build(w)]
