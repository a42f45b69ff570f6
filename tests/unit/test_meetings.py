"""Multi-agency meetings as plain functions: who may own an action (the landlord or a partner
that attended; none is a 422 naming it, nothing stored), due dates, each open action's due work
(the landlord's for the officer, a partner's to chase), an action done, and closing the case."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from pydantic import ValidationError

from asb.case.change import CaseChange, CaseFolder
from asb.case.meetings import ENDED_AT_CLOSURE, action_done, actions_ended_at_closure
from asb.case.models import CaseStatus
from asb.case.outbox import ROUTES
from asb.case.people import REPORTER
from asb.case.records import Meeting
from asb.case.retention import ERASABLE_PARTS, ERASED, StoredCase, StoredRecord, erase_plan
from asb.case.tasks import MEETING_ACTION, PARTNER_ACTION_CHASE, DueTask
from asb.casework.models import JoinIn
from asb.casework.regrouping import join_cases
from asb.data_protection.requests import WITHHELD, redacted
from asb.data_protection.subject_access import Holding, section
from asb.due_work.sweep import action_for
from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.meetings.models import ActionUpdateIn, MeetingIn
from asb.meetings.rules import record_meeting, update_action
from asb.partners.action_chases import (
    ActionUpdate,
    action_update,
    chase_message,
    chased,
    message_id_of,
)
from asb.partners.delivery import DeliveryStore, Publisher
from asb.partners.messages import NotFromPartner
from infra.local.partners import SEEDS
from tests.unit.test_disclosures import folder, report
from tests.unit.test_witnesses import a_folder as witness_folder
from tests.unit.test_witnesses import other_case

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
POLICE = {**SEEDS["avon-somerset-police"], "partner_id": "avon-somerset-police"}
COUNCIL = {**SEEDS["south-somerset-council"], "partner_id": "south-somerset-council"}
REGISTRY: dict[str, dict[str, Any] | None] = {"avon-somerset-police": POLICE,
                                              "south-somerset-council": COUNCIL}
_COUNTER = itertools.count(1)


def ids() -> Any:
    return lambda: f"00000000-0000-4000-8000-{next(_COUNTER):012d}"


def a_case() -> CaseFolder:
    return folder(report("r1", "Alex Morgan", "Chris Day",
                         "Chris Day played music all night; Alex Morgan could not sleep."))


def meeting(**changes: Any) -> MeetingIn:
    return MeetingIn.model_validate({
        "kind": "problem_solving_panel", "held_on": "2026-12-01",
        "attendees": [{"attends_for": "partner", "partner_id": "avon-somerset-police",
                       "name": "PC Sam Lewis", "role": "Beat manager"},
                      {"attends_for": "agency", "agency": "Somerset Drug and Alcohol Service",
                       "name": "Kim Ray", "role": "Outreach worker"},
                      {"attends_for": "landlord", "officer": "o.hughes"}],
        "minutes": "Music at night continues. Police to patrol; we will visit Chris Day.",
        "actions": [{"description": "Visit Chris Day about the music", "owner": "landlord",
                     "due_on": "2026-12-09"},
                    {"description": "Patrol the close at night; tell Alex Morgan after",
                     "owner": "avon-somerset-police", "due_on": "2026-12-11"}],
        **changes})


def recorded(change: CaseChange) -> Meeting:
    return Meeting.model_validate(next(r.data for r in change.records if r.entity == "Meeting"))


def test_a_meeting_is_one_record_and_each_action_due_work() -> None:
    change = record_meeting(a_case(), meeting(), REGISTRY, OFFICER, NOW, ids())
    kept = recorded(change)
    assert kept.attendees[0].agency == "Avon and Somerset Constabulary"
    assert [(a.owner, a.status) for a in kept.actions] == [
        ("landlord", "open"), ("avon-somerset-police", "open")]
    dates = [r for r in change.records if r.entity == "Deadline"]
    assert [(d.data["due_kind"], d.data["on"]) for d in dates] == [
        (MEETING_ACTION, "2026-12-09"), (PARTNER_ACTION_CHASE, "2026-12-11")]
    assert all(d.record_id.startswith(f"meeting.{kept.meeting_id}.") for d in dates)
    assert dates[0].data["officer"] == "o.hughes" and dates[0].data["team"] == "yeovil"
    # A list's or a digest's title never carries the action's words (they may name people).
    assert all("Chris" not in d.data["title"] for d in dates)
    # No chase words are kept: a chase names the action by its id, owner and due date.
    assert [a.chase_text for a in kept.actions] == [None, None]
    assert change.audit.action == "MeetingRecorded"


def test_a_partners_action_is_titled_due_until_it_is_chased() -> None:
    change = record_meeting(a_case(), meeting(), REGISTRY, OFFICER, NOW, ids())
    ours, theirs = [r.data for r in change.records if r.entity == "Deadline"]
    assert ours["title"] == ("Do the action agreed at the problem-solving panel on Tuesday 1 "
                             "December 2026, due Wednesday 9 December 2026")
    assert theirs["title"] == ("Avon and Somerset Constabulary's action from the problem-solving "
                               "panel on Tuesday 1 December 2026, due Friday 11 December 2026")
    kept = recorded(change)
    deadline = {**theirs, "record_id": f"meeting.{kept.meeting_id}.{kept.actions[1].action_id}",
                "case_reference": "ASB-2026-000123"}
    later = NOW + timedelta(days=10)
    step = chased(deadline, kept, kept.actions[1], "constabulary", later, ids())
    assert step.records[0].data["title"] == (
        "Avon and Somerset Constabulary's action from the problem-solving panel on Tuesday 1 "
        "December 2026 was due Friday 11 December 2026: chased by message on Saturday 12 "
        "December 2026, follow it up")
    # A partner whose agreement does not cover a chase: the officer follows it up, and is told.
    consent_only = {**REGISTRY, "avon-somerset-police": {**POLICE, "legal_routes": ["consent"]}}
    change = record_meeting(a_case(), meeting(), consent_only, OFFICER, NOW, ids())
    (_, theirs) = [r.data for r in change.records if r.entity == "Deadline"]
    assert theirs["title"].endswith(
        "due Friday 11 December 2026: not chased (the agreement does not cover it): follow it up")


@pytest.mark.parametrize("owner", [None, ""])
def test_an_action_with_no_owner_is_refused_naming_it(owner: str | None) -> None:
    body = meeting(actions=[{"description": "Visit Chris Day", "due_on": "2026-12-09",
                             **({"owner": owner} if owner is not None else {})}])
    with pytest.raises(InvalidChange) as refused:
        record_meeting(a_case(), body, REGISTRY, OFFICER, NOW, ids())
    assert [e.field for e in refused.value.errors] == ["actions.0.owner"]


def test_an_owner_must_have_attended_and_a_due_date_be_to_come() -> None:
    body = meeting(actions=[
        {"description": "Write to the tenant", "owner": "landlord", "due_on": "2026-12-02"},
        {"description": "Council noise monitoring", "owner": "south-somerset-council",
         "due_on": "2026-12-20"},
        {"description": "Patrol the close", "owner": "avon-somerset-police",
         "due_on": "2026-11-30"}])
    with pytest.raises(InvalidChange) as refused:
        record_meeting(a_case(), body, REGISTRY, OFFICER, NOW, ids())
    assert [e.field for e in refused.value.errors] == ["actions.1.owner", "actions.2.due_on"]


def test_a_partner_attendee_is_one_in_the_registry_and_a_meeting_one_held() -> None:
    body = meeting(held_on="2026-12-03", attendees=[
        {"attends_for": "partner", "partner_id": "nobody-we-know"}], actions=[])
    with pytest.raises(InvalidChange) as refused:
        record_meeting(a_case(), body, {"nobody-we-know": None}, OFFICER, NOW, ids())
    assert [e.field for e in refused.value.errors] == ["held_on", "attendees.0.partner_id"]
    with pytest.raises(ValidationError):
        meeting(attendees=[{"attends_for": "agency", "name": "Kim Ray"}])
    with pytest.raises(ValidationError):
        meeting(kind="coffee_morning")


def test_a_closed_case_holds_no_meeting() -> None:
    base = a_case()
    closed = replace(base, case=base.case.model_copy(update={"status": CaseStatus.CLOSED}))
    with pytest.raises(RuleBroken, match="closed"):
        record_meeting(closed, meeting(), REGISTRY, OFFICER, NOW, ids())


def with_meeting() -> tuple[CaseFolder, Meeting]:
    base = a_case()
    kept = recorded(record_meeting(base, meeting(), REGISTRY, OFFICER, NOW, ids()))
    return replace(base, meetings={kept.meeting_id: kept}), kept


def test_an_action_done_leaves_the_due_work_once() -> None:
    base, kept = with_meeting()
    ours = kept.actions[0]
    later = NOW + timedelta(days=3)
    change = update_action(base, kept.meeting_id, ours.action_id,
                           ActionUpdateIn(done=True, note="Visited; he agreed to stop."),
                           OFFICER, later, ids())
    done = recorded(change)
    assert (done.actions[0].status, done.actions[0].done_on, done.actions[0].done_by) == (
        "done", date(2026, 12, 5), "staff:o.hughes")
    deadline = next(r for r in change.records if r.entity == "Deadline")
    assert deadline.data["status"] == "done" and "due_kind" not in deadline.data
    again = replace(base, meetings={kept.meeting_id: done})
    with pytest.raises(RuleBroken, match="done already"):
        update_action(again, kept.meeting_id, ours.action_id,
                      ActionUpdateIn(done=True, note="Twice"), OFFICER, later, ids())
    with pytest.raises(UnknownRecord):
        update_action(base, kept.meeting_id, "no-such-action",
                      ActionUpdateIn(done=True, note="Visited"), OFFICER, later, ids())
    with pytest.raises(InvalidChange) as refused:
        update_action(base, kept.meeting_id, ours.action_id,
                      ActionUpdateIn(done=True, note="Visited", done_on=date(2026, 12, 9)),
                      OFFICER, later, ids())
    assert refused.value.errors[0].field == "done_on"
    # Done before the meeting that agreed it (held 1 December): a 422 naming done_on too.
    with pytest.raises(InvalidChange) as before:
        update_action(base, kept.meeting_id, ours.action_id,
                      ActionUpdateIn(done=True, note="Visited", done_on=date(2026, 11, 30)),
                      OFFICER, later, ids())
    assert [(e.field, "meeting" in e.message) for e in before.value.errors] == [("done_on", True)]


def test_a_partner_says_its_action_is_done() -> None:
    _, kept = with_meeting()
    theirs = kept.actions[1]
    updated, records = action_done(kept, theirs.action_id, "Patrolled on three nights",
                                   "partner:avon-somerset-police", date(2026, 12, 10), NOW)
    assert updated.actions[1].done_by == "partner:avon-somerset-police"
    assert records[1].record_id == f"meeting.{kept.meeting_id}.{theirs.action_id}"
    with pytest.raises(RuleBroken, match="day of the meeting"):
        action_done(kept, theirs.action_id, None, "partner:x", date(2026, 11, 1), NOW)


def test_closing_the_case_ends_every_open_action() -> None:
    base, kept = with_meeting()
    ended = actions_ended_at_closure(base, NOW)
    assert [a["status"] for a in ended[0].data["actions"]] == ["ended", "ended"]
    assert ended[0].data["actions"][0]["note"] == ENDED_AT_CLOSURE
    done, _ = action_done(kept, kept.actions[0].action_id, "Visited", "staff:o.hughes",
                          date(2026, 12, 2), NOW)
    after = actions_ended_at_closure(replace(base, meetings={kept.meeting_id: done}), NOW)
    assert [a["status"] for a in after[0].data["actions"]] == ["done", "ended"]
    assert actions_ended_at_closure(a_case(), NOW) == []


def test_retention_erases_the_minutes_names_and_words_and_keeps_what_was_agreed() -> None:
    _, kept = with_meeting()
    # An older record keeps the words a chase once carried: erased with the rest.
    kept = kept.model_copy(update={"actions": [kept.actions[0], kept.actions[1].model_copy(
        update={"chase_text": "Patrol the close at night; tell [###] after"})]})
    item = {**kept.as_stored(), "entity": "Meeting"}
    stored = StoredRecord(f"MEETING#{kept.meeting_id}", "Meeting",
                          frozenset(k for k, v in item.items() if v),
                          parts={p: item[p] for p in ERASABLE_PARTS["Meeting"]})
    base = a_case()
    closed = base.case.model_copy(update={"status": CaseStatus.CLOSED, "closed_at": NOW,
                                          "retain_until": date(2032, 12, 2)})
    plan = erase_plan(StoredCase(closed, (), (stored,)), NOW + timedelta(days=2200), "audit-1")
    (erasure,) = [i for i in plan.items if i.sort_key == stored.sort_key]
    erased = Meeting.model_validate({**item, **erasure.overwrite})  # still reads as a meeting
    assert erased.minutes == ERASED
    assert {a.name for a in erased.attendees} == {ERASED, None}
    assert {a.description for a in erased.actions} == {ERASED}
    assert {a.chase_text for a in erased.actions} == {ERASED, None}
    assert [(a.owner, a.due_on, a.status) for a in erased.actions] == [
        (a.owner, a.due_on, a.status) for a in kept.actions]
    assert erased.attendees[0].agency == "Avon and Somerset Constabulary"


def test_subject_access_gives_the_meetings_that_name_the_person_others_taken_out() -> None:
    base, kept = with_meeting()
    (mine,) = base.reports
    reporter = section(Holding(base.case.reference, mine.report_id, REPORTER), base, [])
    assert reporter is not None
    (shown,) = reporter["meetings_that_name_you"]
    # The minutes name Chris Day (the alleged perpetrator): taken out for the reporter.
    assert "Chris" not in json.dumps(shown) and shown["meeting"] == "Problem-solving panel"
    assert "Alex Morgan" in shown["actions"][1]["what"]  # their own name kept
    quiet = replace(base, meetings={kept.meeting_id: kept.model_copy(update={
        "minutes": "Nothing about anyone in particular was said.", "actions": []})})
    unnamed = section(Holding(base.case.reference, mine.report_id, REPORTER), quiet, [])
    assert unnamed is not None and unnamed["meetings_that_name_you"] == []


def test_a_redacted_subject_access_withholds_the_meetings_words() -> None:
    """The DPO's "redact" withholds every word of the case's free text, the meetings' too: the
    minutes and each action's words and note (the facts stay)."""
    base, kept = with_meeting()
    (mine,) = base.reports
    done = kept.model_copy(update={"actions": (kept.actions[0].model_copy(update={
        "note": "Chris Day let us in; Jo Whitlock of number 3 was there."}), kept.actions[1])})
    given = section(Holding(base.case.reference, mine.report_id, REPORTER),
                    replace(base, meetings={kept.meeting_id: done}), [])
    assert given is not None
    (shown,) = redacted(given)["meetings_that_name_you"]
    assert shown["minutes"] == WITHHELD and shown["meeting"] == "Problem-solving panel"
    assert [(a["what"], a["note"], a["due_on"]) for a in shown["actions"]] == [
        (WITHHELD, WITHHELD, "2026-12-09"), (WITHHELD, None, "2026-12-11")]


