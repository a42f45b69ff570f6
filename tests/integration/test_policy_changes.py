"""Changes of the landlord's policy in the cases table (moto): stored once per key, the version
in force moved by a completed change only, read newest first in pages by a Query, a cursor not
ours refused by its field, and only officers and managers may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidChange
from asb.kernel.staff import NotAllowed, StaffMember
from asb.policy_changes.models import LOCAL_WATCHER, ChangeState
from asb.policy_changes.service import PolicyChanges
from asb.policy_changes.store import DynamoDBPolicyChangeStore

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MANAGER = StaffMember("m.manager", frozenset({"manager"}), None)


@pytest.fixture
def changes(aws: Any) -> PolicyChanges:
    store = DynamoDBPolicyChangeStore(boto3.client("dynamodb"), str(aws.ref("CasesTable")))
    return PolicyChanges(store, FixedClock(AT), "magna-2026.1")


def test_a_change_is_stored_once_and_the_next_starts_from_it(changes: PolicyChanges) -> None:
    first = changes.record(key="d1#COMPLETED", landlord="magna", to_version="magna-2026.1",
                           state=ChangeState.COMPLETED, by="AWS AppConfig deployment 1")
    assert first is not None and first.from_version is None
    again = changes.record(key="d1#COMPLETED", landlord="magna", to_version="magna-2026.1",
                           state=ChangeState.COMPLETED, by="AWS AppConfig deployment 1")
    assert again is None
    started = changes.record(key="d2#STARTED", landlord="magna", to_version="magna-2026.2",
                             state=ChangeState.STARTED, by="AWS AppConfig deployment 2",
                             at=AT + timedelta(minutes=5))
    assert started is not None and started.from_version == "magna-2026.1"
    rolled = changes.record(key="d2#ROLLED_BACK", landlord="magna", to_version="magna-2026.2",
                            state=ChangeState.ROLLED_BACK, by="AWS AppConfig deployment 2",
                            at=AT + timedelta(minutes=9))
    # a rollback leaves the version in force where it was
    assert rolled is not None and rolled.from_version == "magna-2026.1"
    page = changes.changes(MANAGER, 10, None)
    assert [(c.state, c.to_version) for c in page.changes] == [
        (ChangeState.ROLLED_BACK, "magna-2026.2"), (ChangeState.STARTED, "magna-2026.2"),
        (ChangeState.COMPLETED, "magna-2026.1")]
    assert all(c.recorded_under == "magna-2026.1" for c in page.changes)
    assert page.cursor is None


def test_changes_come_in_pages_newest_first(changes: PolicyChanges) -> None:
    for n in range(5):
        changes.record(key=f"local#{n}", landlord="fenmoor", to_version=f"fenmoor-{n}",
                       state=ChangeState.COMPLETED, by=LOCAL_WATCHER,
                       at=AT + timedelta(hours=n))
    seen: list[str] = []
    cursor = None
    while True:
        page = changes.changes(MANAGER, 2, cursor)
        seen += [c.to_version for c in page.changes]
        if not page.cursor:
            break
        cursor = page.cursor
    assert seen == [f"fenmoor-{n}" for n in reversed(range(5))]
    assert changes.changes(MANAGER, 1, None).changes[0].from_version == "fenmoor-3"


def test_a_cursor_not_from_a_page_is_refused_by_its_field(changes: PolicyChanges) -> None:
    with pytest.raises(InvalidChange) as refused:
        changes.changes(MANAGER, 2, "bm90LW91cnM=")
    assert [e.field for e in refused.value.errors] == ["cursor"]


def test_an_officer_reads_the_changes_a_data_protection_officer_does_not(
        changes: PolicyChanges) -> None:
    officer = StaffMember("o.officer", frozenset({"officer"}), "north")
    assert changes.changes(officer, 5, None).changes == []
    with pytest.raises(NotAllowed):
        changes.changes(StaffMember("d.dpo", frozenset({"dpo"}), None), 5, None)


def test_the_same_key_at_another_time_is_the_same_change(changes: PolicyChanges) -> None:
    """The deploy command records the deployment it started; AppConfig's start event, later,
    names the same deployment: one change, the command's."""
    assert changes.record(key="appconfig#a#e#7#STARTED", landlord="magna",
                          to_version="magna-2026.2", state=ChangeState.STARTED,
                          by="python -m infra.policy deploy") is not None
    assert changes.record(key="appconfig#a#e#7#STARTED", landlord="magna",
                          to_version="magna-2026.2", state=ChangeState.STARTED,
                          by="AWS AppConfig deployment 7", at=AT + timedelta(seconds=3)) is None
    [change] = changes.changes(MANAGER, 5, None).changes
    assert change.by == "python -m infra.policy deploy"
