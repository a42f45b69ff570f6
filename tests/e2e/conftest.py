"""The local runtime, started inside the test session on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from infra.local.browser import chromium
from infra.local.ports import free_port
from infra.local.runtime import KeptLocalAws, LocalRuntime

E2E = Path(__file__).parent
FIXTURE_TEMPLATE = E2E / "fixture" / "template.yaml"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is e2e; one that opens Chromium is also browser, the load run load
    (`make test-quick` leaves those two out)."""
    for item in items:
        if E2E not in item.path.parents:
            continue  # pytest passes every collected test to each conftest's hook
        item.add_marker(pytest.mark.e2e)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.path.name == "test_load.py":
            item.add_marker(pytest.mark.load)


@pytest.fixture(scope="session")
def local_aws() -> Iterator[KeptLocalAws]:
    """One local AWS per test process: each module's runtime finds the template's resources as
    the one before made them, emptied, instead of making them again."""
    kept = KeptLocalAws()
    yield kept
    kept.stop()


@pytest.fixture(scope="module")
def service(request: pytest.FixtureRequest, local_aws: KeptLocalAws) -> Iterator[LocalRuntime]:
    """The real service: template.yaml's resources and functions, as `make dev` runs them, from
    an empty local AWS. Its register starts empty (loading make dev's 3,000 fictional homes takes
    12 s or more a module); a module that tests that landlord says `FICTIONAL_HOMES = 3_000`."""
    runtime = LocalRuntime(api_port=free_port(), retry_delay=1, schedules_on_clock=False,
                           fictional_homes=getattr(request.module, "FICTIONAL_HOMES", 0),
                           kept=local_aws)
    with runtime:
        yield runtime


@pytest.fixture(scope="module")
def fixture_runtime(local_aws: KeptLocalAws) -> Iterator[LocalRuntime]:
    """A small template of its own, for the runtime's Lambda semantics."""
    runtime = LocalRuntime(template_path=FIXTURE_TEMPLATE, api_port=free_port(),
                           retry_delay=0, schedules_on_clock=False, stack_name="fixture",
                           kept=local_aws)
    with runtime:
        yield runtime


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one per test process (each test has a context of its own:
    no cookies, storage or cache carried from one to the next)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session storage) and its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()
