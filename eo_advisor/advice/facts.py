"""What the steps read from a profile beyond its fields, worked out once per assessment:
the regulated client industries, the highest contract requirement, and the facts the
gap rules test (rules/gaps.toml)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, NamedTuple

from eo_advisor.profile.model import Profile
from eo_advisor.profile.schema import FACT_FIELDS
from eo_advisor.rules.ruleset import RuleSet


class ContractDemand(NamedTuple):
    """The highest E&O limit any contract asks for, and who asks (None: the
    ``work.contractual_minimum`` shorthand; a named client wins a tie)."""

    limit: int
    client: str | None


def contract_demand(profile: Profile) -> ContractDemand:
    best, who = profile.work.contractual_minimum, None
    for contract in profile.contracts:
        if contract.eo_limit >= best:
            best, who = contract.eo_limit, contract.client
    return ContractDemand(best, who)


class Facts(NamedTuple):
    """What the steps read from a profile, worked out once per assessment."""

    regulated: tuple[str, ...]  # client industries that are regulated
    demand: ContractDemand  # the highest limit a contract asks, and who asks
    gap_facts: frozenset[str]  # the facts gap rules test (rules/gaps.toml)


def gap_facts(answer: Callable[[str, str], Any], contracts: Iterable[Any], rs: RuleSet) -> frozenset[str]:
    """The facts gap rules test (rules/gaps.toml), from the answers: ``answer(section,
    name)`` gives one (None when not answered). Every field the schema marks with a
    ``fact`` adds it on a yes (and ``fact?`` when a question about the work is left
    unanswered: not known is not no); services, industries, contracts and staff add
    theirs. The engine answers from a validated profile, the interview from the answers
    given so far."""
    services, industries = answer("work", "services") or (), answer("work", "client_industries") or ()
    have = {f"service:{s}" for s in services} | {f"industry:{i}" for i in industries}
    answered: dict[str, bool | None] = {}  # fact -> yes from any field, no, or None (no field answered)
    for f in FACT_FIELDS:
        fact, value = f.fact or "", answer(f.section, f.name)
        if value is not None and answered.get(fact) is not True:
            answered[fact] = bool(value)
        else:
            answered.setdefault(fact, None)
    have.update(fact for fact, yes in answered.items() if yes)
    contracts = tuple(contracts)
    if contracts:
        have.update(fact for fact, key in CONTRACT_COVER_FACTS if any(_get(c, key) for c in contracts))
    if (answer("business", "employees") or 0) > 0:
        have.add("has_staff")
    if any(i in rs.regulated for i in industries):
        have.add("regulated_clients")
    # a question left unanswered is a fact of its own where it could matter: not known is not no
    unknown = {fact for fact, yes in answered.items() if yes is None}
    maybe = have | unknown  # a question matters when what it depends on holds, or may hold
    have.update(f"{f.fact}?" for f in FACT_FIELDS if f.fact in unknown and (not f.when or not maybe.isdisjoint(f.when)))
    return frozenset(have)


# what a contract can require beside an E&O limit, and the [[contracts]] key that says so
CONTRACT_COVER_FACTS = (
    ("contract:cyber", "cyber_limit"),
    ("contract:additional_insured", "additional_insured"),
    ("contract:general_liability", "gl_per_occurrence"),
    ("contract:umbrella", "umbrella_limit"),
    ("contract:auto", "auto_limit"),
    ("contract:workers_compensation", "workers_compensation"),
    ("contract:employers_liability", "employers_liability"),
)


def _get(contract: Any, key: str) -> Any:
    return contract.get(key) if isinstance(contract, dict) else getattr(contract, key, None)


def facts(profile: Profile, rs: RuleSet) -> Facts:
    def answer(section: str, name: str) -> Any:
        part = getattr(profile, section)
        return None if part is None else getattr(part, name)

    have = gap_facts(answer, profile.contracts, rs)
    regulated = tuple(i for i in profile.work.client_industries if i in rs.regulated)
    return Facts(regulated, contract_demand(profile), have)
