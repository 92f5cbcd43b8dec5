"""The gap step (covers Tech E&O leaves open: rules/gaps.toml, first matching rule per
coverage) and the actions that would lower the premium."""

from __future__ import annotations

from eo_advisor.advice.facts import Facts
from eo_advisor.advice.ladders import round_up_to_ladder
from eo_advisor.advice.result import Action, Gap, Premium, Reason, Trace
from eo_advisor.profile.model import Profile
from eo_advisor.rules.ruleset import GapTest, RuleSet, round_to

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def suggested_limit(rule: str | None, profile: Profile, rs: RuleSet, eo_limit: int = 0) -> int | None:
    """A gap's suggested limit, where a rule supports one (rules/gaps.toml ``suggested``).
    Cyber: the largest of the minimum, what contracts ask, what the records held call for
    and a share of the E&O limit, on the ladder."""
    if rule == "cyber":
        records = rs["limits.cyber_limit_by_records"].get(profile.work.records_held or "", 0)
        share = round_up_to_ladder(eo_limit * rs["limits.cyber_share_of_eo"], rs["limits.limit_ladder"]) or 0
        return max([rs["limits.cyber_minimum_limit"], records, share, *(c.cyber_limit or 0 for c in profile.contracts)])
    if rule == "general_liability":
        return max([int(rs["limits.gl_standard_limit"]), *(c.gl_per_occurrence or 0 for c in profile.contracts)])
    if rule is not None and rule.startswith("contract:"):  # the largest limit any contract names for it
        key = rule.partition(":")[2]
        return max((getattr(c, key) or 0 for c in profile.contracts), default=0) or None
    return None


def gap_status(test: GapTest, have: frozenset[str]) -> tuple[str, tuple[str, ...]] | None:
    """Whether a gap rule fires, and how: ("open", ()) when its facts hold and the cover is
    not held; ("confirm_held", ()) when it is not known whether the cover is held;
    ("confirm_fact", facts) when it would fire if unanswered questions were yes. None: it
    does not fire (a cover held, or no fact that calls for it)."""
    if not test.unless.isdisjoint(have):
        return None
    if not test.when.isdisjoint(have):
        return ("confirm_held", ()) if not test.unless_unknown.isdisjoint(have) else ("open", ())
    if test.when_unknown.isdisjoint(have):
        return None
    return ("confirm_fact", tuple(sorted(f.removesuffix("?") for f in test.when_unknown & have)))


def _confirm(status: str, facts: tuple[str, ...]) -> Reason | None:
    if status == "confirm_held":
        return Reason("gap_confirm.held")
    if status == "confirm_fact":
        return Reason(f"gap_confirm.{facts[0]}")
    return None


def find_gaps(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None, eo_limit: int = 0) -> tuple[Gap, ...]:
    """Gap rules over the profile's facts: per coverage the first rule that fires on what is
    known wins, else the first that fires on what was not answered (a confirm point: not
    known is not no). Listed by severity (high first), in rule order within a severity."""
    have = f.gap_facts
    chosen: dict[str, Gap] = {}
    for test in rs.gaps:
        rule, reason_key = test.rule, test.reason_key
        held = chosen.get(rule.coverage)
        if held is not None and held.status == "open":
            continue
        fired = gap_status(test, have)
        if fired is None or (held is not None and fired[0] != "open"):
            continue
        status, maybe = fired
        severity = rule.severity if status == "open" else rule.confirm_severity
        limit = suggested_limit(rule.suggested, profile, rs, eo_limit)
        chosen[rule.coverage] = Gap(
            rule.coverage, severity, Reason(reason_key), rule.source, rule.id, limit, rule.parties, status, _confirm(status, maybe)
        )
    gaps = list(chosen.values())
    if trace is not None:
        for g in gaps:
            test = next(t for t in rs.gaps if t.rule.id == g.rule)
            trace.append(
                Trace("gaps", g.coverage, {"facts": sorted((test.when | {f"{w}?" for w in test.when}) & have)}, g.severity, [f"gaps.{g.rule}"])
            )
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
    if open_gaps and profile.business.employees <= rs["review.bundle_max_staff"]:  # a package closes only these two gaps, for small firms
        discount = rs["rating.bundle_discount"]
        saving = round_to(premium.estimate * discount, step)
        held = "" if len(open_gaps) == 2 else "_cyber" if "cyber" in open_gaps else "_gl"
        actions.append(
            Action("bundle", Reason(f"action.bundle{held}"), Reason("action.bundle_effect", {"percent": discount, "saving": saving}), saving)
        )
    return tuple(actions)
