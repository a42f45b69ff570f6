"""What the browser tests do with a page: move by keyboard, fill in, ask axe-core."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from infra.local.template import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def tab_to(page: Page, element_id: str, most: int = 150) -> None:
    """Presses Tab until the element has focus, as a keyboard user moves through a page."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never took focus from the keyboard")


def fill_in(page: Page, answers: dict[str, str]) -> None:
    """Types each answer into the field with that CSS selector."""
    for selector, text in answers.items():
        page.fill(selector, text)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations of serious or critical impact."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
