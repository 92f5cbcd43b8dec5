"""What the steps read from a profile beyond its fields, worked out once per assessment:
the regulated client industries, the highest contract requirement, and the facts the
gap rules test (rules/gaps.toml)."""

from __future__ import annotations

from typing import Iterable, NamedTuple

from eo_advisor.profile.model import Profile
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


def gap_facts(
    services: Iterable[str],
    industries: Iterable[str],
    rs: RuleSet,
    *,
    sensitive_data: bool,
    onsite_work: bool,
    builds_products: bool,
    safety_critical: bool,
    contract_cyber: bool,
    contract_additional_insured: bool,
    has_staff: bool,
    policy_cyber: bool,
    policy_general_liability: bool,
) -> frozenset[str]:
    """The facts gap rules test (rules/gaps.toml), from the answers. The engine builds
    them from a validated profile; the interview from the answers given so far."""
    industries = tuple(industries)
    have = {f"service:{s}" for s in services} | {f"industry:{i}" for i in industries}
    for fact, on in (
        ("sensitive_data", sensitive_data),
        ("onsite_work", onsite_work),
        ("builds_products", builds_products),
        ("safety_critical", safety_critical),
        ("contract:cyber", contract_cyber),
        ("contract:additional_insured", contract_additional_insured),
        ("has_staff", has_staff),
        ("regulated_clients", any(i in rs.regulated for i in industries)),
        ("policy:cyber", policy_cyber),
        ("policy:general_liability", policy_general_liability),
    ):
        if on:
            have.add(fact)
    return frozenset(have)


def facts(profile: Profile, rs: RuleSet) -> Facts:
    w, cp = profile.work, profile.current_policy
    have = gap_facts(
        w.services,
        w.client_industries,
        rs,
        sensitive_data=w.handles_sensitive_data,
        onsite_work=w.onsite_work,
        builds_products=w.builds_products,
        safety_critical=bool(w.safety_critical),
        contract_cyber=any(c.cyber_limit for c in profile.contracts),
        contract_additional_insured=any(c.additional_insured for c in profile.contracts),
        has_staff=profile.business.employees > 0,
        policy_cyber=cp is not None and cp.includes_cyber,
        policy_general_liability=cp is not None and cp.has_general_liability,
    )
    regulated = tuple(i for i in w.client_industries if i in rs.regulated)
    return Facts(regulated, contract_demand(profile), have)
