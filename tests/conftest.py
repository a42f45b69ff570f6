"""Fixtures every test layer shares: sample events, moto with template.yaml's resources, handlers."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

if TYPE_CHECKING:  # moto is imported only by the tests that ask for it
    from infra.local.resources import LocalResources
    from tests.session_aws import SessionAws

# Property tests check what holds, not how fast: a slow first call (a holiday calendar loading)
# must not fail them.
settings.register_profile("asb", deadline=None)
settings.load_profile("asb")

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="eu-west-2",
    # botocore sends DynamoDB Streams calls to account-based hosts that moto does not answer.
    AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
)
os.environ.pop("AWS_ENDPOINT_URL", None)


# Python's cyclic garbage collector ran 25,000 times over the integration tests and two e2e modules
# in one process (49 s of their 208 s of CPU), each time walking a heap that moto, botocore's models
# and Playwright keep large. A collection only every 50,000 allocations, and the objects that live
# the whole session (modules, collected tests) moved out of its sight once collected: 168 s.
TEST_PROCESS_GC_THRESHOLD = (50_000, 50, 100)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*TEST_PROCESS_GC_THRESHOLD)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (make test) each module goes out whole, in the order collected: end to
    end, infra, integration, then unit, whose many small modules even out the two workers' ends.
    A module that says RUNS_LONG (it runs other test modules in fresh interpreters) goes out
    first instead: collected last, it ran alone for 20 s while the other worker sat idle."""
    items.sort(key=lambda item: not getattr(getattr(item, "module", None), "RUNS_LONG", False))


def sample_event(name: str) -> dict[str, Any]:
    """An AWS-shaped event from events/, as Lambda would pass it."""
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


class LambdaContext:
    function_name = "asb-test"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:asb-test"
    memory_limit_in_mb = 512
    aws_request_id = "test-request-0001"
    log_group_name = "/aws/lambda/asb-test"
    log_stream_name = "2026/11/25/[$LATEST]test"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def context() -> LambdaContext:
    return LambdaContext()


@pytest.fixture(scope="session")
def session_aws() -> Iterator[SessionAws]:
    """moto with template.yaml's resources, made at the first test that asks for them."""
    from tests.session_aws import SessionAws

    made = SessionAws()
    yield made
    made.close()


@pytest.fixture
def aws(session_aws: SessionAws) -> Iterator[LocalResources]:
    """moto with every resource of template.yaml created, as the local runtime creates them, and
    nothing in them: no item, message, object or sent email left by an earlier test."""
    yield session_aws.enter()
    session_aws.leave()


@pytest.fixture
def load_handler(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ModuleType]:
    """Imports a function's app.py afresh with its environment from template.yaml."""
    from infra.local.template import function

    def load(logical_id: str) -> ModuleType:
        spec = function(logical_id)
        for name, value in aws.environment(spec.environment).items():
            monkeypatch.setenv(name, value)
        module_name = f"handler_{spec.name}"
        source = importlib.util.spec_from_file_location(module_name, spec.code_dir / "app.py")
        assert source and source.loader
        module = importlib.util.module_from_spec(source)
        sys.modules[module_name] = module
        source.loader.exec_module(module)
        return module

    return load
