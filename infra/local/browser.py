"""Debian's headless Chromium, driven by Playwright's Python package (it cannot download its own
here), for the browser tests and `make screenshots`.

The headless shell (Debian's chromium-headless-shell, from the same source as chromium) is what
Playwright itself runs for headless pages: the same Blink, without the full browser around it.
The browser tests took a third less CPU with it than with /usr/bin/chromium (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
# This machine's network is closed: without the background-networking flags Chromium's own
# connections are refused, many at a time.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
