"""Scorecard for the round-3 broker panel (tests/data/broker_panel_r3.toml).

A standalone script, not a pytest module (no ``test_`` prefix). It runs every panel profile
through ``eo_advisor.api.assess`` (review date 2026-11-27) and ``eo_advisor.api.to_dict``,
checks each expectation the broker wrote before running the tool, and prints, per profile:

  SIGN    every expectation holds;
  EDIT    some fail, or need a fact the tool cannot take yet ("needs input"), but the broker
          would fix the advice by editing it;
  REJECT  an expectation listed in the profile's ``critical`` fails: the advice would cause a
          wrong purchase.

Expectations in ``expect_future`` need the profile's ``future_data``. The script merges that
data into the profile and validates it: while the tool refuses those fields, those keys score
"needs input" (never a pass; what the current advice does on them is shown for information);
once the tool takes them, the whole profile is assessed with them and every key is scored.

    .venv/bin/python tests/broker_r3_score.py [PANEL.toml] [--json OUT.json] [--verbose]
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

import tomllib
from conftest import deep_merge  # tables merge key by key; lists ([[contracts]]) replace

from eo_advisor.api import assess, to_dict
from eo_advisor.errors import ProfileError
from eo_advisor.profile.model import validate

AS_OF = datetime.date(2026, 11, 27)
PANEL = Path(__file__).parent / "data" / "broker_panel_r3.toml"
LADDER = (1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000)
AGGREGATES = set(LADDER) | {2 * x for x in LADDER}
SEVERITY = {"info": 0, "low": 1, "medium": 2, "high": 3}
UPSELL = {
    "limit_below", "limit_below_contract", "defense_eroding", "defense_eroding_contract",
    "deductible_high", "no_cyber", "no_gl", "state_rule", "cyber_controls",
}  # fmt: skip
NAMED_LIMIT = re.compile(r"(?:\bbuy|\braise[a-z ]{0,30}? to|\blimit to|\blimit of)\s+(?:a |an )?\$([\d,]{9,})", re.I)
# A "confirm" point: the advice says the answer is missing and asks for it, or says "confirm you hold".
CONFIRM = re.compile(
    r"(?i)\bconfirm|not answered|unanswered|left blank|unknown|not (?:yet )?(?:stated|known|asked|given)"
    r"|if you (?:do not|don't) (?:already )?(?:hold|have)|whether you (?:hold|have)"
)
CONFIRM_STATUS = {"confirm", "unknown", "not_answered", "unanswered"}
TOPICS = {
    "safety_critical": r"(?i)safety|injur|bodily|patient harm|products? liability",
    "workers_compensation": r"(?i)workers'? ?comp",
    "employment_practices": r"(?i)employment practices|\bEPL",
    "general_liability": r"(?i)general liability|\bGL\b",
    "cyber": r"(?i)cyber",
    "crime": r"(?i)crime|social engineering|funds? transfer",
}
TOPIC_COVERAGE = {"safety_critical": "products_liability"}


# --------------------------------------------------------------------------- data
def put(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``section.key`` or ``contracts[i].key`` in nested profile data."""
    head, _, leaf = path.rpartition(".")
    m = re.fullmatch(r"(\w+)\[(\d+)\]", head)
    if m:
        target = data.setdefault(m.group(1), [])
        while len(target) <= int(m.group(2)):
            target.append({})
        target[int(m.group(2))][leaf] = value
    else:
        data.setdefault(head, {})[leaf] = value


