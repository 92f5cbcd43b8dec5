"""Fuzzing the input side with a hostile catalogue (issue 11).

Profiles, CSV rows and JSON lines built from control characters, escape sequences,
bidi marks, NUL, CR, lone surrogates, huge numbers, deep nesting, padded amounts and
wrong types go through validation and the batch readers. Properties:

* nothing raises but an :class:`EOAdvisorError` (validation: ProfileError);
* records out = records in: each input row or line gives exactly one record, and
  assessing any record does not raise;
* every profile that is accepted exports to TOML and loads back equal.

Derandomized, so every run tries the same cases; a few seconds by default,
``pytest tests/test_fuzz.py --fuzz`` for the long run (see docs/cli.md, "Safety").
Output formatting is not checked here.
"""

from __future__ import annotations

import csv
import io
import json
import sys

from conftest import BASE_PROFILE, deep_merge, fuzz_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eo_advisor.batch import run as batch
from eo_advisor.edge.caps import MAX_NESTING, MAX_RECORD_CHARS, MAX_RECORD_LINES
from eo_advisor.errors import ProfileError
from eo_advisor.profile.model import validate, validate_flat
from eo_advisor.profile.parse import flatten
from eo_advisor.profile.schema import CONTRACT_KEYS, FIELDS
from eo_advisor.profile.template import profile_toml
from eo_advisor.rules import load_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = load_rules()


