"""Diary entries, contacts, referrals and the action plan's versions as models: items as the code
before the models wrote them read into them and write back attribute for attribute (no data
migration), the commands store what they always stored, and the case store decodes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus
from asb.case.records import ActionPlanVersion, Contact, DiaryEntry, Referral, StoredRecord
from asb.casework.commands import add_diary_entry, agree_action_plan, record_contact, refer
from asb.casework.models import ActionPlanIn, ContactIn, DiaryEntryIn, ReferralIn
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.record_items import record_from_item, shown_records
from asb.kernel.staff import StaffMember

NOW = datetime(2026, 12, 1, 10, 30, 15, 250000, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "east")
KEYS = {"pk": {"S": "CASE#ASB-2026-000042"}, "case_reference": {"S": "ASB-2026-000042"}}
_DERIVED = ("pk", "sk", "entity", "case_reference", "year_list")

# Items as the code before these models wrote them (DynamoDB JSON), one per shape.
OFFICER_DIARY = {
    **KEYS, "sk": {"S": "DIARY#2026-12-01T09:00:00+00:00#d-1"}, "entity": {"S": "DiaryEntry"},
    "record_id": {"S": "d-1"}, "at": {"S": "2026-12-01T09:00:00+00:00"},
    "kind": {"S": "further_report"}, "text": {"S": "Shouting on the landing again."},
    "occurred_at": {"S": "2026-11-30T22:15:00Z"}, "by": {"S": "o.hughes"},
}
OFFICER_NOTE_ERASED = {
    **OFFICER_DIARY, "kind": {"S": "diary"}, "text": {"S": "[erased]"},
    "occurred_at": {"NULL": True},
}
REPORTER_DIARY = {
    **KEYS, "sk": {"S": "DIARY#2026-12-01T10:00:00.123456+00:00#d-2"},
    "entity": {"S": "DiaryEntry"}, "record_id": {"S": "d-2"},
    "at": {"S": "2026-12-01T10:00:00.123456+00:00"}, "kind": {"S": "reporter_diary"},
    "report_id": {"S": "r-1"}, "by": {"S": "reporter"},
    "text": {"S": "Music until 3am."}, "effect": {"NULL": True},
    "occurred_on": {"S": "2026-11-29"}, "occurred_at": {"S": "23:30"},
    "lasted_minutes": {"N": "210"},
}
CONTACT = {
    **KEYS, "sk": {"S": "CONTACT#2026-12-01T11:00:00+00:00#c-1"}, "entity": {"S": "Contact"},
    "record_id": {"S": "c-1"}, "at": {"S": "2026-12-01T11:00:00+00:00"},
    "channel": {"S": "phone"}, "with_whom": {"S": "reporter"},
    "summary": {"S": "Agreed to keep a diary."}, "by": {"S": "o.hughes"},
}
CONTACT_ERASED = {**CONTACT, "with_whom": {"S": "witness"}, "summary": {"S": "[erased]"}}
REFERRAL = {
    **KEYS, "sk": {"S": "REFERRAL#2026-12-01T12:00:00+00:00#f-1"}, "entity": {"S": "Referral"},
    "record_id": {"S": "f-1"}, "at": {"S": "2026-12-01T12:00:00+00:00"},
    "service": {"S": "mediation"}, "subject": {"S": "household"}, "consent": {"BOOL": True},
    "notes": {"NULL": True}, "status": {"S": "sent"}, "by": {"S": "o.hughes"},
}
PLAN_NOT_YET_AGREED = {
    **KEYS, "sk": {"S": "PLAN#2026-12-01T13:00:00+00:00#0002"}, "entity": {"S": "ActionPlan"},
    "record_id": {"S": "0002"}, "at": {"S": "2026-12-01T13:00:00+00:00"},
    "landlord_actions": {"L": [{"S": "Visit the neighbour"}]},
    "customer_actions": {"L": [{"S": "Keep a diary"}]}, "contact_channel": {"S": "phone"},
    "contact_every_working_days": {"N": "5"}, "review_on": {"S": "2026-12-20"},
    "customer_agreed": {"BOOL": False}, "agreed_on": {"NULL": True},
    "agreed_with": {"S": "r-1"}, "version": {"N": "2"}, "by": {"S": "o.hughes"},
}
PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT = {
    **{k: v for k, v in PLAN_NOT_YET_AGREED.items() if k != "agreed_with"},
    "sk": {"S": "PLAN#2025-03-01T13:00:00+00:00#0001"}, "record_id": {"S": "0001"},
    "customer_agreed": {"BOOL": True}, "agreed_on": {"S": "2025-03-01"}, "version": {"N": "1"},
}


@pytest.mark.parametrize(("model", "stored"), [
    (DiaryEntry, OFFICER_DIARY), (DiaryEntry, OFFICER_NOTE_ERASED), (DiaryEntry, REPORTER_DIARY),
    (Contact, CONTACT), (Contact, CONTACT_ERASED), (Referral, REFERRAL),
    (ActionPlanVersion, PLAN_NOT_YET_AGREED),
    (ActionPlanVersion, PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT)])
def test_an_item_written_before_the_models_reads_into_one_and_writes_back_unchanged(
        model: type[StoredRecord], stored: dict[str, Any]) -> None:
    record = record_from_item(model, from_item(stored))
    assert isinstance(record, model)
    assert to_item(record.as_stored()) == {k: v for k, v in stored.items() if k not in _DERIVED}


def test_the_models_read_what_they_name() -> None:
    diary = record_from_item(DiaryEntry, from_item(REPORTER_DIARY))
    assert (diary.report_id, diary.occurred_on, diary.lasted_minutes) == (
        "r-1", date(2026, 11, 29), 210)
    plan = record_from_item(ActionPlanVersion, from_item(PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT))
    assert (plan.version, plan.agreed_on, plan.agreed_with) == (1, date(2025, 3, 1), None)
    assert "agreed_with" not in plan.as_plan()


def test_the_case_store_decodes_each_kind_by_record_id() -> None:
    items = [from_item(i) for i in (OFFICER_DIARY, REPORTER_DIARY, CONTACT, REFERRAL,
                                    PLAN_NOT_YET_AGREED, PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT)]
    diary, contacts, referrals, plans = shown_records(items)
    assert sorted(diary) == ["d-1", "d-2"] and list(contacts) == ["c-1"]
    assert referrals["f-1"].service == "mediation"
    assert sorted(plans) == ["0001", "0002"] and plans["0002"].customer_agreed is False


def _folder(**changes: Any) -> CaseFolder:
    case = Case(reference="ASB-2026-000042", status=CaseStatus.OPEN, opened_at=NOW,
                updated_at=NOW, anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", category="B", team="east",
                officer="o.hughes", **changes)
    return CaseFolder(case, [])


def _ids() -> Any:
    ids = iter(["record-1", "audit-1", "event-1"])
    return lambda: next(ids)


def _written(data: dict[str, Any]) -> dict[str, Any]:
    """What the record adds to its item beside what the case writer derives."""
    return {k: v for k, v in data.items() if k not in ("record_id", "at")}


def test_the_commands_store_what_they_always_stored() -> None:
    entry = DiaryEntryIn(kind="further_report", text="Shouting on the landing again.",
                         occurred_at=datetime(2026, 11, 30, 22, 15, tzinfo=UTC))
    [diary] = add_diary_entry(_folder(), entry, OFFICER, NOW, _ids()).records
    assert _written(diary.data) == {**entry.model_dump(mode="json"), "by": "o.hughes"}
    assert diary.data["occurred_at"] == "2026-11-30T22:15:00Z"
    contact = ContactIn(channel="visit", with_whom="perpetrator", summary="Warned about noise.")
    [made] = record_contact(_folder(), contact, OFFICER, NOW, _ids()).records
    # A contact naming no party (a witness's party_id) stores no party_id, as before.
    assert _written(made.data) == {**contact.model_dump(mode="json", exclude_none=True),
                                   "by": "o.hughes"}
    referral = ReferralIn(service="support", subject="reporter", consent=True)
    [sent] = refer(_folder(), referral, OFFICER, NOW, _ids()).records
    assert _written(sent.data) == {**referral.model_dump(mode="json"), "status": "sent",
                                   "by": "o.hughes"}
    for record in (diary, made, sent):
        assert (record.data["record_id"], record.data["at"]) == ("record-1", NOW.isoformat())


def test_a_plan_version_and_the_cases_plan_are_stored_as_before() -> None:
    plan = ActionPlanIn(landlord_actions=["Visit the neighbour"],
                        customer_actions=["Keep a diary"], contact_channel="phone",
                        contact_every_working_days=5, review_on=date(2026, 12, 20),
                        customer_agreed=False)
    change = agree_action_plan(_folder(action_plan={"version": 1}), plan, OFFICER, NOW, _ids())
    before = {**plan.model_dump(mode="json"), "agreed_with": None, "version": 2,
              "by": "o.hughes", "agreed_on": None}
    [record] = change.records
    assert (record.record_id, _written(record.data)) == ("0002", before)
    assert change.case.action_plan == before