class Case:
    def __init__(self, spec: dict[str, Any], base: dict[str, Any], defaults: dict[str, Any]) -> None:
        self.spec = spec
        self.name = spec["name"]
        expect = dict(spec.get("expect", {}))
        # `critical` may sit at the profile level or inside [profile.expect] (where TOML puts a
        # key written after the [profile.expect] header).
        self.critical = set(spec.get("critical", [])) | set(expect.pop("critical", []))
        self.expect = {**defaults, **expect}
        self.expect_future = dict(spec.get("expect_future", {}))
        self.data = deep_merge(base, spec.get("data", {}))
        self.future = spec.get("future_data", {})
        self.future_refused: str | None = None
        data = self.data
        if self.future:
            fdata = copy.deepcopy(self.data)
            for path, value in self.future.items():
                if value != "unknown":  # not answered: the field is left out (unknown is not "no")
                    put(fdata, path, value)
            try:
                validate(fdata, as_of=AS_OF)
                data = fdata  # the tool takes the future fields: assess with them
            except ProfileError as exc:
                self.future_refused = "; ".join(p.field for p in exc.problems) if hasattr(exc, "problems") else str(exc)
        self.used = data
        self.res = to_dict(assess(data, as_of=AS_OF))
        self.text = json.dumps(self.res, ensure_ascii=False)

    def gap(self, coverage: str) -> dict[str, Any] | None:
        return next((g for g in self.res["gaps"] if g["coverage"] == coverage), None)

    def finding(self, fid: str) -> dict[str, Any] | None:
        return next((f for f in self.res["findings"] if f["id"] == fid), None)


# --------------------------------------------------------------------------- checks
Check = Callable[[Case, Any], "tuple[bool, str]"]


def _num(get: Callable[[Case], Any], op: str) -> Check:
    def check(c: Case, want: Any) -> tuple[bool, str]:
        got = get(c)
        if got is None:
            return False, f"tool gives none; broker wants {op} {want:,}"
        ok = got >= want if op == ">=" else got <= want
        return ok, f"tool {got:,}; broker {op} {want:,}"

    return check


def _on_ladder(c: Case, _: Any) -> tuple[bool, str]:
    lim, dc = c.res["limit"], c.res["defense_costs"]
    bad = [f"per_claim {lim['per_claim']:,}"] if lim["per_claim"] not in LADDER else []
    if dc["limit_if_eroding"] is not None and dc["limit_if_eroding"] not in LADDER:
        bad.append(f"limit_if_eroding {dc['limit_if_eroding']:,}")
    if lim["aggregate"] not in AGGREGATES:
        bad.append(f"aggregate {lim['aggregate']:,}")
    for m in NAMED_LIMIT.finditer(c.text):
        amount = int(m.group(1).replace(",", ""))
        if amount not in AGGREGATES:
            bad.append(f"names {m.group(0)!r}")
    return not bad, "; ".join(bad) or "all on the ladder"


def _agg_not_below(c: Case, _: Any) -> tuple[bool, str]:
    lim = c.res["limit"]
    return lim["aggregate"] >= lim["per_claim"], f"{lim['per_claim']:,}/{lim['aggregate']:,}"


def _ded_share(c: Case, share: float) -> tuple[bool, str]:
    d, lim = c.res["deductible"]["amount"], c.res["limit"]["per_claim"]
    return d <= share * lim, f"deductible {d:,} is {d / lim:.1%} of {lim:,}"


def _defense(c: Case, want: str) -> tuple[bool, str]:
    got = c.res["defense_costs"]["recommendation"]
    ok = got in ("non-eroding", "eroding-acceptable") if want == "either" else got == want
    return ok, f"tool {got}; broker {want}"


def _eroding_alt_max(c: Case, want: int) -> tuple[bool, str]:
    got = c.res["defense_costs"]["limit_if_eroding"]
    if got is None:
        return False, f"no eroding alternative offered; broker: an eroding rung <= {want:,} exists"
    return got <= want, f"eroding alternative {got:,}; broker <= {want:,}"


def _eroding_meets(c: Case, want: bool) -> tuple[bool, str]:
    got = c.res["defense_costs"]["eroding_meets_contracts"]
    return got == want, f"eroding_meets_contracts {got}; broker {want}"


def _gaps(c: Case) -> list[str]:
    return [g["coverage"] for g in c.res["gaps"]]