def fuzz(ci: int) -> settings:
    return settings(
        max_examples=fuzz_examples(ci),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------
# The hostile catalogue
# ---------------------------------------------------------------------------
NASTY_CHARS = (
    "\x00\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\x9c\u00a0\u00ad\u061c\u200b\u200d\u200e\u200f"
    "\u2028\u2029\u202a\u202e\u2066\u2069\ufeff\ufffd\ud800\udfff\U0001f4bb"
    "\"'\\,;=+-@$[]{}/ _.kmbKMB0123456789usd"
)
CATALOGUE = [
    "",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\x7f",
    "\ud800",
    "\udcff",
    "\x1b[2J\x1b[H",
    "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "\x07\x07",
    "\x9b31mred",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "Acme\x7f",
    "Acme\r=1+1",
    '=HYPERLINK("http://x")',
    "@SUM(A1)",
    "[/bold]",
    "Smith [and] Co",
    "[link=http://evil.example]Acme[/link]",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![i](http://x/i.png)",
    "| a | b |",
    "9" * 5_000,
    "1" * 400,
    "-1",
    "1e6",
    "1e309",
    "NaN",
    "-0",
    "0x10",
    "1,000,000",
    "1_000_000",
    "$1.5M",
    " 2.5 m usd ",
    " " * 1_200 + "250k",
    "250k" + " " * 1_200,
    "$" + " " * 500 + "1" + " " * 500 + "k",
    "1.2345k",
    "١٢٣",
    "１２３",
    "true",
    "TRUE",
    "yes",
    "ｔｒｕｅ",
    "none",
    "eroding",
    "CA",
    "ca ",
    "2022-01-01",
    "2022-02-30",
    "web_development",
    "web_development;it_consulting",
    ";;;",
    ",",
    "healthcare, retail",
]
hostile_text = st.one_of(
    st.sampled_from(CATALOGUE),
    st.text(alphabet=NASTY_CHARS, max_size=24),
    st.lists(st.sampled_from(CATALOGUE), min_size=2, max_size=3).map("".join),
    st.text(max_size=24),  # anything at all, lone surrogates included
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([10**4000, -(10**4000), 2**63, 10_000_000_000]),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
hostile_value = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=6,
)
# spellings that some field accepts, so that many generated profiles pass and are round-tripped
plausible = st.sampled_from(
    [
        "250k",
        " 2.5 m usd ",
        "1_000_000",
        "$1,250,000 USD",
        "+3k",
        5_000,
        0,
        "0",
        "12",
        3.0,
        "yes",
        "Y",
        "off",
        True,
        False,
        "CA",
        " ny",
        "eroding",
        "NON-ERODING",
        "switch_insurer",
        "2022-01-01",
        "",
        "web_development",
        "retail; healthcare",
        ["it_consulting"],
        ["other", "other"],
    ]
)
FIELD_KEYS = [f.key for f in FIELDS]
hostile_key = st.one_of(st.sampled_from(FIELD_KEYS), hostile_text)


def deep(n: int) -> object:
    value: object = 1
    for _ in range(n):
        value = [value]
    return value


@st.composite
def hostile_profiles(draw) -> dict:
    """The base profile with some fields, keys, contracts and the version made hostile."""
    data = deep_merge(BASE_PROFILE, {})
    for key in draw(st.lists(st.sampled_from(FIELD_KEYS), max_size=4, unique=True)):
        section, name = key.split(".")
        data.setdefault(section, {})[name] = draw(st.one_of(plausible, hostile_text if key == "business.name" else plausible, hostile_value))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # odd keys at the top and in a section
        where = draw(st.sampled_from([None, "business", "work"]))
        (data if where is None else data[where])[draw(hostile_text)] = draw(hostile_value)
    if draw(st.integers(0, 3)) == 0:
        data["contracts"] = draw(
            st.one_of(
                hostile_value,
                st.lists(st.dictionaries(st.one_of(st.sampled_from(CONTRACT_KEYS), hostile_text), hostile_value, max_size=4), max_size=2),
                st.lists(st.fixed_dictionaries({"client": hostile_text, "eo_limit": scalars}), max_size=2),
            )
        )
    if draw(st.integers(0, 3)) == 0:
        data["schema_version"] = draw(st.one_of(st.just(1), scalars))
    if draw(st.integers(0, 9)) == 0:
        data["business"]["name"] = deep(draw(st.integers(1, 60)))
    return data


def assert_round_trip(profile) -> None:
    text = profile_toml(profile)
    text.encode("utf-8")  # writable as it stands
    assert validate(tomllib.loads(text), rules=RULES) == profile


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------
@fuzz(200)
@given(hostile_profiles())
def test_hostile_profiles_validate_or_fail_with_profile_errors(data):
    try:
        profile = validate(data, rules=RULES)
    except ProfileError as exc:
        assert exc.problems and all(isinstance(p.field, str) for p in exc.problems)
        return
    assert_round_trip(profile)


@fuzz(200)
@given(st.dictionaries(hostile_key, hostile_value, max_size=6), st.booleans())
def test_hostile_flat_data_validates_or_fails_with_profile_errors(over, textual):
    flat = {k: v for k, v in flatten(BASE_PROFILE).items() if k != "schema_version"}
    if textual:  # as a CSV row would have it
        flat = {k: ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v) for k, v in flat.items()}
    flat.update(over)
    try:
        profile = validate_flat(flat, rules=RULES)
    except ProfileError:
        return
    assert_round_trip(profile)


@fuzz(300)
@given(st.text(max_size=250), st.text(max_size=250))
def test_every_accepted_text_round_trips(name, client):
    data = deep_merge(BASE_PROFILE, {"business": {"name": name}, "contracts": [{"client": client, "eo_limit": 1}]})
    try:
        profile = validate(data, rules=RULES)
    except ProfileError as exc:
        assert set(exc.fields) <= {"business.name", "contracts[0].client"}
        return
    assert_round_trip(profile)


# ---------------------------------------------------------------------------
# Batch readers
# ---------------------------------------------------------------------------
COLUMNS = list(batch.CSV_INPUT_COLUMNS)
TEMPLATE_ROW = next(csv.reader(io.StringIO(batch.csv_template().splitlines()[1])))
cell = st.one_of(hostile_text, st.sampled_from(TEMPLATE_ROW), st.integers().map(str))


def stdin_of(text: str) -> io.TextIOWrapper:
    # bytes as a file would hold them; lone surrogates become bytes that are not UTF-8
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogatepass")), encoding="utf-8")


def assess_all(records: list[batch.Record]) -> None:
    for record in records:
        outcome = batch.assess_record(record, RULES)
        assert outcome.ok or outcome.error


def quoted_lines(cells: list[str]) -> int:
    return sum(c.count("\n") + c.count("\r") for c in cells)


@st.composite
def csv_rows(draw) -> list[str]:
    row = list(TEMPLATE_ROW)
    for i in draw(st.lists(st.integers(0, len(row) - 1), max_size=5, unique=True)):
        row[i] = draw(cell)
    # a quoted cell may span at most MAX_RECORD_LINES lines (limits.py); longer ones are,
    # by design, read as an unterminated quote, so stay within the cap here
    if quoted_lines(row) >= MAX_RECORD_LINES:
        row = [c.replace("\r", " ").replace("\n", " ") for c in row]
    if not any(c.strip() for c in row):
        row[0] = "x"  # a blank line is no record at all
    return row


@fuzz(200)
@given(st.lists(csv_rows(), min_size=1, max_size=6), st.sampled_from(["\r\n", "\n"]))
def test_csv_rows_in_equal_records_out(rows, terminator):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL if terminator == "\r\n" else csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    records = list(batch.read_inputs(["-"], "csv", stdin=stdin_of(buf.getvalue())))
    assert len(records) == len(rows)
    assert not any(r.unreadable for r in records)
    assess_all(records)


JSON_TEMPLATE = json.loads(batch.jsonl_template())


@st.composite
def json_lines(draw) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:  # raw nesting, around the cap
        n = draw(st.one_of(st.integers(1, 3 * MAX_NESTING), st.sampled_from([1_000, 5_000])))
        return '{"business": ' + "[" * n + "]" * n + "}"
    if kind == 1:  # a number past Python's digit limit, or a huge one within it
        return '{"business": {"annual_revenue": ' + "9" * draw(st.sampled_from([30, 4_000, 4_301, 6_000])) + "}}"
    if kind == 2:  # not JSON, or not an object
        line = draw(st.one_of(hostile_text, st.sampled_from(["[1]", "1", "null", '"x"', "{", '{"a":1}}', "\x00{}"])))
    else:  # a profile with hostile fields, flat or nested
        obj = deep_merge(JSON_TEMPLATE, {})
        obj.update(draw(hostile_profiles()))
        if kind == 4:
            obj = flatten(obj)
        if draw(st.booleans()):
            obj["id"] = draw(hostile_value)
        try:
            line = json.dumps(obj, ensure_ascii=draw(st.booleans()))
        except ValueError:  # an integer json cannot write
            line = "{}"
    # a BOM opening the input is the encoding's mark (utf-8-sig), not part of the first line
    line = line.replace("\n", " ").lstrip("\ufeff")
    return line if line.strip() and len(line) <= MAX_RECORD_CHARS else "{}"


@fuzz(100)
@given(st.lists(json_lines(), min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_jsonl_lines_in_equal_records_out(lines, terminator):
    records = list(batch.read_inputs(["-"], "jsonl", stdin=stdin_of(terminator.join(lines) + terminator)))
    assert len(records) == len(lines)
    assert not any(r.unreadable for r in records)
    assess_all(records)


def csv_line(cells: list[str]) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


@fuzz(200)
@given(st.lists(csv_rows(), min_size=2, max_size=8), st.data())
def test_an_unclosed_quote_never_swallows_a_row(rows, data):
    """Issue 18: one row's quote left open never merges rows, whatever the rows after it
    hold (quotes of their own included): each row gives one record and keeps its id."""
    rows = [[f"r{k}", *(c.replace("\r", " ").replace("\n", " ") for c in row[1:])] for k, row in enumerate(rows)]
    k = data.draw(st.integers(0, len(rows) - 1))
    lines = [csv_line(row) for row in rows]
    lines[k] = f'r{k},"Acme,' + csv_line(rows[k][2:])  # the name's quote never closes
    records = list(batch.read_inputs(["-"], "csv", stdin=stdin_of(csv_line(COLUMNS) + "".join(lines))))
    assert [r.id for r in records] == [f"r{i}" for i in range(len(rows))]
    closes_on_its_line = len(list(csv.reader(io.StringIO(lines[k])))) == 1
    assert records[k].error is not None or closes_on_its_line  # a later quoted cell on the line may close it
    assess_all(records)


@fuzz(100)
@given(st.lists(json_lines(), min_size=1, max_size=4), st.data())
def test_a_duplicate_key_fails_its_line_alone(lines, data):
    """Issue 18: a key given twice in a JSON line is refused (never last-one-wins), and
    only that line fails."""
    k = data.draw(st.integers(0, len(lines) - 1))
    key = data.draw(st.sampled_from(["id", "business", "work", "business.name"]))
    lines[k] = "{" + json.dumps(key) + ": 1, " + json.dumps(key) + ": 2}"
    records = list(batch.read_inputs(["-"], "jsonl", stdin=stdin_of("\n".join(lines) + "\n")))
    assert len(records) == len(lines)
    assert "duplicate key" in (records[k].error or "")
