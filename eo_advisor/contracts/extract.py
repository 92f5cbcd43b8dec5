"""A contract file (or stdin) to one text, with the offset where each page starts.

Plain text and markdown are read as UTF-8 (UTF-16 with a byte-order mark; Windows-1252
when the bytes are not UTF-8). ``.docx`` is read with python-docx, paragraphs and table
rows in document order, after its zip directory has been checked (member count, sizes,
compression ratio), so a zip bomb is refused before anything is inflated. ``.pdf`` is
read with pypdf, page by page, within a page count and a time budget. The kind is told
by the first bytes, not the name.

Every way a file can fail is one :class:`~eo_advisor.errors.InputError` line naming the
file: too large, encrypted, corrupt, no text layer (a scan), a zip bomb, an unsupported
kind. pypdf and python-docx are imported only when a file needs them. Nothing here
opens a network connection.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import IO, Any, NamedTuple

from eo_advisor.edge.files import display_name, read_capped
from eo_advisor.errors import InputError

#: Bytes read from one file or stdin at the most: a long contract as a PDF is a few MB.
MAX_FILE_BYTES = 25_000_000
#: Characters of extracted text at the most (a 500-page contract is about 1.5 million).
MAX_TEXT_CHARS = 5_000_000
#: Pages of a PDF at the most.
MAX_PAGES = 2_000
#: Seconds the text extraction of one PDF may take.
MAX_PDF_SECONDS = 60.0
#: A .docx: members, uncompressed bytes of one member and of all, and the largest
#: ratio of uncompressed to compressed size for a member over 1 MB.
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_MEMBER_BYTES = 50_000_000
MAX_ZIP_TOTAL_BYTES = 100_000_000
MAX_ZIP_RATIO = 100

SUPPORTED = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx")


class Document(NamedTuple):
    source: str
    text: str
    page_starts: tuple[int, ...] = ()  # offset of each page's first character (PDF)


def read_bytes(path: str, stdin: IO[str] | None = None) -> bytes:
    """The bytes of ``path`` (``-`` = stdin), at most MAX_FILE_BYTES."""
    name = display_name(path)
    read = read_capped(path, MAX_FILE_BYTES, stdin)
    data = read.encode("utf-8") if isinstance(read, str) else read
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name}: larger than {MAX_FILE_BYTES:,} bytes; a contract is rarely over a few MB (give the insurance section alone)")
    return data


def extract(path: str, stdin: IO[str] | None = None) -> Document:
    """The text of a contract file, by what its bytes are."""
    name = display_name(path)
    data = read_bytes(path, stdin)
    if not data.strip():
        raise InputError(f"{name}: is empty")
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return _pdf(name, data)
    if data.startswith(b"PK\x03\x04"):
        return _docx(name, data)
    suffix = Path(path).suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".doc", ".rtf", ".odt", ".pages") or data.startswith(b"{\\rtf"):
        raise InputError(f"{name}: not a format eo-advisor reads; save it as .docx, .pdf or plain text")
    return Document(name, _check_length(name, _decode(name, data)))


def _check_length(name: str, text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{name}: more than {MAX_TEXT_CHARS:,} characters of text; give the insurance section alone")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: a binary file, not text, .docx or .pdf")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def check_zip(name: str, data: bytes) -> None:
    """Refuse a zip whose directory promises too much (a zip bomb) before inflating it."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(f"{name}: not a readable .docx (broken zip: {exc})") from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"{name}: a .docx of {len(members):,} parts; refused (at most {MAX_ZIP_MEMBERS:,})")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ZIP_MEMBER_BYTES or total > MAX_ZIP_TOTAL_BYTES or (info.file_size > 1_000_000 and ratio > MAX_ZIP_RATIO):
            raise InputError(
                f"{name}: a .docx that would inflate to {info.file_size:,} bytes in {info.filename} (ratio {ratio:,.0f}:1); refused as a zip bomb"
            )
    if "word/document.xml" not in {m.filename for m in members}:
        raise InputError(f"{name}: a zip file, but not a Word .docx (no word/document.xml)")


def _docx(name: str, data: bytes) -> Document:
    check_zip(name, data)
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{name}: reading .docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    cells = list(dict.fromkeys(c.text.strip() for c in row.cells))
                    parts.append(" | ".join(c for c in cells if c))
            else:
                parts.append(block.text)
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a broken file
        raise InputError(f"{name}: not a readable .docx ({type(exc).__name__}: {str(exc)[:120]})") from None
    return Document(name, _check_length(name, "\n".join(parts)))


def _pdf(name: str, data: bytes) -> Document:
    import logging

    try:
        import pypdf
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{name}: reading PDF needs pypdf (pip install pypdf)") from None
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)  # pypdf's warnings about odd files are not the user's business
    logger.propagate = False
    try:
        return _pdf_text(name, data, pypdf)
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _pdf_text(name: str, data: bytes, pypdf: Any) -> Document:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # a cipher pypdf cannot open without extra packages
                opened = 0
            if not opened:
                raise InputError(f"{name}: an encrypted PDF (a password is needed); save an unprotected copy first")
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise InputError(f"{name}: a PDF of {count:,} pages; refused (at most {MAX_PAGES:,})")
        deadline = time.monotonic() + MAX_PDF_SECONDS
        text, starts = "", []
        for i, page in enumerate(reader.pages):
            if time.monotonic() > deadline:
                raise InputError(f"{name}: reading the PDF took over {MAX_PDF_SECONDS:.0f} s (stopped at page {i + 1} of {count})")
            starts.append(len(text))
            text += (page.extract_text() or "").strip("\n") + "\n\n"
            if len(text) > MAX_TEXT_CHARS:
                _check_length(name, text)
    except InputError:
        raise
    except Exception as exc:  # a broken PDF fails pypdf in many ways (PdfReadError, KeyError, RecursionError...)
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not text.strip():
        raise InputError(
            f"{name}: a PDF with no text layer (a scanned image?); eo-advisor does not read images: give a PDF with text, or the clause as text"
        )
    return Document(name, text, tuple(starts))
