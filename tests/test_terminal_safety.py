"""Nothing user-supplied acts on a terminal, and every table reads at 60 columns.

A hostile catalogue of names goes through text output (names, client names), the
options table and stderr messages (unknown keys echoed), with colour on and off:
no raw control, bidi or invisible character, no markup read from a name, no hyperlink.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, load_toml, run

from eo_advisor.edge.safe_terminal import terminal_text
from eo_advisor.edge.terminal import Env
from eo_advisor.formats import Report
from eo_advisor.formats.render import default_renderer
from eo_advisor.formats.text import TextFormatter
from eo_advisor.profile.model import validate

MSP = ROOT / "eo_advisor" / "examples" / "msp-serving-banks.toml"
WEB = ROOT / "eo_advisor" / "examples" / "freelance-web-developer.toml"

HOSTILE = [
    "\x1b[2J\x1b[HWiped",
    "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "\x07\x07Bell",
    "\x9b31mred",
    "\x85next",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "Acme\x7f",
    "Acme\r=1+1",
    "Tab\there",
    "Line\nbreak",
    "zero\u200bwidth\u200d",
    "bom\ufeff",
    "[/bold]",
    "Smith [and] Co",
    "[link=http://evil.example]Acme[/link]",
    "[bold red]Loud[/]",
    "\\[escaped]",
]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")  # our own colours, the only escapes allowed with colour on


def test_terminal_text_shows_every_dangerous_character_visibly():
    assert terminal_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal_text("\x9b31m") == "\\x9b31m"
    assert terminal_text("\u202eevil") == "\\u202eevil"
    assert terminal_text("x\x7f\x00\u200b\ufeff") == "x\\x7f\\x00\\u200b\\ufeff"
    assert terminal_text("two\nlines") == "two\\x0alines"
    assert terminal_text("two\nlines", keep_newlines=True) == "two\nlines"
    assert terminal_text("Café — 💻 [ok]") == "Café — 💻 [ok]"  # printable text is left alone
    for name in HOSTILE:
        assert not RAW.search(terminal_text(name).replace("\n", ""))


def _result(name: str, client: str):
    """A result whose business and client names are hostile. The profile refuses
    control characters, so the model is built directly, as an API caller could."""
    from eo_advisor.advice.engine import assess

    profile = validate(load_toml(MSP))
    profile = profile._replace(business=profile.business._replace(name=name), contracts=tuple(c._replace(client=client) for c in profile.contracts))
    return assess(profile, explain=True), profile


def _clean(out: str, color: bool) -> str:
    if color:
        out = ANSI_SGR.sub("", out)
    assert "\x1b" not in out, repr(out[:400])
    assert not RAW.search(out), repr(RAW.search(out))
    return out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_in_text_output_cannot_act(name, color):
    result, profile = _result(name, name)
    out = TextFormatter().format(Report(result, default_renderer(), profile), color=color)
    out = _clean(out, color)
    flat = " ".join(out.split())
    assert " ".join(terminal_text(name).split()) in flat  # the name is shown, escaped, whole


def test_markup_in_a_name_is_printed_literally_through_the_cli(tmp_path):
    for name in ("[/bold]", "Smith [and] Co", "[link=http://evil.example]Acme[/link]"):
        path = tmp_path / "p.toml"
        path.write_text(WEB.read_text().replace('name = "', f'name = "{name}" #', 1))
        for env in ({}, {"FORCE_COLOR": "1"}):
            r = run(["assess", "-p", str(path)], env=Env(stdout_color=bool(env)), environ=env)
            assert r.exit_code == 0, r.stderr  # no "internal error: MarkupError"
            assert name in ANSI_SGR.sub("", r.stdout)
            assert "\x1b]8;" not in r.stdout  # no OSC 8 hyperlink


@pytest.mark.parametrize("key", ["busi\x1b[31mness.name", "work.\u202eevil", "x\x9b2J", "a\x07b"])
def test_unknown_keys_are_echoed_on_stderr_neutralised(key):
    r = run(["assess", "-p", str(WEB), "--no-input", "--set", f"{key}=1"])
    assert r.exit_code != 0
    assert not RAW.search(r.stderr) and "\x1b" not in r.stderr, repr(r.stderr)


def test_messages_on_stderr_keep_our_line_breaks_only(capsys):
    import io

    err = io.StringIO()
    Env(stderr_stream=err).message("error: bad name '\x1b[2J'\nhint: fix it")
    assert err.getvalue() == "error: bad name '\\x1b[2J'\nhint: fix it\n"


# ---------------------------------------------------------------------------
# 60 columns: nothing wider, no word cut
# ---------------------------------------------------------------------------
def _words_kept(out: str, texts: list[str]) -> None:
    tokens = set(out.split())
    for text in texts:
        for word in text.split():
            assert word in tokens, f"{word!r} cut or missing"


@pytest.mark.parametrize("path", [MSP, WEB], ids=["msp", "web"])
@pytest.mark.parametrize("command", [["assess", "--explain"], ["options"]])
def test_every_table_reads_at_60_columns(path, command):
    r = run([command[0], "-p", str(path), *command[1:]], environ={"COLUMNS": "60"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60, max(lines, key=len)
    assert "…" not in r.stdout  # nothing truncated with an ellipsis
    if command[0] == "assess":
        from eo_advisor.advice.engine import assess

        say = default_renderer()
        result = assess(validate(load_toml(path)))
        _words_kept(
            r.stdout,
            [say(f.detail) for f in result.premium.factors]
            + [f.name.replace("_", " ") for f in result.premium.factors]
            + [say(g.reason) for g in result.gaps]
            + say.all(result.limit.reasons),
        )
    else:
        assert re.search(r"eroding \$[\d,]+–\$[\d,]+", r.stdout)  # ranges whole, never split


@pytest.mark.parametrize("path", sorted((ROOT / "profiles").glob("*.toml")), ids=lambda p: p.stem)
def test_our_own_text_is_never_shown_escaped(path):
    """Escapes are for the user's text; a heading or sentence of ours never shows as \\x0a."""
    out = run(["assess", "--profile", str(path), "--no-input", "--explain"]).stdout
    assert not re.search(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}", out), re.findall(r".{20}\\x.{10}", out)
    assert "\nSources\n" in out


