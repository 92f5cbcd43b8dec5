"""The recommendation engine: pure functions from a validated Profile to a Result.

No I/O, no printing, no prompts, no sentences, no clock and no memo: every number comes
from the rules data, read by its rules name (:mod:`eo_advisor.rules.ruleset`); every
decision is returned as numbers, ids, severities and reasons that
:mod:`eo_advisor.formats.render` words. One path for every caller: the CLI, the batch
runner and the Python API get the same decisions.

The steps, each a module of this package: ``facts`` (what the profile implies), ``limit``,
``deductible``, ``defense``, ``gaps`` (and the premium actions), ``rating`` (the premium),
``review`` (contracts, tails, underwriting), ``findings`` and ``sources``. A business that
is closing branches once, here, into its own plan: the tail.
"""

from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

from eo_advisor.advice.deductible import advise_deductible
from eo_advisor.advice.defense import ERODING_OK, NON_ERODING, advise_defense
from eo_advisor.advice.facts import Facts, facts
from eo_advisor.advice.findings import Advice, closing_findings, findings
from eo_advisor.advice.gaps import find_gaps, suggest_actions
from eo_advisor.advice.limit import advise_limit, aggregate_for
from eo_advisor.advice.rating import Rater, rate, step_rating
from eo_advisor.advice.result import (
    Action,
    ContractCheck,
    DeductibleAdvice,
    DefenseAdvice,
    Finding,
    Gap,
    LimitAdvice,
    Premium,
    Reason,
    Result,
    TailPrice,
    Trace,
    Underwriting,
)
from eo_advisor.advice.review import check_contracts, tail_prices, underwriting
from eo_advisor.advice.sources import cited_sources, param_sources
from eo_advisor.profile.model import Profile
from eo_advisor.rules import Rules
from eo_advisor.rules.ruleset import RuleSet, ruleset

__all__ = ["ERODING_OK", "NON_ERODING", "Facts", "aggregate_for", "assess", "facts", "rate"]


class Core(NamedTuple):
    """What every plan decides: the limit, deductible, defense form and their premium."""

    facts: Facts
    limit: LimitAdvice
    deductible: DeductibleAdvice
    defense: DefenseAdvice
    premium: Premium


class Plan(NamedTuple):
    """What a plan adds to the core decisions."""

    gaps: tuple[Gap, ...]
    actions: tuple[Action, ...]
    found: tuple[Finding, ...]
    contracts: tuple[ContractCheck, ...]
    uw: Underwriting
    sources: tuple[str, ...]
    tails: tuple[TailPrice, ...]


def core(profile: Profile, rs: RuleSet, trace: list[Trace] | None, as_of: _dt.date | None) -> Core:
    f = facts(profile, rs)
    limit = advise_limit(profile, f, rs, trace)
    defense = advise_defense(profile, limit, f, rs, trace)
    rater = Rater(profile, limit.per_claim, 0, limit.aggregate, defense.recommendation == NON_ERODING, rs)
    deductible = advise_deductible(profile, limit, rs, trace, lambda amount: rater.variant(deductible=amount).estimate())
    premium = first_policy_premium(profile, rater.variant(deductible=deductible.amount))
    step = step_rating(profile, premium, rs, as_of)
    if step is not None:  # claims-made: what a later retroactive date would cost instead
        premium = premium._replace(basis=(*premium.basis, step))
    if "safety_critical" in f.gap_facts:  # no rating value prices it: the range is indicative only
        premium = premium._replace(basis=(*premium.basis, Reason("premium.safety_unpriced")))
    return Core(f, limit, deductible, defense, premium)


def first_policy_premium(profile: Profile, rater: Rater) -> Premium:
    """The premium of the policy advised. A first policy's retroactive date is its start
    (claims-made cover of no earlier work): carriers step-rate it, so that is its price,
    with full prior acts back to the first project as the option said in the basis."""
    years = profile.business.years_in_business
    if profile.current_policy is not None or years == 0:
        return rater.premium()
    stepped = rater.variant(**{"business.years_in_business": 0})
    low, high, full = rater.range()
    first = stepped.premium()
    if first.estimate >= full:
        return rater.premium()
    values = {"years": years, "full": full, "low": low, "high": high}
    return first._replace(basis=(*first.basis, Reason("premium.first_policy_step", values)))


def assess(profile: Profile, rules: Rules | None = None, *, explain: bool = False, as_of: _dt.date | None = None) -> Result:
    """Assess one validated profile. Pure: same profile, rules and date, same result.

    ``as_of`` is "today" for date checks (the retroactive date against the firm's first
    projects); the engine never reads the clock itself."""
    rs = ruleset(rules)
    trace: list[Trace] | None = [] if explain else None
    c = core(profile, rs, trace, as_of)
    plan = closing_plan if profile.closing else buying_plan
    return plan(profile, c, rs, trace, as_of)


def buying_plan(profile: Profile, c: Core, rs: RuleSet, trace: list[Trace] | None, as_of: _dt.date | None) -> Result:
    """A business buying or renewing cover: gaps, contracts, findings, referral, actions."""
    gaps = find_gaps(profile, c.facts, rs, trace, c.limit.per_claim)
    tails = tail_prices(profile, rs)
    found = findings(profile, Advice(c.limit, c.deductible, c.defense, gaps, tails, c.facts.demand, c.facts.gap_facts, c.premium), rs, as_of)
    uw = underwriting(profile, c.limit, c.facts.gap_facts, rs)
    state = rs.states.get(profile.business.state or "")
    sources = cited_sources(
        rs,
        tails=bool(tails),
        priced=(c.limit, c.deductible, c.defense, c.premium),
        premium=c.premium,
        gaps=gaps,
        state_source=state.source if state is not None else None,
        found=found,
        uw=uw,
    )
    actions = suggest_actions(profile, c.premium, gaps, rs)
    contracts = check_contracts(profile, c.limit, c.defense)
    return _result(profile, c, Plan(gaps, actions, found, contracts, uw, sources, tails), rs, trace)


def closing_plan(profile: Profile, c: Core, rs: RuleSet, trace: list[Trace] | None, as_of: _dt.date | None) -> Result:
    """A business that is closing: the advice is the tail; no new cover, gap, contract or
    referral. The rating is cited only when it estimated the premium the tail rests on."""
    tails = tail_prices(profile, rs)
    found = closing_findings(profile, Advice(c.limit, c.deductible, c.defense, (), tails, c.facts.demand, c.facts.gap_facts), rs, as_of)
    cp = profile.current_policy
    estimated = cp is not None and not cp.annual_premium
    sources = cited_sources(rs, tails=bool(tails), priced=(c.premium,) if estimated else (), premium=c.premium if estimated else None, found=found)
    return _result(profile, c, Plan((), (), found, (), Underwriting(False, (), ()), sources, tails), rs, trace)


def _result(profile: Profile, c: Core, p: Plan, rs: RuleSet, trace: list[Trace] | None) -> Result:
    if trace is not None:
        premium = c.premium
        outputs = {"low": premium.low, "high": premium.high, "estimate": premium.estimate}
        trace.append(Trace("premium", "rating", {fa.name: fa.multiplier for fa in premium.factors}, outputs, list(premium.params)))
        trace = [t._replace(sources=param_sources(t.params, rs)) for t in trace]
    return Result(
        c.limit,
        c.deductible,
        c.defense,
        p.gaps,
        c.premium,
        p.actions,
        p.found,
        p.contracts,
        p.uw,
        profile.business.name,
        rs.rules.version,
        p.sources,
        p.tails,
        trace,
    )
