"""The interactive interview (questionary), driven by the FIELDS table.

Imported only when a prompt is really needed: questionary and prompt_toolkit are
slow to import. Prompts draw on stderr so stdout carries only the result.
Ctrl-C raises KeyboardInterrupt (``unsafe_ask``); the CLI turns it into exit 130.

The full interview (:func:`interview`, no profile given) asks only what can change
the advice, given the answers so far (docs/cli.md, "The interview"):

* facts only the user knows (revenue, years in business, largest contract, services,
  industries, a contract's required limit, the current policy's limit and
  deductible) have no default: an empty answer is refused with a hint;
  defaults only where a neutral answer exists (0 staff, no claims, "no");
* yes/no facts of one kind are one checklist (tick what applies; nothing ticked =
  no): the work, the practices, a contract's requirements, the current cover, the
  cyber controls;
* follow-ups open only when an answer opens them: how many claims (a claim ticked),
  whether software can injure people (software work or an own product), each
  contract's details (contracts with requirements), the policy block (a policy held),
  the annual premium (a change planned), the cyber controls (a cyber gap or a cyber
  cover is possible, by the same gap rules the engine uses);
* ``work.contractual_minimum`` is not asked: the contract question covers it. The
  question asks for every contract that sets requirements, so the highest limit among
  them is the answer for all contracts (0 when there are none): a stated requirement
  then replaces the floors assumed for public-sector and data-access clients, as it
  does in a profile;
* each question shows where it stands, "4 of 11": the questions asked so far plus
  those still to come given the answers so far (the total grows when an answer
  opens questions);
* every choice is shown by its label, never its id.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, NamedTuple

from eo_advisor.cli.prompts import BACK, SKIP_SAVE, Asker, GoBack
from eo_advisor.edge.terminal import Env
from eo_advisor.errors import EOAdvisorError
from eo_advisor.profile.parse import parse_dollars, parse_text
from eo_advisor.profile.schema import FIELD_BY_KEY, FIELDS, Field

MAX_CONTRACTS = 20
DEFAULT_PROFILE_NAME = "eo-advisor-profile.toml"


# ---------------------------------------------------------------------------
# When an optional answer can change the advice
# ---------------------------------------------------------------------------
_SAFETY_SERVICES = {"software_development", "data_services"}


def _listed(value: Any) -> set[str]:
    return set(value if isinstance(value, (list, tuple)) else str(value or "").replace(";", ",").split(","))


def _services(out: dict[str, Any]) -> set[str]:
    return {s.strip() for s in _listed(out.get("work.services"))}


def gap_facts(out: dict[str, Any], contracts: list[dict[str, Any]] | None = None) -> frozenset[str]:
    """The facts the gap rules test, from the answers so far (:func:`eo_advisor.advice.engine.gap_facts`):
    what is not answered yet counts as absent."""
    from eo_advisor.advice.facts import gap_facts as facts_of
    from eo_advisor.rules.ruleset import ruleset

    contracts = contracts if contracts is not None else list(out.get("contracts") or [])
    lists = {
        "work.services": {s for s in _services(out) if s},
        "work.client_industries": {s.strip() for s in _listed(out.get("work.client_industries")) if s.strip()},
        "business.employees": 0 if str(out.get("business.employees", "0")).strip() in ("", "0") else 1,
    }

    def answer(section: str, name: str) -> Any:
        key = f"{section}.{name}"
        return lists[key] if key in lists else out.get(key) is True

    return facts_of(answer, contracts, ruleset())


def cyber_controls_matter(out: dict[str, Any]) -> bool:
    """Whether the cyber-control answers can change the advice: exactly when the review
    would weigh them (a cyber gap, or cyber cover held while a cyber exposure exists)."""
    from eo_advisor.advice.findings import cyber_controls_weigh
    from eo_advisor.rules.ruleset import ruleset

    return cyber_controls_weigh(gap_facts(out), ruleset())


# optional questions the full interview asks only when the answers so far let them
# change the advice (the others keep their neutral default)
ASK_WHEN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "business.max_deductible": lambda out: False,
    "work.largest_client_share": lambda out: False,
    "work.uses_subcontractors": lambda out: False,
    "work.foreign_revenue_share": lambda out: False,
    "work.safety_critical": lambda out: bool(_services(out) & _SAFETY_SERVICES) or out.get("work.builds_products") is True,
    "practices.mfa": cyber_controls_matter,
    "practices.offline_backups": cyber_controls_matter,
    "practices.endpoint_detection": cyber_controls_matter,
    "current_policy.annual_premium": lambda out: out.get("current_policy.planned_change") not in (None, "", "none"),
}


# ---------------------------------------------------------------------------
# The full interview
# ---------------------------------------------------------------------------
def looks_like_contract(text: str) -> bool:
    """A file that exists, or text long enough to be a clause rather than a client's name."""
    from pathlib import Path

    return (len(text) < 300 and Path(text).expanduser().is_file()) or (len(text) > 80 and any(c.isdigit() for c in text))


