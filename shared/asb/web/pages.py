"""The public pages: the report form's pages (with their errors) and the confirmation."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from asb.kernel.validation import FieldError
from asb.policy.config import CASE_REVIEW_URL, COMPLAINTS_URL, LANDLORD_PHONE
from asb.web.report_form import IDEMPOTENCY_FIELD
from asb.web.report_journey import (
    CHECK,
    START,
    STEPS,
    JourneyPage,
    Step,
    after_refusal,
    answers_of,
    check_sections,
)

if TYPE_CHECKING:  # the form and tracking pages need not load the decisions it rests on
    from asb.intake.next_steps import Confirmation

_TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Every public page's footer gives the team's number: the one every message gives.
    environment.globals["team_phone"] = LANDLORD_PHONE
    return environment


# Each page's answers carried on (report_journey): a first page has only its idempotency key.
def _fresh(values: dict[str, list[str]] | None) -> dict[str, list[str]]:
    answers = answers_of(values or {})
    if not (answers.get(IDEMPOTENCY_FIELD) or [""])[0]:
        answers[IDEMPOTENCY_FIELD] = [str(uuid.uuid4())]
    return answers


def render_form(
    values: dict[str, list[str]] | None = None, errors: list[FieldError] | None = None,
    not_saved: str | None = None,
) -> str:
    """The form as ``POST /reports`` answers with it: no answers, the start page; refused
    answers, the first page with a problem; a valid report not saved (`not_saved` says why), the
    check page to send it again. Each keeps the answers and their idempotency key."""
    answers = _fresh(values)
    if errors:
        return render_journey(after_refusal(answers, errors))
    if values and not_saved:
        return render_journey(JourneyPage(CHECK, answers), not_saved)
    return render_journey(JourneyPage(START, answers), not_saved)


def render_journey(page: JourneyPage, not_saved: str | None = None) -> str:
    """A page of the report's journey: the start, a question page or the check page."""
    page = JourneyPage(page.name, _fresh(page.answers), page.errors, page.checking,
                       page.answered, page.refused)
    step = page.step
    errors = [(_error_anchor(step, e.field), e.message) for e in page.errors]
    if page.name == CHECK:
        return _render("check_answers.html", page=page, sections=check_sections(page.answers),
                       errors=errors,
                       not_saved=not_saved)
    if step is None:
        return _render("start.html", page=page, not_saved=not_saved)
    return _render("question_page.html", page=page, errors=errors, values=page.answers,
                   error_for={anchor: message for anchor, message in reversed(errors)})


def _error_anchor(step: Step | None, field: str) -> str:
    """The id of the question an error is about (its group "<id>-field", or its row on the
    check page), or the page."""
    steps = (step,) if step else STEPS
    question = next((q for s in steps if (q := s.question_for(field))), None)
    return question.field.replace(".", "-") if question else "main"


def render_confirmation(reference: str, confirmation: Confirmation, anonymous: bool,
                        tracking_url: str | None = None) -> str:
    """What happens next, and exactly what we will send and how (or that the link is all the
    reporter has)."""
    return _render(
        "confirmation.html", reference=reference, confirmation=confirmation,
        anonymous=anonymous, tracking_url=tracking_url, phone=LANDLORD_PHONE,
    )


# The upload page's one script: it checks the file's size and kind before it goes, so that a
# reporter is told plainly (S3 would refuse a file too large with a page of XML).
UPLOAD_SCRIPT = (
    'document.getElementById("upload").addEventListener("submit", function (event) {'
    ' var form = event.target, file = document.getElementById("file").files[0];'
    ' var largest = Number(form.dataset.largest), kind = form.dataset.kind, problem = "";'
    ' if (!file) { problem = "Choose a file to send"; }'
    ' else if (file.size > largest) { problem = "The file is larger than " +'
    ' Math.floor(largest / 1048576) + " MB. Please send a shorter or smaller one."; }'
    ' else if (file.type && file.type.split("/")[0] !== kind &&'
    ' !(kind === "audio" && file.type === "video/webm")) {'
    ' problem = "This file does not look like " + form.dataset.name + ". Choose another."; }'
    ' if (problem) { event.preventDefault();'
    ' document.getElementById("file-problem").textContent = problem;'
    ' var summary = document.getElementById("error-summary");'
    ' summary.hidden = false; summary.focus(); return; }'
    ' if (file.type.indexOf(kind + "/") === 0) {'
    ' form.querySelector("[name=\'Content-Type\']").value = file.type; } });')


def render_tracking(view: dict[str, Any], secret: str, base: str,
                    kinds: dict[str, tuple[str, int]], notice: str | None = None,
                    values: dict[str, str] | None = None,
                    errors: list[FieldError] | None = None) -> str:
    errors = errors or []
    return _render("tracking.html", view=view, secret=secret, base=base, kinds=kinds,
                   notice=notice, values=values or {}, phone=LANDLORD_PHONE,
                   case_review_url=CASE_REVIEW_URL, complaints_url=COMPLAINTS_URL,
                   errors=[(e.field, e.message) for e in errors],
                   error_for={e.field: e.message for e in errors})


def render_upload(name: str, kind: str, largest: int, accept: str, upload: dict[str, Any],
                  back: str) -> str:
    return _render("tracking_upload.html", kind_name=name, kind=kind, largest=largest,
                   largest_mb=largest // (1024 * 1024), accept=accept, upload=upload, back=back,
                   script=UPLOAD_SCRIPT)


def render_problem(title: str, message: str) -> str:
    return _render("problem.html", title=title, message=message)


def render_link_problem(title: str, paragraphs: list[str]) -> str:
    """A tracking link that did not open (wrong, stopped, or too many wrong ones): what to
    do, and the team's phone number."""
    return _render("link_problem.html", title=title, paragraphs=paragraphs,
                   phone=LANDLORD_PHONE)


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
