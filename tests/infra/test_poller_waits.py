"""A poller polls while it has work, then waits for a write the local AWS reports (or its
interval at most) instead of polling on a clock; told to stop, it stops at once."""

from __future__ import annotations

import threading
import time

from infra.local.local_aws import Activity
from infra.local.pollers import Poller, wait_until


class CountingPoller(Poller):
    def __init__(self, activity: Activity, work: int = 0) -> None:
        super().__init__("counting", interval=60, activity=activity)
        self.polls = 0
        self.work = work
        self.polled = threading.Event()

    def poll_once(self) -> bool:
        self.polls += 1
        self.polled.set()
        if self.work:
            self.work -= 1
            return True
        return False


def test_an_idle_poller_waits_for_a_write_and_polls_again_when_one_comes() -> None:
    activity = Activity()
    poller = CountingPoller(activity)
    poller.start()
    try:
        assert poller.polled.wait(5)
        time.sleep(0.3)  # idle: no write, and the interval (60 s) not yet run out
        assert poller.polls == 1
        activity.bump()
        assert wait_until(lambda: poller.polls == 2, seconds=0.5)
    finally:
        poller.stop()
        poller.join(timeout=5)


def test_a_poller_with_work_polls_until_it_has_none() -> None:
    activity = Activity()
    poller = CountingPoller(activity, work=5)
    poller.start()
    try:
        assert wait_until(lambda: poller.polls == 6, seconds=2)
    finally:
        poller.stop()
        poller.join(timeout=5)


def test_a_waiting_poller_stops_at_once() -> None:
    poller = CountingPoller(Activity())
    poller.start()
    assert poller.polled.wait(5)
    poller.stop()
    poller.join(timeout=5)
    assert not poller.is_alive()  # not waiting out its 60 s
