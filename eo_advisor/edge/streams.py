"""Stand-ins for standard streams the shell closed (``>&-``, ``<&-``, ``2>&-``): Python
sets ``sys.stdout`` (``sys.stdin``, ``sys.stderr``) to None then, and the first write or
read was a crash (or, for stderr, ``print(file=None)`` wrote to stdout)."""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any

from eo_advisor.edge.files import STDOUT_NAME


class ClosedStream(io.TextIOBase):
    """What stands for a standard stream the shell closed (``>&-``, ``<&-``): Python
    sets ``sys.stdout`` (``sys.stdin``) to None then, and the first write or read was a
    crash. Reading or writing it is an OSError (EBADF) naming the stream, which the CLI
    reports in one line (exit 1); a command that never uses it runs as usual."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def _closed(self, *args: Any) -> Any:
        raise OSError(errno.EBADF, f"{os.strerror(errno.EBADF)} ({self.name.strip('<>')} is closed)", self.name)

    read = readline = write = fileno = _closed

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        pass


class _Discard(io.TextIOBase):
    """A closed stderr: messages go nowhere (never to stdout, which print(file=None)
    would pick)."""

    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


def replace_closed_streams() -> None:
    """Stand-ins for standard streams the shell closed (see :class:`ClosedStream`)."""
    if sys.stdin is None:
        sys.stdin = ClosedStream("<stdin>")
    if sys.stdout is None:
        sys.stdout = ClosedStream(STDOUT_NAME)
    if sys.stderr is None:
        sys.stderr = _Discard()
