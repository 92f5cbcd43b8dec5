"""Rounding to a ladder of amounts commonly sold (limits, aggregates, deductibles)."""

from __future__ import annotations


def round_up_to_ladder(amount: float, ladder: tuple[int, ...]) -> int | None:
    """Smallest rung >= amount, or None when the amount is above the top rung."""
    for rung in ladder:
        if rung >= amount:
            return rung
    return None


def round_down_to_ladder(amount: float, ladder: tuple[int, ...], default: int) -> int:
    """Largest rung <= amount, or ``default`` when the amount is below the lowest rung."""
    return max([rung for rung in ladder if rung <= amount], default=default)
