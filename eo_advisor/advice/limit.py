"""The limit step: the per-claim limit and aggregate to buy, and why.

Named sub-steps, each adding what it found to one :class:`Need` (the amount the limit
must reach, what sets it, the reasons): the firm-size floor, the exposure of the
largest contract or client, the assumption weights, the floors assumed for kinds of
client, the stated contract minimum, then the ladder and the aggregate. Values are read
by their rules names through one recorder, so what the limit rests on is what it read.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from eo_advisor.advice.facts import Facts
from eo_advisor.advice.ladders import round_up_to_ladder
from eo_advisor.advice.result import LimitAdvice, Reason, Trace
from eo_advisor.profile.model import Contract, Profile
from eo_advisor.rules.ruleset import Reads, RuleSet


class Need:
    """What the limit must reach so far, what sets it, and the reasons said."""

    __slots__ = ("driver", "needed", "reasons")

    def __init__(self, needed: int, driver: str, reasons: list[Reason]) -> None:
        self.needed, self.driver, self.reasons = needed, driver, reasons

    def raise_to(self, amount: float, driver: str) -> None:
        if amount > self.needed:
            self.needed, self.driver = int(amount), driver


class Exposure(NamedTuple):
    """The contract-like value a bad claim puts at stake, and where it comes from."""

    value: int  # one year of the engagement, before the consequential-damages factor
    exposure: int  # after it (and any liability cap)
    what: str  # "largest_contract" | "contract" | "largest_client"
    client: str | None = None
    capped: bool = False  # a contract's liability cap bounded it
    factor: float = 2.0  # the consequential-damages factor applied
    total: int | None = None  # the contract's whole value, when one year of it was taken
    unconfirmed: bool = False  # a value above a year's revenue with no term or annual fee given
    aside: int | None = None  # the value of a larger contract set aside until its terms are known


class Exposures:
    """How one contract's value becomes an exposure: one year of the engagement (its annual
    fee, its value over its term, or at most a year's revenue), times the consequential-
    damages factor unless the contract excludes or caps those damages, bounded by its cap."""

    __slots__ = ("capped_cd", "cdf", "revenue", "reviewed")

    def __init__(self, profile: Profile, r: Reads, regulated: tuple[str, ...]) -> None:
        self.cdf, self.capped_cd = r.peek("limits.consequential_damages_factor"), r.peek("limits.consequential_capped_factor")
        # reviewed contracts with a limitation clause cap the amount, which is not excluding
        # consequential damages; regulated clients and sensitive data carve breaches out of caps
        carved_out = bool(profile.work.handles_sensitive_data) or bool(regulated)
        reviewed = profile.practices.contracts_limit_liability and not carved_out
        self.reviewed = r.peek("limits.reviewed_clause_factor") if reviewed else self.cdf
        self.revenue = profile.business.annual_revenue

    def factor(self, caps_consequential: bool | None) -> float:
        if caps_consequential is None:  # the contract does not say: what the firm's practice suggests
            return float(self.reviewed)
        return float(self.capped_cd if caps_consequential else self.cdf)

    def of(self, value: int, what: str, contract: Contract | None = None) -> Exposure:
        annual, total, unconfirmed = value, None, False
        if contract is not None and contract.annual_value:
            annual, total = min(contract.annual_value, value), value
        elif contract is not None and contract.term_years and contract.term_years > 1:
            annual, total = round(value / contract.term_years), value
        elif what != "largest_client" and value > self.revenue:  # more than a year of revenue: several years' work
            annual, total, unconfirmed = self.revenue, value, True
        factor = self.factor(contract.caps_consequential if contract is not None else None)
        exposure = round(annual * factor)
        client = contract.client if contract is not None else None
        if contract is not None and contract.liability_cap is not None and contract.liability_cap < exposure:
            return Exposure(annual, contract.liability_cap, what, client, True, factor, total, unconfirmed)
        return Exposure(annual, exposure, what, client, False, factor, total, unconfirmed)


def contract_exposure(profile: Profile, r: Reads, regulated: tuple[str, ...] = ()) -> Exposure:
    """The largest exposure among the largest contract, every [[contracts]] value and a
    year's fees at risk from the largest client."""
    work, ex = profile.work, Exposures(profile, r, regulated)
    candidates = []
    # a [[contracts]] entry worth at least the largest contract describes that job in more
    # detail (its liability cap included), so the bare figure is then not counted again
    if not any(c.value is not None and c.value >= work.largest_contract for c in profile.contracts):
        candidates.append(ex.of(work.largest_contract, "largest_contract"))
    candidates += [ex.of(c.value, "contract", c) for c in profile.contracts if c.value is not None]
    # a contract worth more than a year's revenue with no term or fee given does not drive the
    # limit past what size and stated requirements support until its terms are known
    best = max((c for c in candidates if not c.unconfirmed), key=lambda c: c.exposure, default=Exposure(0, 0, "largest_contract"))
    aside = max((c.total or 0 for c in candidates if c.unconfirmed), default=0)
    if aside:
        best = best._replace(aside=aside)
    # the fees at risk from the largest client, unless a [[contracts]] entry worth at least
    # that much describes the client's work (its liability cap included): then it counts
    fees = round((work.largest_client_share or 0) * profile.business.annual_revenue * r.peek("limits.client_fees_at_risk"))
    if fees and not any(c.value is not None and c.value >= fees for c in profile.contracts):
        if (candidate := ex.of(fees, "largest_client")).exposure > best.exposure:
            r.cite("limits.client_fees_at_risk")
            best = candidate
    cited = {ex.cdf: "limits.consequential_damages_factor", ex.capped_cd: "limits.consequential_capped_factor"}
    r.cite(cited.get(best.factor, "limits.reviewed_clause_factor"))
    return best


