"""What a specialist broker adds in a meeting: each client contract checked, the
findings (on the policy held today and on the advice itself), and the underwriting
referrals.

Pure functions over a validated profile and the engine's decisions. Every number and
severity comes from the rules data (rules/review.toml, rules/states.toml); the
results are reasons (message keys and values), worded by :mod:`eo_advisor.formats.render`.
"""

from __future__ import annotations

from typing import Any

from eo_advisor.advice.defense import NON_ERODING
from eo_advisor.advice.rating import rate
from eo_advisor.advice.result import ContractCheck, DefenseAdvice, Flag, LimitAdvice, Reason, TailPrice, Underwriting
from eo_advisor.profile.model import Contract, Profile
from eo_advisor.rules.ruleset import RuleSet, round_to


def check_contracts(profile: Profile, limit: LimitAdvice, defense: DefenseAdvice) -> tuple[ContractCheck, ...]:
    """Each contract (and the contractual-minimum shorthand) against the recommended
    cover and the current policy."""
    cp = profile.current_policy
    entries: list[tuple[str, int, Contract | None]] = []
    # the shorthand gets its own line only when no named contract asks as much
    if profile.work.contractual_minimum > max((k.eo_limit for k in profile.contracts), default=0):
        entries.append(("contractual minimum (work.contractual_minimum)", profile.work.contractual_minimum, None))
    entries += [(k.client, k.eo_limit, k) for k in profile.contracts]
    out = []
    for client, required, contract in entries:
        who = None if contract is None else client
        meets = limit.per_claim >= required
        notes = [Reason("contract.meets" if meets else "contract.short", {"who": who, "required": required, "limit": limit.per_claim})]
        current: bool | None = None
        if cp is not None:
            current = cp.limit >= required
            notes.append(Reason("contract.current_meets" if current else "contract.current_short", {"current": cp.limit}))
        if contract is not None:
            if contract.defense_outside_limits:
                notes.append(Reason("contract.defense"))
                meets = meets and defense.recommendation == NON_ERODING
                if cp is not None and cp.defense_costs != NON_ERODING:
                    current = False
                    notes.append(Reason("contract.defense_current_bad"))
            if contract.cyber_limit:
                notes.append(Reason("contract.cyber", {"cyber_limit": contract.cyber_limit}))
                if cp is not None:
                    if cp.includes_cyber:
                        notes.append(Reason("contract.cyber_current", {"cyber_limit": contract.cyber_limit}))
                    else:
                        current = False
            if contract.additional_insured:
                notes.append(Reason("contract.additional_insured"))
                if cp is not None and not cp.has_general_liability:  # no GL policy to carry the endorsement
                    current = False
                    notes.append(Reason("contract.additional_insured_no_gl"))
            notes += _claims_made_notes(contract, cp)
        out.append(ContractCheck(client, required, meets, current, tuple(notes)))
    return tuple(out)


CERTIFICATE_TERMS = ("notice_of_cancellation_days", "insurer_rating", "waiver_of_subrogation", "primary_non_contributory")


def _claims_made_notes(contract: Contract, cp: Any) -> list[Reason]:
    """What a contract asks of claims-made cover (retroactive date, cover after completion)
    and the certificate terms a broker confirms."""
    notes = []
    if contract.gl_per_occurrence:  # a GL limit asked: held or not, the limit is for the broker to confirm
        notes.append(Reason("contract.gl_limit", {"limit": contract.gl_per_occurrence}))
    if contract.umbrella_limit:
        notes.append(Reason("contract.umbrella_limit", {"limit": contract.umbrella_limit}))
    if contract.retro_on_or_before_start:
        notes.append(Reason("contract.retro"))
        if cp is not None and cp.retroactive_date is not None:
            notes.append(Reason("contract.retro_current", {"retro": cp.retroactive_date}))
    if contract.years_after_completion:
        notes.append(Reason("contract.after_completion", {"years": contract.years_after_completion}))
    terms = [t for t in CERTIFICATE_TERMS if getattr(contract, t)]
    if terms:
        notes.append(Reason("contract.certificate", {"terms": terms}))
    return notes


def current_terms_estimate(profile: Profile, rs: RuleSet) -> int:
    """The model's estimate for the policy held today, at its own terms (limit,
    deductible, defense form)."""
    cp = profile.current_policy
    assert cp is not None
    return rate(profile, cp.limit, cp.deductible, non_eroding=cp.defense_costs == NON_ERODING, rules=rs).estimate