def test_joining_a_case_ends_its_meetings_open_actions_and_their_due_work() -> None:
    """The joined case is closed: nobody is chased for it, nothing of it stays on DueWork."""
    bare = replace(other_case(), deadlines={}, parties={})
    change = record_meeting(bare, meeting(), REGISTRY, OFFICER, NOW, ids())
    kept = recorded(change)
    dates = {r.record_id: r.data for r in change.records if r.entity == "Deadline"}
    joined = replace(bare, meetings={kept.meeting_id: kept}, deadlines=dates)
    ended, grew = join_cases(replace(witness_folder(), deadlines={}, parties={}), joined, JoinIn(
        case_reference="ASB-2026-000002", case_version=3,
        reason="The same neighbours, reported twice."), OFFICER, NOW, ids()).changes
    written = {r.record_id: r.data for r in ended.records}
    assert {written[k]["status"] for k in dates} == {"ended"}
    assert not any("due_kind" in written[k] for k in dates)
    (shown,) = [Meeting.model_validate(d) for d in written.values() if "actions" in d]
    assert [(a.status, a.note) for a in shown.actions] == [
        ("ended", "The case was joined into ASB-2026-000001 with this action open")] * 2
    assert not [r for r in grew.records if r.entity in ("Meeting", "Deadline")]