def size_floor(profile: Profile, r: Reads) -> Need:
    """The minimum limit, raised by the firm-size floors (revenue, staff)."""
    minimum = r("limits.minimum_limit")
    need = Need(minimum, "minimum_limit", [Reason("limit.floor", {"minimum": minimum})])
    business = profile.business
    size = max(r.peek("limits.revenue_floor")(business.annual_revenue), r.peek("limits.staff_floor")(business.employees))
    if size > minimum:
        r.cite("limits.revenue_floor", "limits.staff_floor")
        need.raise_to(size, "firm_size")
        need.reasons.append(Reason("limit.firm_size", {"revenue": business.annual_revenue, "employees": business.employees, "floor": size}))
    return need


def exposure_reasons(profile: Profile, base: Exposure, need: Need, r: Reads) -> None:
    """Say where the exposure comes from, how much of the contract it counts, and any
    liability cap that bounds it."""
    values = {
        "value": base.value,
        "factor": base.factor,
        "exposure": round(base.value * base.factor),  # before any liability cap (said next)
        "client": base.client,
        "share": profile.work.largest_client_share,
        "at_risk": r.peek("limits.client_fees_at_risk"),
        "total": base.total,
        "revenue": profile.business.annual_revenue,
    }
    if base.aside:
        need.reasons.append(Reason("limit.value_above_revenue", {"total": base.aside, "revenue": profile.business.annual_revenue}))
    if base.total is not None:  # one year of a longer engagement
        need.reasons.append(Reason("limit.one_year", values))
    limited = base.factor == r.peek("limits.consequential_capped_factor")
    need.reasons.append(Reason(f"limit.exposure_{base.what}{'_limited' if limited else ''}", values))
    if not limited and base.factor < r.peek("limits.consequential_damages_factor"):  # reviewed contracts: a cap, not an exclusion
        need.reasons.append(Reason("limit.reviewed_clause", {"factor": base.factor}))
    if base.capped:
        need.reasons.append(Reason("limit.exposure_capped", {"client": base.client, "cap": base.exposure}))
    capped = [c for c in profile.contracts if c.liability_cap is not None]
    if base.what == "largest_client" and capped:  # is the capped contract that client's? the profile does not say
        c = max(capped, key=lambda c: c.value or 0)
        need.reasons.append(Reason("limit.client_cap_unknown", {"client": c.client, "cap": c.liability_cap, "value": c.value}))


def weighted_exposure(profile: Profile, f: Facts, base: Exposure, need: Need, r: Reads) -> int:
    """The exposure after the larger assumption weight (regulated clients, sensitive data):
    the two do not compound, and a liability cap bounds them both."""
    weights = []
    if f.regulated:
        factor = r("limits.regulated_exposure_factor") if not base.capped else 0.0
        values = {"industries": f.regulated, "factor": factor, "exposure": round(base.exposure * factor)}
        weights.append((factor, Reason("limit.regulated_exposure", values)))
    if profile.work.handles_sensitive_data:
        factor = r("limits.sensitive_data_exposure_factor") if not base.capped else 0.0
        weights.append((factor, Reason("limit.sensitive_exposure", {"factor": factor, "exposure": round(base.exposure * factor)})))
    if weights and base.capped:  # the cap bounds what the client can recover, weights included
        need.reasons.append(Reason("limit.weights_capped", {"client": base.client, "cap": base.exposure}))
        return base.exposure
    if not weights:
        return base.exposure
    factor, reason = max(weights, key=lambda w: w[0])
    need.reasons.append(reason)
    if len(weights) > 1:
        need.reasons.append(Reason("limit.weights_do_not_compound"))
    weighted = round(base.exposure * factor)
    stated = f.demand.limit
    if stated and weighted > max(stated, base.exposure):  # an assumption never stacks past what a contract states
        need.reasons.append(
            Reason("limit.weights_within_requirement", {"minimum": stated, "who": f.demand.client, "exposure": max(stated, base.exposure)})
        )
        return max(stated, base.exposure)
    return weighted


