"""Faults for the worker-process tests (tests/test_batch_jobs.py): importable by name in
a spawned worker, which is how the executor sends an initializer there."""

from __future__ import annotations

import os


def die_at_start(*args: object) -> None:
    os._exit(3)  # a worker that cannot start (a missing library, no memory)
