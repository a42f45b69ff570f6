"""The public pages: the report form (with its errors) and the confirmation."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from asb.config import BEHAVIOURS, CONTACT_CHANNELS, HATE_STRANDS, RELATIONSHIPS
from asb.validation import FieldError

_TEMPLATES = Path(__file__).parent / "templates"

# Where each group of answers starts on the page, for the error summary's links.
_GROUP_ANCHOR = {
    "body": "main",
    "reporter": "reporter-name",
    "location": "location-address",
    "incident": "incident-description",
    "harm": "harm-feels_unsafe",
    "perpetrator": "perpetrator-known",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def anchor(field: str) -> str:
    parts = [p for p in field.split(".") if not p.isdigit()]
    path = ".".join(parts)
    return _GROUP_ANCHOR.get(path, path.replace(".", "-"))


def render_form(
    values: dict[str, list[str]] | None = None, errors: list[FieldError] | None = None,
    not_saved: str | None = None,
) -> str:
    """The form, with the answers given; `not_saved` says why a valid report was not saved."""
    values = values or {}
    errors = errors or []
    by_anchor: dict[str, str] = {}
    for error in errors:
        by_anchor.setdefault(anchor(error.field), error.message)
    key = (values.get("idempotency_key") or [""])[0] or str(uuid.uuid4())
    return _render(
        "report_form.html",
        values=values,
        errors=[(anchor(e.field), e.message) for e in errors],
        not_saved=not_saved,
        error_for=by_anchor,
        idempotency_key=key,
        behaviours=BEHAVIOURS,
        strands=HATE_STRANDS,
        relationships=RELATIONSHIPS,
        channels=CONTACT_CHANNELS,
    )


def render_confirmation(reference: str, next_steps: str, anonymous: bool) -> str:
    return _render(
        "confirmation.html", reference=reference, next_steps=next_steps, anonymous=anonymous
    )


def render_problem(title: str, message: str) -> str:
    return _render("problem.html", title=title, message=message)


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
