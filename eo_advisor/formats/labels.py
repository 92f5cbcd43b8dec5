"""Words for the ids a report would otherwise show: the one label table of the reports.

Coverage, severity, factor, defense-form and practice ids are for files and code; the
HTML and Markdown reports show these words instead (services and industries come from
the rules vocabulary through :meth:`eo_advisor.formats.render.Renderer.label`). Plain data, no
imports: loading it costs nothing.
"""

from __future__ import annotations

COVERAGE = {
    "cyber": "Cyber",
    "products_liability": "Products liability",
    "media_liability": "Media / IP liability",
    "crime": "Crime / social engineering",
    "general_liability": "General liability",
    "employment_practices": "Employment practices",
    "workers_compensation": "Workers' compensation",
    "patent": "Patent",
    "cost_to_complete": "Cost to complete",
}

SEVERITY = {"high": "High", "medium": "Medium", "low": "Low", "info": "For information"}

# the current policy's form; the advice's own forms are labelled by the renderer (messages.toml [label])
DEFENSE = {"eroding": "Defense costs inside the limit (eroding)"}

FACTOR = {
    "revenue": "Revenue",
    "services": "Services",
    "client_industries": "Client industries",
    "sensitive_data": "Sensitive data",
    "own_products": "Own product",
    "claims_history": "Claims history",
    "prior_acts": "Years of prior acts",
    "limit": "Limit",
    "aggregate": "Aggregate",
    "deductible": "Deductible",
    "defense_costs": "Defense costs",
    "practices": "Risk-management practices",
}


def practice_labels() -> dict[str, str]:
    """Practices and security controls as nouns: the renderer's labels (messages.toml [label])."""
    from eo_advisor.formats.render import default_renderer

    return {k.removeprefix("label."): v for k, v in default_renderer().messages.items() if k.startswith("label.")}


CHOICE = {
    "eroding": "Inside the limit (eroding)",
    "non-eroding": "On top of the limit (non-eroding)",
    "none": "None",
    "switch_insurer": "Switch to another insurer",
    "close_business": "Close the business",
}

SECTION = {
    "business": "Business",
    "work": "Work",
    "history": "Claims history",
    "practices": "Practices",
    "current_policy": "Current policy",
}

CONFIDENCE = {"high": "published figure", "low": "secondary source", "assumption": "eo-advisor assumption"}

# steps of the --explain trace
STEP = {
    "limit": "Limit",
    "deductible": "Deductible",
    "defense_costs": "Defense costs",
    "gaps": "Coverage gap",
    "premium": "Premium",
}


def words(vid: object) -> str:
    """An id nobody labelled, as words: ``largest_contract`` -> ``largest contract``."""
    text = str(vid)
    for table in (COVERAGE, practice_labels(), FACTOR):
        if text in table:
            return table[text]
    return text.rsplit(".", 1)[-1].replace("_", " ")


# -- helpers the HTML and Markdown reports share (imported only by them) ---------------
def usd(value: int | float) -> str:
    """Dollars, whole: :func:`eo_advisor.profile.amounts.format_amount` of the rounded value."""
    from eo_advisor.profile.amounts import format_amount

    return format_amount(round(value))


def question(label: str) -> str:
    """A profile field's label without its typing hint: ``Annual revenue (USD)`` -> ``Annual revenue``."""
    import re

    return re.sub(r"\s*\((?:USD|%|YYYY-MM-DD|two letters)[^()]*\)$", "", label)


def long_date(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def answer(field: object, value: object, say: object) -> str:
    """A profile answer as a person would write it."""
    kind = getattr(field, "kind", "")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "amount":
        return usd(value)  # type: ignore[arg-type]
    if kind == "share":
        return f"{round(float(value) * 100, 2):g}%"  # type: ignore[arg-type]
    if kind in ("services", "industries"):
        return ", ".join(say.label(v) for v in value)  # type: ignore[attr-defined]
    if kind == "choice":
        return CHOICE.get(str(value), str(value))
    if kind == "date":
        return long_date(value)
    if kind == "count":
        return f"{value:,}"
    return str(value)


def answers(profile: object, say: object) -> list[tuple[str, list[tuple[str, str]]]]:
    """The profile's answers as (section, [(question, answer)]), in the interview's order;
    optional fields left unset are skipped."""
    from eo_advisor.profile.schema import FIELDS

    flat = profile.flat()  # type: ignore[attr-defined]
    out: dict[str, list[tuple[str, str]]] = {}
    for field in FIELDS:
        value = flat.get(field.key)
        if value is None or value == "" or value == []:
            continue
        if not field.required and value == field.default and field.kind != "bool":
            continue  # an optional choice left at its neutral default
        out.setdefault(SECTION.get(field.section, field.section), []).append((question(field.label), answer(field, value, say)))
    return list(out.items())


FACT_PREFIX = {"service": "Service", "industry": "Client industry", "policy": "Current policy has", "contract": "A contract asks for"}
_SHORTHAND = "contractual minimum ("


def client_name(name: str) -> str:
    """A contract's client; the profile's one-number shorthand (work.contractual_minimum) as words."""
    return "Highest limit your contracts require" if not name or name.startswith(_SHORTHAND) else name


def web_url(url: str) -> str | None:
    """The URL if it is one a reader can open (http or https), else None."""
    return url if url.lower().startswith(("https://", "http://")) and " " not in url else None


def sources_of(result: object, say: object) -> list[dict]:
    """Every source the report cites, numbered in the order first cited: the result's own
    list, then any a factor or gap names that it lacks."""
    ids = list(result.sources)  # type: ignore[attr-defined]
    for sid in [f.source for f in result.premium.factors] + [g.source for g in result.gaps]:  # type: ignore[attr-defined]
        if sid and sid not in ids and sid in say.rules.sources:  # type: ignore[attr-defined]
            ids.append(sid)
    out = say.sources(ids)  # type: ignore[attr-defined]
    for i, s in enumerate(out, 1):
        s["n"] = i
        s["link"] = web_url(s["url"])
        s["kind"] = CONFIDENCE.get(s["confidence"], s["confidence"])
    return out


def tick_step(top: float, ticks: int = 4) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``top``."""
    import math

    raw = max(top, 1) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return max(1, int(m * mag))
    return int(10 * mag)  # pragma: no cover


# -- the --explain trace as words -----------------------------------------------------
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
            return f"{FACT_PREFIX[prefix]}: {shown if shown != vid else words(vid)}"
        if value in DEFENSE:
            return DEFENSE[value]
        shown = say.label(value)  # type: ignore[attr-defined]
        return shown if shown != value else words(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(trace_value(key, v, say) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{words(k)} {trace_value(k, v, say, multiplier=multiplier)}" for k, v in value.items())
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
        return usd(int(text)) if text.isdigit() else (say.label(text) if say.label(text) != text else words(text))  # type: ignore[attr-defined]

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
                words(s["param"]).capitalize(),
                param_value(s["param"], s["value"], s.get("unit", ""), say),
                s.get("title", ""),
                CONFIDENCE.get(s.get("confidence", ""), s.get("confidence", "")),
            )
            for s in t.sources
        ]
        labelled = say.label(t.rule)  # type: ignore[attr-defined]
        rule = COVERAGE.get(t.rule) or (labelled if labelled != t.rule else None) or DEFENSE.get(t.rule) or words(t.rule)
        steps.append({"title": f"{STEP.get(t.step, words(t.step).capitalize())}: {rule}", "inputs": inputs, "outputs": outputs, "params": params})
    return steps