def _gaps_include(c: Case, want: list[str]) -> tuple[bool, str]:
    missing = [w for w in want if w not in _gaps(c)]
    return not missing, f"missing {missing}; gaps {_gaps(c)}"


def _gaps_exclude(c: Case, want: list[str]) -> tuple[bool, str]:
    extra = [w for w in want if w in _gaps(c)]
    return not extra, f"should not list {extra}; gaps {_gaps(c)}"


def _gap_sev(op: str) -> Check:
    def check(c: Case, want: dict[str, str]) -> tuple[bool, str]:
        bad = []
        for cov, sev in want.items():
            g = c.gap(cov)
            if g is None:
                bad.append(f"no {cov} gap") if op == ">=" else None
            elif (SEVERITY[g["severity"]] < SEVERITY[sev]) if op == ">=" else (SEVERITY[g["severity"]] > SEVERITY[sev]):
                bad.append(f"{cov} {g['severity']} (broker {op} {sev})")
        return not bad, "; ".join(bad) or "ok"

    return check


def _is_confirm(item: dict[str, Any]) -> bool:
    status = str(item.get("status", "")).lower()
    if status in CONFIRM_STATUS or status.startswith("confirm"):  # the tool's gap statuses: confirm_held, confirm_fact
        return True
    if str(item.get("id", "")).startswith(("confirm", "unanswered", "unknown")):
        return True
    words = " ".join(str(item.get(k, "")) for k in ("reason", "finding", "ask", "confirm"))
    return bool(CONFIRM.search(words))


def _confirm_items(c: Case, topic: str) -> list[dict[str, Any]]:
    pattern = re.compile(TOPICS.get(topic, re.escape(topic.replace("_", " "))))
    coverage = TOPIC_COVERAGE.get(topic, topic)
    out = []
    for g in c.res["gaps"]:
        if (g["coverage"] == coverage or pattern.search(g.get("reason", ""))) and _is_confirm(g):
            out.append(g)
    for f in c.res["findings"]:
        words = f"{f['id']} {f['finding']} {f['ask']}"
        if (topic in f["id"] or pattern.search(words)) and _is_confirm(f):
            out.append(f)
    return out


def _gap_status(c: Case, want: dict[str, str]) -> tuple[bool, str]:
    bad = []
    for cov, status in want.items():
        g = c.gap(cov)
        if status == "confirm":
            if not _confirm_items(c, cov):
                bad.append(f"{cov}: " + (f"said as a lack ({g['severity']}): {g['reason'][:90]!r}" if g else "not mentioned"))
        elif status == "lack":
            if g is None or _is_confirm(g):
                bad.append(f"{cov}: " + ("no gap" if g is None else "said as 'confirm', the firm said it lacks it"))
    return not bad, "; ".join(bad) or "ok"


def _confirm_include(c: Case, want: list[str]) -> tuple[bool, str]:
    missing = [t for t in want if not _confirm_items(c, t)]
    return not missing, f"no confirm point on {missing}" if missing else "ok"


def _confirm_severity(c: Case, want: dict[str, str]) -> tuple[bool, str]:
    bad = []
    for topic, sev in want.items():
        items = _confirm_items(c, topic)
        best = max((SEVERITY[i["severity"]] for i in items), default=-1)
        if best < SEVERITY[sev]:
            bad.append(
                f"{topic}: "
                + ("no confirm point" if not items else f"at most {next(k for k, v in SEVERITY.items() if v == best)}")
                + f" (broker >= {sev})"
            )
    return not bad, "; ".join(bad) or "ok"


def _ids(c: Case) -> list[str]:
    return [f["id"] for f in c.res["findings"]]


def _findings_include(c: Case, want: list[str]) -> tuple[bool, str]:
    missing = [w for w in want if w not in _ids(c)]
    return not missing, f"missing {missing}; findings {_ids(c)}"


def _findings_exclude(c: Case, want: list[str]) -> tuple[bool, str]:
    extra = [w for w in want if w in _ids(c)]
    return not extra, f"should not find {extra}; findings {_ids(c)}"


