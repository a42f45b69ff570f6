"""template.yaml's resources on moto, made once per test session and put back as made before
each test that uses them.

Making them took 3 to 17 s a test (create_all asks 96 boto3 clients). Putting them back takes
milliseconds: what a handler can leave behind is dropped from moto's backends directly
(infra.local.put_back).

A test that starts a pristine moto of its own resets every backend; the next test here finds its
tables gone and makes the resources again.

moto gives boto3 a new default session each time it starts, so every test's clients loaded
botocore's endpoints and service models again (a third of the integration tests' time). Here
every test that uses these resources has the same boto3 session (its loader keeps what it read);
moto's own interception is the same for it, and the previous default comes back as the test ends.
"""

from __future__ import annotations

import boto3
from moto import mock_aws
from moto.core.config import DefaultConfig, default_user_config

from infra.local import put_back
from infra.local.local_aws import mend
from infra.local.put_back import MadeNames
from infra.local.resources import LocalResources


class SessionAws:
    """One moto for the session, on only while a test that asked for it runs (so the e2e
    runtime's real HTTP to its own moto server is never intercepted)."""

    def __init__(self) -> None:
        mend()  # moto as the local runtime runs it, whichever tests this process ran first
        kept: DefaultConfig = {"core": {**default_user_config["core"], "reset_boto3_session": False}}
        self._mock = mock_aws(config=kept)
        self._resources: LocalResources | None = None
        self._made: MadeNames | None = None
        self._session: boto3.Session | None = None
        self._outside: boto3.Session | None = None

    def enter(self) -> LocalResources:
        """template.yaml's resources, as create_all made them and with nothing in them."""
        intact = self._made is not None and self._made.still_there()
        self._mock.start(reset=not intact)
        self._outside = boto3.DEFAULT_SESSION
        if self._session is None:
            self._session = boto3.Session()  # with moto's credentials, started just now
        boto3.DEFAULT_SESSION = self._session
        try:
            if self._resources is None or self._made is None or not intact:
                self._resources = LocalResources().create_all()
                self._made = MadeNames.now()
            else:
                self.put_back()
        except BaseException:
            self._made = None  # made again, from a reset moto, for the next test
            self.leave()
            raise
        return self._resources

    def put_back(self) -> None:
        assert self._made is not None
        put_back.put_back(self._made)

    def leave(self) -> None:
        try:
            self._mock.stop(remove_data=False)
        finally:
            boto3.DEFAULT_SESSION = self._outside

    def close(self) -> None:
        """Drops everything, closing the temporary files moto keeps objects in."""
        self._mock.start(reset=True)
        self._mock.stop(remove_data=True)
