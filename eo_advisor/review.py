"""What a specialist broker adds in a meeting: each client contract checked, the
current policy reviewed finding by finding, and the underwriting referrals.

Pure functions over a validated profile and the engine's decisions; every number
from rules/review.toml, every sentence from rules/messages.toml.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from .amounts import USD
from .profile import Profile, contract_minimum
from .result import ContractCheck, DeductibleAdvice, DefenseAdvice, Finding, Flag, Gap, LimitAdvice, Premium, Underwriting

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Compiled

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def check_contracts(profile: Profile, limit: LimitAdvice, defense: DefenseAdvice, c: "Compiled") -> list[ContractCheck]:
    """Each contract (and the contractual-minimum shorthand) against the recommended
    cover and the current policy."""
    t = c.say.text
    cp = profile.current_policy
    entries: list[tuple[str, int, Any]] = []
    # the shorthand gets its own line only when no named contract asks as much
    if profile.work.contractual_minimum > max((k.eo_limit for k in profile.contracts), default=0):
        entries.append(("contractual minimum (work.contractual_minimum)", profile.work.contractual_minimum, None))
    entries += [(k.client, k.eo_limit, k) for k in profile.contracts]
    out = []
    for client, required, contract in entries:
        who = "A client contract" if contract is None else f"The contract with {client}"
        meets = limit.per_claim >= required
        notes = [t("contract.meets" if meets else "contract.short", who=who, required=USD(required), limit=USD(limit.per_claim))]
        current: bool | None = None
        if cp is not None:
            current = cp.limit >= required
            notes.append(t("contract.current_meets" if current else "contract.current_short", current=USD(cp.limit)))
        if contract is not None:
            if contract.defense_outside_limits:
                notes.append(t("contract.defense"))
                meets = meets and defense.recommendation == "non-eroding"
                if cp is not None and cp.defense_costs != "non-eroding":
                    current = False
                    notes.append(t("contract.defense_current_bad"))
            if contract.cyber_limit:
                notes.append(t("contract.cyber", cyber_limit=USD(contract.cyber_limit)))
                if cp is not None:
                    if cp.includes_cyber:
                        notes.append(t("contract.cyber_current", cyber_limit=USD(contract.cyber_limit)))
                    else:
                        current = False
            if contract.additional_insured:
                notes.append(t("contract.additional_insured"))
        out.append(ContractCheck(client, required, meets, current, notes))
    return out


def _tail_costs(premium: Premium, c: "Compiled") -> dict[str, str]:
    low, high = c.tail_low, c.tail_high
    return {
        f"t{years}": f"{USD(round(premium.estimate * low[years], -1))}–{USD(round(premium.estimate * high[years], -1))}"
        for years in (1, 3, 5)
    }


def review_policy(
    profile: Profile,
    limit: LimitAdvice,
    deductible: DeductibleAdvice,
    defense: DefenseAdvice,
    gaps: list[Gap],
    premium: Premium,
    c: "Compiled",
    as_of: _dt.date | None,
) -> list[Finding]:
    """Findings on the policy held today, each with a severity and what to ask."""
    cp = profile.current_policy
    if cp is None:
        return []
    t = c.say.text
    out: list[Finding] = []

    def add(topic: str, severity: str, key: str, /, **fields: Any) -> None:
        out.append(Finding(topic, severity, t(f"review.{key}", **fields), t(f"review.{key}_ask", **fields)))

    minimum, who = contract_minimum(profile)
    who_text = "a client contract" if who == "work.contractual_minimum" else f"the contract with {who}"
    if minimum and cp.limit < minimum:
        add("limit", "high", "limit_below_contract", current=USD(cp.limit), minimum=USD(minimum), who=who_text, limit=USD(limit.per_claim))
    elif cp.limit < limit.per_claim:
        add("limit", "medium", "limit_below", current=USD(cp.limit), limit=USD(limit.per_claim))
    else:
        out.append(Finding("limit", "info", t("review.limit_ok", current=USD(cp.limit), limit=USD(limit.per_claim)), ""))

    if cp.defense_costs == "eroding" and defense.recommendation == "non-eroding":
        severity = "high" if "contract_requires_non_eroding" in defense.triggers else "medium"
        add("defense_costs", severity, "defense_eroding", limit_if_eroding=USD(defense.limit_if_eroding))
    else:
        out.append(Finding("defense_costs", "info", t("review.defense_ok", form=cp.defense_costs, recommendation=defense.recommendation), ""))
    state = profile.business.state
    if state in ("NV", "NY") and cp.defense_costs == "eroding":
        add("defense_costs", "medium", f"state_{state.lower()}")

    if cp.deductible > deductible.absorbable and cp.deductible > c.deductible_ladder[0]:
        add("deductible", "medium", "deductible_high", current=USD(cp.deductible), absorbable=USD(deductible.absorbable), suggested=USD(deductible.amount))
    else:
        key = "review.deductible_ok" if cp.deductible <= deductible.absorbable else "review.deductible_lowest"
        out.append(Finding("deductible", "info", t(key, current=USD(cp.deductible), absorbable=USD(deductible.absorbable)), ""))

    cyber = next((g for g in gaps if g.coverage == "cyber"), None)
    if cyber is not None and not cp.includes_cyber:
        add("cyber", cyber.severity, "no_cyber", severity=cyber.severity)
    if profile.work.onsite_work and not cp.has_general_liability:
        add("general_liability", "high", "no_gl")

    retro = cp.retroactive_date
    if retro is None:
        add("retroactive_date", "low", "retro_unknown")
    elif as_of is not None:
        first = _years_before(as_of, profile.business.years_in_business)
        if retro > first:
            add("retroactive_date", "high", "retro_late", retro=retro.isoformat(), first=first.isoformat())

    change = cp.planned_change or "none"
    if change != "none":
        tails = _tail_costs(premium, c)
        if change == "switch_insurer":
            retro_text = f" ({retro.isoformat()})" if retro else ""
            add("planned_change", "high", "switch", retro_text=retro_text, **tails)
        else:
            add("planned_change", "high", "close", **tails)
    out.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return out


def _years_before(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def underwriting(profile: Profile, limit: LimitAdvice, c: "Compiled") -> Underwriting:
    """Why a carrier would send this risk to an underwriter instead of quoting online."""
    t = c.say.text
    flags: list[Flag] = []
    if limit.per_claim >= c.referral_limit:
        flags.append(Flag("limit", t("underwriting.limit", limit=USD(limit.per_claim), threshold=USD(c.referral_limit))))
    elif limit.aggregate > c.online_quote_limit:
        flags.append(Flag("online_limit", t("underwriting.online", aggregate=USD(limit.aggregate), threshold=USD(c.online_quote_limit))))
    if profile.business.annual_revenue > c.referral_revenue:
        flags.append(Flag("revenue", t("underwriting.revenue", revenue=USD(profile.business.annual_revenue), threshold=USD(c.referral_revenue))))
    industries = [i for i in profile.work.client_industries if i in c.referral_industries]
    if industries:
        flags.append(Flag("industries", t("underwriting.industries", industries=", ".join(industries))))
    if profile.history.claims_last_5_years >= c.referral_claims:
        flags.append(Flag("claims", t("underwriting.claims", claims=profile.history.claims_last_5_years)))
    referred = bool(flags)
    return Underwriting(referred, flags, t("underwriting.summary") if referred else "")
