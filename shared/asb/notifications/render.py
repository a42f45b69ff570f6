"""Messages in words: one Jinja2 template per message and channel, autoescaped for HTML."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

_TEMPLATES = Path(__file__).parent / "templates"

SUBJECTS = {
    "acknowledgement": "We have your report ({reference})",
    "action_plan": "The plan we agreed ({reference})",
    "contact_due": "An update on your case ({reference})",
    "case_review_right": "You can ask for an ASB Case Review ({reference})",
    "case_review_update": "Your ASB Case Review ({reference})",
    "closure": "We have closed your case ({reference})",
    "emergency_alert": "ASB emergency: {reference} needs action today",
    "escalation": "Escalation: {reference} is overdue",
    "digest": "Your ASB work today ({reference})",
    "subject_access_overdue": "Overdue subject access request: {reference}",
    "officer_assigned": "ASB case {reference} is now yours",
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _environment(autoescape: bool) -> Environment:
    # Plain text (emails' text part, SMS, letters) is not HTML: escaping it would print "&amp;".
    # The HTML part is rendered from the same templates with autoescape on.
    return Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=autoescape,  # noqa: S701
                       keep_trailing_newline=False,
                       trim_blocks=True, lstrip_blocks=True)


def template_names() -> list[str]:
    return sorted(p.name for p in _TEMPLATES.glob("*.*.txt"))


def render(template: str, channel: str, context: dict[str, Any]) -> Rendered:
    name = f"{template}.{channel}.txt"
    text = _environment(False).get_template(name).render(**context).strip() + "\n"
    # Optional values may be absent: every template is tested rendering without them.
    # The HTML part comes from the same template, with every value escaped.
    escaped = _environment(True).get_template(name).render(**context).strip()
    paragraphs = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in escaped.split("\n\n"))
    subject = SUBJECTS[template].format(reference=context.get("reference", ""))
    return Rendered(subject, text,
                    f'<html lang="en-GB"><body style="font-family: Arial, sans-serif; '
                    f'font-size: 19px">{paragraphs}</body></html>')