def typical_floors(profile: Profile, f: Facts, need: Need, r: Reads, regulated: frozenset[str]) -> None:
    """What such clients commonly ask (public sector; regulated clients whose data you
    handle) stands in for a requirement the profile does not state; a stated one replaces
    it (``work.contractual_minimum`` for every client, a [[contracts]] entry for its own
    kind of client)."""
    work, demand = profile.work, f.demand
    public_sector = r.peek("limits.public_sector_industries")
    public = tuple(i for i in f.regulated if i in public_sector) if work.largest_contract >= r.peek("limits.public_sector_floor_min_contract") else ()
    data_access = tuple(i for i in f.regulated if i not in public_sector) if work.handles_sensitive_data else ()
    typical = (
        ("limits.regulated_minimum_limit", "limit.regulated_floor", {"industries": public}, "regulated_minimum_limit", public_sector, public),
        (
            "limits.data_access_minimum_limit",
            "limit.data_access_floor",
            {"who": data_access},
            "data_access_minimum_limit",
            regulated - set(public_sector),
            data_access,
        ),
    )
    for name, key, values, driver, kinds, who_applies in typical:
        if not who_applies:
            continue
        floor = r.peek(name)
        own = max((c for c in profile.contracts if c.industry in kinds), key=lambda c: c.eo_limit, default=None)
        stated, who = (demand.limit, demand.client) if work.contractual_minimum > 0 else (own.eo_limit, own.client) if own else (0, None)
        if stated:
            if floor > need.needed and floor > stated:
                need.reasons.append(Reason("limit.typical_floor_replaced", {**values, "floor": floor, "minimum": stated, "who": who}))
            continue
        r.cite(name)
        need.reasons.append(Reason(key, {**values, "floor": floor}))
        if demand.limit and floor > demand.limit and floor > need.needed:  # only when the floor is what sets the limit
            need.reasons.append(Reason("limit.typical_floor_kept", {"floor": floor, "minimum": demand.limit, "who": demand.client}))
        need.raise_to(floor, driver)


def safety_floor(profile: Profile, need: Need, r: Reads) -> None:
    """Software whose failure can injure people: a risk floor no stated minimum lowers."""
    if profile.work.safety_critical:
        floor = r("limits.safety_critical_minimum_limit")
        need.reasons.append(Reason("limit.safety_floor", {"floor": floor}))
        need.raise_to(floor, "safety_critical")


def held_after_claims(profile: Profile, need: Need, r: Reads) -> None:
    """After a claim the limit held is kept: a lower one at renewal leaves the next claim
    less cover, and carriers rarely let it back up."""
    cp, claims = profile.current_policy, profile.history.claims_last_5_years
    if cp is None or profile.closing or claims < r.peek("deductibles.keep_held_after_claims") or cp.limit <= need.needed:
        return
    r.cite("deductibles.keep_held_after_claims")
    need.reasons.append(Reason("limit.held_after_claims", {"current": cp.limit, "claims": claims}))
    need.raise_to(cp.limit, "held_limit")


def privileged_floor(profile: Profile, need: Need, r: Reads) -> None:
    """Privileged remote access to clients' systems with their data at stake: a risk floor
    by the number of clients reachable, which no stated contract minimum lowers."""
    work = profile.work
    services = tuple(s for s in work.services if s in r.peek("limits.privileged_access_services"))
    clients = work.managed_clients
    if not services or not (work.handles_sensitive_data or clients):
        return
    floor = int(r("limits.privileged_access_floor")(clients or 0))
    r.cite("limits.privileged_access_services")
    key = "limit.privileged_floor_clients" if clients else "limit.privileged_floor"
    need.reasons.append(Reason(key, {"who": services, "floor": floor, "clients": clients}))
    need.raise_to(floor, "privileged_access")


def contract_minimum(f: Facts, need: Need) -> None:
    """A stated contract requirement is met; exceeded only with the reason named."""
    demand = f.demand
    if not demand.limit:
        return
    need.reasons.append(Reason("limit.contract_minimum", {"minimum": demand.limit, "who": demand.client}))
    if demand.limit >= need.needed:
        need.needed, need.driver = demand.limit, "contractual_minimum"
    else:
        need.reasons.append(
            Reason("limit.above_contract", {"minimum": demand.limit, "who": demand.client, "needed": need.needed, "driver": need.driver})
        )


