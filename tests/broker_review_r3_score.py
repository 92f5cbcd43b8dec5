"""Score eo-advisor against the independent broker review's expectations (round 3).

Standalone (not collected by pytest: the file name does not start with ``test_``):

    .venv/bin/python tests/broker_review_r3_score.py [--out FILE]

Reads tests/data/broker_review_r3.toml, assesses every profile as of 2026-11-27 with
``eo_advisor.api.assess`` / ``to_dict``, checks each expectation and prints a scorecard:
SIGN (every expectation holds), EDIT (only non-critical ones fail) or REJECT (a critical
one fails). The expectation keys are described at the top of the data file.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomllib

from eo_advisor.api import assess, to_dict

DATA = Path(__file__).parent / "data" / "broker_review_r3.toml"
AS_OF = datetime.date(2026, 11, 27)

# profunderwriters.com: tail price as % of the expiring annual premium, by length.
TAIL_BANDS = {1: (1.00, 1.25), 3: (1.75, 2.25), 5: (2.00, 3.00)}
TAIL_TOLERANCE = 0.05

Check = tuple[bool, str]  # (holds, what the tool said)


def usd(value: Any) -> str:
    return "null" if value is None else f"${value:,.0f}" if isinstance(value, (int, float)) else str(value)


def gap_map(result: dict[str, Any]) -> dict[str, str]:
    return {g["coverage"]: g["status"] for g in result["gaps"]}


def gap_present(entry: str, gaps: dict[str, str]) -> Check:
    cov, _, want = entry.partition("=")
    status = gaps.get(cov)
    said = f"{cov}: {status or 'absent'}"
    if status is None:
        return False, said
    if not want:
        return True, said
    if want == "confirm":
        return status in ("confirm_held", "confirm_fact"), said
    if want == "!open":
        return status != "open", said
    return status == want, said


def gap_absent(entry: str, gaps: dict[str, str]) -> Check:
    cov, _, want = entry.partition("=")
    status = gaps.get(cov)
    said = f"{cov}: {status or 'absent'}"
    if not want:
        return status is None, said
    return status != want, said


def all_of(items: list[str], fn: Callable[[str], Check]) -> Check:
    results = [fn(item) for item in items]
    failed = [said for ok, said in results if not ok]
    return (not failed), "; ".join(failed) if failed else "ok"


def tail_prices(result: dict[str, Any], premium: int | None) -> Check:
    if not premium:
        return False, "no current_policy.annual_premium to check against"
    bad = []
    seen = []
    for t in result["tail"]:
        band = TAIL_BANDS.get(t["years"])
        if band is None:
            continue
        seen.append(t["years"])
        lo = band[0] * premium * (1 - TAIL_TOLERANCE)
        hi = band[1] * premium * (1 + TAIL_TOLERANCE)
        if t["low"] < lo or t["high"] > hi:
            bad.append(
                f"{t['years']}y {usd(t['low'])}-{usd(t['high'])} vs "
                f"{band[0]:.0%}-{band[1]:.0%} of {usd(premium)} = {usd(band[0] * premium)}-{usd(band[1] * premium)}"
            )
    if not seen:
        return False, f"no 1/3/5-year tail priced (tail: {[t['years'] for t in result['tail']]})"
    return (not bad), "; ".join(bad) if bad else "ok"


def recommended_tail(result: dict[str, Any]) -> int | None:
    rec = [t["years"] for t in result["tail"] if t["recommended"]]
    return rec[0] if rec else None


def check(key: str, want: Any, r: dict[str, Any], data: dict[str, Any]) -> Check:
    lim, ded, dc = r["limit"], r["deductible"], r["defense_costs"]
    gaps = gap_map(r)
    finding_ids = {f["id"] for f in r["findings"]}
    alt = dc["limit_if_eroding"]
    cyber = next((g for g in r["gaps"] if g["coverage"] == "cyber"), None)
    match key:
        case "limit_min":
            return lim["per_claim"] >= want, usd(lim["per_claim"])
        case "limit_max":
            return lim["per_claim"] <= want, usd(lim["per_claim"])
        case "aggregate_min":
            return lim["aggregate"] >= want, usd(lim["aggregate"])
        case "aggregate_max":
            return lim["aggregate"] <= want, usd(lim["aggregate"])
        case "aggregate_gt_limit":
            return (lim["aggregate"] > lim["per_claim"]) == want, f"{usd(lim['per_claim'])} / {usd(lim['aggregate'])}"
        case "deductible_max":
            return ded["amount"] <= want, usd(ded["amount"])
        case "deductible_min":
            return ded["amount"] >= want, usd(ded["amount"])
        case "defense":
            rec = dc["recommendation"]
            return (want == "either" or rec == want), rec
        case "eroding_alt_above_limit":
            return (alt is None or alt > lim["per_claim"]) == want, f"limit_if_eroding {usd(alt)} vs limit {usd(lim['per_claim'])}"
        case "eroding_alt_max":
            return (alt is None or alt <= want), f"limit_if_eroding {usd(alt)}"
        case "eroding_alt_null":
            return (alt is None) == want, f"limit_if_eroding {usd(alt)}"
        case "eroding_meets_contracts":
            return dc["eroding_meets_contracts"] == want, str(dc["eroding_meets_contracts"])
        case "gaps_must" | "gaps_should":
            return all_of(want, lambda e: gap_present(e, gaps))
        case "gaps_must_not":
            return all_of(want, lambda e: gap_absent(e, gaps))
        case "cyber_min":
            if cyber is None or cyber["suggested_limit"] is None:
                return False, f"cyber gap {'absent' if cyber is None else 'without a suggested limit'}"
            return cyber["suggested_limit"] >= want, usd(cyber["suggested_limit"])
        case "cyber_max":
            if cyber is None or cyber["suggested_limit"] is None:
                return False, f"cyber gap {'absent' if cyber is None else 'without a suggested limit'}"
            return cyber["suggested_limit"] <= want, usd(cyber["suggested_limit"])
        case "findings_must" | "findings_should":
            missing = [f for f in want if f not in finding_ids]
            return (not missing), ("missing " + ", ".join(missing)) if missing else "ok"
        case "findings_must_not":
            present = [f for f in want if f in finding_ids]
            return (not present), ("present " + ", ".join(present)) if present else "ok"
        case "referred":
            flags = ",".join(f["flag"] for f in r["underwriting"]["flags"])
            return r["underwriting"]["referred"] == want, f"{r['underwriting']['referred']} [{flags}]"
        case "premium_est_min":
            return r["premium"]["estimate"] >= want, usd(r["premium"]["estimate"])
        case "premium_est_max":
            return r["premium"]["estimate"] <= want, usd(r["premium"]["estimate"])
        case "premium_low_min":
            return r["premium"]["low"] >= want, usd(r["premium"]["low"])
        case "premium_high_max":
            return r["premium"]["high"] <= want, usd(r["premium"]["high"])
        case "closing":
            return r["closing"] == want, str(r["closing"])
        case "tail_years_min":
            rec = recommended_tail(r)
            return rec is not None and rec >= want, f"recommended tail {rec} (priced {[t['years'] for t in r['tail']]})"
        case "tail_years_max":
            rec = recommended_tail(r)
            return rec is not None and rec <= want, f"recommended tail {rec} (priced {[t['years'] for t in r['tail']]})"
        case "tail_price_check":
            premium = data.get("current_policy", {}).get("annual_premium")
            return tail_prices(r, premium)
        case "contracts_all_meet":
            failing = [c["client"] for c in r["contracts"] if not c["recommended_meets"]]
            return (not failing) == want, ("fails: " + ", ".join(failing)) if failing else "all meet"
        case "defense_reasons_contain":
            text = " ".join(dc["reasons"]).lower()
            missing = [s for s in want if s.lower() not in text]
            return (not missing), ("reasons lack " + ", ".join(missing)) if missing else "ok"
    raise KeyError(f"unknown expectation key {key!r}")


def score(profile: dict[str, Any]) -> tuple[str, list[tuple[str, bool, Any, str]]]:
    result = to_dict(assess(profile["data"], as_of=AS_OF))
    expect = dict(profile["expect"])
    critical = set(expect.pop("critical", []))
    failures = []
    for key, want in expect.items():
        ok, said = check(key, want, result, profile["data"])
        if not ok:
            failures.append((key, key in critical, want, said))
    if any(crit for _, crit, _, _ in failures):
        return "REJECT", failures
    return ("EDIT" if failures else "SIGN"), failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the scorecard to this file")
    args = parser.parse_args(argv)
    profiles = tomllib.loads(DATA.read_text(encoding="utf-8"))["profiles"]
    lines = [f"Broker review r3 scorecard (as_of {AS_OF}, {len(profiles)} profiles)", ""]
    totals = {"SIGN": 0, "EDIT": 0, "REJECT": 0}
    detail = []
    for p in profiles:
        verdict, failures = score(p)
        totals[verdict] += 1
        lines.append(f"{verdict:<7}{p['name']}  [{p['class']}]")
        for key, crit, want, said in failures:
            tag = "CRITICAL" if crit else "edit"
            detail.append(f"  {p['name']}: {key} ({tag}) expected {want!r}; tool: {said}")
    lines[1:1] = [f"SIGN {totals['SIGN']}  EDIT {totals['EDIT']}  REJECT {totals['REJECT']}", ""]
    lines += ["", "Failing expectations:"] + (detail or ["  none"])
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
