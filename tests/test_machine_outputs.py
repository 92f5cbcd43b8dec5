"""Machine outputs that cannot act and always load back (issue 11, items 6 and 8).

CSV (assess, batch, options): rows end with LF, a cell with a line break is quoted, text
cells are normalised (line breaks as LF, other controls, bidi marks and lone surrogates
as U+FFFD) and then guarded against formulas; numbers stay numbers. JSON and JSON
lines: one record per line for any line splitter, lone surrogates escaped, every
string loads back. TOML: the export round-trips every profile the model accepts.
The catalogue is tests/hostile.py; every assess format over it is test_output_safety.py.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys

import pytest
from conftest import BASE_PROFILE, deep_merge, fuzz_examples, run
from hostile import BIDI_MARKS, FORMULA_START, FORMULAS, HOSTILE, INVISIBLE_CHARS, LINES, accepted, controls, formula_cells, params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eo_advisor.advice.options import options
from eo_advisor.batch import run as batch
from eo_advisor.formats.data import to_json, to_toml
from eo_advisor.formats.options import options_csv
from eo_advisor.formats.table import csv_writer, neutralise, normalise
from eo_advisor.profile.model import validate
from eo_advisor.profile.template import profile_toml, toml_string
from eo_advisor.rules import load_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = load_rules()


def fuzz(ci: int) -> settings:
    return settings(max_examples=fuzz_examples(ci), derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# what a spreadsheet or an importer may skip before it looks for a formula
LEADING_BLANKS = re.compile("[\\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\ufffd]*")


# ---------------------------------------------------------------------------
# The CSV guard
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", params(FORMULAS))
def test_formula_cells_get_an_apostrophe(text):
    if text == "Acme =1+1":  # a formula character inside the text is no formula
        assert neutralise(text) == text
        return
    out = neutralise(text)
    assert out.startswith("'") and out[1:] == normalise(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Acme\r=1+1", "Acme\n=1+1"),  # a lone CR is a line break, as universal newlines read it
        ("Acme\r\n@SUM(A1)", "Acme\n@SUM(A1)"),
        ("\n=cmd", "'\n=cmd"),
        ("\r\n=cmd", "'\n=cmd"),
        ("\x1b[2J=1", "\ufffd[2J=1"),
        ("\x1b=1", "'\ufffd=1"),  # U+FFFD stands for a control another importer might skip
        ("Acme\x00\x07\x7f\x85\x9b", "Acme\ufffd\ufffd\ufffd\ufffd\ufffd"),
        ("\u202eevil", "\ufffdevil"),
        ("a\ud800b", "a\ufffdb"),
        ("tab\tinside", "tab\tinside"),
        ("\tTab", "'\tTab"),
        ('Acme, "Inc"', 'Acme, "Inc"'),
        ("", ""),
        ("client-001", "client-001"),
    ],
)
def test_cells_are_normalised_then_guarded(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize("value", [0, 1_000_000, -1, 2.5, None, True])
def test_numbers_stay_numbers(value):
    """Only text is touched: eo-advisor writes no negative numbers, but a number is
    never a formula, whatever its sign."""
    assert neutralise(value) is value


@fuzz(300)
@given(st.text(max_size=40))
def test_no_neutralised_cell_can_start_a_formula(text):
    out = neutralise(text)
    out.encode("utf-8")  # writable
    assert not controls(out.replace("\n", "")) and not BIDI_MARKS.search(out) and "\r" not in out
    assert not out.startswith(FORMULA_START)
    if not out.startswith("'"):
        assert not LEADING_BLANKS.sub("", out, count=1).startswith(("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"))
    assert out in (normalise(text), "'" + normalise(text))  # the text itself, or guarded


@fuzz(200)
@given(st.lists(st.lists(st.one_of(st.text(max_size=12), st.integers(0, 10**9)), min_size=1, max_size=5), min_size=1, max_size=5))
def test_csv_writer_rows_out_equal_rows_in(rows):
    buf = io.StringIO()
    writer = csv_writer(buf)
    safe = [[neutralise(c) for c in row] for row in rows]
    for row in safe:
        writer.writerow(row)
    text = buf.getvalue()
    assert "\r" not in text and text.endswith("\n")
    expected = [[str(c) for c in row] for row in safe]
    assert parse_csv(text) == expected
    assert formula_cells(parse_csv(text)) == []


def test_the_writer_quotes_a_bare_cr_itself():
    """Even a cell that skipped neutralise cannot split its row at a CR."""
    buf = io.StringIO()
    csv_writer(buf).writerow(["Acme\r=1+1", 1])
    assert buf.getvalue() == '"Acme\r=1+1",1\n'
    assert parse_csv(buf.getvalue()) == [["Acme\r=1+1", "1"]]


def test_options_csv_is_numbers_and_booleans():
    from conftest import make_profile

    from eo_advisor.advice import engine

    profile = make_profile(business={"name": "=1+1"})
    text = options_csv(options(profile, engine.assess(profile, RULES)))
    rows = parse_csv(text)
    assert text.endswith("\n") and "\r" not in text
    assert len(rows) > 2 and all(len(r) == len(rows[0]) for r in rows)
    for row in rows[1:]:
        assert all(c.isdigit() or c in ("true", "false") for c in row), row
    assert formula_cells(rows) == []


# ---------------------------------------------------------------------------
# JSON and TOML
# ---------------------------------------------------------------------------
json_tree = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(0, 10**12), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # everything str.splitlines splits on


@fuzz(300)
@given(json_tree)
def test_json_is_one_line_and_loads_back(data):
    for indent in (None, 2):
        text = to_json(data, indent=indent)
        text.encode("utf-8")  # a lone surrogate is an escape, never a failed write
        assert json.loads(text) == data
        assert not controls(text) and not BIDI_MARKS.search(text) and not re.search("[\x85\u2028\u2029\ud800-\udfff]", text)
    assert not LINE_BREAKS.search(to_json(data, indent=None))


@pytest.mark.parametrize("text", params())
def test_json_takes_every_hostile_string(text):
    line = to_json({"id": text, text[:50]: [text]}, indent=None)
    assert len(line.splitlines()) == 1 and line.encode("utf-8")
    assert json.loads(line) == {"id": text, text[:50]: [text]}


@fuzz(300)
@given(st.dictionaries(st.text(max_size=6), st.one_of(st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3)), max_size=4))
def test_toml_loads_back(data):
    text = to_toml({"t": data})
    text.encode("utf-8")
    assert not controls(text) and not BIDI_MARKS.search(text)

    def fffd(v):
        if isinstance(v, str):
            return re.sub("[\ud800-\udfff]", "\ufffd", v)
        if isinstance(v, list):
            return [fffd(x) for x in v]
        return {fffd(k): fffd(x) for k, x in v.items()}

    assert tomllib.loads(text) == {"t": fffd(data)}


@fuzz(300)
@given(st.text(max_size=40))
def test_toml_strings_load_back(text):
    quoted = toml_string(text)
    quoted.encode("utf-8")
    assert tomllib.loads(f"x = {quoted}")["x"] == re.sub("[\ud800-\udfff]", "\ufffd", text)
    assert not controls(quoted) and not BIDI_MARKS.search(quoted)


# ---------------------------------------------------------------------------
# The TOML export round-trips every profile the model accepts (contracts included)
# ---------------------------------------------------------------------------
REFUSED_CHARS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
accepted_text = (
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=REFUSED_CHARS), min_size=1, max_size=200),
        st.sampled_from([v for v in HOSTILE.values() if accepted(v)]),
    )
    .map(str.strip)
    .filter(bool)
)
amount = st.integers(0, 10**9)


@st.composite
def accepted_profiles(draw) -> dict:
    data = deep_merge(BASE_PROFILE, {})
    if draw(st.booleans()):
        data["business"]["name"] = draw(accepted_text)
    contracts = []
    for _ in range(draw(st.integers(0, 3))):
        contract = {"client": draw(accepted_text), "eo_limit": draw(st.integers(0, 10**10))}
        for key in ("value", "cyber_limit", "liability_cap"):
            if draw(st.booleans()):
                contract[key] = draw(amount)
        for key in ("defense_outside_limits", "additional_insured"):
            if draw(st.booleans()):
                contract[key] = draw(st.booleans())
        contracts.append(contract)
    if contracts:
        data["contracts"] = contracts
    if draw(st.booleans()):
        data["current_policy"] = {
            "limit": draw(st.integers(0, 10**9)),
            "deductible": draw(st.integers(0, 10**8)),
            "defense_costs": draw(st.sampled_from(["eroding", "non-eroding"])),
            "includes_cyber": draw(st.booleans()),
            "has_general_liability": draw(st.booleans()),
            "retroactive_date": draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2024, 12, 31))),
        }
    return data


@fuzz(150)
@given(accepted_profiles())
def test_every_accepted_profile_exports_and_loads_back_the_same(data):
    profile = validate(data, rules=RULES)  # everything drawn is acceptable: no ProfileError
    text = profile_toml(profile)
    text.encode("utf-8")
    assert not controls(text) and not BIDI_MARKS.search(text)
    assert validate(tomllib.loads(text), rules=RULES) == profile


# ---------------------------------------------------------------------------
# batch: records out = records in, whatever the ids and names hold
# ---------------------------------------------------------------------------
TEMPLATE_ROW = batch.csv_template().splitlines()[1]
JSON_TEMPLATE = json.loads(batch.jsonl_template())
NAME_COLUMN = batch.CSV_INPUT_COLUMNS.index("business.name")
# CSV input cannot carry a lone surrogate (its bytes are not UTF-8: the reader makes that
# row an error, still one record); JSON lines carry anything, as \ud800 escapes
CASES = {**HOSTILE, **{f"{k}-x2": v + v for k, v in LINES.items()}}


def book_rows() -> list[tuple[str, str]]:
    """(id, name) pairs: each hostile string as an id and as a name, and one plain row."""
    rows = [("plain", "Plain Co")]
    for key, text in CASES.items():
        rows += [(text, f"name of {key}"), (f"id-{key}", text)]
    return rows


def write_csv_book(path, rows) -> None:
    template = next(csv.reader([TEMPLATE_ROW]))
    with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(batch.CSV_INPUT_COLUMNS)
        for rid, name in rows:
            row = list(template)
            row[0], row[NAME_COLUMN] = rid, name
            writer.writerow(row)


def write_jsonl_book(path, rows) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rid, name in rows:
            obj = deep_merge(JSON_TEMPLATE, {"id": rid, "business": {"name": name}})
            fh.write(json.dumps(obj) + "\n")  # ensure_ascii: lone surrogates as \ud800 escapes


@pytest.mark.parametrize("out_fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("in_fmt", ["csv", "jsonl"])
def test_batch_records_out_equal_records_in(tmp_path, in_fmt, out_fmt):
    rows = book_rows()
    book = tmp_path / f"book.{in_fmt}"
    (write_csv_book if in_fmt == "csv" else write_jsonl_book)(book, rows)
    out = tmp_path / f"out.{out_fmt}"
    r = run(["batch", str(book), "-f", out_fmt, "-o", str(out), "--quiet"])
    assert r.exit_code == 3, r.output  # the refused names are error records; the book is complete
    text = out.read_bytes().decode("utf-8")  # strict: the writer never wrote a surrogate
    if out_fmt == "csv":
        assert not controls(text) and not BIDI_MARKS.search(text) and not INVISIBLE_CHARS.search(text) and "\r" not in text
        records = parse_csv(text)
        assert records[0] == list(batch.CSV_COLUMNS)
        records = records[1:]
        assert all(len(rec) == len(batch.CSV_COLUMNS) for rec in records)
        assert formula_cells(records) == []
        ids = [rec[0] for rec in records]
        names = [rec[4] for rec in records if rec[2] == "ok"]
    else:
        lines = text.split("\n")
        assert lines[-1] == "" and len(text.splitlines()) == len(lines) - 1  # no line splitter finds more
        records = [json.loads(line) for line in lines[:-1]]
        ids = [rec["id"] for rec in records]
        names = [rec["result"]["business_name"] for rec in records if rec["status"] == "ok"]
    assert len(records) == len(rows)
    for (rid, _name), got in zip(rows, ids, strict=False):
        if in_fmt == "jsonl" and out_fmt == "jsonl":
            assert got == rid  # exactly, lone surrogates included
        elif rid.isprintable() and "\r" not in rid and "\n" not in rid:
            assert got in guarded(rid.strip() if in_fmt == "csv" else rid)
    unreadable = re.compile("[\ud800-\udfff]" if in_fmt == "csv" else "$^")  # bytes not UTF-8: a CSV row error
    accepted_names = [name.strip() for rid, name in rows if accepted(name) and not unreadable.search(rid + name)]
    assert len(names) == len(accepted_names)
    assert all(got in (guarded(name) if out_fmt == "csv" else (name,)) for got, name in zip(names, accepted_names, strict=False))


def guarded(text: str) -> tuple[str, str]:
    """A text cell as CSV may show it: as it is, or with the formula guard's apostrophe;
    invisible characters shown as U+FFFD (issue 18)."""
    text = INVISIBLE_CHARS.sub("\ufffd", text)
    return text, "'" + text
