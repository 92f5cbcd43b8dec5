"""The prompt primitives of the interview (questionary), drawn on stderr: one field
by its kind, yes/no (three-state for a field the profile does not require), typed
answers whose default is a hint taken on Enter (what is typed replaces it, never
appends to it), checklists that say back what was ticked, and ``<`` to go back.

Imported only when a prompt is really needed: questionary and prompt_toolkit are
slow to import. Ctrl-C raises KeyboardInterrupt (``unsafe_ask``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, TextIO, cast

import questionary
from prompt_toolkit.output import create_output

from eo_advisor.edge.terminal import Env
from eo_advisor.profile.parse import parse_field
from eo_advisor.profile.schema import Field
from eo_advisor.rules import Rules, load_rules

STYLE = questionary.Style([("qmark", "fg:#5f87af bold"), ("question", "bold"), ("answer", "fg:#5f87af")])

# facts only the user can give: never pre-filled, whatever FIELDS offers as a default
NO_DEFAULT = frozenset(
    {
        "business.annual_revenue",
        "business.years_in_business",
        "work.largest_contract",
        "current_policy.limit",
        "current_policy.deductible",
    }
)
# choices shown by label (the value stored is the id)
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "current_policy.planned_change": {
        "none": "No change planned",
        "switch_insurer": "Switching to another insurer",
        "close_business": "Closing the business (winding it down)",
    },
    "current_policy.defense_costs": {
        "eroding": "Eroding: defense costs come out of the limit",
        "non-eroding": "Non-eroding: defense costs are paid on top of the limit",
    },
}
CHECKLIST_HINT = "(space to tick, Enter when done; nothing ticked = none)"


BACK = ("<", "back")  # typed at any typed answer: go back to the previous question
SKIP_SAVE = ("no", "n", "-")  # typed at the save prompt: do not save


class GoBack(Exception):
    """The user typed ``<`` (or ``back``): ask the previous question again."""


def _hinted(question: str, default: str) -> str:
    return f"{question} (Enter: {default})" if default else question


class Asker:
    def __init__(self, env: Env, rules: Rules | None = None, as_of: _dt.date | None = None) -> None:
        self.env = env
        self.rules = rules or load_rules()
        self.as_of = as_of or _dt.date.today()
        self.kwargs: dict[str, Any] = {"style": STYLE}
        if env.prompt_input is not None:
            self.kwargs["input"] = env.prompt_input
        self.kwargs["output"] = env.prompt_output if env.prompt_output is not None else create_output(stdout=cast("TextIO", env.stderr))

    def _kw(self, where: str | None) -> dict[str, Any]:
        return {**self.kwargs, "qmark": where} if where else self.kwargs

    def _validator(self, f: Field, default: str = "") -> Callable[[str], Any]:
        def check(text: str) -> Any:
            if text.strip() in BACK:
                return True
            if text.strip() == "":
                return True if default or not f.required else f"Required: {f.help}"
            try:
                value = parse_field(f, text, self.rules)
            except ValueError as exc:
                return str(exc)
            if f.key == "current_policy.retroactive_date" and isinstance(value, _dt.date) and value > self.as_of:
                return (
                    f"{value.isoformat()} is in the future; a retroactive date is on or before the policy's start (today: {self.as_of.isoformat()})"
                )
            return True

        return check

    def ask(self, f: Field, default: Any = None, where: str | None = None) -> Any:
        """Ask one field; return the raw answer (parsed later by the profile model).
        ``where`` ("4 of 11") is shown before the question. A default is shown as a hint
        and taken on Enter, never pre-filled (what is typed replaces it). A yes/no field
        the profile does not require may be answered "not sure" (None)."""
        if default is None and f.key not in NO_DEFAULT:
            default = f.default
        kind, kw = f.kind, self._kw(where)
        if kind in ("services", "industries"):
            return self._vocabulary(f, default, kw)
        if kind == "bool":
            return self.yes_no(f.label, default, where, optional=not f.required)
        if kind == "choice":
            labels = CHOICE_LABELS.get(f.key) or dict(zip(f.choices, f.choice_labels, strict=False))
            choices = [questionary.Choice(labels.get(c, c.replace("_", " ")), value=c) for c in f.choices]
            return questionary.select(f.label, choices=choices, default=default or f.choices[0], **kw).unsafe_ask()
        text_default = "" if default is None else str(default)
        answer = str(questionary.text(_hinted(f.label, text_default), validate=self._validator(f, text_default), **kw).unsafe_ask()).strip()
        if answer in BACK:
            raise GoBack
        return answer or text_default

    def _vocabulary(self, f: Field, default: Any, kw: dict[str, Any]) -> Any:
        vocab = self.rules.services if f.kind == "services" else self.rules.industries
        chosen = set(default or [])
        choices = [questionary.Choice(str(v["label"]), value=vid, checked=vid in chosen) for vid, v in vocab.items()]
        picked = questionary.checkbox(
            f.label, choices=choices, validate=lambda picked: True if picked else "Pick at least one (space to select, Enter to confirm)", **kw
        ).unsafe_ask()
        self._echo([str(vocab[v]["label"]) for v in picked or ()])
        return picked

    def yes_no(self, question: str, default: Any = False, where: str | None = None, *, optional: bool = False) -> bool | None:
        """Yes or no; with ``optional``, also "Not sure / skip" (None), for a field the
        profile model does not require (``Field.required`` False)."""
        if not optional:
            return bool(questionary.confirm(question, default=bool(default), **self._kw(where)).unsafe_ask())
        choices = [questionary.Choice("Yes", value=True), questionary.Choice("No", value=False), questionary.Choice("Not sure / skip", value="skip")]
        start = {True: choices[0], False: choices[1]}.get(default, choices[2]) if default is not None else choices[2]
        answer = questionary.select(question, choices=choices, default=start, **self._kw(where)).unsafe_ask()
        return None if answer == "skip" else bool(answer)

    def confirm(self, question: str, default: bool = False, where: str | None = None) -> bool:
        return bool(questionary.confirm(question, default=default, **self._kw(where)).unsafe_ask())

    def text(self, question: str, validate: Callable[[str], Any], default: str = "", where: str | None = None) -> str:
        """A typed answer: ``default`` is a hint taken on Enter (never pre-filled);
        ``<`` or ``back`` raises :class:`GoBack`."""

        def check(text: str) -> Any:
            return True if text.strip() in BACK or (default and not text.strip()) else validate(text)

        answer = str(questionary.text(_hinted(question, default), validate=check, **self._kw(where)).unsafe_ask()).strip()
        if answer in BACK:
            raise GoBack
        return answer or default

    def checklist(self, question: str, items: list[tuple[str, str]], where: str | None = None) -> set[str]:
        """Tick what applies: the ids of the items ticked (none ticked: an empty set).
        What was ticked is said back, by label, under the question."""
        choices = [questionary.Choice(label, value=key) for key, label in items]
        picked = set(questionary.checkbox(question, choices=choices, instruction=CHECKLIST_HINT, **self._kw(where)).unsafe_ask() or ())
        self._echo([label for key, label in items if key in picked])
        return picked

    def _echo(self, labels: list[str]) -> None:
        self.env.message("  ticked: " + "; ".join(labels) if labels else "  ticked: none")
