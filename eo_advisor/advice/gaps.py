"""The gap step (covers Tech E&O leaves open: rules/gaps.toml, first matching rule per
coverage) and the actions that would lower the premium."""

from __future__ import annotations

from eo_advisor.advice.facts import Facts
from eo_advisor.advice.result import Action, Gap, Premium, Reason, Trace
from eo_advisor.profile.model import Profile
from eo_advisor.rules.ruleset import RuleSet, round_to

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def suggested_limit(rule: str | None, profile: Profile, rs: RuleSet) -> int | None:
    """A gap's suggested limit, where a rule supports one (rules/gaps.toml ``suggested``)."""
    if rule == "cyber":
        return max([rs["limits.cyber_minimum_limit"], *(c.cyber_limit or 0 for c in profile.contracts)])
    if rule == "general_liability":
        return int(rs["limits.gl_standard_limit"])
    return None


def find_gaps(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> tuple[Gap, ...]:
    """Gap rules over the profile's facts; the first matching rule per coverage wins.
    Listed by severity (high first), in rule order within a severity."""
    have = f.gap_facts
    gaps: list[Gap] = []
    seen: set[str] = set()
    for rule, when, unless, reason_key in rs.gaps:
        if rule.coverage in seen or when.isdisjoint(have) or not unless.isdisjoint(have):
            continue
        seen.add(rule.coverage)
        limit = suggested_limit(rule.suggested, profile, rs)
        gaps.append(Gap(rule.coverage, rule.severity, Reason(reason_key), rule.source, rule.id, limit, rule.parties))
        if trace is not None:
            trace.append(Trace("gaps", rule.coverage, {"facts": sorted(when & have)}, rule.severity, [f"gaps.{rule.id}"]))
    return tuple(sorted(gaps, key=lambda g: SEVERITY_ORDER[g.severity]))


def suggest_actions(profile: Profile, premium: Premium, gaps: tuple[Gap, ...], rs: RuleSet) -> tuple[Action, ...]:
    """Premium reducers that apply and are not done yet."""
    credits, step = rs["rating.practice_credit"], rs["rating.rounding"]
    actions: list[Action] = []
    for pid in rs.practice_actions:
        if getattr(profile.practices, pid):
            continue
        share = 1.0 - credits[pid]
        saving = round_to(premium.estimate * share, step)
        actions.append(Action(pid, Reason(f"action.{pid}"), Reason(f"action.{pid}_effect", {"percent": share, "saving": saving}), saving))
    open_gaps = {g.coverage for g in gaps} & {"general_liability", "cyber"}
    if open_gaps:  # a package closes only these two gaps
        discount = rs["rating.bundle_discount"]
        saving = round_to(premium.estimate * discount, step)
        held = "" if len(open_gaps) == 2 else "_cyber" if "cyber" in open_gaps else "_gl"
        actions.append(
            Action("bundle", Reason(f"action.bundle{held}"), Reason("action.bundle_effect", {"percent": discount, "saving": saving}), saving)
        )
    return tuple(actions)