def update(**changes: Any) -> ActionUpdate:
    return ActionUpdate.model_validate({
        "type": "action_update", "partner_id": "avon-somerset-police",
        "case_reference": "ASB-2026-000123", "meeting_id": "00000000-0000-4000-8000-000000000000",
        "action_id": "00000000-0000-4000-8000-000000000000", "done": True,
        "done_on": "2026-12-02", **changes})


def test_a_partner_answers_only_for_its_own_open_action() -> None:
    base, kept = with_meeting()
    ours, theirs = kept.actions
    change = action_update(base.case, kept, update(action_id=theirs.action_id), NOW, ids())
    assert change is not None and change.audit.actor == "partner:avon-somerset-police"
    assert [r.entity for r in change.records] == ["Meeting", "Deadline", "DisclosureLog"]
    with pytest.raises(NotFromPartner, match="no action of this partner"):
        action_update(base.case, kept, update(action_id=ours.action_id), NOW, ids())
    with pytest.raises(NotFromPartner, match="no action of this partner"):
        action_update(base.case, kept, update(action_id=theirs.action_id,
                                              partner_id="south-somerset-council"), NOW, ids())
    with pytest.raises(NotFromPartner, match="after the update"):
        action_update(base.case, kept, update(action_id=theirs.action_id,
                                              done_on="2026-12-03"), NOW, ids())
    done, _ = action_done(kept, theirs.action_id, None, "staff:o.hughes", date(2026, 12, 2), NOW)
    assert action_update(base.case, done, update(action_id=theirs.action_id), NOW, ids()) is None


