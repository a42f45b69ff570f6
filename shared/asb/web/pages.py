"""The public pages: the confirmation, the tracking link's pages and the problem pages (the
report form's journey is web/journey_pages, so the tracking page does not load it)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from asb.kernel.templates import PAGES
from asb.kernel.validation import FieldError
from asb.policy.config import CASE_REVIEW_URL, COMPLAINTS_URL, LANDLORD_PHONE

if TYPE_CHECKING:  # the form and tracking pages need not load the decisions it rests on
    from jinja2 import Environment

    from asb.intake.next_steps import Confirmation


@cache
def _environment() -> Environment:
    environment = PAGES.environment()  # compiled when the layer was built (asb.kernel.templates)
    # Every public page's footer gives the team's number: the one every message gives.
    environment.globals["team_phone"] = LANDLORD_PHONE
    return environment


def render_confirmation(reference: str, confirmation: Confirmation, anonymous: bool,
                        tracking_url: str | None = None) -> str:
    """What happens next, and exactly what we will send and how (or that the link is all the
    reporter has)."""
    return render_template(
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
    return render_template("tracking.html", view=view, secret=secret, base=base, kinds=kinds,
                   notice=notice, values=values or {}, phone=LANDLORD_PHONE,
                   case_review_url=CASE_REVIEW_URL, complaints_url=COMPLAINTS_URL,
                   errors=[(e.field, e.message) for e in errors],
                   error_for={e.field: e.message for e in errors})


def render_upload(name: str, kind: str, largest: int, accept: str, upload: dict[str, Any],
                  back: str) -> str:
    return render_template("tracking_upload.html", kind_name=name, kind=kind, largest=largest,
                   largest_mb=largest // (1024 * 1024), accept=accept, upload=upload, back=back,
                   script=UPLOAD_SCRIPT)


def render_problem(title: str, message: str) -> str:
    return render_template("problem.html", title=title, message=message)


def render_link_problem(title: str, paragraphs: list[str]) -> str:
    """A tracking link that did not open (wrong, stopped, or too many wrong ones): what to
    do, and the team's phone number."""
    return render_template("link_problem.html", title=title, paragraphs=paragraphs,
                   phone=LANDLORD_PHONE)


def render_template(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
