"""The interactive interview (questionary), driven by the FIELDS table.

Imported only when a prompt is really needed: questionary and prompt_toolkit are
slow to import. Prompts draw on stderr so stdout carries only the result.
Ctrl-C raises KeyboardInterrupt (``unsafe_ask``); the CLI turns it into exit 130.
"""

from __future__ import annotations

from typing import Any, Callable

import questionary
from prompt_toolkit.output import create_output

from .profile import FIELD_BY_KEY, FIELDS, Field, parse_field
from .rules import Rules, load_rules
from .termenv import Env

STYLE = questionary.Style([("qmark", "fg:#5f87af bold"), ("question", "bold"), ("answer", "fg:#5f87af")])


class Asker:
    def __init__(self, env: Env, rules: Rules | None = None) -> None:
        self.env = env
        self.rules = rules or load_rules()
        self.kwargs: dict[str, Any] = {"style": STYLE}
        if env.prompt_input is not None:
            self.kwargs["input"] = env.prompt_input
        self.kwargs["output"] = env.prompt_output if env.prompt_output is not None else create_output(stdout=env.stderr)

    def _validator(self, f: Field) -> Callable[[str], Any]:
        def check(text: str) -> Any:
            if not f.required and text.strip() == "":
                return True
            try:
                parse_field(f, text, self.rules)
            except ValueError as exc:
                return str(exc)
            return True

        return check

    def ask(self, f: Field, default: Any = None) -> Any:
        """Ask one field; return the raw answer (parsed later by the profile model)."""
        default = f.default if default is None else default
        kind = f.kind
        if kind in ("services", "industries"):
            vocab = self.rules.services if kind == "services" else self.rules.industries
            chosen = set(default or [])
            choices = [questionary.Choice(f"{v['label']} ({vid})", value=vid, checked=vid in chosen) for vid, v in vocab.items()]
            return questionary.checkbox(
                f.label,
                choices=choices,
                validate=lambda picked: True if picked else "Pick at least one (space to select, enter to confirm)",
                **self.kwargs,
            ).unsafe_ask()
        if kind == "bool":
            return questionary.confirm(f.label, default=bool(default), **self.kwargs).unsafe_ask()
        if kind == "choice":
            return questionary.select(f.label, choices=list(f.choices), default=default or f.choices[0], **self.kwargs).unsafe_ask()
        text_default = "" if default is None else str(default)
        answer = questionary.text(f.label, default=text_default, validate=self._validator(f), **self.kwargs).unsafe_ask()
        return answer.strip()

    def confirm(self, question: str, default: bool = False) -> bool:
        return bool(questionary.confirm(question, default=default, **self.kwargs).unsafe_ask())


_CYBER_SERVICES = {"cybersecurity", "managed_services", "cloud_services"}


def _listed(value: Any) -> set[str]:
    return set(value if isinstance(value, (list, tuple)) else str(value or "").replace(";", ",").split(","))


def _services(out: dict[str, Any]) -> set[str]:
    return {s.strip() for s in _listed(out.get("work.services"))}


# optional questions the full interview asks only when the answers so far let them
# change the advice (the others keep their neutral default)
ASK_WHEN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "business.max_deductible": lambda out: False,
    "work.largest_client_share": lambda out: False,
    "work.uses_subcontractors": lambda out: False,
    "work.foreign_revenue_share": lambda out: False,
    "work.safety_critical": lambda out: bool(_services(out) & {"software_development", "data_services"}) or out.get("work.builds_products") is True,
    "practices.mfa": lambda out: out.get("work.handles_sensitive_data") is True or bool(_services(out) & _CYBER_SERVICES),
    "practices.offline_backups": lambda out: out.get("work.handles_sensitive_data") is True or bool(_services(out) & _CYBER_SERVICES),
    "practices.endpoint_detection": lambda out: out.get("work.handles_sensitive_data") is True or bool(_services(out) & _CYBER_SERVICES),
    "current_policy.annual_premium": lambda out: out.get("current_policy.planned_change") not in (None, "", "none"),
}


def ask_missing(flat: dict[str, Any], keys: list[str], env: Env, *, full: bool = False) -> dict[str, Any]:
    """Ask for ``keys`` (in schema order) and return ``flat`` completed.

    With ``full`` (no profile given at all) the optional questions are asked too,
    and whether there is a current policy.
    """
    asker = Asker(env)
    out = dict(flat)
    wanted = set(keys)
    if full:
        env.message("eo-advisor: a few questions about your business (Ctrl-C to stop; nothing is saved until the end).")
    for f in FIELDS:
        if f.section == "current_policy":
            continue
        if f.key in wanted or (full and f.key not in out and ASK_WHEN.get(f.key, lambda o: True)(out)):
            out[f.key] = asker.ask(f)
    policy_keys = [f for f in FIELDS if f.section == "current_policy"]
    has_policy = any(k.startswith("current_policy.") for k in out)
    if full and not has_policy:
        has_policy = asker.confirm("Do you have a Tech E&O / professional liability policy today?", default=False)
    for f in policy_keys:
        if f.key in out:
            continue
        if f.key in wanted or (full and has_policy and ASK_WHEN.get(f.key, lambda o: True)(out)):
            out[f.key] = asker.ask(f)
    return out


def ask_contracts(env: Env) -> list[dict[str, Any]]:
    """Client contracts and the cover each requires (the [[contracts]] tables)."""
    asker = Asker(env)
    contracts: list[dict[str, Any]] = []
    amount = Field("contracts.eo_limit", "amount", "", "", maximum=10_000_000_000)
    check_amount = asker._validator(amount)
    question = "Does a client contract set insurance requirements you want checked?"
    while asker.confirm(question, default=False):
        name = questionary.text("Client name", validate=lambda t: bool(t.strip()) or "Enter the client's name", **asker.kwargs).unsafe_ask().strip()
        eo_limit = questionary.text("E&O limit the contract requires (USD)", default="1M", validate=check_amount, **asker.kwargs).unsafe_ask()
        entry: dict[str, Any] = {"client": name, "eo_limit": eo_limit.strip()}
        cyber = questionary.text("Cyber limit it requires (USD, blank if none)", default="",
                                 validate=lambda t: True if not t.strip() else check_amount(t), **asker.kwargs).unsafe_ask().strip()
        if cyber:
            entry["cyber_limit"] = cyber
        entry["defense_outside_limits"] = asker.confirm("Does it ask for defense costs outside the limit (non-eroding)?", default=False)
        entry["additional_insured"] = asker.confirm("Does it ask to be named additional insured?", default=False)
        contracts.append(entry)
        question = "Another contract?"
    return contracts


__all__ = ["Asker", "ask_missing", "ask_contracts", "FIELD_BY_KEY"]
