"""Which coverage line a piece of text speaks of, and which limit each amount sets.

A unit is cut into *segments*, one for each group of coverage lines it names (names
joined by "and", "/", "including"... form one group and share the amounts after them).
In a segment each amount gets a *role* from the words beside it: per claim /
occurrence / accident (``event``), ``aggregate``, both at once, a per-project aggregate,
or ``other`` (a sub-limit, a deductible, products-completed operations...). Contracts
put those words either after the amount (``$1M per claim``) or before it, as a label
(``Each Occurrence: $1,000,000``); the segment's first amount tells which. An amount
with no such words is the per-claim limit when it comes first, the aggregate when it
follows one (``$1M/$2M``). Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from eo_advisor.contracts.money import Money
from eo_advisor.contracts.terms import EXCEPT, has_word

LINES = (
    "professional_liability",
    "cyber",
    "general_liability",
    "umbrella",
    "workers_compensation",
    "employers_liability",
    "auto",
    "crime",
)
_PATTERNS = {
    "professional_liability": r"technology\s+(?:professional\s+liability|errors\s*(?:and|&)\s*omissions)|tech\s+E\s?&\s?O|professional\s+(?:liability|indemnity|errors)"
    r"|errors\s*(?:and|&)\s*omissions|\bE\s?&\s?O\b|\bE\s?and\s?O\b|\bPI\s+(?:insurance|cover|policy)",
    "cyber": r"cyber(?:security)?\s*(?:liability|insurance|coverage|risk|cover|policy)?|network\s+security(?:\s*(?:and|&)\s*privacy(?:\s+liability)?)?"
    r"|privacy\s+(?:and|&)\s+(?:network\s+)?security|privacy\s+liability|security\s+(?:and|&)\s+privacy(?:\s+liability)?"
    r"|data\s+(?:breach|security|privacy)\s+(?:liability|insurance|coverage)|information\s+security\s+(?:and|&)\s+privacy",
    "general_liability": r"(?:commercial|comprehensive)\s+general\s+liability|general\s+liability|\bCGL\b|public\s+liability",
    "umbrella": r"umbrella(?:\s+liability)?|excess\s+(?:liability|coverage|insurance|policy|policies|limits?)(?!\s+of\b)|follow[\s-]form\s+excess",
    "workers_compensation": r"workers?(?:['’]s?)?\s*compensation|workmen(?:['’]s?)?\s+compensation|workplace\s+safety\s+and\s+insurance|\bWSIB\b|\bWCB\b",
    "employers_liability": r"employers?(?:['’]s?)?\s*liability",
    "auto": r"(?:business\s+|commercial\s+)?auto(?:mobile)?\s+liability|motor\s+vehicle\s+liability|business\s+auto(?:mobile)?"
    r"|(?:hired\s+and\s+non[\s-]?owned|non[\s-]?owned\s+and\s+hired)\s+auto(?:mobile)?s?|automobile\s+(?:insurance|coverage|policy)|motor\s+(?:vehicle\s+)?insurance",
    "crime": r"(?:commercial\s+|third[\s-]party\s+)?crime(?:\s+(?:insurance|coverage|policy))?|fidelity(?:\s+(?:bond|insurance|coverage))?|employee\s+dishonesty|computer\s+fraud",
}
_MENTION = re.compile("|".join(f"(?P<{name}>{p})" for name, p in _PATTERNS.items()), re.IGNORECASE)
_EXCLUDING = re.compile(
    r"\b(?:over|above|in\s+excess\s+of|excess\s+of|on\s+top\s+of|underlying)\s+(?:the\s+|all\s+|its\s+|any\s+)?(?:primary\s+|underlying\s+|required\s+)?$"
    rf"|\b(?:{EXCEPT})\b",
    re.I,
)
_JOIN = re.compile(
    r"(?:[\s,/&()]|\band\b|\bor\b|\band/or\b|\bincluding\b|\bincludes?\b|\bwhich\b|\bthat\b|\bwith\b|\binclusive\s+of\b|\bcovering\b|\bplus\b|\btogether\b"
    r"|\bas\s+well\s+as\b|\binsurance\b|\bliability\b|\bcoverage\b|\bcover\b|\bpolicy\b|\bpolicies\b|\bform\b|\bthe\b|\ba\b|\ban\b|\bshall\b|\bprovide\b|\bfor\b|\bof\b)*",
    re.I,
)
_ROLE = re.compile(
    r"(?P<other>products?|completed\s+operations|personal\s+(?:and|&)\s+advertising|advertising\s+injury|damage\s+to\s+(?:rented\s+)?premises|fire\s+(?:legal|damage)"
    r"|medical\s+(?:expense|payments)|disease\s*[-–—,:]?\s*(?:each|per)\s+employee|each\s+employee|deductible|retention|self[\s-]insured|sub[\s-]?limit|excess\s+of\s+loss)"
    r"|(?P<both>(?:per|each|any\s+one|for\s+each)[\s-]+(?:claim|occurrence|wrongful\s+act|incident|event|loss)\s+(?:and|&)\s+(?:in\s+the\s+)?(?:annual\s+|general\s+|policy\s+)?aggregate)"
    r"|(?P<project>per[\s-]project\s+aggregate|aggregate\s+per\s+project|project\s+aggregate)"
    r"|(?P<aggregate>(?:annual\s+|general\s+|policy\s+|total\s+|in\s+the\s+)?aggregate|disease\s*[-–—,:]?\s*policy\s+limit|in\s+total|per\s+(?:policy\s+)?(?:year|annum|policy\s+period))"
    r"|(?P<event>(?:per|each|any\s+one|for\s+each|for\s+any\s+one|each\s+and\s+every)[\s-]+(?:claim|occurrence|wrongful\s+act|incident|event|loss|accident|person)"
    r"|combined\s+single\s+limit|\bCSL\b|bodily\s+injury\s+(?:and|&)\s+property\s+damage\s+combined)",
    re.I,
)
_STOP = re.compile(r"[;.](?:\s|$)|,\s+(?:and\s+)?(?:the|which|provided|including|naming)\b", re.I)


class Mention(NamedTuple):
    start: int
    end: int
    line: str
    excluded: bool  # named only to be left out ("all policies other than workers' compensation")


class Segment(NamedTuple):
    lines: tuple[str, ...]
    start: int
    end: int
    mention_end: int  # where the last name of the group ends


_LINE_WORDS = ("liabil", "errors", "e&o", "e & o", "e and o", "indemnity", "pi ", "cyber", "network", "privacy", "security", "umbrella", "excess",
               "compensation", "wsib", "wcb", "auto", "motor", "crime", "fidelity", "dishonest", "fraud", "cgl", "professional")  # fmt: skip


def mentions(text: str) -> list[Mention]:
    if not has_word(text, *_LINE_WORDS):
        return []
    out: list[Mention] = []
    for m in _MENTION.finditer(text):
        line = m.lastgroup or ""
        before_from = out[-1].end if out else 0
        gap = text[before_from : m.start()]
        excluded = bool(_EXCLUDING.search(text, max(before_from, m.start() - 60), m.start()))
        if not excluded and out and out[-1].excluded and re.fullmatch(r"[\s,/&]*(?:and|or|and/or)?[\s,/&]*", gap or " ", re.I):
            excluded = True
        out.append(Mention(m.start(), m.end(), line, excluded))
    return out


def segments(text: str, found: list[Mention], money: list[Money]) -> list[Segment]:
    """Groups of lines named together, each with the stretch of text it owns: from its
    first name (the unit's start for the first group) to the next group's first name."""
    kept = [m for m in found if not m.excluded]
    groups: list[list[Mention]] = []
    for m in kept:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end : m.start]
            if not any(prev.end <= a.start < m.start for a in money) and _JOIN.fullmatch(gap):
                groups[-1].append(m)
                continue
        groups.append([m])
    out = []
    for i, group in enumerate(groups):
        start = 0 if i == 0 else group[0].start
        end = groups[i + 1][0].start if i + 1 < len(groups) else len(text)
        lines = tuple(dict.fromkeys(m.line for m in group))
        out.append(Segment(lines, start, end, group[-1].end))
    return out


def _role_after(text: str, end: int, limit: int) -> str | None:
    window = text[end:limit]
    stop = _STOP.search(window)
    window = window[: stop.start()] if stop else window
    m = _ROLE.search(window[:70])
    return m.lastgroup if m else None


def _role_before(text: str, start: int, end: int) -> str | None:
    found = list(_ROLE.finditer(text, start, end))
    return found[-1].lastgroup if found else None


def roles(text: str, seg: Segment, amounts: list[Money]) -> list[str]:
    """The role of each amount of a segment (``event``, ``aggregate``, ``both``,
    ``project``, ``other``), in order."""
    if not amounts:
        return []
    label_first = _role_before(text, max(seg.mention_end, seg.start), amounts[0].start) is not None
    out: list[str] = []
    for i, a in enumerate(amounts):
        nxt = amounts[i + 1].start if i + 1 < len(amounts) else seg.end
        prev = amounts[i - 1].end if i else max(seg.mention_end, seg.start)
        role = _role_before(text, prev, a.start) if label_first else _role_after(text, a.end, nxt)
        if role is None and label_first:
            role = _role_after(text, a.end, nxt)
        if role is None:
            role = "aggregate" if any(r in ("event", "both") for r in out) or "event" in out else "event"
        out.append(role)
    return out
