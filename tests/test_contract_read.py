"""`eo-advisor contract read`: amount phrases, evidence spans, .docx and .pdf files made
here, the outputs (text, json, jsonl, toml), the [[contracts]] mapping, and bad input
(encrypted, corrupt and scanned PDFs, a zip bomb, 50 MB of text, no insurance section)."""

from __future__ import annotations

import ast
import io
import json
import socket
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import BASE_PROFILE, fuzz_examples, run
from hypothesis import given, settings
from hypothesis import strategies as st

from eo_advisor.contracts.money import find_money, words_value
from eo_advisor.contracts.reader import read_contract
from eo_advisor.contracts.render import NEW_KEYS, contract_table, toml_entry

sys.path.insert(0, str(Path(__file__).parent / "contracts"))
from pdfgen import make_pdf, wrap

CLAUSE = """This Professional Services Agreement is made between the City of Riverton ("City") and Quill Code LLC ("Consultant").

14. INSURANCE
14.1 Consultant shall maintain Professional Liability insurance with limits of not less than Two Million Dollars ($2,000,000) per claim and $4,000,000 aggregate. If written on a claims-made basis, the retroactive date shall be on or before the Effective Date and coverage shall be maintained for three (3) years after completion of the Services.
14.2 Commercial General Liability: $1,000,000 per occurrence / $2,000,000 aggregate. The City shall be named as additional insured, and the insurance shall be primary and non-contributory.
14.3 Cyber Liability: $1M per claim.
14.4 Policies shall not be cancelled without thirty (30) days' notice to the City. Insurers shall be rated A- VII or better by A.M. Best.

15. TERM
This Agreement runs for two years.
"""
PURE = ("money", "sections", "lines", "terms", "parties", "reader", "model", "render")


@pytest.mark.parametrize(
    "text,value,currency",
    [
        ("One Million Dollars ($1,000,000)", 1_000_000, "$"),
        ("$1M", 1_000_000, "$"),
        ("$1,000,000.00", 1_000_000, "$"),
        ("1 million", 1_000_000, "$"),
        ("$2.5 million", 2_500_000, "$"),
        ("£5,000,000", 5_000_000, "GBP"),
        ("CAD 2,000,000", 2_000_000, "CAD"),
        ("$2 000 000", 2_000_000, "$"),
        ("$1MM", 1_000_000, "$"),
        ("five hundred thousand dollars", 500_000, "$"),
        ("2,000,000 USD", 2_000_000, "USD"),
    ],
)
def test_amount_phrases(text, value, currency):
    (money,) = find_money(text)
    assert (money.value, money.currency, money.start, money.end) == (value, currency, 0, len(text))


def test_numbers_that_are_not_money():
    assert find_money("within 30 days, in 2024, under Section 12.3, rated A- VII, 5m of cable") == []


def test_number_words():
    assert words_value("one and one-half million") == 1_500_000
    assert words_value("two million five hundred thousand") == 2_500_000


def test_a_reading_with_evidence_for_every_requirement():
    r = read_contract(CLAUSE, source="c.txt")
    pl, gl, cy = (r.coverages[k] for k in ("professional_liability", "general_liability", "cyber"))
    assert (pl.per_event, pl.aggregate) == (2_000_000, 4_000_000)
    assert pl.terms["claims_made_allowed"] and pl.terms["retro_on_or_before_start"] and pl.terms["years_after_completion"] == 3
    assert (gl.per_event, gl.aggregate, gl.terms["additional_insured"], gl.terms["primary_non_contributory"]) == (1_000_000, 2_000_000, True, True)
    assert cy.per_event == 1_000_000
    assert (r.notice_of_cancellation_days, r.insurer_rating, r.client) == (30, "A- VII", "City of Riverton")
    assert r.sections and r.sections[0][0] == "14. INSURANCE"
    for cov in r.coverages.values():
        for e in cov.evidence:
            assert CLAUSE[e.start : e.end] == e.text
    assert any("per_claim" in e.fields and "$2,000,000" in e.text for e in pl.evidence)


