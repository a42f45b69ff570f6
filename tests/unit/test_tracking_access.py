"""A wrong tracking link is found out no faster for a reference that does not exist than for one
that does: a missing reference, a wrong secret, a revoked and an anonymised link all stop at the
same point - one GetItem of the reference's item, then one count of the wrong link - before the
case's partition is read or anything unsealed. A right link reads the case and is never
refused, however many wrong links its address sent; too many wrong ones and the answer is 429.
The real stores and service over a fake DynamoDB client that records every call (timing itself
is not tested: calls are what take the time)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asb.case.link_keys import secret_hash
from asb.casework.store import DynamoDBCaseStore
from asb.dynamo import keys
from asb.dynamo.case_items import case_item
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.report_items import report_item
from asb.intake.service import open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.tracking.links import LinkNotFound, ResidentService, TooManyGuesses, WrongLinks, wait_for
from asb.tracking.sniffing import sniffed_type
from asb.tracking.store import DynamoDBGuesses
from tests.conftest import sample_event
from tests.fakes import RecordingDynamoDB

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)  # the start of a 15-minute window
CASE = "ASB-2026-000042"
NO_SUCH_CASE = "ASB-2026-000999"
SECRET = "the-reporters-own-secret"
ADDRESS = "203.0.113.45"


class CountingSealer:
    """Reversible, and counts what it opens: a wrong link must open nothing."""

    def __init__(self) -> None:
        self.unsealed = 0

    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        return plain

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        self.unsealed += 1
        return sealed


class Files:
    def head(self, key: str) -> int | None:
        raise AssertionError("no file is touched here")

    def first_bytes(self, key: str, count: int) -> bytes:
        raise AssertionError("no file is touched here")

    def copy(self, incoming: str, kept: str) -> None:
        raise AssertionError("no file is touched here")

    def discard(self, key: str) -> None:
        raise AssertionError("no file is touched here")


def a_table(sealer: CountingSealer) -> RecordingDynamoDB:
    """One case and its report, with the reference's item as intake writes it."""
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    opened = open_case(submission, CASE, "api", NOW, lambda: "report-1")
    report = opened.report.model_copy(update={"tracking_hash": secret_hash(SECRET)})
    return RecordingDynamoDB([
        case_item(opened.case), report_item(report, sealer),
        {**keys.report_reference_key(CASE), keys.ENTITY: "ReportReference",
         "case_reference": CASE, "report_id": "report-1",
         "links": {"report-1": secret_hash(SECRET)}}], blanked=(CASE, NO_SUCH_CASE))


