"""The ``--explain`` trace as words: each rule that fired, what it used, what it decided,
and where its numbers come from. :func:`explain_steps` is the one rendering: the
markdown and HTML appendix and ``assess -f text --explain`` write the same blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eo_advisor.formats.blocks import Block, Cell, Column, KeyValues, Section, Table
from eo_advisor.formats.labels import CONFIDENCE, COVERAGE, DEFENSE, FACT_PREFIX, FACTOR, SEVERITY, STEP, answer, question, usd, words

if TYPE_CHECKING:  # pragma: no cover
    from eo_advisor.formats.outline import Say

_MONEY = (
    "limit",
    "revenue",
    "value",
    "amount",
    "absorbable",
    "exposure",
    "low",
    "high",
    "estimate",
    "premium",
    "deductible",
    "minimum",
    "cap",
    "floor",
    "aggregate",
    "per_claim",
)


def trace_value(key: str, value: object, say: object, *, multiplier: bool = False) -> str:
    """One input or output of a rule, formatted for a reader."""
    from eo_advisor.profile.schema import FIELD_BY_KEY

    field = FIELD_BY_KEY.get(key)
    if value is None:
        return "not given"
    if field is not None:
        return answer(field, value, say)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if multiplier:
            return f"×{value:g}"
        last = key.rsplit(".", 1)[-1]
        if isinstance(value, int) and any(w in last for w in _MONEY) and "multiplier" not in last:
            return usd(value)
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"
    if isinstance(value, str):
        prefix, colon, vid = value.partition(":")
        if colon and prefix in FACT_PREFIX:  # a gap rule's fact: service:web_development
            shown = say.label(vid)  # type: ignore[attr-defined]
            return f"{FACT_PREFIX[prefix]}: {shown if shown != vid else words(vid, say)}"
        if value in DEFENSE:
            return DEFENSE[value]
        shown = say.label(value)  # type: ignore[attr-defined]
        return shown if shown != value else words(value, say)
    if isinstance(value, (list, tuple)):
        return ", ".join(trace_value(key, v, say) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{words(k, say)} {trace_value(k, v, say, multiplier=multiplier)}" for k, v in value.items())
    return str(value)


def sentence_value(key: str, value: object, say: object) -> str:
    """:func:`trace_value` inside a sentence: a bare yes/no in lower case."""
    text = trace_value(key, value, say)
    return text.lower() if text in ("Yes", "No") else text


def param_value(param: str, value: object, unit: str, say: object) -> str:
    """A rules parameter's value in its unit: amounts, multipliers, shares, tables."""

    def one(v: object) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, (int, float)):
            if unit.startswith("USD"):
                return usd(v) + unit[3:].replace("per year", "a year")
            if unit == "multiplier":
                return f"×{v:g}"
            if unit.startswith("share"):
                return f"{round(v * 100, 4):g}% ({unit})"
            return f"{v:,}" + (f" {unit}" if unit else "")
        return str(v)

    def key(k: object) -> str:
        text = str(k)
        return usd(int(text)) if text.isdigit() else (say.label(text) if say.label(text) != text else words(text, say))  # type: ignore[attr-defined]

    if isinstance(value, dict):
        return "; ".join(f"{key(k)}: {one(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict) and "min" in value[0]:
        last = param.rsplit(".", 1)[-1]
        money_min = "revenue" in last or "contract" in last or "limit" in last

        def low(x: dict) -> str:
            return usd(x["min"]) if money_min else f"{x['min']:,}"

        return "; ".join(f"from {low(x)}: {one(x['value'])}" for x in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(one(v) for v in value)
    return one(value)


def trace_steps(explain: list, say: object) -> list[dict]:
    """Each rule that fired: a heading, its inputs and outputs as (label, value), its
    parameters as rows of (parameter, value, source title, confidence)."""
    from eo_advisor.profile.schema import FIELD_BY_KEY

    def label(k: str) -> str:
        f = FIELD_BY_KEY.get(k)
        return question(f.label) if f is not None else k.replace(".", " ").replace("_", " ").capitalize()

    steps = []
    for t in explain:
        mult = t.step == "premium"
        inputs = [(FACTOR.get(k, label(k)) if mult else label(k), trace_value(k, v, say, multiplier=mult)) for k, v in t.inputs.items()]
        out = t.output
        outputs = (
            [(label(k), trace_value(k, v, say)) for k, v in out.items()]
            if isinstance(out, dict)
            else [("Result", SEVERITY.get(str(out)) or trace_value(t.step, out, say))]
        )
        params = [
            (
                words(s["param"], say).capitalize(),
                param_value(s["param"], s["value"], s.get("unit", ""), say),
                s.get("title", ""),
                CONFIDENCE.get(s.get("confidence", ""), s.get("confidence", "")),
            )
            for s in t.sources
        ]
        labelled = say.label(t.rule)  # type: ignore[attr-defined]
        rule = COVERAGE.get(t.rule) or (labelled if labelled != t.rule else None) or DEFENSE.get(t.rule) or words(t.rule, say)
        steps.append({"title": f"{STEP.get(t.step, words(t.step).capitalize())}: {rule}", "inputs": inputs, "outputs": outputs, "params": params})
    return steps


def explain_steps(w: Say) -> list[Block]:
    """The appendix: per rule that fired, its facts and decisions, then its parameters."""
    facts_header = (w("fact"), w("value"))
    columns = (Column(w("parameter")), Column(w("value")), Column(w("source")), Column(w("confidence")))
    out: list[Block] = []
    for step in trace_steps(w.r.explain, w.say):
        rows = [*step["inputs"], *((w("decided", fact=k), Cell(v, strong=True)) for k, v in step["outputs"])]
        blocks: list[Block] = [KeyValues(tuple(rows), facts_header)]
        if step["params"]:
            narrow = KeyValues(tuple((p, f"{v}. {title} ({kind})") for p, v, title, kind in step["params"]), facts_header)
            blocks.append(Table(columns, tuple(step["params"]), narrow))
        out.append(Section(step["title"], tuple(blocks), role="step", level=3))
    return out
