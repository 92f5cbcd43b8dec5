"""Reading inputs and writing outputs safely: ``-`` for stdin/stdout, size and
encoding checks with clear errors, atomic writes that never clobber without force.

The writing rules (documented in docs/cli.md, "Files"): a regular file is replaced
atomically and only with --force, keeping its mode; a new one gets 0666 less the
umask; a symbolic link is written through (its target is replaced, the link stays);
a character device or FIFO (``/dev/stdout``, ``/dev/null``, a named pipe) is written
into; a directory, socket or block device is refused. Every OS error becomes one
line naming the path and the reason."""

from __future__ import annotations

import errno
import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from eo_advisor.edge.caps import MAX_NESTING, MAX_PROFILE_BYTES
from eo_advisor.errors import InputError, OutputError, os_reason

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
        raise InputError.from_oserror(name, exc) from None


def read_capped(path: str, max_bytes: int, stdin: IO[str] | None = None) -> bytes | str:
    """At most ``max_bytes + 1`` of ``path`` (``-`` = stdin), so a caller can tell a file
    over its cap: bytes, or text from a stdin stream that has no byte buffer."""
    name = display_name(path)
    with input_errors(name):
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin
            buffer = getattr(stream, "buffer", None)
            return buffer.read(max_bytes + 1) if buffer is not None else stream.read(max_bytes + 1)
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{name}: is a directory, expected a file")
        with p.open("rb") as fh:
            return fh.read(max_bytes + 1)


def read_text(path: str, *, stdin: IO[str] | None = None, max_bytes: int = MAX_PROFILE_BYTES) -> str:
    """Whole text of a small file (or stdin for ``-``), checked for size and UTF-8."""
    name = display_name(path)
    data = read_capped(path, max_bytes, stdin)
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


STDOUT_NAME = "<stdout>"


def _same_as_stdout(st: os.stat_result) -> bool:
    """Is this the very file our stdout (fd 1) is? (/dev/stdout, /dev/fd/1, or a
    path that stdout happens to be redirected to)."""
    try:
        return os.path.samestat(st, os.fstat(1))
    except (OSError, ValueError):
        return False


def _umask() -> int:
    try:  # Linux >= 4.7 reports it without changing it
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _not_writable(directory: str) -> str:
    """Why ``directory`` cannot be written: "Read-only file system" when it is mounted
    read-only (EROFS), else "Permission denied"."""
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return os_reason(OSError(errno.EROFS, ""))
    except (OSError, AttributeError):
        pass
    return os_reason(OSError(errno.EACCES, ""))


def _target(path: str, *, force: bool) -> tuple[str, str]:
    """Where a write to ``path`` goes, as ``(kind, path to write)``.

    kinds: ``stdout`` (``-``, or a path that is our stdout), ``stream`` (an existing
    character device or FIFO: written into, never replaced, no --force needed),
    ``new`` (no such file yet), ``file`` (an existing regular file, allowed by
    --force; a symbolic link resolves to its target, which is what gets replaced,
    so the link itself stays). Anything else (a directory, a socket, a block
    device, a dangling link) is refused with an :class:`OutputError`.
    """
    if path == "-":
        return "stdout", path
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutputError(f"{path}: is a symbolic link to a missing file ({os.readlink(path)}); give a real path") from None
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise OutputError(f"{path}: directory {parent!r} does not exist") from None
        if not os.access(parent, os.W_OK):
            raise OutputError(f"{path}: {_not_writable(parent)} (cannot create files in {parent})") from None
        return "new", path
    except NotADirectoryError:
        raise OutputError(f"{path}: a part of the path is not a directory") from None
    except OSError as exc:
        raise OutputError.from_oserror(path, exc) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a directory")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return ("stdout" if _same_as_stdout(st) else "stream"), path
    if stat.S_ISSOCK(mode):
        raise OutputError(f"{path}: is a socket; eo-advisor writes to files, pipes and terminals only")
    if not stat.S_ISREG(mode):
        raise OutputError(f"{path}: is not a regular file (a block device?); refusing to write to it")
    if _same_as_stdout(st):  # e.g. -o /dev/stdout while stdout is redirected to a file
        return "stdout", path
    if not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    real = os.path.realpath(path)
    parent = os.path.dirname(real)
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: {_not_writable(parent)} (cannot replace files in {parent})")
    return "file", real