def test_evidence_spans_are_exact_on_the_whole_corpus():
    from test_contract_corpus import cases

    for case in cases():
        data = read_contract(case["text"]).to_dict()
        spans = [e for c in data["coverages"].values() for e in c["evidence"]]
        spans += [e for c in data["cannot_tell"] for e in c["evidence"]] + [e for v in data["evidence"].values() for e in v]
        for e in spans:
            assert case["text"][e["start"] : e["end"]] == e["text"], case["id"]


def test_unknown_is_null_and_listed_with_its_sentence():
    r = read_contract("Consultant shall purchase an extended reporting period for its errors and omissions policy of $1,000,000 per claim.")
    pl = r.to_dict()["coverages"]["professional_liability"]
    assert pl["years_after_completion"] is None
    (item,) = [c for c in r.cannot_tell if c.field == "professional_liability.years_after_completion"]
    assert item.evidence and "extended reporting period" in item.evidence[0].text


def test_the_reader_modules_do_no_io():
    package = Path(__file__).parent.parent / "eo_advisor" / "contracts"
    for name in PURE:
        tree = ast.parse((package / f"{name}.py").read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & {"os", "sys", "socket", "subprocess", "pypdf", "docx", "pathlib", "urllib", "http"}, name
        assert "open(" not in (package / f"{name}.py").read_text(), name


def test_module_and_function_sizes():
    package = Path(__file__).parent.parent / "eo_advisor" / "contracts"
    for path in package.glob("*.py"):
        source = path.read_text()
        assert source.count("\n") <= 450, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 60, f"{path.name}: {node.name}"


# --- files -------------------------------------------------------------------
def _docx(path: Path, paragraphs: list[str], table: list[list[str]] = ()) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                grid.cell(i, j).text = cell
    document.save(str(path))
    return path


def test_docx_with_a_table(tmp_path):
    path = _docx(
        tmp_path / "msa.docx",
        ['Master Services Agreement between Orbit Retail Inc. ("Customer") and the Supplier.', "7. Insurance", "Supplier shall maintain:"],
        [
            ["Coverage", "Minimum limits"],
            ["Technology Errors & Omissions", "$3,000,000 per claim"],
            ["Commercial General Liability", "$1,000,000 per occurrence"],
        ],
    )
    result = run(["contract", "read", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coverages"]["professional_liability"]["per_claim"] == 3_000_000
    assert data["coverages"]["general_liability"]["per_occurrence"] == 1_000_000
    assert data["client"] == "Orbit Retail Inc."


def test_pdf_evidence_carries_its_page(tmp_path):
    path = tmp_path / "psa.pdf"
    path.write_bytes(make_pdf([["Professional Services Agreement", "Scope of work follows."], wrap(CLAUSE)]))
    result = run(["contract", "read", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pl = data["coverages"]["professional_liability"]
    assert pl["per_claim"] == 2_000_000 and data["pages"] == 2
    assert {e["page"] for e in pl["evidence"]} == {2}


def test_a_folder_as_json_lines_one_line_a_file(tmp_path):
    (tmp_path / "a.txt").write_text(CLAUSE)
    (tmp_path / "b.md").write_text("# SOW\n\n## Insurance\n- Cyber liability: $2,000,000 per claim\n")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (tmp_path / "notes.csv").write_text("ignored")
    result = run(["contract", "read", tmp_path, "--format", "jsonl"])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [Path(x["source"]).name for x in lines] == ["a.txt", "b.md", "c.pdf"]
    assert lines[1]["coverages"]["cyber"]["per_claim"] == 2_000_000
    assert "not a readable PDF" in lines[2]["error"]
    assert result.exit_code == 1


def test_stdin(tmp_path):
    result = run(["contract", "read", "-", "-f", "json"], input=CLAUSE)
    assert result.exit_code == 0 and json.loads(result.stdout)["source"] == "<stdin>"


def test_text_output_puts_each_requirement_beside_its_quote():
    result = run(["contract", "read", "-"], input=CLAUSE)
    out = result.stdout
    assert "per claim: $2,000,000 [1]" in out and "[1] chars" in out and '"14.1 Consultant shall maintain Professional Liability' in out
    assert "\x1b[" not in out


def test_toml_output_validates_as_a_profile_once_the_new_keys_are_taken_out():
    from eo_advisor.profile.model import validate

    result = run(["contract", "read", "-", "-f", "toml", "--value", "250k"], input=CLAUSE)
    entry = load_toml_text(result.stdout)["contracts"][0]
    assert entry["client"] == "City of Riverton" and entry["eo_limit"] == 2_000_000 and entry["value"] == 250_000
    assert entry["years_after_completion"] == 3 and entry["gl_per_occurrence"] == 1_000_000
    today = {k: v for k, v in entry.items() if k not in NEW_KEYS}
    profile = validate({**BASE_PROFILE, "contracts": [today]})
    assert profile.contracts[0].eo_limit == 2_000_000 and profile.contracts[0].additional_insured


def load_toml_text(text: str):
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(text)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "toml"])
def test_machine_outputs_escape_bidi_and_invisible_characters_a_contract_carries(fmt):
    """A contract is someone else's text: a right-to-left override in the client's name is
    written as an escape in every machine format (as assess writes it), and loads back as itself."""
    clause = 'This Agreement is between Acme\u202e Corp\u200b ("Client") and Consultant.\n' + CLAUSE
    result = run(["contract", "read", "-", "-f", fmt], input=clause)
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout
    if fmt == "toml":
        client = load_toml_text(result.stdout)["contracts"][0]["client"]
    else:
        client = json.loads(result.stdout.splitlines()[0] if fmt == "jsonl" else result.stdout)["client"]
    assert client == "Acme\u202e Corp\u200b"


def test_contract_table_keys():
    table = contract_table(read_contract(CLAUSE), client="Riverton")
    assert table["client"] == "Riverton" and table["cyber_limit"] == 1_000_000 and table["industry"] == "government"
    assert table["notice_of_cancellation_days"] == 30 and table["insurer_rating"] == "A- VII" and table["eo_aggregate"] == 4_000_000


def test_foreign_amounts_are_kept_as_written_and_commented_in_toml():
    reading = read_contract("Professional indemnity insurance of £2,000,000 any one claim.")
    assert reading.currency == "GBP" and reading.coverages["professional_liability"].per_event == 2_000_000
    entry = toml_entry(reading, client="Acme")
    assert "# eo_limit = 2000000" in entry and "GBP" in entry


# --- bad input ---------------------------------------------------------------
def _encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf([wrap(CLAUSE)]))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/image1.png", b"\0" * 20_000_000)
    return out.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("locked.pdf", _encrypted_pdf, "an encrypted PDF"),
        ("broken.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog", "not a readable PDF"),
        ("scan.pdf", lambda: make_pdf([None, None]), "no text layer"),
        ("bomb.docx", _zip_bomb, "zip bomb"),
        ("broken.docx", lambda: b"PK\x03\x04garbage", "not a readable .docx"),
        ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .docx"),
        ("blob.bin", lambda: b"\x00\x01\x02" * 100, "binary file"),
        ("empty.txt", lambda: b"  \n", "is empty"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content())
    result = run(["contract", "read", path])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_fifty_megabytes_of_text_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"Consultant shall maintain insurance. " * (50_000_000 // 37))
    result = run(["contract", "read", path])
    assert result.exit_code == 1 and "larger than 25,000,000 bytes" in result.stderr


def test_no_insurance_section_is_an_empty_reading_that_says_why(tmp_path):
    path = tmp_path / "nda.txt"
    path.write_text("Mutual NDA. Each party keeps the other's information confidential for three years.")
    result = run(["contract", "read", path, "-f", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["coverages"] == {} and data["empty_reason"].startswith("no insurance requirement found")
    assert "no insurance requirement found" in result.stderr


def test_output_is_never_overwritten_without_force(tmp_path):
    src, out = tmp_path / "c.txt", tmp_path / "out.json"
    src.write_text(CLAUSE)
    out.write_text("keep")
    result = run(["contract", "read", src, "-f", "json", "-o", out])
    assert result.exit_code == 1 and out.read_text() == "keep" and "--force" in result.stderr
    assert run(["contract", "read", src, "-f", "json", "-o", out, "--force"]).exit_code == 0
    assert json.loads(out.read_text())["coverages"]
    assert run(["contract", "read", src, "-o", src, "--force"]).exit_code == 2


def test_nothing_touches_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (tmp_path / "p.pdf").write_bytes(make_pdf([wrap(CLAUSE)]))
    _docx(tmp_path / "d.docx", CLAUSE.split("\n"))
    result = run(["contract", "read", tmp_path, "-f", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2


def test_a_bad_value_is_a_usage_error():
    assert run(["contract", "read", "-", "--value", "lots"], input=CLAUSE).exit_code == 2


def test_the_example_contracts_read_as_the_example_profile_types_them():
    """msp-serving-banks.toml types two [[contracts]]; the shipped clauses of those two
    contracts, read with --client/--value as a broker would, give the same today's keys
    (what `assess --contract` will have to reproduce)."""
    from conftest import ROOT, load_toml

    typed = load_toml(ROOT / "profiles" / "msp-serving-banks.toml")["contracts"]
    examples = ROOT / "profiles" / "contracts"
    for entry, name in zip(typed, ("first-regional-bank.txt", "lakeshore-credit-union.md"), strict=True):
        result = run(["contract", "read", examples / name, "-f", "toml", "--value", str(entry["value"])])
        read = load_toml_text(result.stdout)["contracts"][0]
        assert {k: v for k, v in read.items() if k not in NEW_KEYS} == entry, name


def test_the_python_api_gives_the_tables_the_profile_takes():
    from conftest import ROOT, load_toml

    from eo_advisor.contracts.api import contract_tables
    from eo_advisor.profile.model import validate

    typed = load_toml(ROOT / "profiles" / "msp-serving-banks.toml")
    tables = []
    for entry, name in zip(typed["contracts"], ("first-regional-bank.txt", "lakeshore-credit-union.md"), strict=True):
        tables += contract_tables([str(ROOT / "profiles" / "contracts" / name)], value=entry["value"], today_only=True)
    assert tables == typed["contracts"]
    assert validate({**typed, "contracts": tables}) == validate(typed)


_PIECES = [
    "Professional Liability",
    "E&O",
    "cyber",
    "CGL",
    "umbrella",
    "Workers' Compensation",
    "Employer's Liability",
    "auto liability",
    "crime",
    "$1,000,000",
    "$2M",
    "One Million Dollars ($1,000,000)",
    "per claim",
    "aggregate",
    "each occurrence",
    "/",
    ";",
    ". ",
    "\n\n",
    "\n(a) ",
    "12. INSURANCE\n",
    "claims-made",
    "retroactive date before the Effective Date",
    "three (3) years after completion",
    "defense costs outside the limits",
    "except professional liability",
    "additional insured",
    "waiver of subrogation",
    "primary and non-contributory",
    "30 days' notice of cancellation",
    "rated A- VII by A.M. Best",
    "contracts under $500,000:",
    "combined",
    "if Consultant hosts data,",
    '("County")',
    "£",
    "CAD",
    "million",
    "\x00",
    "\u202e",
    "  ",
]


@settings(max_examples=fuzz_examples(200), deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=12), max_size=40))
def test_any_text_reads_without_error_and_with_exact_evidence(parts):
    text = " ".join(parts)
    data = read_contract(text, contract_value=300_000).to_dict()
    for cov in data["coverages"].values():
        for e in cov["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"]
    json.dumps(data)
