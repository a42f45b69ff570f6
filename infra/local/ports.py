"""A free port on this machine, for a local server a test, a bench or the screenshots start."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now (the system's choice); the caller binds it next."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