def expiring_premium(profile: Profile, rs: RuleSet) -> tuple[int, bool]:
    """The annual premium of the policy held today: as given, or estimated at that
    policy's own terms. Returns (premium, estimated)."""
    cp = profile.current_policy
    assert cp is not None
    if cp.annual_premium:
        return cp.annual_premium, False
    return current_terms_estimate(profile, rs), True


def tail_prices(profile: Profile, rs: RuleSet) -> tuple[TailPrice, ...]:
    """The tail (extended reporting period) prices for each length the rules price, as
    shares of the expiring policy's premium, when the current policy is ending; () otherwise."""
    cp = profile.current_policy
    if cp is None or (cp.planned_change or "none") == "none":
        return ()
    annual, _ = expiring_premium(profile, rs)
    low, high, step = rs["review.tail_factor_low"].table, rs["review.tail_factor_high"].table, rs["rating.rounding"]
    wanted = None if cp.planned_change == "switch_insurer" else tail_years(profile, rs)  # a switch keeps its retroactive date instead
    lengths = sorted(low)
    pick = None if wanted is None else next((y for y in lengths if y >= wanted), lengths[-1])
    return tuple(TailPrice(y, round_to(annual * low[y], step), round_to(annual * high[y], step), y == pick) for y in lengths)


def tail_years(profile: Profile, rs: RuleSet) -> int:
    """The tail a closing firm needs: the longest cover after completion its contracts
    require, else the default length (claims surface years after the work)."""
    required = [c.years_after_completion for c in profile.contracts if c.years_after_completion]
    return max(required) if required else int(rs["review.tail_default_years"])


def underwriting(profile: Profile, limit: LimitAdvice, have: frozenset[str], rs: RuleSet) -> Underwriting:
    """Why a carrier would send this risk to an underwriter instead of quoting online;
    each flag cites the rules value that raised it."""
    r = rs.reads()
    flags: list[Flag] = []
    top = r.peek("limits.limit_ladder")[-1]
    if limit.per_claim >= (threshold := r.peek("review.referral_limit")):
        r.cite("review.referral_limit")
        flags.append(Flag("limit", Reason("underwriting.limit", {"limit": limit.per_claim, "threshold": threshold})))
    elif limit.per_claim > (threshold := r.peek("review.online_quote_limit")):  # not the aggregate eo-advisor doubled
        r.cite("review.online_quote_limit")
        flags.append(Flag("online_limit", Reason("underwriting.online", {"limit": limit.per_claim, "threshold": threshold})))
    if limit.exposure > top:
        r.cite("limits.limit_ladder")
        flags.append(Flag("above_ladder", Reason("underwriting.above_ladder", {"exposure": limit.exposure, "top": top})))
    flags += _business_flags(profile, have, r)
    return Underwriting(bool(flags), tuple(flags), r.used)


def _business_flags(profile: Profile, have: frozenset[str], r: Any) -> list[Flag]:
    flags = []
    revenue = profile.business.annual_revenue
    if revenue > (threshold := r.peek("review.referral_revenue")):
        r.cite("review.referral_revenue")
        flags.append(Flag("revenue", Reason("underwriting.revenue", {"revenue": revenue, "threshold": threshold})))
    elif revenue > (threshold := r.peek("review.online_quote_revenue")):
        r.cite("review.online_quote_revenue")
        flags.append(Flag("online_revenue", Reason("underwriting.online_revenue", {"revenue": revenue, "threshold": threshold})))
    industries = [i for i in profile.work.client_industries if i in r.peek("review.referral_industries")]
    if industries:
        r.cite("review.referral_industries")
        flags.append(Flag("industries", Reason("underwriting.industries", {"industries": industries})))
    claims = profile.history.claims_last_5_years
    if claims >= r.peek("review.referral_claims"):
        r.cite("review.referral_claims")
        flags.append(Flag("claims", Reason("underwriting.claims", {"claims": claims})))
    work = [fact for fact in r.peek("review.referral_facts") if fact in have]
    if work:
        r.cite("review.referral_facts")
        flags.append(Flag("work", Reason("underwriting.work", {"facts": work})))
    return flags
