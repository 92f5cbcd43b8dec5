"""The terms of an insurance clause other than limits, read from one unit of text.

Each function takes the text of a unit and answers ``None`` when the unit does not speak
of that term; a unit that names a term but leaves its value open (``an extended
reporting period``, no length) answers :data:`OPEN`, which the reader lists under
"cannot tell". Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from eo_advisor.contracts.money import Money, words_value

#: The words that name what a requirement leaves out ("all policies other than ...").
EXCEPT = r"other\s+than|except(?:ing)?(?:\s+for)?|excluding|with\s+the\s+exception\s+of|but\s+not|not\s+including|(?:does|shall)\s+not\s+apply\s+to"

OPEN: Final = "open"  # the term is named, its value is not settled by the text

_NUMBER = r"(?:\d{1,3}|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|twenty[\s-]four|thirty|thirty[\s-]six|forty[\s-]five|sixty|ninety)(?:\s*\(\d{1,3}\))?)"
_CLAIMS_MADE = re.compile(r"claims?[\s-]+made", re.I)
_NOT_CLAIMS_MADE = re.compile(
    r"(?:\bnot\b|\bno\b)[^.;]{0,25}claims?[\s-]+made|claims?[\s-]+made[^.;]{0,50}\b(?:not\s+(?:be\s+)?(?:acceptable|accepted|permitted|allowed)|prohibited|unacceptable)"
    r"|occurrence\s+(?:basis|form)\s+only|only\s+on\s+an\s+occurrence|must\s+be\s+(?:written\s+)?on\s+an\s+occurrence",
    re.I,
)
_RETRO = re.compile(r"retro(?:active)?(?:\s+|-)(?:date|coverage|cover)", re.I)
_RETRO_BEFORE = re.compile(
    r"(?:on\s+or\s+before|before|prior\s+to|precede|precedes|no\s+later\s+than|not\s+later\s+than|earlier\s+than|coincident\s+with\s+or\s+before|predate|pre-date)"
    r"[^.;]{0,80}?(?:effective\s+date|commencement|start|first|beginning|inception|execution|date\s+of\s+(?:this|the)|award|services|work|performance|agreement|contract)",
    re.I,
)
_ROMAN = "XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I"
_TAIL = r"extended\s+reporting|discovery\s+period|\btail\b|run[\s-]?off|\bERP\b"
_YEARS = re.compile(rf"(?P<n>{_NUMBER})\s*(?:\(\s*\d{{1,3}}\s*\)\s*)?(?:full\s+|additional\s+|consecutive\s+)?(?P<unit>years?|months?)\b", re.I)
_AFTER_END = re.compile(
    r"(?:after|following|beyond|from|subsequent\s+to|past)\s+(?:the\s+)?(?:date\s+of\s+)?(?:final\s+|substantial\s+)?(?:completion|termination|expiration|expiry|acceptance|end|conclusion|payment|delivery|close)"
    r"|(?:after|following)\s+(?:this|the)\s+\w+\s+(?:terminates?|expires?|ends?|(?:is|are)\s+(?:terminated|completed))"
    rf"|thereafter|post[\s-](?:completion|termination)|reporting\s+period|{_TAIL}",
    re.I,
)
_ERP = re.compile(
    rf"{_TAIL}|(?:after|following)\s+(?:the\s+)?(?:completion|termination|expiration)",
    re.I,
)
_DEFENSE = re.compile(
    r"defen[cs]e\s+costs?|costs?\s+of\s+defen[cs]e|claims?\s+expenses?|legal\s+(?:costs|fees)\s+and\s+expenses|costs\s+(?:inclusive|exclusive|in\s+addition)",
    re.I,
)
_OUTSIDE = re.compile(
    r"outside\s+(?:of\s+)?(?:the\s+)?limits?|in\s+addition\s+to\s+(?:the\s+)?(?:policy\s+)?limits?|(?:shall|will|must)\s+not\s+(?:erode|reduce|diminish|be\s+included)|non[\s-]?eroding"
    r"|supplementary|not\s+(?:be\s+)?(?:included\s+)?within\s+(?:the\s+)?limits|costs\s+(?:in\s+addition|exclusive)",
    re.I,
)
_INSIDE = re.compile(
    r"within\s+(?:the\s+)?limits|inclusive\s+of|costs\s+inclusive|erod(?:e|ing)|reduce\s+the\s+limits?|included\s+in\s+the\s+limits?|part\s+of\s+the\s+limits?",
    re.I,
)
_CARVE_OUT = re.compile(
    rf"(?:{EXCEPT}|not\s+apply\s+to)[^.;]{{0,40}}(?:professional|errors|E\s?&\s?O)"
    r"|(?:professional\s+liability|errors\s+(?:and|&)\s+omissions|E\s?&\s?O)[^.;]{0,80}(?:may|can)\s+(?:include|be\s+written\s+with|erode|provide)",
    re.I,
)
_ADDITIONAL_INSURED = re.compile(r"additional(?:ly)?\s+insured", re.I)
_AI_WHO = (
    re.compile(
        r"(?:nam(?:e|ing)|includ(?:e|ing)|endorsed\s+to\s+(?:name|include)|list(?:ing)?)\s+(?P<who>[^.;]{3,160}?)\s+as\s+(?:an?\s+)?additional(?:ly)?\s+insured",
        re.I,
    ),
    re.compile(
        r"(?P<who>(?:the\s+)?[A-Z][^.;]{2,160}?)\s+(?:shall|must|will|is\s+to|are\s+to)\s+be\s+(?:named|included|endorsed|added|covered)\s+as\s+(?:an?\s+)?additional",
        re.I,
    ),
    re.compile(r"additional(?:ly)?\s+insureds?\s*[:(]\s*(?P<who>[^.;)]{3,160})", re.I),
)
_WAIVER = re.compile(
    r"waiver\s+of\s+(?:rights\s+of\s+)?(?:subrogation|recovery)|waive[sd]?\s+(?:all\s+|any\s+)?(?:its\s+|their\s+)?(?:rights?\s+of\s+)?(?:subrogation|recovery)",
    re.I,
)
_PNC = re.compile(
    r"primary\s+(?:and|&)\s+non[\s-]?contributory|primary\s+(?:and|&)\s+not\s+contributing|primary\s+(?:basis\s+)?(?:and|&)\s+(?:shall\s+be\s+)?non[\s-]?contributory|primary\s+(?:insurance\s+)?and\s+(?:any|all)\s+[^.;]{0,60}excess\s+(?:and|&)\s+non[\s-]?contributing",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|no|never)\b[^.;]{0,20}$|\bneed\s+not\b[^.;]{0,20}$", re.I)
_NOTICE = re.compile(r"cancel|non[\s-]?renew|material\s+(?:change|reduction)", re.I)
_DAYS = re.compile(rf"(?P<n>{_NUMBER})\s*(?:\(\s*\d{{1,3}}\s*\)\s*)?(?:calendar\s+|business\s+)?days?['’]?", re.I)
_RATING_CUE = re.compile(r"\bbest(?:['’]s)?\b|\brat(?:ed|ing|ings)\b|financial\s+size", re.I)
_RATING = re.compile(
    rf"(?<![\w+\-])(?P<r>A\+\+|A\+|A-|A−|A–|A|B\+\+|B\+)(?![\w+]|\.\s?M\.)(?:\s*[:/,(]?\s*(?:(?:financial\s+size\s+(?:category|class)|FSC|class|size\s+category)\s*(?:of\s+)?)?\(?(?P<s>{_ROMAN})\b)?"
)
_SIZE_ONLY = re.compile(
    rf"financial\s+size\s+(?:category|class)\s*(?:of\s+)?(?:at\s+least\s+|not\s+less\s+than\s+)?\(?(?P<s>{_ROMAN})\b",
    re.I,
)
_COMBINED = re.compile(
    r"\bcombined\b(?!\s+single)|single\s+(?:policy|limit)(?!\s+of\s+liability\s+for\s+bodily)|one\s+policy|blended|shared\s+limit|in\s+combination|together\s+(?:with|providing)",
    re.I,
)
_PER_PROJECT = re.compile(
    r"per[\s-]project\s+aggregate|aggregate\s+per\s+project|project[\s-]specific\s+aggregate|aggregate[^.;]{0,40}appl(?:y|ies)\s+separately\s+(?:to\s+(?:each|this)|per)\s+(?:project|contract|job|location)",
    re.I,
)
_NOT_REQUIRED = re.compile(r"not\s+(?:be\s+)?required|need\s+not|(?:is|are|shall\s+be)\s+waived|not\s+applicable|\bN/A\b|shall\s+not\s+apply", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|where|when|whenever|provided\s+that|in\s+the\s+event)\b", re.I)
_IT_WORK = re.compile(
    r"\b(?:technology|software|IT\b|information\s+technology|data|systems?|network|cloud|hosting|SaaS|computer|cyber|digital|electronic|personal\s+information|PII|PHI|confidential\s+information|database|application)",
    re.I,
)
_TIER_CUE = re.compile(
    r"\b(?:contracts?|agreements?|projects?|purchase\s+orders?|awards?|engagements?|task\s+orders?|statements?\s+of\s+work|SOWs?)\b[^.;:|]{0,40}"
    r"\b(?:valued|value|worth|totall?ing|amount|fees|under|over|exceeding|less\s+than|more\s+than|up\s+to|greater\s+than|between|above|below|of\s+\$)"
    r"|\b(?:value|amount|size|price)\s+of\s+(?:the|this|each|a|any)\s+(?:contract|agreement|award|order|project|engagement)"
    r"|^\W*(?:[$£€]|[A-Z]{3}\s?)?\d[\d,.]*(?:\s?(?:million|[mk]))?\s+(?:or|and)\s+(?:over|more|above|greater|less|under|below)\b"
    r"|\b(?:contract|total|agreement|project|annual|award)\s+(?:value|amount|fees|price|sum)\b|^\W*(?:up\s+to|under|over|less\s+than|more\s+than|between|above|below)\s+[$£€\d]"
    r"|^\W*(?:[$£€]|[A-Z]{3}\s?)?\d[\d,.]*(?:\s?(?:million|[mk]))?\s*(?:to|through|-|–|—)\s*(?:[$£€]|[A-Z]{3}\s?)?\d",
    re.I,
)
_MAX_WORDS = re.compile(r"(?:under|less\s+than|below|up\s+to|not\s+(?:exceeding|to\s+exceed|more\s+than)|at\s+most|maximum\s+of)\s*$", re.I)
_MAX_AFTER = re.compile(r"^\s*(?:or\s+less|or\s+under|and\s+under|and\s+below|or\s+below)", re.I)
_MIN_WORDS = re.compile(r"(?:over|more\s+than|greater\s+than|above|exceeding|in\s+excess\s+of)\s*$", re.I)
_MIN_AFTER = re.compile(r"^\s*(?:or\s+more|or\s+greater|and\s+(?:above|over|up|greater)|or\s+above|\+)", re.I)
_RANGE = re.compile(r"^\s*(?:to|through|-|–|—|and)\s*$", re.I)


class Threshold(NamedTuple):
    minimum: int | None
    maximum: int | None


def _count(text: str) -> int | None:
    paren = re.search(r"\((\d{1,3})\)", text)
    if paren:
        return int(paren.group(1))
    digits = re.match(r"\d{1,3}", text)
    if digits:
        return int(digits.group())
    return words_value(re.sub(r"\s*\(.*", "", text))


def has_word(text: str, *words: str) -> bool:
    """A cheap test before a pattern: does the text hold one of these (lower-case) words?"""
    low = text.lower()
    return any(w in low for w in words)


def claims_made(text: str) -> bool | None:
    if "made" not in text.lower() or not _CLAIMS_MADE.search(text):
        return None
    return not _NOT_CLAIMS_MADE.search(text)


def retro_before_start(text: str) -> bool | str | None:
    if "retro" not in text.lower() or not _RETRO.search(text):
        return None
    return True if _RETRO_BEFORE.search(text) else OPEN


def years_after_completion(text: str) -> int | str | None:
    """Years of cover after the work ends (``three (3) years after completion``, an
    extended reporting period of 36 months)."""
    if not has_word(
        text, "after", "follow", "beyond", "from", "subsequent", "past", "thereafter", "post", "reporting", "discovery", "tail", "run", "erp"
    ) or not _AFTER_END.search(text):
        return None
    for m in _YEARS.finditer(text):
        near = text[max(0, m.start() - 120) : m.end() + 120]
        if not _AFTER_END.search(near):
            continue
        n = _count(m.group("n"))
        if n is None:
            continue
        if m.group("unit").lower().startswith("month"):
            return n // 12 if n % 12 == 0 else OPEN
        return n
    return OPEN if _ERP.search(text) else None


def defense_outside(text: str) -> tuple[bool | str, bool] | None:
    """(defense costs outside the limits: True/False/OPEN, professional liability carved
    out of that requirement), or None when defense costs are not spoken of."""
    if not has_word(text, "defen", "cost", "expense") or not _DEFENSE.search(text):
        return None
    carved = bool(_CARVE_OUT.search(text))
    if _OUTSIDE.search(text):
        return True, carved
    if _INSIDE.search(text):
        return False, carved
    return OPEN, carved


def _said(pattern: re.Pattern[str], text: str) -> bool | None:
    m = pattern.search(text)
    if not m:
        return None
    return not _NEGATED.search(text[max(0, m.start() - 40) : m.start()])


def additional_insured(text: str) -> tuple[bool, str | None] | None:
    said = _said(_ADDITIONAL_INSURED, text) if "insured" in text.lower() else None
    if said is None:
        return None
    for pattern in _AI_WHO:
        m = pattern.search(text)
        if m:
            who = re.sub(r"^(?:the\s+policy\s+to\s+|policies\s+to\s+|the\s+following\s*:?\s*)", "", m.group("who").strip(" ,:"), flags=re.I)
            return said, who[:160] or None
    return said, None


def waiver_of_subrogation(text: str) -> bool | None:
    return _said(_WAIVER, text) if has_word(text, "subrogat", "recovery") else None


def primary_non_contributory(text: str) -> bool | None:
    return _said(_PNC, text) if "primary" in text.lower() else None


def notice_days(text: str) -> int | str | None:
    cancel = _NOTICE.search(text) if has_word(text, "cancel", "renew", "material") else None
    if not cancel or not re.search(r"notice|notif", text, re.I):
        return None
    for m in _DAYS.finditer(text):
        n = _count(m.group("n"))
        if n is not None:
            return n
    return OPEN


def insurer_rating(text: str) -> str | None:
    """``A- VII``, ``A VIII``, ``A-`` (no size given), or None."""
    if not has_word(text, "best", "rat", "size") or not _RATING_CUE.search(text):
        return None
    size = _SIZE_ONLY.search(text)
    for m in _RATING.finditer(text):
        if (
            m.group("r") == "A"
            and not (m.group("s") or size)
            and not re.search(r"(?:rat(?:ed|ing)\s+(?:of\s+)?(?:at\s+least\s+|no\s+less\s+than\s+|not\s+less\s+than\s+)?)$", text[: m.start()], re.I)
        ):
            continue
        rating = m.group("r").replace("−", "-").replace("–", "-")
        s = m.group("s") or (size.group("s") if size else None)
        return f"{rating} {s}" if s else rating
    return None


def combined(text: str) -> bool:
    return bool(_COMBINED.search(text))


def per_project_aggregate(text: str) -> bool:
    return has_word(text, "project", "separately") and bool(_PER_PROJECT.search(text))


def not_required(text: str) -> bool:
    """The unit says a cover is not asked for (and not only on a condition)."""
    return bool(_NOT_REQUIRED.search(text)) and not _CONDITIONAL.search(text)


def condition(text: str, first_amount: int) -> str | None:
    """The condition a requirement is made under (``If Consultant will host Client
    data, ...``), when the unit states one before its first amount."""
    head = text[:first_amount]
    m = re.search(
        r"(?:^|[,:]\s*|\)\s*)(?P<c>(?:if|where|when|whenever|in\s+the\s+event|for\s+(?:any\s+)?(?:contracts?|work|services|projects?|vendors?|consultants?|contractors?)\s+(?:that|which|involving|where|providing|performing|with))\b[^;:]*?)(?:,|:|\s+then\b|$)",
        head,
        re.I,
    )
    return m.group("c").strip() if m else None


def fits_it_firm(condition_text: str) -> bool:
    return bool(_IT_WORK.search(condition_text))


def is_tier(text: str) -> bool:
    return bool(_TIER_CUE.search(text))


def thresholds(text: str, amounts: list[Money]) -> tuple[Threshold, set[int]]:
    """The contract-value range a tier applies to, and the indexes of the amounts that
    are that range (the rest are limits)."""
    lo: int | None = None
    hi: int | None = None
    used: set[int] = set()
    for i, a in enumerate(amounts):
        before, after = text[max(0, a.start - 30) : a.start], text[a.end : a.end + 16]
        if i and i - 1 in used and _RANGE.match(text[amounts[i - 1].end : a.start]):
            hi, lo = a.value, lo if lo is not None else amounts[i - 1].value
            used.add(i)
        elif _MAX_WORDS.search(before) or _MAX_AFTER.match(after):
            hi = a.value
            used.add(i)
        elif _MIN_WORDS.search(before) and re.search(
            r"(?:contract|agreement|project|value|fees|award|order|work)", text[max(0, a.start - 80) : a.start], re.I
        ):
            lo = a.value
            used.add(i)
        elif _MIN_AFTER.match(after):
            lo = a.value
            used.add(i)
        elif (
            i + 1 < len(amounts)
            and _RANGE.match(text[a.end : amounts[i + 1].start])
            and (re.search(r"between|from|valued|value", before, re.I) or not before.strip(" |:-"))
        ):
            lo = a.value
            used.add(i)
    return Threshold(lo, hi), used
