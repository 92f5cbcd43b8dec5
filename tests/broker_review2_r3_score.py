"""Broker review 2, round 3: score eo-advisor against tests/data/broker_review2_r3.toml.

Standalone (not collected by pytest): python tests/broker_review2_r3_score.py
SIGN: every expectation met. EDIT: only non-critical ones fail. REJECT: a critical one fails.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import tomllib

from eo_advisor.api import assess, to_dict

AS_OF = dt.date(2026, 11, 27)
DATA = Path(__file__).parent / "data" / "broker_review2_r3.toml"
TOL = 10  # premium rounding


def money(v):
    return "null" if v is None else f"{v:,}"


def check(exp, r, others):
    """Yield (key, ok, said, wanted) for each expectation."""
    lim, agg = r["limit"]["per_claim"], r["limit"]["aggregate"]
    ded = r["deductible"]["amount"]
    dc = r["defense_costs"]
    gaps = {g["coverage"]: g for g in r["gaps"]}
    gs = lambda: ", ".join(f"{c}:{g['status']}" for c, g in gaps.items()) or "none"
    fids = [f["id"] for f in r["findings"]]
    prem = r["premium"]
    tails = {t["years"]: t for t in r.get("tail") or []}
    for key, want in exp.items():
        if key == "eroding_alt_null_ok":
            continue
        if key == "limit_min":
            yield key, lim >= want, money(lim), f">= {money(want)}"
        elif key == "limit_max":
            yield key, lim <= want, money(lim), f"<= {money(want)}"
        elif key == "aggregate_min":
            yield key, agg >= want, money(agg), f">= {money(want)}"
        elif key == "aggregate_max":
            yield key, agg <= want, money(agg), f"<= {money(want)}"
        elif key == "deductible_min":
            yield key, ded >= want, money(ded), f">= {money(want)}"
        elif key == "deductible_max":
            yield key, ded <= want, money(ded), f"<= {money(want)}"
        elif key == "defense":
            ok = want == "either" or dc["recommendation"] == want
            yield key, ok, dc["recommendation"], want
        elif key in ("eroding_alt_min", "eroding_alt_max"):
            v = dc["limit_if_eroding"]
            if v is None:
                ok = bool(exp.get("eroding_alt_null_ok"))
            else:
                ok = v >= want if key.endswith("min") else v <= want
            yield key, ok, money(v), (">= " if key.endswith("min") else "<= ") + money(want)
        elif key == "eroding_alt_null":
            v = dc["limit_if_eroding"]
            yield key, (v is None) == want, money(v), "null" if want else "a rung"
        elif key == "eroding_meets_contracts":
            yield key, dc["eroding_meets_contracts"] == want, str(dc["eroding_meets_contracts"]), str(want)
        elif key == "gaps_open":
            yield key, all(c in gaps and gaps[c]["status"] == "open" for c in want), gs(), f"open: {want}"
        elif key == "gaps_confirm":
            yield key, all(c in gaps and gaps[c]["status"].startswith("confirm") for c in want), gs(), f"confirm: {want}"
        elif key == "gaps_present":
            yield key, all(c in gaps for c in want), gs(), f"present: {want}"
        elif key == "gaps_absent":
            yield key, not any(c in gaps for c in want), gs(), f"absent: {want}"
        elif key == "gaps_not_open":
            yield key, not any(c in gaps and gaps[c]["status"] == "open" for c in want), gs(), f"not open: {want}"
        elif key == "gaps_empty":
            yield key, not gaps, gs(), "none"
        elif key in ("cyber_min", "cyber_max"):
            v = gaps.get("cyber", {}).get("suggested_limit")
            ok = v is not None and (v >= want if key.endswith("min") else v <= want)
            yield key, ok, f"cyber {money(v)}" if "cyber" in gaps else "no cyber gap", (">= " if key.endswith("min") else "<= ") + money(want)
        elif key == "findings":
            yield key, all(f in fids for f in want), ", ".join(fids) or "none", f"include {want}"
        elif key == "findings_absent":
            yield key, not any(f in fids for f in want), ", ".join(fids) or "none", f"exclude {want}"
        elif key == "referred":
            u = r["underwriting"]
            yield key, u["referred"] == want, f"{u['referred']} ({', '.join(f['flag'] for f in u['flags'])})", str(want)
        elif key == "premium_est_min":
            yield key, prem["estimate"] >= want, money(prem["estimate"]), f">= {money(want)}"
        elif key == "premium_est_max":
            yield key, prem["estimate"] <= want, money(prem["estimate"]), f"<= {money(want)}"
        elif key == "premium_overlaps":
            lo, hi = want
            yield key, prem["low"] <= hi and prem["high"] >= lo, f"{money(prem['low'])}-{money(prem['high'])}", f"touches {money(lo)}-{money(hi)}"
        elif key == "premium_gt":
            o = others[want]["premium"]["estimate"]
            yield key, prem["estimate"] > o, money(prem["estimate"]), f"> {want} ({money(o)})"
        elif key == "limit_gt":
            o = others[want]["limit"]["per_claim"]
            yield key, lim > o, money(lim), f"> {want} ({money(o)})"
        elif key == "contracts_recommended_meet":
            v = all(c["recommended_meets"] for c in r["contracts"]) and bool(r["contracts"])
            yield key, v == want, str([(c["client"], c["recommended_meets"]) for c in r["contracts"]]), str(want)
        elif key == "current_meets_false":
            v = any(c["current_meets"] is False for c in r["contracts"])
            yield key, v == want, str([(c["client"], c["current_meets"]) for c in r["contracts"]]), "some false"
        elif key == "defense_reasons_contains":
            yield key, any(want in s for s in dc["reasons"]), "; ".join(dc["reasons"])[:160], f"mentions {want!r}"
        elif key == "closing":
            yield key, r["closing"] == want, str(r["closing"]), str(want)
        elif key == "tail_recommended":
            rec = [t["years"] for t in r.get("tail") or [] if t["recommended"]]
            yield key, rec == [want], str(rec), str(want)
        elif key in ("tail_1y", "tail_3y", "tail_5y"):
            y = int(key[5])
            t = tails.get(y)
            lo, hi = want
            ok = t is not None and t["low"] >= lo - TOL and t["high"] <= hi + TOL
            yield key, ok, f"{money(t['low'])}-{money(t['high'])}" if t else "none", f"{money(lo)}-{money(hi)}"
        elif key == "tail_present":
            yield key, bool(tails) == want, str(sorted(tails)), str(want)
        elif key == "actions_empty":
            yield key, (not r["actions"]) == want, str([a["id"] for a in r["actions"]]), "none"
        elif key == "actions_include":
            ids = [a["id"] for a in r["actions"]]
            yield key, all(a in ids for a in want), str(ids), f"include {want}"
        else:
            yield key, False, "UNKNOWN KEY", str(want)


def main() -> int:
    doc = tomllib.loads(DATA.read_text())
    results = {p["name"]: to_dict(assess(p["data"], as_of=AS_OF)) for p in doc["profiles"]}
    totals = {"SIGN": 0, "EDIT": 0, "REJECT": 0}
    lines, nexp, npass = [], 0, 0
    for p in doc["profiles"]:
        r = results[p["name"]]
        fails = []
        for key, ok, said, wanted in check(p["expect"], r, results):
            nexp += 1
            npass += ok
            if not ok:
                fails.append((key, key in p["critical"], said, wanted))
        verdict = "REJECT" if any(c for _, c, _, _ in fails) else "EDIT" if fails else "SIGN"
        totals[verdict] += 1
        d = r["defense_costs"]
        lines.append(
            f"{verdict:6} {p['name']} [{p['class']}]  limit {money(r['limit']['per_claim'])}/{money(r['limit']['aggregate'])} "
            f"ded {money(r['deductible']['amount'])} {d['recommendation']} (eroding alt {money(d['limit_if_eroding'])}) "
            f"premium {money(r['premium']['low'])}-{money(r['premium']['high'])} referred {r['underwriting']['referred']}"
        )
        for key, crit, said, wanted in fails:
            lines.append(f"        {'CRITICAL ' if crit else ''}{key}: tool {said} | expected {wanted}")
    head = (
        f"Broker review 2, round 3 scorecard (as of {AS_OF}): {len(doc['profiles'])} profiles, "
        f"SIGN {totals['SIGN']}, EDIT {totals['EDIT']}, REJECT {totals['REJECT']}; "
        f"expectations met {npass}/{nexp}"
    )
    print(head)
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