def _finding_sev(op: str) -> Check:
    def check(c: Case, want: dict[str, str]) -> tuple[bool, str]:
        bad = []
        for fid, sev in want.items():
            f = c.finding(fid)
            if f is None:
                bad.append(f"no {fid} finding") if op == ">=" else None
            elif (SEVERITY[f["severity"]] < SEVERITY[sev]) if op == ">=" else (SEVERITY[f["severity"]] > SEVERITY[sev]):
                bad.append(f"{fid} {f['severity']} (broker {op} {sev})")
        return not bad, "; ".join(bad) or "ok"

    return check


def _finding_matches(c: Case, want: list[dict[str, str]]) -> tuple[bool, str]:
    bad = []
    for spec in want:
        rx = re.compile(spec["pattern"])
        hits = [f for f in c.res["findings"] if rx.search(f"{f['finding']} {f['ask']}")]
        best = max((SEVERITY[f["severity"]] for f in hits), default=-1)
        if best < SEVERITY[spec.get("severity_min", "info")]:
            bad.append(("no finding says " if not hits else f"only {[f['severity'] for f in hits]}: ") + spec["pattern"][:70])
    return not bad, "; ".join(bad) or "ok"


def _cyber_limit(op: str) -> Check:
    def check(c: Case, want: int) -> tuple[bool, str]:
        g = c.gap("cyber")
        got = g and g.get("suggested_limit")
        if not isinstance(got, int):
            return False, f"no cyber limit suggested ({'no cyber gap' if g is None else got!r}); broker {op} {want:,}"
        return (got >= want if op == ">=" else got <= want), f"cyber {got:,}; broker {op} {want:,}"

    return check


def _flags(c: Case) -> list[str]:
    return [f["flag"] for f in c.res["underwriting"]["flags"]]


def _referred(c: Case, want: bool) -> tuple[bool, str]:
    got = c.res["underwriting"]["referred"]
    return got == want, f"referred {got} (flags {_flags(c)}); broker {want}"


def _uw_include(c: Case, want: list[str]) -> tuple[bool, str]:
    missing = [w for w in want if w not in _flags(c)]
    return not missing, f"missing {missing}; flags {_flags(c)}"


def _uw_exclude(c: Case, want: list[str]) -> tuple[bool, str]:
    extra = [w for w in want if w in _flags(c)]
    return not extra, f"should not flag {extra}; flags {_flags(c)}"


def _contracts_all_met(c: Case, want: bool) -> tuple[bool, str]:
    unmet = [x["client"] for x in c.res["contracts"] if not x["recommended_meets"]]
    return (not unmet) == want, f"unmet {unmet}"


def _tail(years: int) -> Check:
    def check(c: Case, want: list[int]) -> tuple[bool, str]:
        t = next((t for t in c.res["tail"] if t["years"] == years), None)
        if t is None:
            return False, f"no {years}-year tail priced ({[t['years'] for t in c.res['tail']]})"
        lo, hi = want
        return t["low"] >= lo * 0.99 and t["high"] <= hi * 1.01, f"{years}y tail {t['low']:,}-{t['high']:,}; broker {lo:,}-{hi:,}"

    return check


def _recommended_tail(c: Case) -> list[int]:
    years = [t["years"] for t in c.res["tail"] if t.get("recommended")]
    extra = c.res.get("tail_recommended")
    if isinstance(extra, int):
        years.append(extra)
    return years


def _tail_rec(op: str) -> Check:
    def check(c: Case, want: int) -> tuple[bool, str]:
        years = _recommended_tail(c)
        if not years:
            return False, f"no tail length recommended (priced: {[t['years'] for t in c.res['tail']]})"
        got = min(years) if op == ">=" else max(years)
        return (got >= want if op == ">=" else got <= want), f"recommended {years}; broker {op} {want}"

    return check


