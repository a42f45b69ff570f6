"""Every change to a case is written by one writer (asb.store.case_writer) as one
TransactWriteItems. What each kind of change writes is kept as it was before the writer:
recorded, item for item, from the stores as they were, in case_transactions.json."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from asb.case.change import CaseChange, Record, TaskChange, bump
from asb.case.models import AuditEntry, DomainEvent
from asb.case.retention import ErasePlan, Erasure
from asb.case.tasks import DueTask, Task
from asb.casework.store import DynamoDBCaseStore
from asb.data_protection.retention_store import DynamoDBRetentionStore
from asb.due_work.store import DynamoDBReviewStore
from asb.due_work.sweep import SweepAction
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.transactions import cancelled
from asb.intake.service import (
    IdempotencyRecord,
    Receipt,
    ReportHomes,
    join_case,
    open_case,
    parse_submission,
)
from asb.intake.store import DynamoDBIntakeStore
from asb.kernel.errors import RuleBroken, VersionConflict
from asb.partners.messages import PartnerStep
from asb.partners.store import DynamoDBPartnerStore
from asb.triage.service import TriageUpdate
from asb.triage.store import DynamoDBTriageStore
from tests.conftest import sample_event
from tests.fakes import RecordingTransactions

RECORDED = Path(__file__).with_name("case_transactions.json")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TABLE = "cases"


class MarkedSealer:
    """Seals by marking: the same bytes every run, so the items compare."""

    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        return b"sealed:" + plain

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        return sealed.removeprefix(b"sealed:")


def counter() -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"id-{next(numbers)}"


def event(kind: str, reference: str, event_id: str) -> DomainEvent:
    return DomainEvent(event_id=event_id, type=kind, case_reference=reference, occurred_at=NOW,
                       detail={"reference": reference})


def audit(reference: str, action: str) -> AuditEntry:
    return AuditEntry(entry_id=f"audit-{action}", case_reference=reference, at=NOW,
                      actor="staff:o.hughes", action=action, before={"a": 1}, after={"a": 2})


def opened() -> Any:
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    # About a tenancy of the landlord's (issue 21): its matter is claimed, and closed by staff.
    return open_case(submission, "ASB-2026-000001", "api", NOW, counter(),
                     homes=ReportHomes("100040001014", "T-000114"))


def idempotency(reference: str) -> IdempotencyRecord:
    return IdempotencyRecord("key-hash", "fingerprint", Receipt(reference, "id-1", NOW, False),
                             NOW + timedelta(days=1))


def staff_change() -> CaseChange:
    new = opened()
    case = bump(new.case, NOW + timedelta(hours=1), officer="o.hughes", team="north")
    return CaseChange(
        case=case, expected_version=1, audit=audit(case.reference, "ActionPlanAgreed"),
        records=[Record("DiaryEntry", "diary-1", NOW, {"text": "Visited"}),
                 Record("Measure", "measure-1", NOW, {"kind": "warning", "reporting_year": 2026},
                        replace=True)],
        tasks=[TaskChange("ACTION_PLAN_REVIEW", NOW + timedelta(days=14), "Review the plan"),
               TaskChange("FIRST_CONTACT", None, "Make first contact", outcome="made")],
        events=[event("ActionPlanAgreed", case.reference, "event-1")],
        matters_open=False, reports=[new.report],
        people_removed=[("old-key", new.report.report_id, "reporter")],
        people_added=[("new-key", new.report.report_id, "reporter")],
        report_links={case.reference: {new.report.report_id: "link-hash"}})


def triage_update() -> TriageUpdate:
    case = bump(opened().case, NOW, officer="o.hughes", team="north")
    return TriageUpdate(
        case=case, expected_version=1,
        new_tasks=[Task("FIRST_CONTACT", NOW + timedelta(days=1), "Make first contact")],
        moved_tasks=[Task("CUSTOMER_UPDATE", NOW + timedelta(days=5), "Update the complainant")],
        events=[event("CaseTriaged", case.reference, "event-1"),
                event("EmergencyRaised", case.reference, "event-2")],
        audit=audit(case.reference, "CaseTriaged"))


def record_all() -> dict[str, list[dict[str, Any]]]:
    """Each kind of change, as each store writes it: TransactItems and any request token."""
    recorded: dict[str, list[dict[str, Any]]] = {}

    def through(kind: str, write: Callable[[RecordingTransactions], object]) -> None:
        client = RecordingTransactions()
        write(client)
        recorded[kind] = client.transactions

    sealer = MarkedSealer()
    through("staff", lambda c: DynamoDBCaseStore(c, TABLE, sealer).apply(  # type: ignore[arg-type]
        staff_change()))
    through("triage", lambda c: DynamoDBTriageStore(c, TABLE, sealer).save(  # type: ignore[arg-type]
        triage_update()))
    new = opened()
    through("intake_opened", lambda c: DynamoDBIntakeStore(  # type: ignore[arg-type]
        c, TABLE, sealer).save_opened_case(new, idempotency(new.case.reference), NOW))
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    joined = join_case(submission, "ASB-2026-000001", "POSTCODE#ab12cd", "api", NOW, counter(),
                       "ASB-2026-000002")
    through("intake_joined", lambda c: DynamoDBIntakeStore(  # type: ignore[arg-type]
        c, TABLE, sealer).save_joined_report(joined, None, NOW))
    step = PartnerStep("ASB-2026-000001",
                       [Record("Disclosure", "disclosure-1", NOW, {"status": "sent"}),
                        Record("DisclosureLog", "log-1", NOW, {"reporting_year": 2026})],
                       expected_status="approved",
                       events=[event("DisclosureSent", "ASB-2026-000001", "event-1")])
    through("partner", lambda c: DynamoDBPartnerStore(c, TABLE).apply(  # type: ignore[arg-type]
        step))
    plan = ErasePlan("ASB-2026-000001", (), (), (), (), (),
                     Erasure({"location_address": "anonymised"}, ("postcode",)),
                     audit("ASB-2026-000001", "CaseAnonymised"))
    through("retention", lambda c: DynamoDBRetentionStore(  # type: ignore[arg-type]
        c, TABLE, sealer)._finish(plan))
    sweep = SweepAction(DueTask("ASB-2026-000001", "FIRST_CONTACT", NOW, "o.hughes", "north"),
                        "FIRST_CONTACT:escalated", NOW + timedelta(days=1),
                        event("FirstContactOverdue", "ASB-2026-000001", "event-1"))
    through("sweep", lambda c: DynamoDBReviewStore(c, TABLE).act(  # type: ignore[arg-type]
        sweep, NOW))
    return recorded


def test_each_kind_of_change_writes_the_items_it_wrote_before_the_one_writer() -> None:
    expected = json.loads(RECORDED.read_text())
    written = json.loads(json.dumps(record_all()))
    assert written.keys() == expected.keys()
    for kind in expected:
        assert written[kind] == expected[kind], kind


def a_writer(client: RecordingTransactions) -> CaseWriter:
    return CaseWriter(client, TABLE, MarkedSealer())  # type: ignore[arg-type]


def test_a_version_conflict_says_the_version_the_case_is_at_now() -> None:
    client = RecordingTransactions(current_version=7)
    change = staff_change()
    client.cancel_next(["ConditionalCheckFailed"] + ["None"] * 12)
    with pytest.raises(VersionConflict) as raised:
        a_writer(client).commit(change)
    assert raised.value.current == 7


def test_a_conflict_the_caller_reads_again_anyway_is_not_read_for_its_version() -> None:
    client = RecordingTransactions(current_version=None)
    client.cancel_next(["ConditionalCheckFailed"] + ["None"] * 12)
    with pytest.raises(VersionConflict) as raised:
        a_writer(client).commit(staff_change(), read_current=False)
    assert raised.value.current is None


def test_a_matter_another_case_holds_now_is_a_broken_rule_not_a_conflict() -> None:
    client = RecordingTransactions(current_version=1)
    change = staff_change()
    matter = next(i for i, a in enumerate(a_writer(client).transact_items(change))
                  if "MATTER#" in json.dumps(a))
    codes = ["None"] * 13
    codes[matter] = "ConditionalCheckFailed"
    client.cancel_next(codes)
    with pytest.raises(RuleBroken, match="newer case"):
        a_writer(client).commit(change)


def test_an_outbox_event_already_there_fails_the_change_in_words() -> None:
    """Every outbox event is written on condition that its id is new: a change carrying one
    that is already there is not taken as done (only a partner's repeated step, and a sweep
    another sweep got to first, are: their stores say so), and never a 500 for staff."""
    client = RecordingTransactions(current_version=1)
    change = staff_change()
    items = a_writer(client).transact_items(change)
    event_at = next(i for i, a in enumerate(items) if '"EVENT#' in json.dumps(a))
    assert items[event_at]["Put"]["ConditionExpression"] == "attribute_not_exists(pk)"
    codes = ["None"] * len(items)
    codes[event_at] = "ConditionalCheckFailed"
    client.cancel_next(codes)
    with pytest.raises(RuleBroken, match="recorded meanwhile"):
        a_writer(client).commit(change)


def test_a_cancellation_for_another_reason_is_raised_as_it_came() -> None:
    client = RecordingTransactions(current_version=1)
    client.cancel_next(["TransactionConflict"] + ["None"] * 12)
    with pytest.raises(ClientError):
        a_writer(client).commit(staff_change())


def test_every_outbox_event_is_written_once_whoever_writes_it() -> None:
    written = json.loads(json.dumps(record_all()))
    events = {kind: [a["Put"] for t in transactions for a in t["TransactItems"]
                     if a.get("Put", {}).get("Item", {}).get("entity") == {"S": "Event"}]
              for kind, transactions in written.items()}
    assert [kind for kind, puts in events.items() if puts] == [
        "staff", "triage", "intake_opened", "intake_joined", "partner", "sweep"]
    for kind, puts in events.items():
        assert all(p.get("ConditionExpression") == "attribute_not_exists(pk)" for p in puts), kind


def test_a_cancellation_says_which_items_failed_and_what_the_last_held() -> None:
    error = ClientError({"Error": {"Code": "TransactionCanceledException", "Message": "no"},
                         "CancellationReasons": [
                             {"Code": "None"}, {"Code": "ConditionalCheckFailed",
                                                "Item": {"pk": {"S": "IDEMPOTENCY#k"}}}]},
                        "TransactWriteItems")
    reasons = cancelled(error)
    assert reasons is not None
    assert reasons.conditions_failed == (1,)
    assert reasons.failed(-1) and not reasons.failed(0) and not reasons.failed(2)
    assert reasons.items[-1] == {"pk": {"S": "IDEMPOTENCY#k"}}
    assert reasons.only_conditions
    throttled = ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}},
                            "TransactWriteItems")
    assert cancelled(throttled) is None


def test_a_report_filed_before_under_its_key_answers_with_the_record_that_key_holds() -> None:
    client = RecordingTransactions()
    new = opened()
    guard = {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "IDEMPOTENCY#k"}}}}
    actions = 1 + len(a_writer(client)._filed(new)) + len(new.case.matter_keys) + 1
    client.cancel_next(["None"] * (actions - 1) + ["ConditionalCheckFailed"],
                       last_held={"pk": "IDEMPOTENCY#k", "reference": "ASB-2026-000001"})
    held = a_writer(client).file_report(new, NOW, guard)  # type: ignore[arg-type]
    assert held is not None and held["reference"] == {"S": "ASB-2026-000001"}
    assert client.transactions[0]["TransactItems"][-1] == guard
    assert client.transactions[0]["ClientRequestToken"] == new.case.reference


def test_a_matter_another_case_took_while_a_report_was_filed_is_a_conflict() -> None:
    client = RecordingTransactions()
    new = opened()
    codes = ["None"] * (1 + len(a_writer(client)._filed(new)) + len(new.case.matter_keys))
    codes[-1] = "ConditionalCheckFailed"
    client.cancel_next(codes)
    with pytest.raises(VersionConflict):
        a_writer(client).file_report(new, NOW)


def test_a_change_of_more_items_than_a_transaction_takes_is_refused_in_words_unsent() -> None:
    """Closing a case with many meetings' open actions, or moving a case of many reports, could
    outgrow TransactWriteItems' 100 items: DynamoDB's ValidationException would be a 500."""
    client = RecordingTransactions(current_version=1)
    base = staff_change()
    diary = [Record("DiaryEntry", f"diary-{n}", NOW, {"text": "Visited"}) for n in range(100)]
    change = CaseChange(base.case, base.expected_version, base.audit, records=diary)
    with pytest.raises(RuleBroken, match="too many records"):
        a_writer(client).commit(change)
    assert client.transactions == []
