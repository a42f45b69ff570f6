"""The report form's length on a phone: how many pages, how many screens each page is, and how
many questions a resident is asked.

Run: `.venv/bin/python -m bench.form_length` (also part of `make bench`). Needs Debian's headless
Chromium (`make test` installs it). Each page is rendered as the service serves it and loaded in
headless Chromium at 375 x 667 CSS pixels (an iPhone SE), without JavaScript, as a resident
without it sees it. A question is a group of choices (a fieldset) or a box outside one.

The journey measured is the longest one: a reporter who gives their name and knows who is
doing it (the sample form post's answers, events/intake-form-encoded.json), from the start page
through every question page to "Check your answers", who finds neither the place nor the
person's home in the landlord's list (issue 21: the address in words, twice, and "Do you, or
the person doing it, live in one of our homes?"). Its pages that list homes show three. Also
counted: the same reporter choosing both homes from the lists (the usual way), and an anonymous
reporter's.

Before (issue 19, recorded when the form was still one page, with the same measure): 1 page of
15.0 phone screens and 37 questions.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from playwright.sync_api import Page, ViewportSize

from asb.case.homes import Home, Tenure
from asb.web.body import form_fields
from asb.web.journey_pages import render_journey
from asb.web.report_journey import CHECK, START, JourneyPage, applicable
from infra.local.browser import chromium
from infra.local.template import ROOT

PHONE: ViewportSize = {"width": 375, "height": 667}
BEFORE = {"pages": 1, "screens": 15.0, "questions": 37}
SAMPLE = ROOT / "events" / "intake-form-encoded.json"
LISTED = tuple(Home(f"10004000300{n}", f"Flat {n}, Mill House, Station Road, Yeovil", "BA21 5AA",
                    Tenure.GENERAL_NEEDS, "Yeovil South") for n in (1, 2, 3))
NOT_LISTED = {"location.uprn": ["not_listed"], "perpetrator.uprn": ["not_listed"],
              "address_to_check": ["yes"]}
CHOSEN = {"location.uprn": [LISTED[0].uprn], "perpetrator.uprn": [LISTED[1].uprn]}

_COUNT_QUESTIONS = """() => {
  const form = [...document.querySelectorAll('form')].pop();
  const boxes = [...form.querySelectorAll('input, textarea, select')]
    .filter(box => box.type !== 'hidden' && !box.closest('fieldset'));
  return form.querySelectorAll('fieldset').length + boxes.length;
}"""


@dataclass(frozen=True)
class PageLength:
    name: str
    screens: float
    questions: int


@dataclass(frozen=True)
class JourneyLength:
    pages: tuple[PageLength, ...]
    anonymous_pages: int
    chosen_pages: int  # the same reporter, choosing both homes from the lists

    @property
    def longest(self) -> PageLength:
        return max(self.pages, key=lambda page: page.screens)

    @property
    def average_screens(self) -> float:
        return round(statistics.mean(page.screens for page in self.pages), 1)

    @property
    def total_screens(self) -> float:
        return round(sum(page.screens for page in self.pages), 1)

    @property
    def questions(self) -> int:
        return sum(page.questions for page in self.pages)


def sample_answers() -> dict[str, list[str]]:
    import json

    return form_fields(json.loads(SAMPLE.read_text())["body"])


def journey(answers: dict[str, list[str]]) -> list[JourneyPage]:
    """The pages a reporter with these answers sees, in order: each question page as it first
    appears (nothing typed yet), then the check page with every answer."""
    steps = [JourneyPage(step.name, answers if step.home_question else {},
                         homes=LISTED if step.home_question else ())
             for step in applicable(answers)]
    return [JourneyPage(START, {}), *steps, JourneyPage(CHECK, answers)]


def _measure(page: Page, shown: JourneyPage) -> PageLength:
    page.set_content(render_journey(shown))
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    questions = int(page.evaluate(_COUNT_QUESTIONS)) if shown.step else 0
    return PageLength(shown.name, round(height / PHONE["height"], 1), questions)


def measure() -> JourneyLength:
    answers = {**sample_answers(), **NOT_LISTED}
    anonymous = journey({**answers, "anonymous": ["yes"], "perpetrator.known": ["no"]})
    chosen = journey({**answers, **CHOSEN})
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, java_script_enabled=False)
        page = context.new_page()
        pages = tuple(_measure(page, shown) for shown in journey(answers))
    return JourneyLength(pages, len(anonymous), len(chosen))


def main() -> None:
    length = measure()
    longest = length.longest
    print("report form on a phone (375 x 667, no JavaScript)")
    print(f"  before: {BEFORE['pages']} page of {BEFORE['screens']:.1f} screens, "
          f"{BEFORE['questions']} questions (recorded, issue 19)")
    print(f"  after:  {len(length.pages)} pages (both homes chosen from the lists: "
          f"{length.chosen_pages}; anonymous: {length.anonymous_pages}), "
          f"longest {longest.screens:.1f} screens ({longest.name}), average "
          f"{length.average_screens:.1f}, {length.total_screens:.1f} in all; "
          f"{length.questions} questions")
    for page in length.pages:
        print(f"    {page.name:<14} {page.screens:4.1f} screens  {page.questions:2d} questions")


if __name__ == "__main__":
    main()
