"""Turns a pydantic ValidationError into a list of fields a person can read and fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

# What to say when a required answer is missing, by field path.
_MISSING: dict[str, str] = {
    "reporter.name": "Enter your name, or choose to report anonymously",
    "reporter.relationship": "Tell us how you are connected to the landlord",
    "location": "Tell us where it happened",
    "location.address": "Enter the address or place where it happened",
    "incident": "Tell us what happened",
    "incident.behaviours": "Choose at least one type of behaviour",
    "incident.description": "Describe what happened",
}

_BY_TYPE: dict[str, str] = {
    "extra_forbidden": "We don't recognise this field: check its spelling",
    "bool_parsing": "Answer yes or no",
    "bool_type": "Answer yes or no",
    "date_parsing": "Enter a real date, like 2026-11-01",
    "date_from_datetime_parsing": "Enter a real date, like 2026-11-01",
    "date_type": "Enter a real date, like 2026-11-01",
    "datetime_parsing": "Enter a real date and time, like 2026-11-22T23:40:00Z",
    "datetime_from_date_parsing": "Enter a real date and time, like 2026-11-22T23:40:00Z",
    "datetime_type": "Enter a real date and time, like 2026-11-22T23:40:00Z",
    "string_type": "This answer should be text",
    "list_type": "This answer should be a list",
    "model_type": "This answer should be a group of answers",
    "model_attributes_type": "This answer should be a group of answers",
    "dict_type": "This answer should be a group of answers",
    "literal_error": "Choose one of: {expected}",
    "value_error": "{msg}",
}


def chosen(value: str, choices: Iterable[str]) -> str:
    """A field validator's check of a name against its list (the policy's, a catalogue's):
    the value, or the refusal that names every choice."""
    listed = [str(choice) for choice in choices]
    if value not in listed:
        raise ValueError(f"choose from {', '.join(listed)}")
    return value


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def request_field(loc: tuple[int | str, ...], body: object) -> str:
    """The field of a request a validation error names, by its place in the request ("body",
    "query"...) and the body sent. A discriminated union's errors come under the tag of the
    kind sent (`hearing_listed.at` for a step whose "step" is hearing_listed): a value of the
    body, not a field of it, so it is left out."""
    if len(loc) < 2:
        return field_path(loc)
    where, rest = loc[0], loc[1:]
    if (where == "body" and len(rest) > 1 and isinstance(body, dict) and rest[0] not in body
            and rest[0] in body.values()):
        rest = rest[1:]
    return field_path(rest)


def field_errors(error: ValidationError) -> list[FieldError]:
    found = [FieldError(field_path(detail["loc"]), message_for(detail)) for detail in error.errors()]
    return list(dict.fromkeys(found))


def message_for(detail: ErrorDetails) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    path = field_path(detail["loc"])
    if kind == "missing":
        return _MISSING.get(path, "This answer is required")
    if kind == "string_too_short":
        if path == "incident.description":
            return "Tell us a little more about what happened (at least 10 characters)"
        if ctx.get("min_length") == 1:
            return "This answer is required"
        used = len(detail["input"]) if isinstance(detail.get("input"), str) else 0
        return (f"This answer is too short: use at least {ctx.get('min_length')} characters "
                f"(you have used {used})")
    if kind == "string_too_long" and isinstance(detail.get("input"), str):
        return (f"Use {ctx.get('max_length'):,} characters or fewer "
                f"(you have used {len(detail['input']):,})")
    if kind in ("string_too_long", "too_long"):
        return f"Use {ctx.get('max_length')} characters or fewer"
    if kind == "too_short":
        return _MISSING.get(path, "Choose at least one")
    template = _BY_TYPE.get(kind)
    if template is None:
        return detail["msg"]
    expected = str(ctx.get("expected", "")).replace("'", "")
    return template.format(expected=expected, msg=detail["msg"].removeprefix("Value error, "))