def _no_upsell(c: Case, _: Any) -> tuple[bool, str]:
    bad = [f["id"] for f in c.res["findings"] if f["id"] in UPSELL and SEVERITY[f["severity"]] >= SEVERITY["medium"]]
    return not bad, f"closing firm told to buy more: {bad}" if bad else "ok"


def _prior_acts(c: Case, want: float) -> tuple[bool, str]:
    f = next((f for f in c.res["premium"]["factors"] if f["name"] == "prior_acts"), None)
    got = f["multiplier"] if f else 1.0
    return got <= want, f"headline prior-acts factor {got}; broker <= {want}"


def _revenue_step(c: Case, step: float) -> tuple[bool, str]:
    data = copy.deepcopy(c.used)
    data["business"]["annual_revenue"] = round(data["business"]["annual_revenue"] * (1 + step))
    up = to_dict(assess(data, as_of=AS_OF))
    a, b = c.res["premium"]["estimate"], up["premium"]["estimate"]
    return b >= a, f"headline estimate {a:,} -> {b:,} when revenue rises {step:.0%}"


def _text_matches(c: Case, want: list[str]) -> tuple[bool, str]:
    missing = [p for p in want if not re.search(p, c.text)]
    return not missing, f"the advice never says {missing}" if missing else "ok"


def _text_excludes(c: Case, want: list[str]) -> tuple[bool, str]:
    hits = [m.group(0) for p in want if (m := re.search(p, c.text))]
    return not hits, f"the advice says {hits}" if hits else "ok"


CHECKS: dict[str, Check] = {
    "all_limits_on_ladder": _on_ladder,
    "aggregate_not_below_per_claim": _agg_not_below,
    "deductible_max_share_of_limit": _ded_share,
    "limit_min": _num(lambda c: c.res["limit"]["per_claim"], ">="),
    "limit_max": _num(lambda c: c.res["limit"]["per_claim"], "<="),
    "aggregate_min": _num(lambda c: c.res["limit"]["aggregate"], ">="),
    "aggregate_max": _num(lambda c: c.res["limit"]["aggregate"], "<="),
    "exposure_max": _num(lambda c: c.res["limit"]["exposure"], "<="),
    "deductible_min": _num(lambda c: c.res["deductible"]["amount"], ">="),
    "deductible_max": _num(lambda c: c.res["deductible"]["amount"], "<="),
    "premium_low_min": _num(lambda c: c.res["premium"]["low"], ">="),
    "premium_high_max": _num(lambda c: c.res["premium"]["high"], "<="),
    "defense": _defense,
    "eroding_alternative_max": _eroding_alt_max,
    "eroding_meets_contracts": _eroding_meets,
    "gaps_include": _gaps_include,
    "gaps_exclude": _gaps_exclude,
    "gap_severity": _gap_sev(">="),
    "gap_severity_max": _gap_sev("<="),
    "gap_status": _gap_status,
    "confirm_include": _confirm_include,
    "confirm_severity": _confirm_severity,
    "findings_include": _findings_include,
    "findings_exclude": _findings_exclude,
    "finding_severity": _finding_sev(">="),
    "finding_severity_max": _finding_sev("<="),
    "finding_matches": _finding_matches,
    "cyber_limit_min": _cyber_limit(">="),
    "cyber_limit_max": _cyber_limit("<="),
    "referred": _referred,
    "underwriting_include": _uw_include,
    "underwriting_exclude": _uw_exclude,
    "contracts_all_met": _contracts_all_met,
    "tail_1y_between": _tail(1),
    "tail_3y_between": _tail(3),
    "tail_5y_between": _tail(5),
    "tail_recommended_min": _tail_rec(">="),
    "tail_recommended_max": _tail_rec("<="),
    "no_upsell": _no_upsell,
    "prior_acts_factor_max": _prior_acts,
    "premium_not_lower_on_revenue_step": _revenue_step,
    "text_matches": _text_matches,
    "text_excludes": _text_excludes,
}


