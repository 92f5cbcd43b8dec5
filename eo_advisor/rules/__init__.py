"""Load the versioned rules data (the TOML files beside this module).

Every number the engine uses is a :class:`Param` with a unit, a description and a
source id that resolves in ``sources.toml``. The loader checks the files' shape once,
so the engine can trust them; a broken file raises :class:`RulesError`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, NamedTuple

from eo_advisor.errors import RulesError
from eo_advisor.rules.packaged import COMPILED, RULE_FILES, RULES_DIR, compile_snapshot, content_key, read_packaged, read_rule_files

__all__ = [
    "COMPILED",
    "PARAM_FILES",
    "RULES_DIR",
    "RULE_FILES",
    "FactorSpec",
    "GapRule",
    "Param",
    "Rules",
    "compile_snapshot",
    "content_key",
    "load_rules",
    "raw_copy",
    "read_packaged",
    "read_rule_files",
]

# files whose top-level tables (other than meta) are all parameters
PARAM_FILES = ("limits", "deductibles", "defense", "rating", "review")

GAP_FACTS_STATIC = {
    "policy:umbrella",
    "policy:auto",
    "contract:general_liability",
    "contract:umbrella",
    "contract:auto",
    "contract:workers_compensation",
    "contract:employers_liability",
    "policy:workers_compensation",
    "policy:employment_practices",
    "policy:crime",
    "sensitive_data",
    "onsite_work",
    "builds_products",
    "safety_critical",
    "contract:cyber",
    "contract:additional_insured",
    "has_staff",
    "regulated_clients",
    "policy:cyber",
    "policy:general_liability",
}


class Source(NamedTuple):
    id: str
    title: str
    url: str
    confidence: str


class Param(NamedTuple):
    """One sourced value: a scalar, a list, a mapping or brackets of (min, value)."""

    name: str
    kind: str  # "scalar" | "list" | "map" | "brackets"
    value: Any
    unit: str
    description: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "unit": self.unit, "source": self.source}
        if self.kind == "brackets":
            d["brackets"] = [{"min": m, "value": v} for m, v in self.value]
        else:
            d["value"] = self.value
        return d


class FactorSpec(NamedTuple):
    """One step of the rating (rules/rating.toml ``[[factor_table]]``), in multiplication order."""

    name: str
    input: str  # the rating input it reads
    lookup: str  # one of LOOKUPS
    params: tuple[str, ...]  # the parameters it reads
    detail: str | None = None  # message key of what it priced
    detail_name: str | None = None
    detail_input: str | None = None
    detail_yes: str | None = None
    detail_no: str | None = None
    detail_floor: str | None = None
    on_top: bool = False  # multiplied after the limit's per-$1M floor (a load the floor must not swallow)


LOOKUPS = ("interpolated", "stepped", "highest", "flag", "credits", "limit_curve")


class GapRule(NamedTuple):
    id: str
    coverage: str
    severity: str
    when_any: tuple[str, ...]
    unless_any: tuple[str, ...]
    source: str
    suggested: str | None = None  # "cyber" | "general_liability": how the suggested limit is set
    parties: str | None = None  # for cyber: first and/or third party
    confirm_severity: str = "medium"  # when it rests on an unanswered question (never above severity)


class ActionRule(NamedTuple):
    id: str
    source: str


class StateRule(NamedTuple):
    state: str
    restricts: str  # the defense-costs form the state restricts
    description: str
    source: str
    bars_admitted: bool = False  # admitted carriers may not sell that form at all


class Rules:
    """All rules data, validated. Build with :func:`load_rules` or :meth:`from_dicts`."""

    def __init__(self) -> None:
        self.version = ""
        self.sources: dict[str, Source] = {}
        self.params: dict[str, Param] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.industries: dict[str, dict[str, Any]] = {}
        self.gaps: list[GapRule] = []
        self.practice_actions: dict[str, ActionRule] = {}
        self.states: dict[str, StateRule] = {}
        self.messages: dict[str, str] = {}
        self.factor_table: tuple[FactorSpec, ...] = ()

    # -- construction --------------------------------------------------
    @classmethod
    def from_dicts(cls, raw: dict[str, dict[str, Any]]) -> Rules:
        rules = cls()
        missing = [name for name in RULE_FILES if name not in raw]
        if missing:
            raise RulesError(f"rules data incomplete: missing {', '.join(missing)}")
        for name in RULE_FILES:
            if raw[name].get("schema_version") != 1:
                raise RulesError(f"rules/{name}.toml: schema_version must be 1")
        rules._load_sources(raw["sources"])
        rules._load_vocabulary(raw["vocabulary"])
        for name in PARAM_FILES:
            rules._load_params(name, raw[name])
        rules._load_factor_table(raw["rating"].get("factor_table"))
        rules._load_gaps(raw["gaps"])
        rules._load_actions(raw["actions"])
        rules._load_states(raw["states"])
        rules._load_messages(raw["messages"])
        rules._check_messages()
        dates = [str(raw[n].get("meta", {}).get("updated", "")) for n in RULE_FILES]
        rules.version = max(dates)
        return rules

    def _fail(self, where: str, what: str) -> None:
        raise RulesError(f"rules data is broken at {where}: {what}")

    def _check_source(self, where: str, source: Any) -> str:
        if source not in self.sources:
            self._fail(where, f"source {source!r} is not defined in sources.toml")
        return source

    def _load_sources(self, data: dict[str, Any]) -> None:
        for sid, entry in data.items():
            if sid == "schema_version":
                continue
            for key in ("title", "url", "confidence"):
                if not isinstance(entry.get(key), str) or not entry[key]:
                    self._fail(f"sources.{sid}", f"needs a non-empty {key}")
            if entry["confidence"] not in ("high", "low", "assumption"):
                self._fail(f"sources.{sid}", "confidence must be high, low or assumption")
            self.sources[sid] = Source(sid, entry["title"], entry["url"], entry["confidence"])

    def _load_vocabulary(self, data: dict[str, Any]) -> None:
        for group in ("services", "industries"):
            entries = data.get(group)
            if not isinstance(entries, dict) or not entries:
                self._fail(f"vocabulary.{group}", "must be a non-empty table")
                return
            for vid, entry in entries.items():
                if not isinstance(entry.get("label"), str):
                    self._fail(f"vocabulary.{group}.{vid}", "needs a label")
            getattr(self, group).update(entries)
        for vid, entry in self.industries.items():
            if not isinstance(entry.get("regulated"), bool):
                self._fail(f"vocabulary.industries.{vid}", "needs regulated = true/false")

    def _load_params(self, file: str, data: dict[str, Any]) -> None:
        for key, entry in data.items():
            if key in ("schema_version", "meta", "factor_table"):
                continue
            where = f"{file}.{key}"
            if not isinstance(entry, dict):
                self._fail(where, "must be a table with value, unit, description, source")
            for meta_key in ("unit", "description", "source"):
                if not isinstance(entry.get(meta_key), str) or not entry[meta_key]:
                    self._fail(where, f"needs a non-empty {meta_key}")
            self._check_source(where, entry["source"])
            kinds = [k for k in ("value", "values", "brackets") if k in entry]
            if len(kinds) != 1:
                self._fail(where, "needs exactly one of value, values, brackets")
            kind_key = kinds[0]
            value = entry[kind_key]
            if kind_key == "value":
                kind = "scalar"
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    self._fail(where, "value must be a number")
            elif kind_key == "brackets":
                kind = "brackets"
                pairs = []
                for b in value:
                    if set(b) != {"min", "value"}:
                        self._fail(where, "each bracket needs exactly min and value")
                    pairs.append((b["min"], b["value"]))
                mins = [m for m, _ in pairs]
                if mins != sorted(mins) or len(set(mins)) != len(mins) or mins[0] != 0:
                    self._fail(where, "bracket mins must start at 0 and strictly increase")
                value = tuple(pairs)
            elif isinstance(value, list):
                kind = "list"
                if value != sorted(value) or not value:
                    self._fail(where, "values must be a non-empty increasing list")
                value = tuple(value)
            elif isinstance(value, dict):
                kind = "map"
            else:
                self._fail(where, "values must be a list or a table")
            self.params[where] = Param(
                name=where,
                kind=kind,
                value=value,
                unit=entry["unit"],
                description=entry["description"],
                source=entry["source"],
            )

    def _load_factor_table(self, data: Any) -> None:
        if not isinstance(data, list) or not data:
            self._fail("rating.factor_table", "must be a non-empty array of tables ([[factor_table]])")
        specs = []
        for i, entry in enumerate(data):
            where = f"rating.factor_table[{i}]"
            unknown = set(entry) - set(FactorSpec._fields)
            if unknown:
                self._fail(where, f"unknown keys {sorted(unknown)}; allowed: {', '.join(FactorSpec._fields)}")
            if entry.get("lookup") not in LOOKUPS:
                self._fail(where, f"lookup must be one of {', '.join(LOOKUPS)}")
            for name in entry.get("params", ()):
                if name not in self.params:
                    self._fail(where, f"unknown parameter {name!r}")
            specs.append(FactorSpec(**{**entry, "params": tuple(entry.get("params", ()))}))
        if len({s.name for s in specs}) != len(specs):
            self._fail("rating.factor_table", "factor names must be unique")
        self.factor_table = tuple(specs)

    def _load_gaps(self, data: dict[str, Any]) -> None:
        for i, g in enumerate(data.get("gaps", [])):
            where = f"gaps.gaps[{i}]"
            for key in ("id", "coverage", "severity", "source"):
                if not isinstance(g.get(key), str) or not g[key]:
                    self._fail(where, f"needs a non-empty {key}")
            if g["severity"] not in ("high", "medium", "low"):
                self._fail(where, "severity must be high, medium or low")
            self._check_source(where, g["source"])
            facts = list(g.get("when_any", [])) + list(g.get("unless_any", []))
            for fact in facts:
                if not self.is_known_fact(fact):
                    self._fail(where, f"unknown fact {fact!r}")
            suggested = g.get("suggested")
            if suggested not in (None, "cyber", "general_liability") and not (isinstance(suggested, str) and suggested.startswith("contract:")):
                self._fail(where, "suggested must be cyber, general_liability or contract:<[[contracts]] key>")
            if not g.get("when_any"):
                self._fail(where, "when_any must name at least one fact")
            self.gaps.append(
                GapRule(
                    g["id"],
                    g["coverage"],
                    g["severity"],
                    tuple(g["when_any"]),
                    tuple(g.get("unless_any", ())),
                    g["source"],
                    g.get("suggested"),
                    g.get("parties"),
                    _lower(g.get("confirm_severity", "medium"), g["severity"]),
                )
            )

    def is_known_fact(self, fact: str) -> bool:
        """A fact the engine can set: a yes (``fact``), or a question not answered (``fact?``)."""
        fact = fact.removesuffix("?")
        if fact in GAP_FACTS_STATIC:
            return True
        kind, _, vid = fact.partition(":")
        return (kind == "service" and vid in self.services) or (kind == "industry" and vid in self.industries)

    def _load_actions(self, data: dict[str, Any]) -> None:
        def action(where: str, aid: str, entry: dict[str, Any]) -> ActionRule:
            self._check_source(where, entry.get("source"))
            return ActionRule(aid, entry["source"])

        for aid, entry in data.get("practices", {}).items():
            self.practice_actions[aid] = action(f"actions.practices.{aid}", aid, entry)
        if "bundle" not in data:
            self._fail("actions", "needs a [bundle] action")
        action("actions.bundle", "bundle", data["bundle"])  # checked: its source must resolve

    def _load_states(self, data: dict[str, Any]) -> None:
        for state, entry in data.get("states", {}).items():
            where = f"states.{state}"
            for key in ("restricts", "description", "source"):
                if not isinstance(entry.get(key), str) or not entry[key]:
                    self._fail(where, f"needs a non-empty {key}")
            self._check_source(where, entry["source"])
            self.states[state] = StateRule(state, entry["restricts"], entry["description"], entry["source"], bool(entry.get("bars_admitted", False)))

    def _load_messages(self, data: dict[str, Any]) -> None:
        for section, entries in data.items():
            if section in ("schema_version", "meta"):
                continue
            for key, text in entries.items():
                if not isinstance(text, str):
                    self._fail(f"messages.{section}.{key}", "must be a string")
                self.messages[f"{section}.{key}"] = text

    def _check_messages(self) -> None:
        """Every gap rule, action and state rule has its sentence."""
        wanted = [f"gap.{g.id}" for g in self.gaps]
        wanted += [f"action.{a}" for a in (*self.practice_actions, "bundle")]
        wanted += [f"action.{a}_effect" for a in (*self.practice_actions, "bundle")]
        wanted += [f"defense.state_{s}" for s in self.states] + [f"review.state_{s.lower()}" for s in self.states]
        wanted += [key for f in self.factor_table for key in (f.detail, f.detail_yes, f.detail_no, f.detail_floor) if key]
        for key in wanted:
            if key not in self.messages:
                self._fail("messages", f"no message {key!r}")

    # -- access ---------------------------------------------------------
    def param(self, name: str) -> Param:
        try:
            return self.params[name]
        except KeyError:
            raise RulesError(f"rules data has no parameter {name!r}") from None

    def value(self, name: str) -> Any:
        return self.param(name).value

    @property
    def regulated_industries(self) -> frozenset[str]:
        return frozenset(k for k, v in self.industries.items() if v["regulated"])


def _lower(a: str, b: str) -> str:
    """The lower of two severities."""
    order = ("info", "low", "medium", "high")
    return a if order.index(a) <= order.index(b) else b


@lru_cache(maxsize=1)
def _default_raw() -> dict[str, dict[str, Any]]:
    return read_packaged()


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged rules, parsed and checked once per process."""
    return Rules.from_dicts(_default_raw())


def raw_copy() -> dict[str, dict[str, Any]]:
    """A deep copy of the packaged rules' raw data, for what-if edits and tests."""
    return copy.deepcopy(_default_raw())
