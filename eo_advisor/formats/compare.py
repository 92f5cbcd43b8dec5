"""Compare output: which answers changed, which advice changed, and why. Text and JSON
for scripts and terminals; markdown and HTML (the report's emitters over
:func:`compare_blocks`) for a client: labels, not keys, and the current policy and the
contracts field by field."""

from __future__ import annotations

from typing import Any, NamedTuple

from eo_advisor.advice.compare import Comparison
from eo_advisor.formats import labels as L
from eo_advisor.formats.blocks import Block, Column, Paragraph, Section, Table, Title
from eo_advisor.formats.data import to_json
from eo_advisor.formats.explain import sentence_value
from eo_advisor.formats.outline import Say
from eo_advisor.formats.render import Renderer
from eo_advisor.profile.amounts import format_amount as usd


class CompareReport(NamedTuple):
    """What a ``compare`` formatter receives: the comparison, the two sources, the renderer."""

    comparison: Comparison
    a_name: str
    b_name: str
    render: Renderer


def _show(key: str, value: Any, say: Renderer) -> str:
    """A changed answer or output as a person reads it: values worded as the report
    words them (:func:`explain.trace_value`: dollars, labels); a table (the current
    policy, a contract) as its fields in a line; yes/no and "none" in lower case."""
    if value is None:
        return "none"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(_show(key, item, say) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {value[k] if isinstance(value[k], str) else _show(k, value[k], say)}" for k in value)
    return sentence_value(key, value, say)


def compare_text(c: Comparison, a_name: str, b_name: str, say: Renderer) -> str:
    out = [f"A: {a_name}", f"B: {b_name}", ""]
    if not c.inputs:
        out.append("The two profiles give the same answers.")
    else:
        out.append("Answers that differ:")
        out += [f"  {x.key}: {_show(x.key, x.a, say)} -> {_show(x.key, x.b, say)}" for x in c.inputs]
    out.append("")
    if not c.outputs:
        out.append("The advice is the same.")
    else:
        out.append("Advice that differs:")
        for x in c.outputs:
            why = ", ".join(x.caused_by) if x.caused_by else "the combination of the changed answers (no single one moves it alone)"
            out.append(f"  {x.output}: {_show(x.output, x.a, say)} -> {_show(x.output, x.b, say)}")
            out.append(f"      because of: {why}")
    out += [
        "",
        f"Premium A {usd(c.a.premium.low)}–{usd(c.a.premium.high)}, B {usd(c.b.premium.low)}–{usd(c.b.premium.high)} a year (estimates, not quotes).",
    ]
    return "\n".join(out) + "\n"


def compare_json(c: Comparison, a_name: str, b_name: str, say: Renderer) -> str:
    return to_json({"a_source": a_name, "b_source": b_name, **c.to_dict(say)}) + "\n"


# -- for a client: blocks ----------------------------------------------------------------
def _label(key: str) -> str:
    """An answer's or an output's label: the profile's question, else the label table."""
    from eo_advisor.profile.model import FIELD_BY_KEY

    field = FIELD_BY_KEY.get(key)
    return L.question(field.label) if field is not None else L.OUTPUT.get(key, L.words(key).capitalize())


def _value(key: str, value: Any, w: Say) -> str:
    if value is None or value == []:
        return w("compare_none")
    if key == "gaps":
        return ", ".join(L.coverage(v.split(" (")[0]) + " (" + v.split(" (")[1] for v in value)
    if key == "warnings":
        return ", ".join(L.spaced(v) for v in value)
    return L.capital(sentence_value(key, value, w.say))


def _policy(a: dict | None, b: dict | None, w: Say) -> Section:
    keys = dict.fromkeys([*(a or {}), *(b or {})])
    rows = []
    for k in keys:
        va, vb = (a or {}).get(k), (b or {}).get(k)
        if va != vb:
            full = f"current_policy.{k}"
            rows.append((_label(full), _value(full, va, w), _value(full, vb, w)))
    return Section(w("compare_policy"), (Table((Column(w("compare_field")), Column("A"), Column("B")), tuple(rows)),), level=3)


def _contract(c: dict | None, w: Say) -> str:
    if c is None:
        return w("compare_no_contract")
    parts = []
    for k, v in c.items():
        if k != "client" and v not in (None, False):
            shown = usd(v) if isinstance(v, int) and not isinstance(v, bool) else (w.say.label(v) if isinstance(v, str) else "")
            parts.append(f"{L.CONTRACT.get(k, L.spaced(k))}{': ' + shown if shown else ''}")
    return "; ".join(parts) or w("compare_none")


def _contracts(a: list | None, b: list | None, w: Say) -> Section:
    by_a = {c["client"]: c for c in a or []}
    by_b = {c["client"]: c for c in b or []}
    rows = []
    for client in dict.fromkeys([*by_a, *by_b]):
        ca, cb = by_a.get(client), by_b.get(client)
        if ca != cb:
            rows.append((client, _contract(ca, w), _contract(cb, w)))
    return Section(w("compare_contracts"), (Table((Column(w("client")), Column("A"), Column("B")), tuple(rows)),), level=3)


def _answers(c: Comparison, w: Say) -> Section:
    if not c.inputs:
        return Section(w("compare_answers"), (Paragraph(w("compare_same_answers")),))
    rows = tuple((_label(x.key), _value(x.key, x.a, w), _value(x.key, x.b, w)) for x in c.inputs if x.key not in ("current_policy", "contracts"))
    blocks: list[Block] = [Table((Column(w("compare_answer")), Column("A"), Column("B")), rows)] if rows else []
    for x in c.inputs:
        if x.key == "current_policy":
            blocks.append(_policy(x.a, x.b, w))
        elif x.key == "contracts":
            blocks.append(_contracts(x.a, x.b, w))
    return Section(w("compare_answers"), tuple(blocks))


def compare_blocks(data: CompareReport) -> list[Block]:
    c, w = data.comparison, Say(None, data.render)
    head = Title(w("compare_title"), w("compare_sources", a=data.a_name, b=data.b_name))
    if c.outputs:
        rows = tuple(
            (_label(x.output), _value(x.output, x.a, w), _value(x.output, x.b, w), ", ".join(map(_label, x.caused_by)) or w("compare_combination"))
            for x in c.outputs
        )
        columns = (Column(w("compare_advice_column")), Column("A"), Column("B"), Column(w("compare_because")))
        advice = Section(w("compare_advice"), (Table(columns, rows),))
    else:
        advice = Section(w("compare_advice"), (Paragraph(w("compare_same_advice")),))
    p, q = c.a.premium, c.b.premium
    premium = Paragraph(w("compare_premium", a_low=p.low, a_high=p.high, b_low=q.low, b_high=q.high), role="note")
    return [head, advice, premium, _answers(c, w)]


class CompareText:
    name = "text"

    def format(self, data: CompareReport, *, color: bool = False, width: int = 80) -> str:
        return compare_text(data.comparison, data.a_name, data.b_name, data.render)


class CompareJson:
    name = "json"

    def format(self, data: CompareReport, *, color: bool = False, width: int = 80) -> str:
        return compare_json(data.comparison, data.a_name, data.b_name, data.render)


class CompareMarkdown:
    name = "markdown"

    def format(self, data: CompareReport, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.markdown import emit

        return "\n".join(emit(compare_blocks(data)))


class CompareHtml:
    name = "html"

    def format(self, data: CompareReport, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.html import page

        return page(compare_blocks(data))
