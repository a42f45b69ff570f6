"""The report form's pages: the start, each question page (with its errors) and the check
page, the answers carried from page to page."""

from __future__ import annotations

import uuid
from dataclasses import replace

from asb.kernel.validation import FieldError
from asb.policy.config import COUNCIL_ASB_TEAM, COUNCIL_FINDER_URL, LANDLORD_NAME, LANDLORD_PHONE
from asb.web.pages import render_template
from asb.web.report_form import IDEMPOTENCY_FIELD
from asb.web.report_journey import (
    CHECK,
    HELP,
    START,
    STEPS,
    HomesAt,
    JourneyPage,
    Step,
    after_refusal,
    answers_of,
    check_sections,
    with_homes,
)


# Each page's answers carried on (report_journey): a first page has only its idempotency key.
def _fresh(values: dict[str, list[str]] | None) -> dict[str, list[str]]:
    answers = answers_of(values or {})
    if not (answers.get(IDEMPOTENCY_FIELD) or [""])[0]:
        answers[IDEMPOTENCY_FIELD] = [str(uuid.uuid4())]
    return answers


def render_form(
    values: dict[str, list[str]] | None = None, errors: list[FieldError] | None = None,
    not_saved: str | None = None, homes_at: HomesAt | None = None,
) -> str:
    """The form as ``POST /reports`` answers with it: no answers, the start page; refused
    answers, the first page with a problem (a list of homes with the homes `homes_at` finds);
    a valid report not saved (`not_saved` says why), the check page to send it again. Each
    keeps the answers and their idempotency key."""
    answers = _fresh(values)
    if errors:
        refused = after_refusal(answers, errors)
        return render_journey(with_homes(refused, homes_at) if homes_at else refused)
    if values and not_saved:
        return render_journey(JourneyPage(CHECK, answers), not_saved)
    return render_journey(JourneyPage(START, answers), not_saved)


def render_journey(page: JourneyPage, not_saved: str | None = None) -> str:
    """A page of the report's journey: the start, a question page or the check page."""
    page = replace(page, answers=_fresh(page.answers))
    step = page.step
    errors = [(_error_anchor(step, e.field), e.message) for e in page.errors]
    if page.name == HELP:
        return render_template("help_elsewhere.html", page=page, council_team=COUNCIL_ASB_TEAM,
                               council_finder=COUNCIL_FINDER_URL, landlord=LANDLORD_NAME,
                               landlord_phone=LANDLORD_PHONE)
    if page.name == CHECK:
        return render_template("check_answers.html", page=page, sections=check_sections(page.answers),
                       errors=errors,
                       not_saved=not_saved)
    if step is None:
        return render_template("start.html", page=page, not_saved=not_saved)
    return render_template("question_page.html", page=page, errors=errors, values=page.answers,
                   error_for={anchor: message for anchor, message in reversed(errors)})


def _error_anchor(step: Step | None, field: str) -> str:
    """The id of the question an error is about (its group "<id>-field", or its row on the
    check page), or the page."""
    steps = (step,) if step else STEPS
    question = next((q for s in steps if (q := s.question_for(field))), None)
    return question.field.replace(".", "-") if question else "main"
