"""The local AWS's port: under `make test -n`, two workers' runtimes start at once, each on a
port of its own."""

from __future__ import annotations

import socket
import threading
import urllib.request

from infra.local.local_aws import LocalAws


def test_a_port_already_taken_fails_the_start_at_once_rather_than_hanging_it() -> None:
    outcome: list[BaseException | None] = []

    def start(port: int) -> None:
        try:
            LocalAws(ip_address="127.0.0.1", port=port, verbose=False).start()
            outcome.append(None)
        except OSError as error:
            outcome.append(error)

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        starting = threading.Thread(target=start, args=(taken.getsockname()[1],), daemon=True)
        starting.start()
        starting.join(timeout=20)
    assert not starting.is_alive(), "start() still waiting for a server that never listened"
    assert len(outcome) == 1 and isinstance(outcome[0], OSError)


def test_port_0_takes_a_free_port_and_says_which() -> None:
    local_aws = LocalAws(ip_address="127.0.0.1", port=0, verbose=False)
    local_aws.start()
    try:
        assert local_aws.port > 0
        url = f"http://127.0.0.1:{local_aws.port}/moto-api/data.json"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.status == 200
    finally:
        local_aws.stop()
