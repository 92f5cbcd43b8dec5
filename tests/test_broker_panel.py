"""Broker panel (issue 9): profiles a Tech E&O broker would place, with the properties the
broker insists on (tests/data/broker_panel.toml).

Expectations are ranges and set relations written from ../shared/domain-notes.md and broker
judgment, never copied from the tool's output. A profile's ``defects`` table records the
expectations on which the broker judges the tool wrong: each stays as a test of its own,
marked ``xfail(strict=True)``, so the suite is green while the defect is on record (and
turns red the day the engine is fixed, so the mark can be removed).
"""

from __future__ import annotations

import copy
import datetime
import functools
import itertools
import json
import re
from typing import Any, Callable

import pytest
from conftest import DATA, deep_merge, load_toml

from eo_advisor.advice.options import options
from eo_advisor.api import assess, load_profile, to_dict
from eo_advisor.errors import ProfileError

AS_OF = datetime.date(2026, 11, 27)
PANEL = load_toml(DATA / "broker_panel.toml")
BASE = PANEL["base"]
DEFAULTS = PANEL.get("defaults", {}).get("expect", {})
PROFILES = PANEL["profile"]
BY_NAME = {p["name"]: p for p in PROFILES}

# The per-claim ladder of docs/result.md; aggregates may also be twice a rung ($1M/$2M).
LADDER = (1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000)
AGGREGATES = set(LADDER) | {2 * x for x in LADDER}
SEVERITY = {"info": 0, "low": 1, "medium": 2, "high": 3}
# Findings that tell the owner to buy more or different cover (or to prepare an application
# for new cover): never for a business that is closing (issue 9 §7: tail advice, no upsell).
UPSELL = {
    "limit_below",
    "limit_below_contract",
    "defense_eroding",
    "defense_eroding_contract",
    "deductible_high",
    "no_cyber",
    "no_gl",
    "state_rule",
    "cyber_controls",
}
# "buy $X", "raise the limit to $X", "limit of $X": a limit the advice names in words.
NAMED_LIMIT = re.compile(r"(?:\bbuy|\braise[a-z ]{0,30}? to|\blimit to|\blimit of)\s+(?:a |an )?\$([\d,]{9,})", re.I)


