"""Terminal facts in one injectable object (after httpie's ``Environment``).

Tests build an :class:`Env` to simulate a terminal, a pipe, NO_COLOR or a
prompt_toolkit pipe input; the CLI builds the real one with :meth:`Env.from_system`.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def color_allowed(environ: dict[str, str] | os._Environ, isatty: bool) -> bool:
    if "NO_COLOR" in environ and environ["NO_COLOR"] != "":
        return False
    if environ.get("TERM") == "dumb":
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return isatty


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

    @classmethod
    def from_system(cls) -> "Env":
        env = os.environ
        out_tty, err_tty = _isatty(sys.stdout), _isatty(sys.stderr)
        return cls(
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=out_tty,
            stderr_isatty=err_tty,
            stdout_color=color_allowed(env, out_tty),
            stderr_color=color_allowed(env, err_tty),
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
        """A human message: always stderr, never stdout."""
        print(text, file=self.stderr, flush=True)