def aggregate_for(per_claim: int, profile: Profile, r: Reads | RuleSet) -> tuple[int, list[Reason]]:
    """The aggregate to buy with a per-claim limit, and why: a multiple of it for firms
    large enough to face several claims a year, on the ladder (the next rung at or above
    the multiple, never above the top)."""
    peek = r.peek if isinstance(r, Reads) else r.__getitem__
    business = profile.business
    why = []
    if business.annual_revenue >= peek("limits.aggregate_revenue_threshold"):
        why.append(Reason("limit.aggregate_why_revenue", {"revenue": business.annual_revenue}))
    if business.employees >= peek("limits.aggregate_staff_threshold"):
        why.append(Reason("limit.aggregate_why_staff", {"employees": business.employees}))
    clients = profile.work.managed_clients or 0
    if clients >= peek("limits.privileged_aggregate_clients"):
        why.append(Reason("limit.aggregate_why_clients", {"clients": clients}))
    ladder = peek("limits.aggregate_ladder")
    if not why or per_claim >= ladder[-1]:
        return per_claim, why
    return round_up_to_ladder(per_claim * peek("limits.aggregate_multiplier"), ladder) or ladder[-1], why


def to_ladder(profile: Profile, need: Need, r: Reads) -> tuple[int, int]:
    """The per-claim limit (the rung at or above what is needed) and its aggregate."""
    ladder = r("limits.limit_ladder")
    rung = round_up_to_ladder(need.needed, ladder)
    below = max((x for x in ladder if x < need.needed), default=None)
    near = r.peek("limits.near_rung_share")
    if need.driver == "contract_exposure" and below is not None and need.needed <= below * (1 + near):
        r.cite("limits.near_rung_share")  # an estimate just above a rung: that rung, the next as the option
        need.reasons.append(Reason("limit.near_rung", {"needed": need.needed, "limit": below, "next": rung or ladder[-1]}))
        rung = below
    per_claim = ladder[-1] if rung is None else rung
    if rung is None:
        need.reasons.append(Reason("limit.above_ladder", {"needed": need.needed, "limit": per_claim}))
    elif rung < need.needed:
        pass  # the near-rung reason said it
    else:
        need.reasons.append(Reason("limit.rounded", {"needed": need.needed, "limit": per_claim, "driver": need.driver}))
    aggregate, why = aggregate_for(per_claim, profile, r)
    asked = max((c.eo_aggregate or 0 for c in profile.contracts), default=0)
    if asked > aggregate:  # a contract names the aggregate it requires: the advice meets it, on the ladder
        ladder = r.peek("limits.aggregate_ladder")
        aggregate = round_up_to_ladder(asked, ladder) or ladder[-1]  # above the ladder: its top, with excess to arrange
        who = next(c.client for c in profile.contracts if (c.eo_aggregate or 0) == asked)
        need.reasons.append(Reason("limit.aggregate_contract", {"aggregate": aggregate, "minimum": asked, "who": who}))
        return per_claim, aggregate
    if aggregate > per_claim:
        r.cite("limits.aggregate_multiplier", "limits.aggregate_ladder")
        need.reasons.append(
            Reason("limit.aggregate_raised", {"multiplier": r.peek("limits.aggregate_multiplier"), "aggregate": aggregate, "why": why})
        )
    elif why:  # several claims a year are plausible, but the ladder stops here
        r.cite("limits.aggregate_ladder")
        need.reasons.append(Reason("limit.aggregate_at_top", {"aggregate": aggregate, "why": why}))
    else:
        need.reasons.append(Reason("limit.aggregate_equal", {"aggregate": aggregate}))
    return per_claim, aggregate


def advise_limit(profile: Profile, f: Facts, rs: RuleSet, trace: list[Trace] | None = None) -> LimitAdvice:
    r = rs.reads()
    need = size_floor(profile, r)
    base = contract_exposure(profile, r, f.regulated)
    exposure_reasons(profile, base, need, r)
    exposure = weighted_exposure(profile, f, base, need, r)
    need.raise_to(exposure, "contract_exposure")
    typical_floors(profile, f, need, r, rs.regulated)
    privileged_floor(profile, need, r)
    safety_floor(profile, need, r)
    held_after_claims(profile, need, r)
    contract_minimum(f, need)
    per_claim, aggregate = to_ladder(profile, need, r)
    used = r.used
    if trace is not None:
        trace.append(
            Trace(
                "limit",
                need.driver,
                _trace_inputs(profile, f, base),
                {"per_claim": per_claim, "aggregate": aggregate, "exposure": exposure},
                list(used),
            )
        )
    return LimitAdvice(per_claim, aggregate, int(exposure), need.driver, tuple(need.reasons), used)


def _trace_inputs(profile: Profile, f: Facts, base: Exposure) -> dict[str, Any]:
    return {
        "business.annual_revenue": profile.business.annual_revenue,
        "business.employees": profile.business.employees,
        "exposure_from": base.what,
        "exposure_value": base.value,
        "regulated_clients": list(f.regulated),
        "work.handles_sensitive_data": profile.work.handles_sensitive_data,
        "contract_minimum": f.demand.limit,
    }