def test_the_sweep_chases_a_partner_action_by_its_item() -> None:
    task = DueTask("ASB-2026-000123", PARTNER_ACTION_CHASE, NOW, officer="o.hughes",
                   key={"pk": "CASE#ASB-2026-000123", "sk": "DEADLINE#meeting.m.a"})
    action = action_for(task, NOW + timedelta(minutes=15))
    assert action.event.type == "PartnerActionOverdue"
    assert action.event.detail["item"] == "DEADLINE#meeting.m.a"
    assert action.next_kind == f"{PARTNER_ACTION_CHASE}:escalated"
    assert ROUTES["PartnerActionOverdue"] == ("disclosure",)


def test_a_chase_names_the_action_without_its_words_and_is_logged() -> None:
    _, kept = with_meeting()
    theirs = kept.actions[1]
    message = chase_message("ASB-2026-000123", kept, theirs, message_id_of("event-1"), NOW)
    assert message["action"] == {"action_id": theirs.action_id, "owner": "avon-somerset-police",
                                 "owner_name": "Avon and Somerset Constabulary",
                                 "due_on": "2026-12-11"}
    assert message["meeting"]["kind"] == "Problem-solving panel"
    assert "Patrol" not in json.dumps(message) and "Alex" not in json.dumps(message)
    assert message_id_of("event-1") == message["message_id"] != message_id_of("event-2")
    deadline = {"pk": "CASE#ASB-2026-000123", "sk": "DEADLINE#x", "entity": "Deadline",
                "record_id": f"meeting.{kept.meeting_id}.{theirs.action_id}", "at": "x",
                "case_reference": "ASB-2026-000123", "status": "open",
                "due_kind": f"{PARTNER_ACTION_CHASE}:escalated", "meeting_id": kept.meeting_id}
    step = chased(deadline, kept, theirs, "constabulary", NOW, ids())
    assert step.expected_status == "open"
    assert step.records[0].data["status"] == "chased"
    assert step.records[0].data["due_kind"] == f"{PARTNER_ACTION_CHASE}:escalated"
    assert step.records[1].data["action"] == "action chased"
    assert step.records[1].data["legal_route"] == "information_sharing_agreement"


