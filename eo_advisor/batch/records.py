"""One client of a book as read (:class:`Record`), what became of it (:class:`Outcome`),
and the per-record assessment every path shares: in-process and in the workers."""

from __future__ import annotations

import datetime
from typing import Any, Iterable, Iterator, NamedTuple

from eo_advisor.advice import engine
from eo_advisor.advice.result import Result
from eo_advisor.errors import EOAdvisorError, ProfileError
from eo_advisor.profile.model import validate, validate_flat
from eo_advisor.profile.schema import FIELDS
from eo_advisor.rules import Rules, load_rules


class Record(NamedTuple):
    """One client read from the input: its data, or why it could not be read."""

    id: str
    source: str  # file:row / file:line / file
    data: dict[str, Any] | None  # nested (TOML/JSON) or flat (CSV) profile data
    flat: bool = False
    error: str | None = None
    unreadable: bool = False  # a whole input (file) could not be read


class Outcome(NamedTuple):
    record: Record
    result: Result | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.result is not None


def _problems_text(exc: ProfileError) -> str:
    return "; ".join(str(p) for p in exc.problems)


# kinds whose text values repeat across a book ('true', 'web_development;it_consulting',
# 'eroding'); names and amounts are mostly unique, so they are parsed every time
_MEMO_KINDS = frozenset({"count", "bool", "services", "industries", "date", "state", "choice"})
_MEMO_SIZE = 4_096  # per field; past it, a field's memo starts again


class ParseMemo(dict):
    """The batch runner's speed trick, in one place: per field, the text values seen
    so far and what they parsed to (validation looks them up before parsing; errors
    are never remembered). Bounded: a field's memo is cleared when it fills up."""

    def __init__(self) -> None:
        super().__init__({f.key: {} for f in FIELDS if f.kind in _MEMO_KINDS})

    def trim(self) -> None:
        for memo in self.values():
            if len(memo) > _MEMO_SIZE:
                memo.clear()


# a column (CSV) or top-level key (JSON, TOML) naming contract files, separated by ";":
# each file's insurance clause is read into a [[contracts]] entry (`eo-advisor contract read`)
CONTRACT_FILES = "contract_files"


def with_contracts(data: dict[str, Any]) -> dict[str, Any]:
    """The record's data with its contract files read into ``contracts`` (InputError when
    one cannot be read: the record fails alone, naming the file)."""
    if CONTRACT_FILES not in data:
        return data
    data = dict(data)
    named = data.pop(CONTRACT_FILES)
    paths = [p.strip() for p in (named if isinstance(named, list) else str(named).split(";")) if str(p).strip()]
    from eo_advisor.api import with_contract_files

    return with_contract_files(data, paths)


def assess_record(record: Record, rules: Rules, *, as_of: datetime.date | None = None, memo: ParseMemo | None = None) -> Outcome:
    if record.error is not None:
        return Outcome(record, None, record.error)
    try:
        if record.data and CONTRACT_FILES in record.data:
            try:
                record = record._replace(data=with_contracts(record.data))
            except EOAdvisorError as exc:
                return Outcome(record, None, f"{CONTRACT_FILES}: {exc.message}")
        if record.flat:
            profile = validate_flat(record.data or {}, rules=rules, memo=memo, as_of=as_of)
        else:
            profile = validate(record.data or {}, rules=rules, memo=memo, as_of=as_of)
        return Outcome(record, engine.assess(profile, rules, as_of=as_of), None)
    except ProfileError as exc:
        return Outcome(record, None, _problems_text(exc))


def assess_records(records: Iterable[Record], rules: Rules | None = None, *, as_of: datetime.date | None = None) -> Iterator[Outcome]:
    """Outcomes of ``records``, in order, all against one review date (default: today,
    read once for the whole book, not per record)."""
    rules = rules or load_rules()
    as_of = as_of or datetime.date.today()
    memo = ParseMemo()
    for n, record in enumerate(records, 1):
        yield assess_record(record, rules, as_of=as_of, memo=memo)
        if not n % 1024:
            memo.trim()


class Summary(NamedTuple):
    read: int
    ok: int
    errors: int
    unreadable_inputs: int
    seconds: float
    as_of: datetime.date | None = None  # the one review date of the book

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0
