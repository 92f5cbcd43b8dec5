"""Issue 17: contract files read into the advice (``assess --contract``, ``options --contract``,
``eo_advisor.api.with_contract_files``) give the same advice as the same requirements typed
into [[contracts]], plus the checks only a read clause carries."""

from __future__ import annotations

import datetime
import json

from conftest import ROOT, load_toml, run

from eo_advisor.api import assess, to_dict, with_contract_files

AS_OF = datetime.date(2026, 11, 27)
CONTRACTS = ROOT / "profiles" / "contracts"


def _without_contracts(name: str) -> dict:
    data = load_toml(ROOT / "profiles" / f"{name}.toml")
    return {k: v for k, v in data.items() if k != "contracts"}


def _decisions(result: dict) -> tuple:
    return (
        result["limit"]["per_claim"],
        result["deductible"]["amount"],
        result["defense_costs"]["recommendation"],
        (result["premium"]["low"], result["premium"]["high"]),
        [(c["client"], c["required_limit"], c["recommended_meets"]) for c in result["contracts"]],
    )


def test_the_msp_s_two_clauses_give_its_typed_advice_plus_what_only_the_clauses_say():
    typed = to_dict(assess(load_toml(ROOT / "profiles" / "msp-serving-banks.toml"), as_of=AS_OF))
    files = [str(CONTRACTS / "first-regional-bank.txt"), str(CONTRACTS / "lakeshore-credit-union.md")]
    read = to_dict(assess(with_contract_files(_without_contracts("msp-serving-banks"), files), as_of=AS_OF))
    assert _decisions(read) == _decisions(typed)
    # what the typed entries never said: the bank's GL limit and 3 years after completion, the
    # credit union's workers' comp, the certificate terms
    notes = " ".join(n for c in read["contracts"] for n in c["notes"])
    assert "3 years after the work ends" in notes and "notice of cancellation" in notes and "A- VII" not in notes
    assert "workers_compensation" in {g["coverage"] for g in read["gaps"]}
    assert read["limit"]["aggregate"] >= 5_000_000  # the bank's $5M aggregate


def test_the_county_clause_reads_back_to_the_contract_typed_in_the_example():
    typed = to_dict(assess(load_toml(ROOT / "profiles" / "county-software-contractor.toml"), as_of=AS_OF))
    data = with_contract_files(_without_contracts("county-software-contractor"), [str(CONTRACTS / "county-it-services.txt")])
    assert to_dict(assess(data, as_of=AS_OF)) == typed
    gaps = {g["coverage"]: g for g in typed["gaps"]}
    assert "auto" in gaps and gaps["auto"]["suggested_limit"] == 1_000_000  # the county asks $1M auto liability
    assert typed["limit"]["aggregate"] == 2_000_000  # the county's $2M aggregate


def test_assess_and_options_take_contract_files():
    profile = ROOT / "profiles" / "county-software-contractor.toml"
    clause = CONTRACTS / "county-it-services.txt"
    r = run(["assess", "-p", str(profile), "--contract", str(clause), "-f", "json", "--as-of", "2026-11-27"])
    assert r.exit_code == 0, r.stderr
    assert [c["client"] for c in json.loads(r.stdout)["contracts"]] == ["County of Alder", "County of Alder"]
    r = run(["options", "-p", str(profile), "--contract", str(clause), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    bad = run(["assess", "-p", str(profile), "--contract", str(ROOT / "no-such-contract.pdf"), "--no-input"])
    assert bad.exit_code == 1 and "no-such-contract.pdf" in bad.stderr and "Traceback" not in bad.stderr


def test_batch_reads_a_contract_files_column_and_a_bad_file_fails_its_row_alone(tmp_path):
    clause = CONTRACTS / "county-it-services.txt"
    profile = _without_contracts("county-software-contractor")
    import tomli_w

    (tmp_path / "a.toml").write_text(tomli_w.dumps({**profile, "contract_files": str(clause)}))
    (tmp_path / "b.toml").write_text(tomli_w.dumps({**profile, "contract_files": str(tmp_path / "missing.pdf")}))
    out = tmp_path / "out.jsonl"
    r = run(["batch", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), "--format", "jsonl", "-o", str(out), "--as-of", "2026-11-27"])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert r.exit_code == 3  # batch: some records failed (docs/cli.md, exit codes)
    good, bad = rows
    typed = to_dict(assess(load_toml(ROOT / "profiles" / "county-software-contractor.toml"), as_of=AS_OF))
    assert good["status"] == "ok" and good["result"]["limit"] == typed["limit"] and good["result"]["gaps"] == typed["gaps"]
    assert bad["status"] == "error" and "contract_files" in bad["error"] and "missing.pdf" in bad["error"]
