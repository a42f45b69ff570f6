"""The report form's length on a phone: how many screens a resident scrolls, and how many
questions they are asked.

Run: `.venv/bin/python -m bench.form_length` (also part of `make bench`). Needs Debian's
chromium (`make test` installs it). The form is rendered as the service serves it and loaded
in headless Chromium at 375 x 667 CSS pixels (an iPhone SE), without JavaScript, as a resident
without it sees it. A question is a group of choices (a fieldset) or a box outside one.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import sync_playwright

from asb.web.pages import render_form
from infra.local.screenshots import ARGS

CHROMIUM = "/usr/bin/chromium"

PHONE = {"width": 375, "height": 667}

_COUNT_QUESTIONS = """() => {
  const boxes = [...document.querySelectorAll('form input, form textarea, form select')]
    .filter(box => box.type !== 'hidden' && !box.closest('fieldset'));
  return document.querySelectorAll('form fieldset').length + boxes.length;
}"""
_COUNT_ANSWERS = """() => [...document.querySelectorAll('form input, form textarea, form select')]
  .filter(box => box.type !== 'hidden').length"""


@dataclass(frozen=True)
class FormLength:
    screens: float
    questions: int
    answers: int  # every box to type in and every choice to tick
    height_px: int


def measure() -> FormLength:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport=PHONE, java_script_enabled=False)
            page = context.new_page()
            page.set_content(render_form())
            height = int(page.evaluate("document.documentElement.scrollHeight"))
            questions = int(page.evaluate(_COUNT_QUESTIONS))
            answers = int(page.evaluate(_COUNT_ANSWERS))
        finally:
            browser.close()
    return FormLength(round(height / PHONE["height"], 1), questions, answers, height)


def main() -> None:
    length = measure()
    print("report form on a phone (375 x 667, no JavaScript)")
    print(f"  {length.screens:.1f} screens ({length.height_px} px)   {length.questions} questions"
          f"   {length.answers} boxes and choices")


if __name__ == "__main__":
    main()
