"""Compare output: which answers changed, which advice changed, and why."""

from __future__ import annotations

from typing import Any

from eo_advisor.advice.compare import Comparison
from eo_advisor.formats.data import to_json
from eo_advisor.formats.explain import sentence_value
from eo_advisor.formats.render import default_renderer
from eo_advisor.profile.amounts import format_amount as usd


def _show(key: str, value: Any) -> str:
    """A changed answer or output as a person reads it: values worded as the report
    words them (:func:`labels.trace_value`: dollars, labels); a table (the current
    policy, a contract) as its fields in a line; yes/no and "none" in lower case."""

    if value is None:
        return "none"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(_show(key, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {value[k] if isinstance(value[k], str) else _show(k, value[k])}" for k in value)
    return sentence_value(key, value, default_renderer())


def compare_text(c: Comparison, a_name: str, b_name: str) -> str:
    out = [f"A: {a_name}", f"B: {b_name}", ""]
    if not c.inputs:
        out.append("The two profiles give the same answers.")
    else:
        out.append("Answers that differ:")
        out += [f"  {x.key}: {_show(x.key, x.a)} -> {_show(x.key, x.b)}" for x in c.inputs]
    out.append("")
    if not c.outputs:
        out.append("The advice is the same.")
    else:
        out.append("Advice that differs:")
        for x in c.outputs:
            why = ", ".join(x.caused_by) if x.caused_by else "the combination of the changed answers (no single one moves it alone)"
            out.append(f"  {x.output}: {_show(x.output, x.a)} -> {_show(x.output, x.b)}")
            out.append(f"      because of: {why}")
    out += [
        "",
        f"Premium A {usd(c.a.premium.low)}–{usd(c.a.premium.high)}, B {usd(c.b.premium.low)}–{usd(c.b.premium.high)} a year (estimates, not quotes).",
    ]
    return "\n".join(out) + "\n"


def compare_json(c: Comparison, a_name: str, b_name: str) -> str:
    return to_json({"a_source": a_name, "b_source": b_name, **c.to_dict(default_renderer())}) + "\n"


class CompareText:
    name = "text"

    def format(self, data: tuple[Comparison, str, str], *, color: bool = False, width: int = 80) -> str:
        return compare_text(*data)


class CompareJson:
    name = "json"

    def format(self, data: tuple[Comparison, str, str], *, color: bool = False, width: int = 80) -> str:
        return compare_json(*data)
