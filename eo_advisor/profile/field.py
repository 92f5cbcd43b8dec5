"""One field of the profile schema: what a key holds and how it is asked."""

from __future__ import annotations

from typing import Any, NamedTuple


class Field(NamedTuple):
    key: str
    kind: str  # amount | count | bool | services | industries | industry | client | text | date | choice | state
    label: str  # the question (or, for a contract key, what it is)
    help: str  # one line for the template, the docs and the error on a missing answer
    required: bool = True
    default: Any = None  # offered at the prompt
    maximum: int | None = None
    example: Any = None  # used by the template
    choices: tuple[str, ...] = ()  # for kind "choice"
    fact: str | None = None  # the gap-rule fact a yes makes true (rules/gaps.toml); "<fact>?" when not answered
    when: tuple[str, ...] = ()  # facts of which one must hold for the question to matter (asked, and "?" when unanswered)
    choice_labels: tuple[str, ...] = ()  # for kind "choice": how each choice is shown, in order

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


_B = 1_000_000_000