def check_writable(path: str, *, force: bool) -> str:
    """Fail early (before any prompt or work) if ``path`` cannot be written.

    Returns the kind of target (see :func:`_target`): ``stdout``, ``stream``,
    ``new`` or ``file``."""
    return _target(path, force=force)[0]


def same_destination(output: str, other: str, *, other_is_input: bool = False) -> bool:
    """Would writing ``output`` clobber or mix with ``other``: both stdout, or the
    same regular file (after resolving links, ``..`` and hard links)? Devices and
    pipes (``/dev/null``) never count as the same. ``-`` as an input is stdin."""

    def key(path: str, is_input: bool) -> tuple[Any, ...]:
        if path == "-":
            return ("stdin",) if is_input else ("stdout",)
        try:
            st = os.stat(path)
        except OSError:
            return ("path", os.path.realpath(path))
        if not is_input and _same_as_stdout(st):
            return ("stdout",)
        if stat.S_ISREG(st.st_mode):
            return ("file", st.st_dev, st.st_ino)
        return ("other", is_input, path)

    return key(output, False) == key(other, other_is_input)


def _regular_identity(st: os.stat_result) -> tuple[int, int] | None:
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def _fd_identity(stream: Any) -> tuple[int, int] | None:
    try:
        return _regular_identity(os.fstat(stream.fileno()))
    except (AttributeError, OSError, ValueError):
        return None  # not a real file (a test's capture, a closed descriptor)


def input_files(paths: list[str], stdin: Any = None) -> dict[tuple[int, int], str]:
    """Every regular file the inputs will read, by (device, inode): a file, each
    ``.toml`` profile of a directory, and stdin (``-``) when it is redirected from a
    file. Named as the user would know them (``<stdin>`` for ``-``)."""
    found: dict[tuple[int, int], str] = {}
    for path in paths:
        if path == "-":
            key = _fd_identity(stdin if stdin is not None else sys.stdin)
            if key is not None:
                found.setdefault(key, "<stdin>")
            continue
        try:
            p = Path(path)
            members = [q for q in p.iterdir() if q.suffix.lower() == ".toml"] if p.is_dir() else [p]
            for q in members:
                key = _regular_identity(q.stat())
                if key is not None:
                    found.setdefault(key, str(q))
        except OSError:
            continue  # an input that cannot be read is reported when it is read
    return found


def output_file(path: str, stdout: Any = None) -> tuple[int, int] | None:
    """The regular file ``path`` would write into, by (device, inode): stdout's file for
    ``-`` (``>> book.csv``), the file a path names (through links); None for a new
    file, a terminal, a pipe or a device."""
    if path == "-":
        return _fd_identity(stdout if stdout is not None else sys.stdout)
    try:
        return _regular_identity(os.stat(path))
    except (OSError, ValueError):
        return None


