"""Terminal facts in one injectable object (after httpie's ``Environment``).

Tests build an :class:`Env` to simulate a terminal, a pipe, NO_COLOR or a
prompt_toolkit pipe input; the CLI builds the real one with :meth:`Env.from_system`.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any, Mapping

from eo_advisor.edge.safe_terminal import terminal_text


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


WIDTH_DEFAULT = 80  # columns for text written to a pipe or a file
WIDTH_MIN, WIDTH_MAX = 20, 500  # COLUMNS=100000000 must not build a 13 GB report


def text_width(environ: Mapping[str, str], stream: Any, isatty: bool) -> int:
    """Columns for text output: the terminal's own width when ``stream`` is one, else
    ``COLUMNS``, else 80; always within WIDTH_MIN..WIDTH_MAX."""
    width = None
    if isatty:
        try:
            width = os.get_terminal_size(stream.fileno()).columns or None
        except (AttributeError, OSError, ValueError):
            width = None
    if width is None:
        text = environ.get("COLUMNS", "").strip()
        width = int(text) if text.isascii() and text.isdigit() else WIDTH_DEFAULT
    return min(max(width, WIDTH_MIN), WIDTH_MAX)


def color_allowed(environ: dict[str, str] | os._Environ, isatty: bool) -> bool:
    if "NO_COLOR" in environ and environ["NO_COLOR"] != "":
        return False
    if environ.get("TERM") == "dumb":
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return isatty


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("", "0", "false", "no")


class Env:
    """Streams, terminal facts and prompt I/O for one run of the CLI."""

    def __init__(
        self,
        *,
        stdin_stream: IO[str] | None = None,
        stdout_stream: IO[str] | None = None,
        stderr_stream: IO[str] | None = None,
        stdin_isatty: bool = False,
        stdout_isatty: bool = False,
        stderr_isatty: bool = False,
        stdout_color: bool = False,
        stderr_color: bool = False,
        prompt_input: Any = None,
        prompt_output: Any = None,
        quiet: bool = False,
        width: int | None = None,
        format_name: str | None = None,
        debug: bool | None = None,
    ) -> None:
        # None = whatever sys.stdin/stdout/stderr are when used (so test runners can swap them)
        self.stdin_stream = stdin_stream
        self.stdout_stream = stdout_stream
        self.stderr_stream = stderr_stream
        self.stdin_isatty = stdin_isatty
        self.stdout_isatty = stdout_isatty
        self.stderr_isatty = stderr_isatty
        self.stdout_color = stdout_color
        self.stderr_color = stderr_color
        # prompt_toolkit input/output for questionary; None = the real terminal (drawn on stderr)
        self.prompt_input = prompt_input
        self.prompt_output = prompt_output
        # --quiet / EO_ADVISOR_QUIET: no informational messages (errors still print)
        self.quiet = quiet
        # every environment variable the CLI reads is read here (None: from os.environ
        # when first asked, so a test's Env sees the variables its runner sets)
        self._width = width
        self._format_name = format_name
        self._debug = debug
        # what this run has written, so an interrupt can say so truthfully
        self.streams_written: list[str] = []  # "stdout", devices, FIFOs: output so far is out
        self.files_written: list[str] = []  # regular files, complete

    @property
    def width(self) -> int:
        """Columns for text output, always within WIDTH_MIN..WIDTH_MAX."""
        if self._width is None:
            self._width = text_width(os.environ, self.stdout, self.stdout_isatty)
        return min(max(self._width, WIDTH_MIN), WIDTH_MAX)

    @property
    def format_name(self) -> str:
        """EO_ADVISOR_FORMAT, lower-cased ("" when unset)."""
        if self._format_name is None:
            self._format_name = os.environ.get("EO_ADVISOR_FORMAT", "").strip().lower()
        return self._format_name

    @property
    def debug(self) -> bool:
        """EO_ADVISOR_DEBUG: show the traceback of an internal error."""
        if self._debug is None:
            self._debug = _flag(os.environ.get("EO_ADVISOR_DEBUG", ""))
        return self._debug

    @classmethod
    def from_system(cls) -> Env:
        env = os.environ
        out_tty, err_tty = _isatty(sys.stdout), _isatty(sys.stderr)
        return cls(
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=out_tty,
            stderr_isatty=err_tty,
            stdout_color=color_allowed(env, out_tty),
            stderr_color=color_allowed(env, err_tty),
            quiet=_flag(env.get("EO_ADVISOR_QUIET", "")),
        )

    @property
    def stdin(self) -> IO[str]:
        return self.stdin_stream or sys.stdin

    @property
    def stdout(self) -> IO[str]:
        return self.stdout_stream or sys.stdout

    @property
    def stderr(self) -> IO[str]:
        return self.stderr_stream or sys.stderr

    @property
    def can_prompt(self) -> bool:
        return self.prompt_input is not None or self.stdin_isatty

    def message(self, text: str) -> None:
        """A human message (an error, a warning): always stderr, never stdout; even
        with --quiet. Best effort: a closed stderr is no reason to fail.

        Messages are plain text (never markup) and often quote what the user gave (a
        file name, an unknown key, a client's name): every control, bidi and invisible
        character in it is shown as an escape (:func:`~eo_advisor.edge.safe_terminal.terminal_text`;
        our own line breaks are kept), so nothing quoted can act on the terminal."""
        try:
            print(terminal_text(text, keep_newlines=True), file=self.stderr, flush=True)
        except (OSError, ValueError):
            pass

    def info(self, text: str) -> None:
        """An informational message ("result written to ...", a summary): stderr,
        and not at all with --quiet."""
        if not self.quiet:
            self.message(text)

    def written(self, path: str, partial: bool = False) -> None:
        """Record output: a stream (``-`` = stdout, a device, a FIFO) as soon as
        writing to it starts (``partial``), a regular file once complete."""
        names = self.streams_written if partial else self.files_written
        name = "stdout" if path == "-" else path
        if name not in names:
            names.append(name)

    def interrupted_message(self, how: str = "interrupted") -> str:
        """The truth about what was written before an interrupt."""
        parts = []
        if self.files_written:
            parts.append(f"{', '.join(self.files_written)} had been written")
        if self.streams_written:
            parts.append(f"output so far was written to {', '.join(self.streams_written)}")
        if not parts:
            return f"{how}: nothing was written"
        return f"{how}: " + " and ".join(parts)
