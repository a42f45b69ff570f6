"""The local runtime, started inside the test session on free ports."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import chromium

FIXTURE_TEMPLATE = Path(__file__).parent / "fixture" / "template.yaml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def service() -> Iterator[LocalRuntime]:
    """The real service: template.yaml's resources and functions, as `make dev` runs them."""
    runtime = LocalRuntime(api_port=free_port(), aws_port=free_port(), retry_delay=1,
                           schedules_on_clock=False)
    with runtime:
        yield runtime


@pytest.fixture(scope="module")
def fixture_runtime() -> Iterator[LocalRuntime]:
    """A small template of its own, for the runtime's Lambda semantics."""
    runtime = LocalRuntime(template_path=FIXTURE_TEMPLATE, api_port=free_port(),
                           aws_port=free_port(), retry_delay=0, schedules_on_clock=False,
                           stack_name="fixture")
    with runtime:
        yield runtime


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one per test module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session storage) and its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()
