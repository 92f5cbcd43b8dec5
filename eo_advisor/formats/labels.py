"""Words for the ids a report would otherwise show: the one label table of the reports.

Coverage, severity, factor, defense-form and practice ids are for files and code; the
HTML and Markdown reports show these words instead (services and industries come from
the rules vocabulary through :meth:`eo_advisor.formats.render.Renderer.label`). Plain data, no
imports: loading it costs nothing.
"""

from __future__ import annotations

from typing import Any

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
SOURCE_KIND = {"high": "published", "low": "secondary", "assumption": "eo-advisor assumption"}  # the terminal's shorter words

# what compare compares (advice.compare.OUTPUTS), and its two grouped answers
OUTPUT = {
    "limit.per_claim": "Limit per claim",
    "limit.aggregate": "Aggregate limit",
    "deductible.amount": "Deductible",
    "defense_costs.recommendation": "Defense costs",
    "defense_costs.limit_if_eroding": "Limit to buy if eroding",
    "gaps": "Coverage gaps",
    "premium.low": "Premium (low)",
    "premium.high": "Premium (high)",
    "underwriting.referred": "Referred to an underwriter",
    "warnings": "Points to raise with the broker",
    "current_policy": "Current policy",
    "contracts": "Client contracts",
}
CONTRACT = {
    "client": "Client",
    "eo_limit": "E&O limit required",
    "value": "Contract value",
    "cyber_limit": "Cyber limit required",
    "liability_cap": "Liability cap",
    "defense_outside_limits": "Defense costs outside the limit",
    "additional_insured": "Additional insured",
    "industry": "Client industry",
}

# steps of the --explain trace
STEP = {
    "limit": "Limit",
    "deductible": "Deductible",
    "defense_costs": "Defense costs",
    "gaps": "Coverage gap",
    "premium": "Premium",
}


def spaced(vid: object) -> str:
    """An id with spaces: ``client_industries`` -> ``client industries``."""
    return str(vid).replace("_", " ")


def capital(text: str) -> str:
    """``text`` with its first letter in upper case (the rest as it is)."""
    return text[:1].upper() + text[1:]


def coverage(cid: str) -> str:
    """A coverage's label: ``products_liability`` -> ``Products liability``."""
    return COVERAGE.get(cid) or words(cid)


def words(vid: object, say: Any = None) -> str:
    """An id as words: a coverage's or factor's label, else (given the renderer) a
    practice's or control's, else the id itself: ``largest_contract`` -> ``largest contract``."""
    text = str(vid)
    for table in (COVERAGE, FACTOR):
        if text in table:
            return table[text]
    if say is not None and say.label(text) != text:
        return say.label(text)
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


def is_shorthand(name: str) -> bool:
    """Whether a contract's client is the profile's one-number shorthand (work.contractual_minimum)."""
    return not name or name.startswith(_SHORTHAND)


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