class ChaseStore:
    """One meeting's chase item, the meeting and the registry; what was sent and applied."""

    def __init__(self, meeting: Meeting, action_id: str,
                 partners: dict[str, dict[str, Any]]) -> None:
        self.kept, self.partners = meeting, partners
        self.item = {"record_id": f"meeting.{meeting.meeting_id}.{action_id}",
                     "case_reference": "ASB-2026-000123", "kind": PARTNER_ACTION_CHASE,
                     "status": "open", "meeting_id": meeting.meeting_id,
                     "action_id": action_id, "owner": "avon-somerset-police"}
        self.sent: list[str] = []
        self.applied: list[Any] = []

    def deadline(self, reference: str, record_id: str) -> dict[str, Any] | None:
        return self.item if record_id == self.item["record_id"] else None

    def meeting(self, reference: str, meeting_id: str) -> tuple[Any, Meeting | None]:
        return None, self.kept

    def partner(self, partner_id: str) -> dict[str, Any] | None:
        return self.partners.get(partner_id)

    def send(self, queue_url: str, body: str, attributes: dict[str, Any]) -> None:
        self.sent.append(queue_url)

    def apply(self, step: Any) -> bool:
        self.applied.append(step)
        return True


class NoSigner:
    key_id = "test"

    def sign(self, statement: bytes) -> bytes:
        return b"signed"