class AddressKey:
    """The key the wrong-link counter hashes addresses under, counting how often it is asked."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self) -> bytes:
        self.asked += 1
        return b"k" * 32


def a_service(table: RecordingDynamoDB, sealer: CountingSealer,
              now: datetime = NOW, key: AddressKey | None = None) -> ResidentService:
    guesses = DynamoDBGuesses(table, "cases", key or AddressKey())  # type: ignore[arg-type]
    return ResidentService(DynamoDBCaseStore(table, "cases", sealer),  # type: ignore[arg-type]
                           guesses, Files(), sniffed_type, FixedClock(now))


def wrong_link_calls(table: RecordingDynamoDB, service: ResidentService, reference: str,
                     secret: str) -> list[tuple[str, str]]:
    table.calls.clear()
    with pytest.raises(LinkNotFound):
        service.view(reference, secret, ADDRESS)
    return list(table.calls)


def revoked(table: RecordingDynamoDB) -> None:
    """As the revocation's transaction leaves the reference's item."""
    item = from_item(table.items[(f"REPORTREF#{CASE}", "REPORTREF")])
    table.items[(f"REPORTREF#{CASE}", "REPORTREF")] = to_item({**item, "links": {}})


def anonymised(table: RecordingDynamoDB) -> None:
    """As retention leaves it (REMOVE links), and the case marked anonymised."""
    item = from_item(table.items[(f"REPORTREF#{CASE}", "REPORTREF")])
    item.pop("links")
    table.items[(f"REPORTREF#{CASE}", "REPORTREF")] = to_item(item)
    case = from_item(table.items[(f"CASE#{CASE}", "CASE")])
    table.items[(f"CASE#{CASE}", "CASE")] = to_item({**case, "anonymised_at": NOW.isoformat()})


@pytest.mark.parametrize(("state", "secret"), [
    ("a wrong secret", "not-the-secret"),
    ("a revoked link", SECRET),
    ("an anonymised case's link", SECRET),
])
def test_a_wrong_link_to_a_real_reference_makes_the_same_calls_as_a_missing_one(
        state: str, secret: str) -> None:
    sealer = CountingSealer()
    table = a_table(sealer)
    {"a revoked link": revoked, "an anonymised case's link": anonymised}.get(
        state, lambda _: None)(table)
    service = a_service(table, sealer)
    real = wrong_link_calls(table, service, CASE, secret)
    missing = wrong_link_calls(table, service, NO_SUCH_CASE, secret)
    assert real == missing  # the reference's item alone, then the count: the same calls
    assert [operation for operation, _ in real] == ["GetItem", "UpdateItem"]
    assert sealer.unsealed == 0


def test_the_counter_keeps_an_address_only_as_a_keyed_hash_asking_for_the_key_once() -> None:
    sealer = CountingSealer()
    table = a_table(sealer)
    key = AddressKey()
    service = a_service(table, sealer, key=key)
    first = wrong_link_calls(table, service, CASE, "not-the-secret")
    assert key.asked == 1
    again = wrong_link_calls(table, service, NO_SUCH_CASE, "not-the-secret")
    assert again == first and key.asked == 1  # the same work for every wrong link after it
    counted = [pk for pk, sk in table.items if sk == "WRONG_LINKS"]
    keyed = hmac.new(b"k" * 32, ADDRESS.encode(), hashlib.sha256).hexdigest()
    assert counted == [f"GUESSES#{keyed}"]
    assert hashlib.sha256(ADDRESS.encode()).hexdigest() not in str(table.items)


def test_the_address_key_is_a_mac_under_the_tracking_key_never_a_links() -> None:
    from asb.case.link_keys import mac_message
    from asb.tracking.store import ADDRESS_KEY_MESSAGE, kms_address_key

    class Kms:
        def __init__(self) -> None:
            self.asked: list[dict[str, Any]] = []

        def generate_mac(self, **arguments: Any) -> dict[str, Any]:
            self.asked.append(arguments)
            return {"Mac": b"m" * 32}

    kms = Kms()
    assert kms_address_key(kms, "tracking-key")() == b"m" * 32  # type: ignore[arg-type]
    assert kms.asked == [{"KeyId": "tracking-key", "Message": ADDRESS_KEY_MESSAGE,
                          "MacAlgorithm": "HMAC_SHA_256"}]
    assert not ADDRESS_KEY_MESSAGE.startswith(mac_message(""))
    with pytest.raises(ValueError, match="TRACKING_KEY_ID"):
        kms_address_key(kms, "")()  # type: ignore[arg-type]


def test_a_right_link_reads_the_case_and_counts_nothing() -> None:
    sealer = CountingSealer()
    table = a_table(sealer)
    view = a_service(table, sealer).view(CASE, SECRET, ADDRESS)
    assert view["reference"] == CASE
    assert [op for op, _ in table.calls] == ["GetItem", "Query"]
    assert sealer.unsealed == 1


def test_too_many_wrong_links_are_429_but_a_right_link_is_always_served() -> None:
    sealer = CountingSealer()
    table = a_table(sealer)
    service = a_service(table, sealer)
    for n in range(10):
        with pytest.raises(LinkNotFound):
            service.view(NO_SUCH_CASE if n % 2 else CASE, f"guess-{n}", ADDRESS)
    with pytest.raises(TooManyGuesses) as refused:
        service.view(CASE, "guess-10", ADDRESS)
    # 11 in a window just begun: it waits until, as that window slides out, 9 remain
    # (11 * (1 - h) = 9: 18% into the next window).
    assert refused.value.retry_after == 1064
    for _ in range(20):
        assert service.view(CASE, SECRET, ADDRESS)["reference"] == CASE
    with pytest.raises(LinkNotFound):  # another address is not held up
        service.view(CASE, "guess-0", "198.51.100.9")
    # Each wrong link was one UpdateItem - counted and read in one atomic step, never read
    # first - and the right ones none.
    counts = [shown for op, shown in table.calls if op == "UpdateItem"]
    assert len(counts) == 12
    assert all("'ReturnValues': 'ALL_NEW'" in c and "ADD #this :one" in c for c in counts)


def test_the_window_slides_the_last_windows_count_weighs_less_as_it_passes() -> None:
    half_way = NOW + timedelta(minutes=7, seconds=30)
    # Half of the last window is still in the 15 minutes up to now: 4 + 12 / 2 = 10, allowed.
    assert wait_for(WrongLinks(this_window=4, last_window=12), half_way) is None
    # 11: wait until 12 * (1 - g) + 5 = 9, two thirds through this window: 150 s from now.
    assert wait_for(WrongLinks(this_window=5, last_window=12), half_way) == 150
    # A new window: the last one counts whole.
    assert wait_for(WrongLinks(this_window=1, last_window=10), NOW) == 180
    assert wait_for(WrongLinks(this_window=1, last_window=9), NOW) is None


def test_the_counts_move_on_with_the_windows() -> None:
    sealer = CountingSealer()
    table = a_table(sealer)
    for minutes in (0, 1, 16, 31):
        with pytest.raises(LinkNotFound):
            a_service(table, sealer, NOW + timedelta(minutes=minutes)).view(
                CASE, "wrong", ADDRESS)
    (count,) = [from_item(i) for (pk, _), i in table.items.items()
                if pk.startswith("GUESSES#")]
    windows = {k: v for k, v in count.items() if k.startswith("w")}
    assert list(windows.values()) == [1, 1]  # this window and the last; older ones dropped
    assert count["expires_at"] == int((NOW + timedelta(minutes=60)).timestamp())
