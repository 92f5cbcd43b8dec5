"""Every user-facing error of eo-advisor, and the exit codes they map to.

The CLI catches :class:`EOAdvisorError` once, prints its message to stderr and
exits with its ``exit_code``; nothing else is allowed to leak a traceback.
Documented in ``docs/cli.md`` ("Exit codes").
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # bad input or runtime error
    USAGE = 2  # bad command line (typer/click's own code)
    BATCH_ROW_ERRORS = 3  # batch: some rows had errors, the output is still complete
    HANGUP = 129  # SIGHUP (128 + 1): the terminal went away
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader of stdout went away (128 + SIGPIPE), e.g. `| head`
    TERMINATED = 143  # SIGTERM (128 + 15)


class EOAdvisorError(Exception):
    """Base class: a message meant for the user, and the exit code to use."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Problem(NamedTuple):
    """One problem with one field of a profile."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ProfileError(EOAdvisorError):
    """A profile is invalid; carries every problem found, each naming its field."""

    def __init__(self, problems: list[Problem], source: str | None = None, hint: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        if len(self.problems) == 1:
            msg = f"{where}{self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            msg = f"{where}{len(self.problems)} problems in the profile:\n{lines}"
        if hint:
            msg = f"{msg}\n{hint}"
        super().__init__(msg)

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]


def os_reason(exc: OSError) -> str:
    """What an OSError means, in the words of the OS ("No space left on device",
    "File too large", "Permission denied", "Read-only file system"...)."""
    import os

    if exc.strerror:
        return exc.strerror
    if exc.errno:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


class InputError(EOAdvisorError):
    """A file or stream could not be read or parsed (not UTF-8, bad TOML, too big...)."""

    @classmethod
    def from_oserror(cls, name: str, exc: OSError) -> InputError:
        """``name: reason``, one line, for a read that the OS refused."""
        return cls(f"{name}: {os_reason(exc)}")


class OutputError(EOAdvisorError):
    """An output could not be written (exists without --force, no permission, disk full...)."""

    @classmethod
    def from_oserror(cls, name: str, exc: OSError) -> OutputError:
        """``name: reason``, one line, for a write that the OS refused (ENOSPC,
        EFBIG, EACCES, EROFS, EDQUOT, EIO...)."""
        return cls(f"{name}: {os_reason(exc)}")


class UsageError(EOAdvisorError):
    """A bad command line found past option parsing (``--jobs`` over its cap): exit 2."""

    exit_code = ExitCode.USAGE


class RulesError(EOAdvisorError):
    """The packaged rules data is broken: a bug in eo-advisor, not the user's input."""


class NotInteractiveError(EOAdvisorError):
    """A prompt was needed but stdin is not a terminal (or --no-input was given)."""