@contextmanager
def output_errors(name: str) -> Iterator[None]:
    """Turn an OSError while writing ``name`` into one clear OutputError
    (``out.json: No space left on device``). A broken pipe is let through: the
    CLI ends quietly on it (the reader went away; nothing to report)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError.from_oserror(name, exc) from None


def atomic_write(
    path: str,
    writer: Callable[[IO[str]], object],
    *,
    force: bool,
    stdout: IO[str] | None = None,
    written: Callable[[str, bool], None] | None = None,
) -> None:
    """Write through ``writer`` to ``path``.

    A regular file is written to a temp file beside it (beside the target of a
    symbolic link), flushed, fsynced, then renamed over it: a failure, Ctrl-C,
    SIGTERM or SIGHUP part way leaves the old file as it was and no temp file. The
    new file gets the usual mode (0666 less the umask); a replaced one keeps its
    mode (and, when allowed, its owner). ``-`` (or a path that is our stdout)
    writes to ``stdout``; an existing character device or FIFO is written into,
    never replaced. ``written(name, partial)`` is told when output to a stream
    starts (``("-", True)`` for stdout, ``(path, True)`` for a device or FIFO: part
    of it may be out whatever happens next) and when a file is complete
    (``(path, False)``), so an interrupt can say what was written.
    OS errors become :class:`OutputError` naming the path and the reason.
    """
    kind, target = _target(path, force=force)
    if kind in ("stdout", "stream"):
        _write_stream(path, kind, target, writer, stdout, written)
        return
    _write_replacing(path, target, os.stat(target) if kind == "file" else None, writer, force=force)
    if written:
        written(path, False)


def _write_stream(
    path: str, kind: str, target: str, writer: Callable[[IO[str]], object], stdout: IO[str] | None, written: Callable[[str, bool], None] | None
) -> None:
    """Stdout, or a character device or FIFO: written into, never replaced."""
    if kind == "stdout":
        stream = stdout if stdout is not None else sys.stdout
        if written:
            written("-", True)
        with output_errors(STDOUT_NAME if path == "-" else path):
            writer(stream)
            stream.flush()
        return
    with output_errors(path):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            if written:
                written(path, True)
            writer(fh)


def _write_replacing(path: str, target: str, existing: os.stat_result | None, writer: Callable[[IO[str]], object], *, force: bool) -> None:
    """A regular file: a temp file beside it, fsynced, then renamed over it (``force``)
    or published only if the name is still free (:func:`_publish_new`); on any failure
    the temp file is removed and the old file is as it was."""

    # a replaced file keeps its permissions, never a setuid, setgid or sticky bit
    # (what writing into it would have cleared too)
    mode = stat.S_IMODE(existing.st_mode) & 0o777 if existing else 0o666 & ~_umask()
    directory, name = os.path.split(target)
    tmp = _temp_name(name, directory or ".")
    try:
        fd = _create_temp(tmp, path)
        with output_errors(path):
            os.fchmod(fd, mode)
            if existing is not None and (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(fd, existing.st_uid, existing.st_gid)
                except OSError:
                    pass  # not allowed (not root): the file becomes ours, as with any editor
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                writer(fh)
                fh.flush()
                os.fsync(fh.fileno())
            if force:
                os.replace(tmp, target)
            else:
                _publish_new(tmp, target, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temp_name(name: str, directory: str) -> str:
    """A fresh temp file name beside the target (not yet created)."""
    import secrets

    return os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")


def _create_temp(tmp: str, path: str) -> int:
    """Create ``tmp`` exclusively. Its name is known before it exists, so an interrupt at
    any point leaves the clean-up a name to remove."""
    with output_errors(path):
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)


def _publish_new(tmp: str, target: str, path: str) -> None:
    """Give the finished temp file its name only if no file has that name: a hard link
    (atomic, fails if the name exists), so two runs writing the same new output cannot
    both succeed, one silently replacing the other. Where hard links are not allowed,
    the name is first taken with ``O_EXCL``, then the temp file renamed over it."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise OutputError(f"{path}: already exists (created while this run worked); use --force to overwrite it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV, errno.ENOSYS):
            raise
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise OutputError(f"{path}: already exists (created while this run worked); use --force to overwrite it") from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def write_text(
    path: str,
    text: str,
    *,
    force: bool,
    stdout: IO[str] | None = None,
    written: Callable[[str, bool], None] | None = None,
) -> None:
    atomic_write(path, lambda fh: fh.write(text), force=force, stdout=stdout, written=written)


def silence_stdout(stream: IO[str] | None = None) -> None:
    """After stdout failed (a closed pipe, a full disk): point fd 1 at /dev/null so
    Python's flush at exit neither fails again nor prints "Exception ignored"
    (the Python docs' recipe for SIGPIPE)."""
    stream = stream if stream is not None else sys.stdout
    try:
        fileno = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing will flush at exit
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)
    except OSError:
        pass
