"""The rules data as a table a person can read (``eo-advisor rules``, docs/methodology.md)."""

from __future__ import annotations

from typing import Any

from eo_advisor.rules import Param, Rules, load_rules


def _number(v: Any) -> str:
    """1000000 -> 1,000,000; 1.415 -> 1.415; ids and words as they are."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    return f"{v:,}" if isinstance(v, int) else f"{v:g}"


def _key(k: Any) -> str:
    return f"{int(k):,}" if isinstance(k, str) and k.isdigit() else str(k)


def value_text(p: Param) -> str:
    if p.kind == "brackets":
        return "; ".join(f"≥{m:,}: {_number(v)}" for m, v in p.value)
    if p.kind == "map":
        return "; ".join(f"{_key(k)}: {_number(v)}" for k, v in p.value.items())
    if p.kind == "list":
        return ", ".join(_number(v) for v in p.value)
    return _number(p.value)


def rules_dict(rules: Rules | None = None) -> dict[str, Any]:
    rules = rules or load_rules()
    return {
        "version": rules.version,
        "parameters": [{**p.to_dict(), "kind": p.kind, "description": p.description} for p in rules.params.values()],
        "sources": [s._asdict() for s in rules.sources.values()],
        "gaps": [g._asdict() for g in rules.gaps],
    }


def rules_markdown(rules: Rules | None = None) -> str:
    rules = rules or load_rules()
    lines = [
        f"Rules data version {rules.version}.",
        "",
        "| parameter | value | unit | source | what it does |",
        "|---|---|---|---|---|",
    ]
    for p in rules.params.values():
        desc = p.description.replace("|", "\\|")
        lines.append(f"| `{p.name}` | {value_text(p)} | {p.unit} | `{p.source}` | {desc} |")
    lines += ["", "| source | confidence | title | where |", "|---|---|---|---|"]
    for s in rules.sources.values():
        lines.append(f"| `{s.id}` | {s.confidence} | {s.title} | {s.url} |")
    return "\n".join(lines) + "\n"


def rules_text(rules: Rules | None = None) -> str:
    rules = rules or load_rules()
    out = [f"eo-advisor rules data, version {rules.version}", ""]
    for p in rules.params.values():
        out.append(f"{p.name} = {value_text(p)}  [{p.unit}]  (source: {p.source})")
        out.append(f"    {p.description}")
    out += ["", "Sources:"]
    for s in rules.sources.values():
        out.append(f"  {s.id:18} {s.confidence:10} {s.title} — {s.url}")
    return "\n".join(out) + "\n"


class RulesText:
    name = "text"

    def format(self, rules: Rules | None, *, color: bool = False, width: int = 80) -> str:
        return rules_text(rules)


class RulesJson:
    name = "json"

    def format(self, rules: Rules | None, *, color: bool = False, width: int = 80) -> str:
        from eo_advisor.formats.data import to_json

        return to_json(rules_dict(rules)) + "\n"


class RulesMarkdown:
    name = "markdown"

    def format(self, rules: Rules | None, *, color: bool = False, width: int = 80) -> str:
        return rules_markdown(rules)
