"""Changes of the landlord's policy in the cases table (moto): stored once per key, the version
in force moved by a completed change only and never back by an earlier one, a change written
only while the version its "from" names is in force (two racing records), read newest first in
pages by a Query, a cursor not ours refused by its field, and only officers and managers may read
them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidChange
from asb.kernel.staff import NotAllowed, StaffMember
from asb.policy_changes.models import LOCAL_WATCHER, ChangeState
from asb.policy_changes.service import ATTEMPTS, InForce, InForceMoved, PolicyChanges
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


def _cursor(sk: str) -> str:
    return base64.urlsafe_b64encode(sk.encode()).decode()


@pytest.mark.parametrize("sk", [
    "C#" + "x" * 2000,  # DynamoDB refuses an ExclusiveStartKey's sort key over 1,024 bytes
    "C#2026-12-01T09:00:00+00:00#" + "k" * 1100,
    "C#not-a-time#local#magna-2026.1#1",
    "C#2026-13-45T09:00:00+00:00#local#x",
    "C#2026-12-01T09:00:00+00:00#",
    "C#2026-12-01T09:00:00+00:00#a key with spaces",
    "KEY#local#1",
], ids=["oversized", "key-too-long", "not-a-time", "no-such-date", "no-key", "spaces", "key-item"])
def test_a_cursor_not_of_a_changes_shape_is_refused_by_its_field(
        changes: PolicyChanges, sk: str) -> None:
    with pytest.raises(InvalidChange) as refused:
        changes.changes(MANAGER, 2, _cursor(sk))
    assert [e.field for e in refused.value.errors] == ["cursor"]


def test_a_cursor_of_a_changes_shape_pages_on(changes: PolicyChanges) -> None:
    for n in range(3):
        changes.record(key=f"local#fenmoor-{n}#1", landlord="fenmoor", to_version=f"fenmoor-{n}",
                       state=ChangeState.COMPLETED, by=LOCAL_WATCHER, at=AT + timedelta(hours=n))
    first = changes.changes(MANAGER, 1, None)
    assert first.cursor and base64.urlsafe_b64decode(first.cursor).decode() == (
        "C#2026-12-01T11:00:00+00:00#local#fenmoor-2#1")
    assert [c.to_version for c in changes.changes(MANAGER, 5, first.cursor).changes] == [
        "fenmoor-1", "fenmoor-0"]


def _in_force(aws: Any) -> InForce | None:
    return DynamoDBPolicyChangeStore(boto3.client("dynamodb"), str(aws.ref("CasesTable"))
                                     ).in_force()


def test_a_late_completion_is_stored_and_leaves_the_version_in_force(
        aws: Any, changes: PolicyChanges) -> None:
    """Deployment 2 completes; deployment 1's completion, earlier, arrives after it."""
    changes.record(key="d2#COMPLETED", landlord="magna", to_version="magna-2026.2",
                   state=ChangeState.COMPLETED, by="AWS AppConfig deployment 2",
                   at=AT + timedelta(hours=1))
    late = changes.record(key="d1#COMPLETED", landlord="magna", to_version="magna-2026.1",
                          state=ChangeState.COMPLETED, by="AWS AppConfig deployment 1", at=AT)
    assert late is not None and late.from_version == "magna-2026.2"
    in_force = _in_force(aws)
    assert in_force is not None and in_force.version == "magna-2026.2"
    nxt = changes.record(key="d3#STARTED", landlord="magna", to_version="magna-2026.3",
                         state=ChangeState.STARTED, by="AWS AppConfig deployment 3",
                         at=AT + timedelta(hours=2))
    assert nxt is not None and nxt.from_version == "magna-2026.2"
    assert len(changes.changes(MANAGER, 10, None).changes) == 3


