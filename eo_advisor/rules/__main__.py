"""Regenerate the pre-parsed rules snapshot: ``python -m eo_advisor.rules``.
Tables keep the files' order (it is meaningful: gap rules, vocabulary, actions).

Run it after editing any rules file (a test fails until the snapshot matches; a stale
snapshot is never used: its key is a hash of the files' text and the version)."""

from __future__ import annotations

import json

from eo_advisor.rules import COMPILED, compile_snapshot

if __name__ == "__main__":
    COMPILED.write_text(json.dumps(compile_snapshot(), ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"wrote {COMPILED}")