def read_clause(text: str) -> dict[str, Any]:
    """One [[contracts]] table from a contract file, or from a clause pasted as text
    ({} when it states no insurance requirement)."""
    from pathlib import Path

    from eo_advisor.contracts.api import contract_tables
    from eo_advisor.contracts.reader import read_contract
    from eo_advisor.contracts.render import contract_table

    if len(text) < 300 and Path(text).expanduser().is_file():
        tables = contract_tables([str(Path(text).expanduser())])
        return tables[0] if tables else {}
    reading = read_contract(text, source="<pasted>")
    return {} if reading.empty_reason else contract_table(reading)


class Step(NamedTuple):
    id: str
    ask: Callable[[str], None]  # receives "4 of 11"


def _count_check(maximum: int) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        t = text.strip()
        if not t:
            return "Required: a whole number (0 if none)"
        if not (t.isdigit() and t.isascii()):
            return f"expected a whole number, got {t!r}"
        return True if int(t) <= maximum else f"at most {maximum}"

    return check


class Interview:
    """The questions of a full interview, planned afresh after every answer."""

    def __init__(self, asker: Asker) -> None:
        self.asker = asker
        self.out: dict[str, Any] = {}
        self.contracts: list[dict[str, Any]] = []
        self.n_contracts = 0
        self.has_policy = False
        self.claims = False
        self.done: list[str] = []

    # -- steps ----------------------------------------------------------------
    def _field(self, key: str) -> Step:
        def ask(where: str) -> None:
            self.out[key] = self.asker.ask(FIELD_BY_KEY[key], where=where)

        return Step(key, ask)

    def _work_items(self) -> list[tuple[str, str]]:
        items = [
            ("work.handles_sensitive_data", "You handle personal, health or payment data of your clients' customers"),
            ("work.onsite_work", "You work at client premises or install hardware"),
            ("work.builds_products", "You sell your own software product, SaaS or licensed IP"),
        ]
        if _services(self.out) & _SAFETY_SERVICES:
            items.append(("work.safety_critical", "A failure of your software could injure people (medical, industrial control, vehicles)"))
        items.append(("claims", "A client has made a claim or demand against you in the last 5 years"))
        return items

    def _work(self, where: str) -> None:
        items = self._work_items()
        ticked = self.asker.checklist("Which of these apply to your business?", items, where)
        for key, _label in items:
            if key != "claims":
                self.out[key] = key in ticked
        self.claims = "claims" in ticked
        self.out["history.claims_last_5_years"] = "1" if self.claims else "0"  # the count follows if ticked

    def _claims(self, where: str) -> None:
        n = self.asker.text("How many claims or demands in the last 5 years?", _count_check(1000), "1", where)
        self.out["history.claims_last_5_years"] = n

    def _practices(self, where: str) -> None:
        keys = ("practices.contracts_limit_liability", "practices.project_documentation", "practices.qa_testing", "practices.communication_logs")
        items = [
            ("practices.contracts_limit_liability", "Contracts reviewed by a lawyer, with a limitation-of-liability clause"),
            ("practices.project_documentation", "Project documentation kept (change orders, approvals, sign-offs)"),
            ("practices.qa_testing", "A formal QA / testing process before delivery"),
            ("practices.communication_logs", "Client communication logs kept"),
        ]
        ticked = self.asker.checklist("Which of these practices do you have in place?", items, where)
        for key in keys:
            self.out[key] = key in ticked

    def _n_contracts(self, where: str) -> None:
        n = self.asker.text(
            "How many client contracts set insurance requirements (an E&O limit, cyber cover, defense outside the limit, additional insured)? 0 if none",
            _count_check(MAX_CONTRACTS),
            "0",
            where,
        )
        self.n_contracts = int(n)
        self.out["work.contractual_minimum"] = 0  # the contracts carry the requirement

    def _contract_steps(self, i: int) -> list[Step]:
        nth = f"contract {i + 1}" if self.n_contracts > 1 else "the contract"
        amount = Field("contracts.eo_limit", "amount", "", "The E&O limit the contract requires, e.g. 2M.", maximum=10_000_000_000)
        check_amount = self.asker._validator(amount)
        read = self.contracts[i] if len(self.contracts) > i else {}
        if read.get("_read"):  # read from the contract: nothing more to type (a name if it had none)
            return [self._contract_client(i, nth)] + ([] if read.get("client") else [self._contract_name(i, nth)])

        def eo_limit(where: str) -> None:
            self.contracts[i]["eo_limit"] = self.asker.text(f"E&O limit {nth} requires (USD)", check_amount, "", where)

        def requires(where: str) -> None:
            items = [
                ("cyber", "Cyber cover (a cyber limit)"),
                ("defense_outside_limits", "Defense costs outside the limit (non-eroding)"),
                ("additional_insured", "Being named additional insured"),
            ]
            ticked = self.asker.checklist(f"What else does {nth} require?", items, where)
            c = self.contracts[i]
            c["defense_outside_limits"] = "defense_outside_limits" in ticked
            c["additional_insured"] = "additional_insured" in ticked
            c["_cyber"] = "cyber" in ticked

        def cyber(where: str) -> None:
            self.contracts[i]["cyber_limit"] = self.asker.text(f"Cyber limit {nth} requires (USD)", check_amount, "", where)

        steps = [
            self._contract_client(i, nth),
            Step(f"contract{i}.eo_limit", eo_limit),
            Step(f"contract{i}.requires", requires),
        ]
        if len(self.contracts) > i and self.contracts[i].get("_cyber"):
            steps.append(Step(f"contract{i}.cyber_limit", cyber))
        return steps

    def _contract_client(self, i: int, nth: str) -> Step:
        """The client's name, or the contract itself: a file path (text, markdown, .docx,
        .pdf) or its insurance clause pasted, read into the requirements (no more typing)."""

        def client(where: str) -> None:
            found: dict[str, Any] = {}

            def check(text: str) -> Any:
                found.clear()
                if not text.strip():
                    return "Required: the client's name (or a label such as 'main client'), or the contract file"
                if looks_like_contract(text.strip()):
                    try:
                        found.update(read_clause(text.strip()))
                    except EOAdvisorError as exc:
                        return exc.message
                    return True if found else "no insurance requirements found there: type the client's name instead"
                try:
                    parse_text(text)
                except ValueError as exc:
                    return str(exc)
                return True

            question = f"Client name for {nth} (or the contract file, or its insurance clause pasted, to read its requirements)"
            answer = self.asker.text(question, check, "", where)
            entry = {**found, "_read": True} if found else {"client": answer}
            self._set_contract(i, entry)

        return Step(f"contract{i}.client", client)

    def _contract_name(self, i: int, nth: str) -> Step:
        def name(where: str) -> None:
            text = self.asker.text(f"Client name for {nth}", lambda t: True if t.strip() else "Required: the client's name", "", where)
            self._set_contract(i, {**self.contracts[i], "client": text})

        return Step(f"contract{i}.name", name)

    def _set_contract(self, i: int, entry: dict[str, Any]) -> None:
        if len(self.contracts) > i:  # asked again (the user went back)
            self.contracts[i] = entry
        else:
            self.contracts.append(entry)

    def _has_policy(self, where: str) -> None:
        self.has_policy = self.asker.confirm("Do you have a Tech E&O / professional liability policy today?", False, where)

    def _cover(self, where: str) -> None:
        items = [
            ("non_eroding", "Defense costs are paid on top of the limit (non-eroding)"),
            ("current_policy.includes_cyber", "It includes cyber cover"),
            ("current_policy.has_general_liability", "You also hold general liability cover"),
        ]
        ticked = self.asker.checklist("Which of these does your current cover have?", items, where)
        self.out["current_policy.defense_costs"] = "non-eroding" if "non_eroding" in ticked else "eroding"
        self.out["current_policy.includes_cyber"] = "current_policy.includes_cyber" in ticked
        self.out["current_policy.has_general_liability"] = "current_policy.has_general_liability" in ticked

    def _cyber_controls(self, where: str) -> None:
        items = [
            ("practices.mfa", "Multi-factor authentication on email, remote access and admin accounts"),
            ("practices.offline_backups", "Offline (or immutable) backups"),
            ("practices.endpoint_detection", "Endpoint detection and response (EDR) on your devices"),
        ]
        ticked = self.asker.checklist("Which of these security controls do you have?", items, where)
        for key, _label in items:
            self.out[key] = key in ticked

    # -- the plan ---------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            **self.out,
            "contracts": [
                {k: v for k, v in c.items() if k not in ("_cyber", "_read")} | ({"cyber_limit": 1} if c.get("_cyber") else {}) for c in self.contracts
            ],
        }

    def plan(self) -> list[Step]:
        """Every question of this interview, given the answers so far (an unanswered
        question that opens others counts as opening none)."""
        f = self._field
        steps = [
            f("business.name"),
            f("business.annual_revenue"),
            f("business.employees"),
            f("business.years_in_business"),
            f("business.state"),
            f("work.services"),
            f("work.client_industries"),
            f("work.largest_contract"),
            Step("work", self._work),
        ]
        if self.claims:
            steps.append(Step("claims", self._claims))
        if self.out.get("work.builds_products") is True and not (_services(self.out) & _SAFETY_SERVICES):
            steps.append(f("work.safety_critical"))
        steps += [Step("practices", self._practices), Step("contracts", self._n_contracts)]
        for i in range(self.n_contracts):
            steps += self._contract_steps(i)
        steps.append(Step("policy", self._has_policy))
        if self.has_policy:
            steps += [
                f("current_policy.limit"),
                f("current_policy.deductible"),
                Step("cover", self._cover),
                f("current_policy.retroactive_date"),
                f("current_policy.planned_change"),
            ]
            if ASK_WHEN["current_policy.annual_premium"](self.out):
                steps.append(f("current_policy.annual_premium"))
        if cyber_controls_matter(self.state()):  # once possible, stays possible: the count never shrinks
            steps.append(Step("cyber_controls", self._cyber_controls))
        return steps

    def run(self) -> dict[str, Any]:
        """Ask until the plan is done; return the nested profile data."""
        while True:
            pending = [s for s in self.plan() if s.id not in self.done]
            if not pending:
                break
            step = pending[0]
            try:
                step.ask(f"{len(self.done) + 1} of {len(self.done) + len(pending)}")
            except GoBack:  # `<`: the previous question again (its answer is replaced)
                if self.done:
                    self.done.pop()
                continue
            self.done.append(step.id)
        from eo_advisor.profile.parse import unflatten

        nested = unflatten({k: v for k, v in self.out.items() if v is not None and v != ""})
        nested["schema_version"] = 1
        contracts = [{k: v for k, v in c.items() if k not in ("_cyber", "_read")} for c in self.contracts[: self.n_contracts]]
        if contracts:
            nested["contracts"] = contracts
            # the question asked for every contract that sets requirements: the highest
            # limit among them answers work.contractual_minimum for all of them
            nested["work"]["contractual_minimum"] = max(parse_dollars(c["eo_limit"], None) for c in contracts)
        return nested