def test_piped_text_is_80_columns_unless_columns_says_otherwise():
    r = run(["assess", "-p", str(MSP)], environ={"COLUMNS": ""})
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert max(len(line) for line in r.stdout.splitlines()) > 70
    wide = run(["assess", "-p", str(MSP)], environ={"COLUMNS": "120"})
    assert max(len(line) for line in wide.stdout.splitlines()) > 80


@pytest.mark.parametrize(("columns", "lo", "hi"), [("100000000", 400, 500), ("5", 1, 20), ("-3", 70, 80), ("８０", 70, 80), ("wide", 70, 80)])
def test_columns_is_bounded_and_fast(columns, lo, hi):
    import time

    start = time.perf_counter()
    for cmd in (["assess", "-p", str(MSP)], ["options", "-p", str(MSP)]):
        r = run(cmd, environ={"COLUMNS": columns})
        assert r.exit_code == 0, r.stderr
        widest = max(len(line) for line in r.stdout.splitlines())
        assert widest <= hi and (cmd[0] == "options" or widest >= lo), (columns, cmd, widest)
    assert time.perf_counter() - start < 2  # was 65 s and 13.7 GB at 100,000,000 columns


def test_explain_text_reads_as_words_with_formatted_amounts():
    r = run(["assess", "-p", str(MSP), "--explain"], environ={"COLUMNS": "200"})
    assert r.exit_code == 0
    trace = r.stdout.split("How this was worked out", 1)[1]
    assert "{'" not in trace and "=True" not in trace and "=False" not in trace  # no Python reprs
    assert "Annual revenue: $3,800,000" in trace and "customers?: Yes" in trace  # the appendix's words (one explain rendering)
    assert "Per claim (decided): $5,000,000" in trace and "Aggregate (decided): $10,000,000" in trace
