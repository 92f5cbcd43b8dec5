"""Hostile and broken input: bounded work per record, each bad record failing alone
(issue 11, input side). The generated cases are in test_fuzz.py."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import tracemalloc

import pytest
from conftest import BASE_PROFILE, PROFILES, deep_merge, run

from eo_advisor.batch import run as batch
from eo_advisor.edge.caps import MAX_NESTING, MAX_RECORD_CHARS, MAX_RECORD_LINES
from eo_advisor.edge.files import parse_toml
from eo_advisor.errors import InputError, ProfileError
from eo_advisor.profile.amounts import parse_amount
from eo_advisor.profile.model import validate
from eo_advisor.profile.parse import parse_count
from eo_advisor.profile.template import profile_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HEADER = ",".join(batch.CSV_INPUT_COLUMNS)
GOOD = batch.csv_template().splitlines()[1]  # one valid row, id client-001


def read(text: str | bytes, fmt: str) -> list[batch.Record]:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return list(batch.read_inputs(["-"], fmt, stdin=io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")))


def errors(records: list[batch.Record]) -> list[str | None]:
    return [r.error for r in records]


# ---------------------------------------------------------------------------
# Amounts: linear, capped
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        " " * 100_000,
        "5" + " " * 100_000 + "k",
        "1" * 100_000,
        "1," * 50_000,
        "$" + " " * 99_999,
        "-" + " " * 50_000 + "$" + " " * 49_999 + "1",
        "9" * 5_000,
        "1." + "0" * 99_998,
        "\x00" * 100_000,
    ],
)
def test_amount_parsing_of_100k_is_fast_and_refused(text):
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        parse_amount(text)
    assert time.perf_counter() - start < 0.05
    assert len(str(info.value)) < 200  # the message quotes at most a short excerpt


def test_padded_amounts_still_parse():
    start = time.perf_counter()
    assert parse_amount(" " * 50_000 + "5" + " " * 50_000) == 5
    assert time.perf_counter() - start < 0.05
    assert parse_amount(" " * 5_000 + "$ 2.5 m usd" + " " * 5_000) == 2_500_000
    assert parse_amount("1_000_000") == 1_000_000 and parse_amount("+1,250k") == 1_250_000
    with pytest.raises(ValueError, match="too long to be an amount"):
        parse_amount("1" * 65)
    with pytest.raises(ValueError, match="too long to be a number"):
        parse_count("1" * 5_000, 100)


def test_huge_integers_are_field_errors_not_crashes():
    data = deep_merge(BASE_PROFILE, {"business": {"annual_revenue": 10**4000, "employees": 10**4000}})
    with pytest.raises(ProfileError) as info:
        validate(data)
    assert set(info.value.fields) == {"business.annual_revenue", "business.employees"}
    assert "4,001-digit number" in info.value.message and len(info.value.message) < 600


# ---------------------------------------------------------------------------
# Schema discipline
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("version", [True, "1", 1.0, 2, " 1"])
def test_schema_version_must_be_the_integer_1(version):
    with pytest.raises(ProfileError) as info:
        validate({**BASE_PROFILE, "schema_version": version})
    assert info.value.fields == ["schema_version"]


def test_schema_version_1_is_fine():
    assert validate({**BASE_PROFILE, "schema_version": 1}) == validate(BASE_PROFILE)


def test_empty_and_odd_keys_are_named():
    data = tomllib.loads('"" = 1\n[business]\n"" = 2\n"a\\u001b[2J" = 3\n')
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, data))
    assert set(info.value.fields) == {'""', 'business.""', 'business."a\\u001b[2J"'}
    assert 'business."": empty key' in info.value.message
    assert "\x1b" not in info.value.message


def test_a_huge_unknown_key_is_named_by_its_start():
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, {"business": {"x" * 100_000: 1}}))
    assert info.value.fields == ['business."' + "x" * 40 + '"...'] and len(info.value.message) < 500


# ---------------------------------------------------------------------------
# Text fields: what is accepted round-trips through the export
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Acme\x7f", "Acme\x1b[2J", "\x9b31mAcme", "Ac\u202eme", "A\tB", "A\nB", "A\x00B", "A\ud800B", "A\u2028B"])
def test_names_with_control_characters_are_refused(name):
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, {"business": {"name": name}, "contracts": [{"client": name, "eo_limit": 1}]}))
    assert info.value.fields == ["business.name", "contracts[0].client"]
    assert "control or bidi" in info.value.message or "not UTF-8" in info.value.message


@pytest.mark.parametrize("name", ['Café "Zoë" & Søn \\ Ltd', "株式会社エイコー", "👩‍💻 Studio", "A\u00a0B", "[/bold] Smith [and] Co", "=1+1"])
def test_printable_names_round_trip(name):
    p = validate(deep_merge(BASE_PROFILE, {"business": {"name": name}, "contracts": [{"client": name, "eo_limit": 1}]}))
    assert validate(tomllib.loads(profile_toml(p))) == p


def test_long_client_name_is_an_error_not_cut():
    with pytest.raises(ProfileError) as info:
        validate(deep_merge(BASE_PROFILE, {"contracts": [{"client": "a" * 199 + " b", "eo_limit": 1}]}))
    assert info.value.fields == ["contracts[0].client"]


# ---------------------------------------------------------------------------
# TOML: digits and nesting -> InputError naming the file
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,message",
    [
        ("x = " + "9" * 5_000, "a number has too many digits"),
        ("x = " + "[" * 5_000 + "]" * 5_000, "nested too deep"),
        ("x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "nested too deep"),
    ],
)
def test_toml_caps(text, message):
    with pytest.raises(InputError, match=f"^book.toml: {message}"):
        parse_toml(text, "book.toml")


def test_profile_validate_reports_every_file(tmp_path):
    (tmp_path / "digits.toml").write_text("x = " + "9" * 5_000 + "\n")
    (tmp_path / "deep.toml").write_text("x = " + "[" * 5_000 + "]" * 5_000 + "\n")
    files = [str(tmp_path / "digits.toml"), str(tmp_path / "deep.toml"), str(PROFILES[0])]
    r = run(["profile", "validate", *files])
    assert r.exit_code == 1
    assert "digits.toml: a number has too many digits" in r.stderr and "deep.toml: nested too deep" in r.stderr
    assert f"ok: {PROFILES[0]}" in r.stderr and "2 of 3 profiles invalid" in r.stderr


def test_profile_validate_counts_when_all_pass_and_is_silent_when_quiet():
    r = run(["profile", "validate", *map(str, PROFILES[:2])])
    assert r.exit_code == 0 and r.stderr.splitlines()[-1] == "2 profiles valid"
    one = run(["profile", "validate", str(PROFILES[0])])
    assert one.stderr.splitlines()[-1] == "1 profile valid"
    assert run(["profile", "validate", "--quiet", str(PROFILES[0])]).stderr == ""


# ---------------------------------------------------------------------------
# Batch readers: each bad record fails alone
# ---------------------------------------------------------------------------
def test_jsonl_bad_lines_fail_alone():
    good = batch.jsonl_template().strip()
    lines = [
        good,
        '{"a": ' + "[" * 1_000 + "]" * 1_000 + "}",
        '{"b": ' + "9" * 5_000 + "}",
        "x" * (MAX_RECORD_CHARS + 10),
        '{"business": {"name": "' + "[" * 500 + '"}}',  # brackets inside a string do not count
        good,
    ]
    records = read("\n".join(lines) + "\n", "jsonl")
    assert len(records) == 6
    assert records[0].error is None and records[-1].error is None
    assert records[1].error == f"nested too deep (limit {MAX_NESTING})"
    assert "too many digits" in records[2].error and "longer than" in records[3].error
    assert records[4].error is None


def test_jsonl_splits_lines_at_newline_only():
    good = json.loads(batch.jsonl_template())
    line = json.dumps(good).replace(", ", ",\r")  # a CR is JSON whitespace, not a line end
    assert errors(read(line + "\n" + line + "\r\n", "jsonl")) == [None, None]


def test_csv_unterminated_quote_fails_its_row_only():
    opened = 'x,"Acme' + GOOD[GOOD.index(",") :]
    for text in (
        [HEADER, GOOD, opened, GOOD, GOOD],  # runs to the end of the input
        [HEADER, GOOD, opened, GOOD, 'y,"Beta",', GOOD],  # closed by a later quote: wrong cell count
        [HEADER, GOOD, opened, *[GOOD] * (MAX_RECORD_LINES + 2)],  # over the line cap
    ):
        records = read("\n".join(text) + "\n", "csv")
        assert len(records) == len(text) - 1
        assert records[1].source == "<stdin>:3" and "a quoted cell opened in this row (line 3)" in records[1].error
        assert records[0].error is None and records[-1].error is None and records[2].error is None


def test_csv_multiline_cell_with_the_right_shape_is_one_record():
    row = GOOD.replace("Acme Web Studio", '"Acme\nWeb"')
    records = read("\n".join([HEADER, row, GOOD]) + "\n", "csv")
    assert len(records) == 2 and records[0].data["business.name"] == "Acme\nWeb"


def test_csv_nul_long_row_and_bad_utf8_are_row_errors():
    rules = batch.load_rules()
    text = "\n".join([HEADER, GOOD.replace("Acme", "Ac\x00me"), "z" * (MAX_RECORD_CHARS + 1), GOOD]) + "\n"
    data = text.encode() + GOOD.replace("Acme", "Ac\xffme").encode("latin-1") + b"\n"
    outcomes = [batch.assess_record(r, rules) for r in read(data, "csv")]
    assert [o.ok for o in outcomes] == [False, False, True, False]
    assert "business.name" in outcomes[0].error and "longer than" in outcomes[1].error and "UTF-8" in outcomes[3].error


def test_csv_reader_leaves_the_csv_module_limit_alone():
    before = csv.field_size_limit()
    read("\n".join([HEADER, GOOD]) + "\n", "csv")
    assert csv.field_size_limit() == before


class Zeros(io.RawIOBase):
    """A bounded stand-in for /dev/zero: NUL bytes with no line break."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_stream_without_line_breaks_is_refused_quickly_in_little_memory(fmt):
    stdin = io.TextIOWrapper(io.BufferedReader(Zeros(200_000_000)), encoding="utf-8")
    tracemalloc.start()
    start = time.perf_counter()
    try:
        records = list(batch.read_inputs(["-"], fmt, stdin=stdin))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5 and peak < 100_000_000
    assert stdin.buffer.raw.left > 0  # stopped long before the end
    assert records[-1].unreadable and "without a line break" in records[-1].error


@pytest.mark.parametrize("value", [10**400, -(10**400), 150, -2, float("inf"), "1e999"])
def test_a_share_out_of_range_is_a_field_error_never_an_overflow(value):
    """Found by `pytest --fuzz`: a huge integer share crashed with OverflowError."""
    data = deep_merge(BASE_PROFILE, {"work": {"largest_client_share": value}})
    with pytest.raises(ProfileError) as err:
        validate(data)
    assert "work.largest_client_share" in str(err.value)