def interview(env: Env, as_of: _dt.date | None = None) -> dict[str, Any]:
    """The full interview (no profile given): nested profile data, contracts included."""
    env.message(
        "eo-advisor: a few questions about your business (type < to go back to the previous question; "
        "Ctrl-C to stop; nothing is saved until the end)."
    )
    return Interview(Asker(env, as_of=as_of)).run()


def ask_missing(flat: dict[str, Any], keys: list[str], env: Env, as_of: _dt.date | None = None) -> dict[str, Any]:
    """Ask for ``keys`` only (a profile or --set gave the rest), in schema order, each
    with where it stands ("2 of 3"), ``<`` going back one; return ``flat`` completed."""
    asker = Asker(env, as_of=as_of)
    out = dict(flat)
    wanted = [f for f in FIELDS if f.key in set(keys)]
    i = 0
    while i < len(wanted):
        f = wanted[i]
        try:
            out[f.key] = asker.ask(f, where=f"{i + 1} of {len(wanted)}")
        except GoBack:
            i = max(i - 1, 0)
            continue
        i += 1
    return out


def ask_save_path(env: Env, exists: Callable[[str], bool]) -> str | None:
    """Offer to save the answers as a profile: the file name (Enter takes the default
    name; what is typed replaces it), or None when the user types ``no``. An existing
    file is overwritten only when the user says so."""
    asker = Asker(env)

    def check(text: str) -> Any:
        return True

    while True:
        try:
            path = asker.text("Save your answers as a profile to reuse them? File name, or 'no' to skip", check, DEFAULT_PROFILE_NAME)
        except GoBack:
            continue
        if path.lower() in SKIP_SAVE:
            return None
        if not exists(path) or asker.confirm(f"{path} exists. Overwrite it?", default=False):
            return path


__all__ = ["ASK_WHEN", "BACK", "FIELD_BY_KEY", "Asker", "GoBack", "Interview", "ask_missing", "ask_save_path", "interview"]