class RacedStore(DynamoDBPolicyChangeStore):
    """The table's store, with another record run between this one's read of the version in
    force and its write (`race`, run after the first `races` reads)."""

    def __init__(self, table: str, race: Callable[[], Any], races: int = 1) -> None:
        super().__init__(boto3.client("dynamodb"), table)
        self.race, self.races, self.reads = race, races, 0

    def in_force(self) -> InForce | None:
        seen = super().in_force()
        self.reads += 1
        if self.reads <= self.races:
            self.race()
        return seen


def _raced(aws: Any, race: Callable[[], Any], races: int = 1) -> tuple[PolicyChanges, RacedStore]:
    store = RacedStore(str(aws.ref("CasesTable")), race, races)
    return PolicyChanges(store, FixedClock(AT), "magna-2026.1"), store


def test_a_change_racing_a_completion_is_from_the_version_that_completion_set(
        aws: Any, changes: PolicyChanges) -> None:
    changes.record(key="d1#COMPLETED", landlord="magna", to_version="magna-2026.1",
                   state=ChangeState.COMPLETED, by="AWS AppConfig deployment 1", at=AT)
    racing, store = _raced(aws, lambda: changes.record(
        key="d2#COMPLETED", landlord="magna", to_version="magna-2026.2",
        state=ChangeState.COMPLETED, by="AWS AppConfig deployment 2",
        at=AT + timedelta(hours=1)))
    started = racing.record(key="d3#STARTED", landlord="magna", to_version="magna-2026.3",
                            state=ChangeState.STARTED, by="AWS AppConfig deployment 3",
                            at=AT + timedelta(hours=2))
    assert store.reads == 2  # read, beaten by deployment 2's completion, read again
    assert started is not None and started.from_version == "magna-2026.2"
    [stored] = [c for c in changes.changes(MANAGER, 10, None).changes if c.key == "d3#STARTED"]
    assert stored.from_version == "magna-2026.2"


@pytest.mark.parametrize(("ours", "theirs", "in_force"), [
    (AT + timedelta(hours=2), AT + timedelta(hours=1), "ours"),  # ours is later: it moves on
    (AT + timedelta(hours=1), AT + timedelta(hours=2), "theirs"),  # theirs is later: it stays
], ids=["ours-later", "theirs-later"])
def test_two_racing_completions_leave_the_later_in_force(
        aws: Any, changes: PolicyChanges, ours: datetime, theirs: datetime,
        in_force: str) -> None:
    changes.record(key="d1#COMPLETED", landlord="magna", to_version="magna-2026.1",
                   state=ChangeState.COMPLETED, by="AWS AppConfig deployment 1", at=AT)
    racing, _ = _raced(aws, lambda: changes.record(
        key="theirs#COMPLETED", landlord="magna", to_version="theirs",
        state=ChangeState.COMPLETED, by="AWS AppConfig deployment 2", at=theirs))
    recorded = racing.record(key="ours#COMPLETED", landlord="magna", to_version="ours",
                             state=ChangeState.COMPLETED, by="AWS AppConfig deployment 3",
                             at=ours)
    assert recorded is not None and recorded.from_version == "theirs"
    now = _in_force(aws)
    assert now is not None and now.version == in_force


def test_a_change_always_beaten_gives_up_after_its_attempts(
        aws: Any, changes: PolicyChanges) -> None:
    counter = iter(range(100))

    def another() -> None:
        n = next(counter)
        changes.record(key=f"other#{n}", landlord="magna", to_version=f"magna-{n}",
                       state=ChangeState.COMPLETED, by=LOCAL_WATCHER,
                       at=AT + timedelta(minutes=n))

    racing, store = _raced(aws, another, races=ATTEMPTS)
    with pytest.raises(InForceMoved):
        racing.record(key="ours#STARTED", landlord="magna", to_version="ours",
                      state=ChangeState.STARTED, by="AWS AppConfig deployment 9",
                      at=AT + timedelta(hours=9))
    assert store.reads == ATTEMPTS
    assert not [c for c in changes.changes(MANAGER, 50, None).changes if c.key == "ours#STARTED"]


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