class Case:
    """One panel profile, assessed once (results are cached per name)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.name = spec["name"]
        self.why = spec["why"]
        self.data = deep_merge(BASE, spec.get("data", {}))
        self.expect = {**DEFAULTS, **spec.get("expect", {})}
        self.error: ProfileError | None = None
        self.profile = self.result = self.res = self.opts = None
        try:
            self.profile = load_profile(self.data)
        except ProfileError as exc:
            self.error = exc
            return
        self.result = assess(self.profile, as_of=AS_OF)
        self.res = to_dict(self.result)
        self.opts = options(self.profile, self.result)
        self.text = json.dumps(self.res)

    def fail(self, key: str, message: str) -> str:
        return f"[{self.name}] {key}: {message}\n  why: {self.why}"


@functools.cache
def case(name: str) -> Case:
    return Case(BY_NAME[name])


@functools.cache
def stepped(name: str, factor: float) -> Case:
    spec = copy.deepcopy(BY_NAME[name])
    revenue = deep_merge(BASE, spec.get("data", {}))["business"]["annual_revenue"]
    spec.setdefault("data", {}).setdefault("business", {})["annual_revenue"] = round(revenue * factor)
    spec["name"] = f"{name}@revenue x{factor}"
    return Case(spec)


# --------------------------------------------------------------------------- checks
def _ids(c: Case) -> list[str]:
    return [f["id"] for f in c.res["findings"]]


def _gap(c: Case, coverage: str) -> dict[str, Any] | None:
    return next((g for g in c.res["gaps"] if g["coverage"] == coverage), None)


def _tail(c: Case, years: int, want: list[int]) -> None:
    tail = {t["years"]: t for t in c.res["tail"]}
    assert years in tail, c.fail(f"tail_{years}y_between", f"no {years}-year tail priced; tail = {c.res['tail']}")
    t, (lo, hi) = tail[years], want
    assert t["low"] >= lo * 0.99 and t["high"] <= hi * 1.01, c.fail(
        f"tail_{years}y_between", f"tool prices {years}-year tail at ${t['low']:,}-{t['high']:,}; broker range ${lo:,}-{hi:,}"
    )


def check_on_ladder(c: Case, _: Any) -> None:
    lim, dc = c.res["limit"], c.res["defense_costs"]
    named = {"limit.per_claim": lim["per_claim"], "defense_costs.limit_if_eroding": dc["limit_if_eroding"]}
    for key, value in named.items():
        assert value is None or value in LADDER, c.fail("all_limits_on_ladder", f"{key} = {value:,} is off the ladder {LADDER}")
    assert lim["aggregate"] in AGGREGATES, c.fail("all_limits_on_ladder", f"aggregate {lim['aggregate']:,} is neither a rung nor twice one")
    for cell in c.opts.cells:
        assert cell.limit in LADDER, c.fail("all_limits_on_ladder", f"options row {cell.limit:,} off the ladder")
    for m in NAMED_LIMIT.finditer(c.text):
        amount = int(m.group(1).replace(",", ""))
        assert amount in LADDER or amount in AGGREGATES, c.fail(
            "all_limits_on_ladder", f"the advice names {m.group(0)!r}: ${amount:,} is off the ladder"
        )


def check_no_upsell(c: Case, _: Any) -> None:
    bad = [f for f in c.res["findings"] if f["id"] in UPSELL and SEVERITY[f["severity"]] >= SEVERITY["medium"]]
    assert not bad, c.fail(
        "no_upsell", "a closing business is told to buy more: " + "; ".join(f"{f['id']} ({f['severity']}): {f['finding']} {f['ask']}" for f in bad)
    )


def check_revenue_step(c: Case, max_change: float) -> None:
    up = stepped(c.name, 1.03)
    rec = (c.res["limit"]["per_claim"], c.res["deductible"]["amount"])
    pairs = []
    try:
        a, b = c.opts.cell(*rec), up.opts.cell(*rec)
        pairs = [
            ("eroding", (a.eroding_low + a.eroding_high) / 2, (b.eroding_low + b.eroding_high) / 2),
            ("non-eroding", (a.non_eroding_low + a.non_eroding_high) / 2, (b.non_eroding_low + b.non_eroding_high) / 2),
        ]
    except StopIteration:
        pairs = [("estimate", c.res["premium"]["estimate"], up.res["premium"]["estimate"])]
    for form, before, after in pairs:
        change = (after - before) / before
        assert after >= before * 0.999, c.fail(
            "revenue_step_max_change", f"{form} premium falls from ${before:,.0f} to ${after:,.0f} when revenue rises 3%"
        )
        assert change <= max_change, c.fail(
            "revenue_step_max_change",
            f"{form} premium at ${rec[0]:,}/${rec[1]:,} moves {change:.1%} (${before:,.0f} -> ${after:,.0f}) on a 3% revenue step",
        )


def check_per_extra_million(c: Case, minimum: int) -> None:
    ded = c.res["deductible"]["amount"]
    cells = sorted((x for x in c.opts.cells if x.deductible == ded), key=lambda x: x.limit)
    pairs = [(a, b) for a, b in itertools.pairwise(cells) if a.limit >= 2_000_000]
    assert pairs, c.fail("premium_per_extra_million_min", f"options show no limits above $2M: {[x.limit for x in cells]}")
    for a, b in pairs:
        per = (b.eroding_low - a.eroding_low) / ((b.limit - a.limit) / 1_000_000)
        assert per >= minimum, c.fail(
            "premium_per_extra_million_min",
            f"${a.limit:,} -> ${b.limit:,} adds ${per:,.0f} a year per extra $1M (low ends "
            f"${a.eroding_low:,} -> ${b.eroding_low:,}); broker floor ${minimum:,}",
        )


def check_ratio(c: Case, want: dict[str, Any]) -> None:
    other = case(want["profile"])
    ratio = c.res["premium"]["estimate"] / other.res["premium"]["estimate"]
    assert want["min"] <= ratio <= want["max"], c.fail(
        "premium_ratio_vs", f"estimate is {ratio:.2f}x {want['profile']}'s; broker range {want['min']}-{want['max']}x"
    )


def _between(key: str, get: Callable[[Case], Any], op: str) -> Callable[[Case, Any], None]:
    def check(c: Case, want: Any) -> None:
        got = get(c)
        ok = got >= want if op == ">=" else got <= want
        assert ok, c.fail(key, f"tool says {got:,}; broker wants {op} {want:,}")

    return check


def _gaps_include(c: Case, want: list[str]) -> None:
    have = [g["coverage"] for g in c.res["gaps"]]
    missing = [w for w in want if w not in have]
    assert not missing, c.fail("gaps_include", f"missing {missing}; tool lists {have}")


def _gaps_exclude(c: Case, want: list[str]) -> None:
    have = [g["coverage"] for g in c.res["gaps"]]
    extra = [w for w in want if w in have]
    assert not extra, c.fail("gaps_exclude", f"should not list {extra}; tool lists {have}")


def _gap_severity(c: Case, want: dict[str, str]) -> None:
    for cov, sev in want.items():
        g = _gap(c, cov)
        assert g is not None, c.fail("gap_severity", f"no {cov} gap at all")
        assert SEVERITY[g["severity"]] >= SEVERITY[sev], c.fail("gap_severity", f"{cov} is {g['severity']}; broker: at least {sev}")


def _cyber_min(c: Case, want: int) -> None:
    g = _gap(c, "cyber")
    assert g is not None, c.fail("cyber_suggested_min", "no cyber gap")
    got = g.get("suggested_limit")
    assert isinstance(got, int) and got >= want, c.fail("cyber_suggested_min", f"suggested cyber limit {got!r}; broker: at least ${want:,}")


def _cyber_parties(c: Case, want: str) -> None:
    g = _gap(c, "cyber")
    assert g is not None and want in (g.get("parties") or ""), c.fail(
        "cyber_parties_include", f"cyber gap parties {g and g.get('parties')!r}; must include {want!r}"
    )


def _findings_include(c: Case, want: list[str]) -> None:
    missing = [w for w in want if w not in _ids(c)]
    assert not missing, c.fail("findings_include", f"missing {missing}; findings {_ids(c)}")


def _findings_exclude(c: Case, want: list[str]) -> None:
    extra = [w for w in want if w in _ids(c)]
    assert not extra, c.fail("findings_exclude", f"should not find {extra}; findings {_ids(c)}")


def _finding_severity(c: Case, want: dict[str, str]) -> None:
    for fid, sev in want.items():
        f = next((f for f in c.res["findings"] if f["id"] == fid), None)
        assert f is not None, c.fail("finding_severity", f"no {fid} finding")
        assert SEVERITY[f["severity"]] >= SEVERITY[sev], c.fail("finding_severity", f"{fid} is {f['severity']}; broker: at least {sev}")


def _flags(c: Case) -> list[str]:
    return [f["flag"] for f in c.res["underwriting"]["flags"]]


def _uw_include(c: Case, want: list[str]) -> None:
    missing = [w for w in want if w not in _flags(c)]
    assert not missing, c.fail("underwriting_include", f"missing {missing}; flags {_flags(c)}")


def _uw_exclude(c: Case, want: list[str]) -> None:
    extra = [w for w in want if w in _flags(c)]
    assert not extra, c.fail("underwriting_exclude", f"should not flag {extra}; flags {_flags(c)}")


def _defense(c: Case, want: str) -> None:
    got = c.res["defense_costs"]["recommendation"]
    if want == "either":
        assert got in ("non-eroding", "eroding-acceptable"), c.fail("defense", got)
    else:
        assert got == want, c.fail("defense", f"tool says {got}; broker says {want}")


def _no_eroding_alternative(c: Case, want: bool) -> None:
    dc = c.res["defense_costs"]
    assert (dc["limit_if_eroding"] is None and dc["eroding_meets_contracts"] is False) == want, c.fail(
        "no_eroding_alternative", f"limit_if_eroding = {dc['limit_if_eroding']}, eroding_meets_contracts = {dc['eroding_meets_contracts']}"
    )


def _options_eroding_never_meets(c: Case, want: bool) -> None:
    bad = [(x.limit, x.deductible) for x in c.opts.cells if x.eroding_meets_contracts]
    assert not bad or not want, c.fail("options_eroding_never_meets", f"options mark eroding cells as meeting the contracts: {bad}")


def _contracts_all_met(c: Case, want: bool) -> None:
    unmet = [x["client"] for x in c.res["contracts"] if not x["recommended_meets"]]
    assert not unmet or not want, c.fail("contracts_all_met", f"recommended cover misses {unmet}")


def _current_meets(c: Case, want: dict[str, bool]) -> None:
    got = {x["client"]: x["current_meets"] for x in c.res["contracts"]}
    for client, value in want.items():
        assert got.get(client) == value, c.fail("current_meets", f"{client}: tool says {got.get(client)!r}; broker {value}")


def _contract_notes(c: Case, want: dict[str, str]) -> None:
    notes = {x["client"]: " ".join(x["notes"]) for x in c.res["contracts"]}
    for client, pattern in want.items():
        assert re.search(pattern, notes.get(client, "")), c.fail("contract_notes_match", f"{client} notes {notes.get(client)!r} !~ {pattern}")


def _text_matches(c: Case, want: list[str]) -> None:
    for pattern in want:
        assert re.search(pattern, c.text), c.fail("text_matches", f"the advice never says {pattern!r}")


def _referred(c: Case, want: bool) -> None:
    assert c.res["underwriting"]["referred"] == want, c.fail("referred", f"referred = {c.res['underwriting']['referred']}; flags {_flags(c)}")


def _premium_above(c: Case, other: str) -> None:
    mine, theirs = c.res["premium"]["estimate"], case(other).res["premium"]["estimate"]
    assert mine > theirs, c.fail("premium_estimate_above", f"${mine:,} is not above {other}'s ${theirs:,}")


def _ded_share(c: Case, share: float) -> None:
    d, lim = c.res["deductible"]["amount"], c.res["limit"]["per_claim"]
    assert d <= share * lim, c.fail("deductible_max_share_of_limit", f"deductible ${d:,} is {d / lim:.1%} of the ${lim:,} limit (max {share:.0%})")


def _agg_not_below(c: Case, _: Any) -> None:
    lim = c.res["limit"]
    assert lim["aggregate"] >= lim["per_claim"], c.fail("aggregate_not_below_per_claim", str(lim))


def _agg_multiple(c: Case, most: float) -> None:
    lim = c.res["limit"]
    ratio = lim["aggregate"] / lim["per_claim"]
    assert ratio <= most, c.fail(
        "aggregate_max_multiple", f"${lim['per_claim']:,} per claim / ${lim['aggregate']:,} aggregate is {ratio:.2f}x; broker: at most {most}x"
    )


CHECKS: dict[str, Callable[[Case, Any], None]] = {
    "aggregate_max_multiple": _agg_multiple,
    "limit_min": _between("limit_min", lambda c: c.res["limit"]["per_claim"], ">="),
    "limit_max": _between("limit_max", lambda c: c.res["limit"]["per_claim"], "<="),
    "aggregate_min": _between("aggregate_min", lambda c: c.res["limit"]["aggregate"], ">="),
    "exposure_min": _between("exposure_min", lambda c: c.res["limit"]["exposure"], ">="),
    "exposure_max": _between("exposure_max", lambda c: c.res["limit"]["exposure"], "<="),
    "deductible_max": _between("deductible_max", lambda c: c.res["deductible"]["amount"], "<="),
    "premium_low_min": _between("premium_low_min", lambda c: c.res["premium"]["low"], ">="),
    "premium_high_max": _between("premium_high_max", lambda c: c.res["premium"]["high"], "<="),
    "deductible_max_share_of_limit": _ded_share,
    "aggregate_not_below_per_claim": _agg_not_below,
    "all_limits_on_ladder": check_on_ladder,
    "defense": _defense,
    "no_eroding_alternative": _no_eroding_alternative,
    "options_eroding_never_meets": _options_eroding_never_meets,
    "contracts_all_met": _contracts_all_met,
    "current_meets": _current_meets,
    "contract_notes_match": _contract_notes,
    "gaps_include": _gaps_include,
    "gaps_exclude": _gaps_exclude,
    "gap_severity": _gap_severity,
    "cyber_suggested_min": _cyber_min,
    "cyber_parties_include": _cyber_parties,
    "findings_include": _findings_include,
    "findings_exclude": _findings_exclude,
    "finding_severity": _finding_severity,
    "underwriting_include": _uw_include,
    "underwriting_exclude": _uw_exclude,
    "referred": _referred,
    "tail_1y_between": lambda c, w: _tail(c, 1, w),
    "tail_3y_between": lambda c, w: _tail(c, 3, w),
    "tail_5y_between": lambda c, w: _tail(c, 5, w),
    "no_upsell": check_no_upsell,
    "revenue_step_max_change": check_revenue_step,
    "premium_per_extra_million_min": check_per_extra_million,
    "premium_ratio_vs": check_ratio,
    "premium_estimate_above": _premium_above,
    "text_matches": _text_matches,
}


def run_check(c: Case, key: str) -> None:
    want = c.expect[key]
    if key == "error_field":
        assert c.error is not None, c.fail(key, f"the profile was accepted; broker expects an error on {want}")
        assert want in c.error.fields, c.fail(key, f"error names {c.error.fields}, not {want}")
        return
    assert c.error is None, c.fail(key, f"profile rejected: {c.error}")
    CHECKS[key](c, want)


# --------------------------------------------------------------------------- tests
def test_panel_is_well_formed():
    assert len(PROFILES) >= 45
    assert len(BY_NAME) == len(PROFILES), "duplicate profile names"
    for spec in PROFILES:
        assert spec.get("why") and spec.get("expect"), spec["name"]
        c_expect = {**DEFAULTS, **spec["expect"]}
        unknown = set(c_expect) - set(CHECKS) - {"error_field"}
        assert not unknown, f"[{spec['name']}] unknown expectations {unknown}"
        stale = set(spec.get("defects", {})) - set(c_expect)
        assert not stale, f"[{spec['name']}] defects on keys it does not expect: {stale}"
        for key, reason in spec.get("defects", {}).items():
            assert reason.startswith("defect: "), (spec["name"], key)
        for other in (spec["expect"].get("premium_ratio_vs", {}).get("profile"), spec["expect"].get("premium_estimate_above")):
            assert other is None or other in BY_NAME, (spec["name"], other)


@pytest.mark.parametrize("name", [p["name"] for p in PROFILES])
def test_broker_signs(name):
    """Every expectation the broker holds for this profile, except recorded defects."""
    c = case(name)
    defects = c.spec.get("defects", {})
    # A profile that is rejected (as an error_field profile should be) has only that check.
    keys = [k for k in c.expect if k not in defects and (k == "error_field" or c.error is None)]
    failures = []
    for key in keys:
        try:
            run_check(c, key)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)


DEFECTS = [
    pytest.param(p["name"], key, id=f"{p['name']}-{key}", marks=pytest.mark.xfail(strict=True, reason=reason))
    for p in PROFILES
    for key, reason in p.get("defects", {}).items()
]


@pytest.mark.parametrize("name,key", DEFECTS or [pytest.param(None, None, marks=pytest.mark.skip("no defects"))])
def test_recorded_defect(name, key):
    """A broker expectation the engine fails today (see the profile's ``defects``)."""
    run_check(case(name), key)