def run(c: Case, key: str, want: Any) -> tuple[bool, str]:
    try:
        return CHECKS[key](c, want)
    except Exception as exc:  # a check that cannot run is a failure, said so
        return False, f"check error: {type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------- scoring
def score(spec: dict[str, Any], base: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    c = Case(spec, base, defaults)
    rows = []  # (key, state, message, critical)
    for key, want in c.expect.items():
        ok, msg = run(c, key, want)
        rows.append((key, "pass" if ok else "FAIL", msg, key in c.critical))
    for key, want in c.expect_future.items():
        ok, msg = run(c, key, want)
        tag = f"future:{key}"
        if c.future_refused is None:
            rows.append((tag, "pass" if ok else "FAIL", msg, tag in c.critical))
        else:
            rows.append((tag, "needs input", f"{'holds' if ok else 'fails'} on today's advice: {msg}", tag in c.critical))
    fails = [r for r in rows if r[1] == "FAIL"]
    needs = [r for r in rows if r[1] == "needs input"]
    if any(r[3] for r in fails):
        verdict = "REJECT"
    elif fails or needs:
        verdict = "EDIT"
    else:
        verdict = "SIGN"
    return {
        "name": c.name,
        "class": spec.get("class", ""),
        "verdict": verdict,
        "future_refused": c.future_refused,
        "headline": {
            "limit": f"{c.res['limit']['per_claim']:,}/{c.res['limit']['aggregate']:,}",
            "deductible": c.res["deductible"]["amount"],
            "defense": c.res["defense_costs"]["recommendation"],
            "premium": f"{c.res['premium']['low']:,}-{c.res['premium']['high']:,}",
        },
        "checks": [{"key": k, "state": s, "detail": m, "critical": cr} for k, s, m, cr in rows],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("panel", nargs="?", default=str(PANEL))
    ap.add_argument("--json", help="also write the full scorecard as JSON here")
    ap.add_argument("--verbose", action="store_true", help="show passing checks too")
    args = ap.parse_args(argv)
    with open(args.panel, "rb") as fh:
        panel = tomllib.load(fh)
    base, defaults = panel["base"], panel.get("defaults", {}).get("expect", {})
    unknown = {
        (p["name"], k) for p in panel["profile"] for k in [*p.get("expect", {}), *p.get("expect_future", {})] if k not in CHECKS and k != "critical"
    }
    if unknown:
        print(f"unknown expectation keys: {sorted(unknown)}", file=sys.stderr)
        return 2
    results = [score(p, base, defaults) for p in panel["profile"]]
    totals = {v: sum(r["verdict"] == v for r in results) for v in ("SIGN", "EDIT", "REJECT")}
    n_checks = sum(len(r["checks"]) for r in results)
    states = {s: sum(ch["state"] == s for r in results for ch in r["checks"]) for s in ("pass", "FAIL", "needs input")}
    print(f"Broker panel round 3 -- {len(results)} profiles, review date {AS_OF}")
    print(f"SIGN {totals['SIGN']}  EDIT {totals['EDIT']}  REJECT {totals['REJECT']}")
    print(f"checks: {n_checks} ({states['pass']} pass, {states['FAIL']} fail, {states['needs input']} needs input)\n")
    for r in results:
        h = r["headline"]
        print(f"{r['verdict']:<6} {r['name']}  [{r['class']}]  -> {h['limit']}, ded {h['deductible']:,}, {h['defense']}, ${h['premium']}")
        for ch in r["checks"]:
            if ch["state"] == "pass" and not args.verbose:
                continue
            mark = " (critical)" if ch["critical"] else ""
            print(f"         {ch['state']:<11} {ch['key']}{mark}: {ch['detail']}")
        if r["future_refused"] and any(ch["state"] == "needs input" for ch in r["checks"]):
            print(f"         future fields the tool refuses: {r['future_refused']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"totals": totals, "checks": states, "profiles": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
