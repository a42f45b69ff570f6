"""Messages in words: one Jinja2 template per message and channel, autoescaped for HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from jinja2 import Environment

from asb.case.targets import LONDON, long_date
from asb.kernel.templates import MESSAGES_HTML, MESSAGES_TEXT, PACKAGE

_TEMPLATES = PACKAGE / MESSAGES_TEXT.folder

SUBJECTS = {
    "acknowledgement": "We have your report ({reference})",
    "action_plan": "The plan we agreed ({reference})",
    "contact_due": "An update on your case ({reference})",
    "case_review_right": "You can ask for an ASB Case Review ({reference})",
    "case_review_update": "Your ASB Case Review: {about} ({reference})",
    "closure": "We have closed your case ({reference})",
    "good_neighbour": "We have your report: what we will do ({reference})",
    "good_neighbour_decision": "Our decision on your request ({reference})",
    "emergency_alert": "ASB emergency: {reference} needs action today",
    "escalation": "Escalation: {reference} - {about}",
    "digest": "Your ASB work for {day}",
    "subject_access_overdue": "Overdue subject access request: {reference}",
    "officer_assigned": "ASB case {reference} is now yours",
    "warning_verbal": "Your verbal warning, in writing ({reference})",
    "warning_first": "First written warning ({reference})",
    "warning_final": "Final written warning ({reference})",
}
# What a subject says when its context leaves a field out.
_SUBJECT_DEFAULTS = {"about": "overdue work", "day": "today"}
# An ASB Case Review's update says which step it is about: one subject per step and answer.
_CASE_REVIEW_ABOUT = {
    ("decided", True): "a review will be held", ("decided", False): "our decision",
    ("appeal", True): "we agree with you", ("appeal", False): "we have looked again",
    ("outcome", None): "what the review found",
    ("referred", False): "who will run your review",
}


def when_day(value: str | date | None) -> str:
    """A day as a person reads it (Tuesday 1 December 2026), from a date or an ISO date."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return long_date(day.date() if isinstance(day, datetime) else day)


def when_due(value: str | datetime | None) -> str:
    """A moment as a person reads it, in London: "5pm on Tuesday 1 December 2026", or "the end
    of Tuesday 1 December 2026" for a day's last instant."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    local = moment.astimezone(LONDON)
    if (local.hour, local.minute) == (23, 59):
        return f"the end of {long_date(local.date())}"
    hour = f"{local:%I}".lstrip("0") + (f".{local:%M}" if local.minute else "")
    return f"{hour}{'am' if local.hour < 12 else 'pm'} on {long_date(local.date())}"


def subject(template: str, context: dict[str, Any]) -> str:
    fields = {**_SUBJECT_DEFAULTS, **{k: v for k, v in context.items() if v is not None}}
    if template == "case_review_update":
        step = context.get("step")
        answer = context.get("upheld") if step == "appeal" else context.get("met")
        fields["about"] = _CASE_REVIEW_ABOUT.get(
            (str(step), None if step == "outcome" else bool(answer)), "we have your request")
    return SUBJECTS[template].format_map(fields)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    # A letter that goes with an email as a PDF (a warning letter): its letter rendering.
    enclosure: Rendered | None = None


@cache
def _environment(autoescape: bool) -> Environment:
    # Plain text (emails' text part, SMS, letters) is not HTML: escaping it would print "&amp;".
    # The HTML part is rendered from the same templates with autoescape on.
    # Both compiled when the layer was built (asb.kernel.templates).
    return (MESSAGES_HTML if autoescape else MESSAGES_TEXT).environment(
        {"when_day": when_day, "when_due": when_due})


def template_names() -> list[str]:
    return sorted(p.name for p in _TEMPLATES.glob("*.*.txt"))


def render(template: str, channel: str, context: dict[str, Any]) -> Rendered:
    name = f"{template}.{channel}.txt"
    text = _environment(False).get_template(name).render(**context).strip() + "\n"
    # Optional values may be absent: every template is tested rendering without them.
    # The HTML part comes from the same template, with every value escaped.
    escaped = _environment(True).get_template(name).render(**context).strip()
    paragraphs = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in escaped.split("\n\n"))
    return Rendered(subject(template, context), text,
                    f'<html lang="en-GB"><body style="font-family: Arial, sans-serif; '
                    f'font-size: 19px">{paragraphs}</body></html>')
