"""Reading inputs and writing outputs safely: ``-`` for stdin/stdout, size and
encoding checks with clear errors, atomic writes that never clobber without force."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import IO, Any, Callable, Iterator

from .errors import InputError, OutputError
from .limits import MAX_NESTING, MAX_PROFILE_BYTES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib



def display_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


@contextmanager
def input_errors(name: str) -> Iterator[None]:
    """Turn the ways opening or reading an input fails into one clear InputError."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_text(path: str, *, stdin: IO[str] | None = None, max_bytes: int = MAX_PROFILE_BYTES) -> str:
    """Whole text of a small file (or stdin for ``-``), checked for size and UTF-8."""
    name = display_name(path)
    with input_errors(name):
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin
            buffer = getattr(stream, "buffer", None)
            data = buffer.read(max_bytes + 1) if buffer is not None else stream.read(max_bytes + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{name}: is a directory, expected a file")
            with p.open("rb") as fh:
                data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name}: larger than {max_bytes:,} bytes; is this really a profile?")
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """Parsed TOML, or InputError naming the file: bad syntax, an integer past Python's
    4,300-digit limit, nesting deeper than MAX_NESTING (checked after parsing, and
    RecursionError caught should the parser itself go that deep first)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{name}: nested too deep (limit {MAX_NESTING})") from None
    except ValueError:  # int('9' * 5000): Python's limit on digits in one integer
        raise InputError(f"{name}: a number has too many digits to be read") from None
    if nesting_exceeds(data, MAX_NESTING):
        raise InputError(f"{name}: nested too deep (limit {MAX_NESTING})")
    return data


def nesting_exceeds(data: Any, limit: int) -> bool:
    """True when lists/dicts in ``data`` nest more than ``limit`` deep (iterative walk)."""
    stack = [(data, 1)]
    while stack:
        obj, depth = stack.pop()
        if depth > limit:
            return True
        children = obj.values() if isinstance(obj, dict) else obj
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def check_writable(path: str, *, force: bool) -> None:
    """Fail early (before any prompt or work) if ``path`` cannot be written."""
    if path == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{path}: is a directory")
    if p.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    if not p.parent.exists():
        raise OutputError(f"{path}: directory {str(p.parent)!r} does not exist")


def atomic_write(path: str, writer: Callable[[IO[str]], None], *, force: bool, stdout: IO[str] | None = None) -> None:
    """Write through ``writer`` to a temp file beside ``path``, then rename over it.

    A failure (or Ctrl-C) part way leaves no partial file behind. ``-`` writes to stdout.
    """
    if path == "-":
        writer(stdout if stdout is not None else sys.stdout)
        return
    import tempfile

    check_writable(path, force=force)
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if not force and p.exists():  # appeared while we worked
            raise OutputError(f"{path}: already exists; use --force to overwrite it")
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: str, text: str, *, force: bool, stdout: IO[str] | None = None) -> None:
    atomic_write(path, lambda fh: fh.write(text), force=force, stdout=stdout)
