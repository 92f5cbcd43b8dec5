"""The defense-costs step: whether defense must sit outside the limit (non-eroding), and
the eroding alternative: the limit that still leaves the recommended one after a
typical defense inside it."""

from __future__ import annotations

from eo_advisor.advice.facts import Facts
from eo_advisor.advice.ladders import round_up_to_ladder
from eo_advisor.advice.result import DefenseAdvice, LimitAdvice, Reason, Trace
from eo_advisor.profile.model import Profile
from eo_advisor.rules.ruleset import Reads, RuleSet

NON_ERODING = "non-eroding"
ERODING_OK = "eroding-acceptable"
# limits set by a floor that stands for the loss itself (the fee exposure understates it): the
# eroding alternative must leave that floor for damages, not just the fee exposure
LOSS_FLOORS = frozenset({"data_access_minimum_limit", "regulated_minimum_limit", "privileged_access", "safety_critical", "firm_size", "held_limit"})


def at_stake(limit: LimitAdvice) -> int:
    """What a claim puts at stake, for sizing defense inside the limit: the exposure, or the
    floor that set the limit when that floor stands for the loss."""
    return limit.per_claim if limit.driver in LOSS_FLOORS else limit.exposure


def defense_allowance(exposure: int, r: Reads) -> int:
    """Defense costs to allow for inside an eroding limit: they follow the dispute (a share
    of the exposure), with a floor for any litigated claim and a cap."""
    share, floor, cap = r("defense.defense_allowance_ratio"), r.peek("defense.defense_allowance_minimum"), r.peek("defense.defense_allowance_cap")
    allowance = round(exposure * share)
    if allowance <= floor:
        r.cite("defense.defense_allowance_minimum")
        return int(floor)
    if allowance >= cap:
        r.cite("defense.defense_allowance_cap")
        return int(cap)
    return allowance


def eroding_limit(per_claim: int, exposure: int, allowance: int, r: Reads) -> int | None:
    """The eroding alternative: the smallest ladder limit that meets the recommended one
    (and so every stated requirement) and still leaves the exposure after a typical
    defense inside it; None when that is above the top rung (only excess layers reach it)."""
    return round_up_to_ladder(max(per_claim, exposure + allowance), r.peek("limits.limit_ladder"))


def triggers_of(profile: Profile, limit: LimitAdvice, f: Facts, r: Reads) -> tuple[list[str], list[Reason]]:
    """What makes non-eroding cover the advice, each with its reason."""
    triggers: list[str] = []
    reasons = [Reason("defense.general")]
    # regulators join claims from finance and healthcare clients; a public-sector client
    # alone (a small agency contract) does not make eroding cover unacceptable
    regulators = tuple(i for i in f.regulated if i not in r.peek("limits.public_sector_industries"))
    if regulators:
        triggers.append("regulated_clients")
        reasons.append(Reason("defense.trigger_regulated", {"industries": regulators}))
    if profile.work.handles_sensitive_data:
        triggers.append("sensitive_data")
        reasons.append(Reason("defense.trigger_sensitive"))
    share = r.peek("defense.large_contract_share")
    if limit.exposure >= share * limit.per_claim:
        triggers.append("large_contract")
        reasons.append(Reason("defense.trigger_large_contract", {"exposure": limit.exposure, "share": share, "limit": limit.per_claim}))
    if "safety_critical" in f.gap_facts:
        triggers.append("safety_critical")
        reasons.append(Reason("defense.trigger_safety"))
    claims = profile.history.claims_last_5_years
    if claims:
        triggers.append("claims_history")
        reasons.append(Reason("defense.trigger_claims", {"claims": claims}))
    return triggers, reasons


def advise_defense(profile: Profile, limit: LimitAdvice, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> DefenseAdvice:
    r = rs.reads()
    triggers, reasons = triggers_of(profile, limit, f, r)
    requiring = [c.client for c in profile.contracts if c.defense_outside_limits]
    reasons += [Reason("defense.trigger_contract_form", {"client": client}) for client in requiring]
    if requiring:
        triggers.append("contract_requires_non_eroding")
    state = rs.states.get(profile.business.state or "")
    if state is not None:
        reasons.append(Reason(f"defense.state_{state.state}"))
        if state.bars_admitted:  # admitted carriers there cannot sell the eroding form: it is not the headline
            triggers.append("state_rule")
    stake = at_stake(limit)
    allowance = defense_allowance(stake, r)
    if "large_contract" in triggers:
        r.cite("defense.large_contract_share")
    limit_if_eroding = eroding_limit(limit.per_claim, stake, allowance, r)
    if limit_if_eroding is None:  # no single policy leaves the limit for damages after defense
        triggers.append("eroding_above_ladder")
    top = r.peek("limits.limit_ladder")[-1]
    values = {
        "limit": limit.per_claim,
        "limit_if_eroding": limit_if_eroding,
        "allowance": allowance,
        "left": (limit_if_eroding or top) - allowance,
        "exposure": stake,
        "top": top,
        "clients": requiring,
    }
    recommendation = NON_ERODING if triggers else ERODING_OK
    if requiring:  # a contract demands defense outside the limit: no eroding alternative
        limit_if_eroding = None
        reasons.append(Reason("defense.firm_contract", values))
    elif limit_if_eroding is None:
        reasons.append(Reason("defense.firm_above_ladder", values))
    else:
        reasons.append(Reason("defense.firm" if triggers else "defense.eroding_ok", values))
    if trace is not None:
        inputs = {"triggers": triggers, "limit.per_claim": limit.per_claim, "business.state": profile.business.state}
        trace.append(
            Trace("defense_costs", recommendation, inputs, {"recommendation": recommendation, "limit_if_eroding": limit_if_eroding}, list(r.used))
        )
    return DefenseAdvice(recommendation, limit_if_eroding, tuple(triggers), tuple(reasons), not requiring, allowance, r.used)