def chase_event(meeting: Meeting, action_id: str) -> dict[str, Any]:
    return {"event_id": "e-1", "case_reference": "ASB-2026-000123",
            "detail": {"item": f"DEADLINE#meeting.{meeting.meeting_id}.{action_id}"}}


def test_a_chase_goes_only_where_the_agreement_covers_it() -> None:
    _, kept = with_meeting()
    theirs = kept.actions[1].action_id
    store = ChaseStore(kept, theirs, {"avon-somerset-police": POLICE})
    publisher = Publisher(cast(DeliveryStore, store), store, NoSigner(),
                          {"constabulary": "https://queue/constabulary"}, FixedClock(NOW))
    assert publisher.chase(chase_event(kept, theirs)) == "chased"
    assert store.sent == ["https://queue/constabulary"] and len(store.applied) == 1
    # An agreement without the chase's route (or the minutes) gets no message: the officer's.
    consent_only = {**POLICE, "legal_routes": ["consent"]}
    store = ChaseStore(kept, theirs, {"avon-somerset-police": consent_only})
    publisher = Publisher(cast(DeliveryStore, store), store, NoSigner(),
                          {"constabulary": "https://queue/constabulary"}, FixedClock(NOW))
    assert publisher.chase(chase_event(kept, theirs)).startswith("not chased")
    (step,) = store.applied  # nothing sent; the officer's list says it is theirs to follow up
    assert store.sent == [] and step.expected_status == "open"
    (item,) = step.records
    assert item.data["status"] == "open" and item.data["title"].endswith(
        "not chased (the agreement does not cover it): follow it up")
    store.item = {**store.item, "status": "chased"}
    assert publisher.chase(chase_event(kept, theirs)).startswith("not open")
