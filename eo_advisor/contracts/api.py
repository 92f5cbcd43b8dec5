"""What ``assess --contract`` and scripts call: a contract file in, a reading or a
``[[contracts]]`` table out.

    from eo_advisor.contracts.api import read_file, contract_tables
    reading = read_file("msa.pdf", value=450_000)
    reading.to_dict()                     # == contract read --format json
    contract_tables(["msa.pdf"], client="First Regional Bank")   # [[contracts]] tables
"""

from __future__ import annotations

from typing import IO, Any, Iterable

from eo_advisor.contracts.extract import extract
from eo_advisor.contracts.model import Reading
from eo_advisor.contracts.reader import read_contract
from eo_advisor.contracts.render import NEW_KEYS, contract_table


def read_file(path: str, *, value: int | None = None, stdin: IO[str] | None = None) -> Reading:
    """The reading of one contract file (``-`` = stdin); raises
    :class:`~eo_advisor.errors.InputError` with one line when the file cannot be read."""
    doc = extract(path, stdin)
    return read_contract(doc.text, source=doc.source, page_starts=doc.page_starts, contract_value=value)


def contract_tables(paths: Iterable[str], *, client: str | None = None, value: int | None = None, today_only: bool = False) -> list[dict[str, Any]]:
    """One ``[[contracts]]`` table per file that asks for insurance (an empty reading gives
    none). ``today_only``: without the keys the profile does not take yet (``NEW_KEYS``)."""
    out = []
    for path in paths:
        reading = read_file(path, value=value)
        if reading.empty_reason:
            continue
        table = contract_table(reading, client)
        out.append({k: v for k, v in table.items() if not (today_only and k in NEW_KEYS)})
    return out
