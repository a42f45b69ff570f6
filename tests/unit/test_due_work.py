"""Rows of the DueWork index decode into one typed model (asb.reviews.DueTask) that the sweep,
the digest and the overdue list all read; the items stay as the writers stored them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from asb.case.targets import NO_ACTIVITY_TITLE, local_day
from asb.casework.service import overdue_work
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.due_work import due_task, waiting

DUE = "2026-12-03T17:00:00+00:00"
LATER = datetime(2026, 12, 4, 9, tzinfo=UTC)  # the list read the next morning: all of it late
CASE = "ASB-2026-000042"
# What the index projects (template.yaml): its keys, the table's keys and these.
PROJECTED = (keys.PK, keys.SK, "due_kind", "due_at", "case_reference", "kind", "officer", "team",
             "title", "every")

# Items as the writers store them (store/case_writer, store/case_items, casework, disclosures).
NEW_TASK = {**keys.task_key(CASE, "CUSTOMER_CONTACT"), "entity": "Task",
            "kind": "CUSTOMER_CONTACT", "title": "Update the customer", "status": "open",
            "case_reference": CASE, "officer": None, "team": "east",
            "created_at": "2026-12-01T10:00:00+00:00", "due_kind": "CUSTOMER_CONTACT",
            "due_at": DUE, "every": 5}
ESCALATED_TASK = {**keys.task_key(CASE, "FIRST_CONTACT"), "entity": "Task",
                  "kind": "FIRST_CONTACT", "title": "Make first contact with the reporter",
                  "status": "open", "case_reference": CASE, "officer": "", "team": "east",
                  "due_kind": "FIRST_CONTACT:escalated", "due_at": DUE, "every": 10,
                  "swept_at": "2026-12-03T17:15:00+00:00"}
QUIET_CASE = {**keys.case_key(CASE), "entity": "Case", "reference": CASE, "status": "open",
              "case_reference": CASE, "kind": "NO_ACTIVITY", "due_kind": "NO_ACTIVITY",
              "due_at": DUE, "officer": "o.hughes", "team": "east"}
LEGAL_ACTION = {**keys.record_id_key(CASE, "Measure", "m-1"), "entity": "Measure",
                "case_reference": CASE, "record_id": "m-1", "measure": "injunction",
                "due_kind": "LEGAL_APPROVAL", "title": "Approve legal action", "due_at": DUE,
                "team": "east", "officer": "o.hughes"}
REFERRAL = {**keys.record_id_key(CASE, "Disclosure", "d-1"), "entity": "Disclosure",
            "case_reference": CASE, "disclosure_id": "d-1", "kind": "referral",
            "due_kind": "DISCLOSURE_DECISION", "title": "Decide the request to share",
            "due_at": DUE, "team": "east", "officer": "o.hughes"}
SUBJECT_ACCESS = {**keys.subject_access_key("SAR-2026-000007"), "entity": "SubjectAccess",
                  "due_kind": "SUBJECT_ACCESS", "due_at": DUE}


def _as_the_index_gives(item: dict[str, Any]) -> dict[str, Any]:
    return from_item(to_item({k: v for k, v in item.items() if k in PROJECTED}))


def _as_the_overdue_list_gave(item: dict[str, Any]) -> dict[str, Any]:
    """What the case store and the service answered before due work was a model."""
    row = _as_the_index_gives(item)
    answer = {k: row.get(k) for k in ("case_reference", "kind", "title", "due_at", "officer",
                                      "team")}
    if answer["kind"] == "NO_ACTIVITY":
        answer["title"] = answer["title"] or NO_ACTIVITY_TITLE
    # The day it is about: the day it fell due, for every kind these items are.
    day = local_day(datetime.fromisoformat(str(answer["due_at"])))
    return {**answer, "due_on": day.isoformat(), "overdue": True}


def test_each_kind_of_due_work_decodes_as_the_sweep_reads_it() -> None:
    task = due_task(_as_the_index_gives(ESCALATED_TASK))
    assert (task.case_reference, task.kind, task.due_at, task.officer, task.team, task.every) \
        == (CASE, "FIRST_CONTACT:escalated", datetime(2026, 12, 3, 17, tzinfo=UTC), "", "east", 10)
    assert task.key == keys.task_key(CASE, "FIRST_CONTACT")
    assert task.item_kind == "FIRST_CONTACT"
    assert due_task(_as_the_index_gives(QUIET_CASE)).key == keys.case_key(CASE)
    # A subject access request names no case: its reference is its partition's.
    assert due_task(_as_the_index_gives(SUBJECT_ACCESS)).case_reference == "SAR-2026-000007"


def test_the_overdue_list_answers_as_it_did_from_the_stored_items() -> None:
    for item in (NEW_TASK, ESCALATED_TASK, QUIET_CASE, LEGAL_ACTION, REFERRAL):
        answered = overdue_work(due_task(_as_the_index_gives(item)), LATER)
        assert answered == _as_the_overdue_list_gave(item), item[keys.SK]
    assert overdue_work(due_task(_as_the_index_gives(QUIET_CASE)), LATER)["title"] == NO_ACTIVITY_TITLE
    # Legal action has no kind of its own; a request to share says which it is.
    assert overdue_work(due_task(_as_the_index_gives(LEGAL_ACTION)), LATER)["kind"] is None
    assert overdue_work(due_task(_as_the_index_gives(REFERRAL)), LATER)["kind"] == "referral"


class _EscalatedBetweenQueries:
    """The DueWork index as two Queries see it when the sweep escalates an item between them:
    the same key under its kind and under the kind's escalation; BatchGetItem, as DynamoDB's,
    refuses a key asked for twice."""

    def query(self, **arguments: Any) -> dict[str, Any]:
        return {"Items": [{"pk": {"S": "CASE#ASB-2026-000001"}, "sk": {"S": "DISCLOSURE#d-1"}}]}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        asked = RequestItems["cases"]["Keys"]
        if len({json.dumps(key, sort_keys=True) for key in asked}) != len(asked):
            raise ValueError("Provided list of item keys contains duplicates")
        return {"Responses": {"cases": [{**key, "due_at": {"S": "2026-12-03T17:00:00+00:00"}}
                                        for key in asked]}}


def test_an_item_escalated_between_the_two_queries_is_read_once() -> None:
    found = waiting(_EscalatedBetweenQueries(), "cases",  # type: ignore[arg-type]
                    ["DISCLOSURE_DECISION", "DISCLOSURE_DECISION:escalated"])
    assert [item["sk"] for item in found] == ["DISCLOSURE#d-1"]
