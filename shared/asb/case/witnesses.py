"""Witnesses (issue 23, item 2): who may give a statement, each witness's own contact schedule
as due work, and what staff see of them - plain functions of the case folder and the policy,
in the case core because case work (a contact with a witness moves their schedule on), the
parties' commands (a witness added or unlinked, their statement and needs), the case view,
the court bundle and subject access all read them.

A witness's schedule is one Deadline item in the case's partition (sk
DEADLINE#witness.<party id>), on the DueWork index as WITNESS_CONTACT while it is open: due by
the end of the day the next contact falls due. It is kept for a party with the witness role who
is not a complainant (a complainant hears from the officer through the customer updates); it
ends when the party is unlinked or merged away and, as every date but an order's review, when
the case closes; it starts again when the case reopens (a merge of persons starts none on a
closed case), and goes with a witness whose case is joined into another. The service sends a
witness nothing: keeping in touch is the officer's work, by the way that is safe for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from asb.case.change import CaseFolder, Record
from asb.case.models import Case
from asb.case.parties import Party, Role
from asb.case.records import WitnessNeeds, WitnessStatement
from asb.case.retention import ERASED
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import DUE_TITLES, WITNESS_CONTACT
from asb.policy.config import WITNESS_CONTACT_EVERY_WORKING_DAYS, WITNESS_STATEMENT_ROLES
from asb.policy.working_days import add_working_days

DEADLINE_ENTITY = "Deadline"
SCHEDULE_PREFIX = "witness."
SLOT = "witness-contact"


def may_give_statement(party: Party) -> bool:
    """A witness, or a complainant or victim (their own account is a witness statement too)."""
    return party.active and any(role.value in WITNESS_STATEMENT_ROLES for role in party.roles)


def keeps_schedule(party: Party) -> bool:
    return party.active and Role.WITNESS in party.roles and not party.complainant


def schedule_id(party_id: str) -> str:
    return f"{SCHEDULE_PREFIX}{party_id}"


def contact_every(folder: CaseFolder, party_id: str) -> int:
    """The officer's own gap for this witness, else the policy's."""
    needs = folder.witness_needs.get(party_id)
    return (needs.contact_every_working_days if needs and needs.contact_every_working_days
            else WITNESS_CONTACT_EVERY_WORKING_DAYS)


def next_contact(case: Case, party_id: str, every: int, now: datetime) -> Record:
    """The witness's next contact, `every` working days from today: open on the DueWork index
    (replacing the one before), with the case's officer and team."""
    day = add_working_days(local_day(now), every)
    return Record(DEADLINE_ENTITY, schedule_id(party_id), now, {
        "party_id": party_id, "slot": SLOT, "kind": WITNESS_CONTACT, "status": "open",
        "due_kind": WITNESS_CONTACT, "due_at": end_of_day(day).isoformat(),
        "on": day.isoformat(), "every": every, "title": DUE_TITLES[WITNESS_CONTACT],
        "team": case.team, "officer": case.officer}, replace=True)


def schedule_ended(folder: CaseFolder, party_id: str, now: datetime,
                   outcome: str) -> list[Record]:
    """The witness's schedule written back done (off the index), if it is open."""
    item = folder.deadlines.get(schedule_id(party_id))
    if item is None:
        return []
    kept = {k: v for k, v in item.items() if k not in ("due_kind", "due_at")}
    return [Record(DEADLINE_ENTITY, schedule_id(party_id), now, {
        **kept, "status": "done", "done_at": now.isoformat(), "outcome": outcome},
        replace=True)]


def contact_made(folder: CaseFolder, party_id: str, now: datetime) -> list[Record]:
    """A contact with a witness (or their statement taken) moves their schedule on; a party who
    keeps none has nothing to move."""
    party = folder.parties.get(party_id)
    if party is None or not keeps_schedule(party):
        return []
    return [next_contact(folder.case, party_id, contact_every(folder, party_id), now)]


def words_erased(folder: CaseFolder, party_ids: set[str]) -> list[Record]:
    """The DPO's erasure of the parties a report brought takes their statements' words and the
    notes on their needs with it, as retention would; the facts stay."""
    statements = [Record("WitnessStatement", s.record_id, s.at, {**s.as_stored(), "text": ERASED},
                         replace=True)
                  for _, s in sorted(folder.witness_statements.items())
                  if s.party_id in party_ids and s.text]
    needs = [Record("WitnessNeeds", n.record_id, n.at, {**n.as_stored(), "notes": ERASED},
                    replace=True)
             for _, n in sorted(folder.witness_needs.items())
             if n.party_id in party_ids and n.notes]
    return statements + needs


def next_contact_due(folder: CaseFolder, party_id: str) -> date | None:
    item = folder.deadlines.get(schedule_id(party_id))
    return date.fromisoformat(str(item["on"])) if item and item.get("on") else None


def statements_of(folder: CaseFolder, party_id: str) -> list[WitnessStatement]:
    """A party's statements, the earliest made first."""
    return sorted((s for s in folder.witness_statements.values() if s.party_id == party_id),
                  key=lambda s: (s.made_on, s.at))


def _needs(needs: WitnessNeeds | None) -> dict[str, Any]:
    if needs is None:
        return {"support": [], "special_measures": []}
    return {k: v for k, v in needs.as_stored().items() if k not in ("record_id", "party_id")}


def witnesses(folder: CaseFolder, now: datetime) -> list[dict[str, Any]]:
    """Each witness of the case (and each complainant or victim with a statement or needs
    recorded), in the order they came into it: their statements, their needs, and when the
    officer is next due to contact them (late after the end of that working day)."""
    shown = []
    for party in sorted(folder.parties.values(), key=lambda p: (p.added_at, p.party_id)):
        statements = statements_of(folder, party.party_id)
        needs = folder.witness_needs.get(party.party_id)
        witness = Role.WITNESS in party.roles and party.active
        if not (witness or statements or needs):
            continue
        due = next_contact_due(folder, party.party_id)
        shown.append({
            "party_id": party.party_id, "roles": [r.value for r in party.roles],
            "active": party.active,
            "statements": [s.as_stored() for s in statements],
            "needs": _needs(needs),
            "contact_every_working_days": contact_every(folder, party.party_id)
            if keeps_schedule(party) else None,
            "next_contact_due": due.isoformat() if due else None,
            "contact_overdue": due is not None and now > end_of_day(due)})
    return shown
