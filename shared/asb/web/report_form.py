"""The public report form's fields <-> the nested report that ``POST /reports`` takes."""

from __future__ import annotations

import types
import typing
from datetime import date
from functools import cache
from typing import Any, Union

from pydantic import BaseModel

from asb.kernel.validation import FieldError

IDEMPOTENCY_FIELD = "idempotency_key"
# The answer to a list of the landlord's homes that says the home is not in it: no UPRN.
NOT_LISTED = "not_listed"
# The dates the form asks as GOV.UK's date input (day, month and year boxes), and what each is
# called in an error message. The JSON API takes ISO dates for the same fields.
DATE_FIELDS = {"incident.first_occurred": "The date it started",
               "incident.last_occurred": "The date it last happened"}
_DATE_PARTS = ("day", "month", "year")
# Boxes that make no date: the model refuses it on the date's field, and
# explain_date_errors says which box.
NOT_A_DATE = "not a date"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _list_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _model_in(info.annotation)
        if nested:
            paths |= _list_paths(nested, f"{path}.")
        elif typing.get_origin(info.annotation) is list:
            paths.add(path)
    return paths


@cache
def list_fields() -> frozenset[str]:
    """The answers that are lists, from the model: asked for at the first form read, so that
    the form's pages (GET /) need not build the model."""
    from asb.case.submission import ReportSubmission

    return frozenset(_list_paths(ReportSubmission))


def submission_from_form(fields: dict[str, list[str]]) -> tuple[dict[str, Any], str | None]:
    """Nests 'reporter.name'-style fields; blank answers count as not given.

    A reporter who chose to stay anonymous gives no reporter, whatever else they ticked on the
    way (how they are connected to us, a way to contact them): the report keeps none of it, so
    none of it can make the report incomplete."""
    data: dict[str, Any] = {}
    key = (fields.get(IDEMPOTENCY_FIELD) or [""])[0].strip() or None
    anonymous = chose_anonymity(fields)
    for name, values in fields.items():
        if name == IDEMPOTENCY_FIELD or (anonymous and name.startswith("reporter.")):
            continue
        answers = [v for v in values if v.strip()
                   and not (name.endswith(".uprn") and v.strip() == NOT_LISTED)]
        if not answers:
            continue
        value: Any = answers if name in list_fields() else answers[-1]
        _put(data, name.split("."), value)
    for path in DATE_FIELDS:
        _date_from_boxes(data, path.split("."))
    # A blank form names each question it needs, not just the section it is in.
    data.setdefault("location", {})
    data.setdefault("incident", {})
    if not anonymous:
        reporter = data.setdefault("reporter", {})
        # The form asks one question, which language to interpret; a field named plain
        # "reporter" is no question of the form, and the model refuses it by name.
        if isinstance(reporter, dict) and reporter.get("language"):
            reporter.setdefault("interpreter", "yes")
    return data, key


def chose_anonymity(fields: dict[str, list[str]]) -> bool:
    answers = [v.strip() for v in fields.get("anonymous", []) if v.strip()]
    return bool(answers) and answers[-1].lower() in ("yes", "true", "on", "1")


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = data.setdefault(part, {})
        if not isinstance(child, dict):
            return
        data = child
    data[path[-1]] = value


def _date_from_boxes(data: dict[str, Any], path: list[str]) -> None:
    parent = data.get(path[0])
    if not isinstance(parent, dict) or not isinstance(parent.get(path[1]), dict):
        return
    boxes = {part: str(parent[path[1]].get(part, "")).strip() for part in _DATE_PARTS}
    parent[path[1]] = (NOT_A_DATE if _box_problem(boxes, "") else
                       date(int(boxes["year"]), int(boxes["month"]), int(boxes["day"])).isoformat())


def _box_problem(boxes: dict[str, str], what: str) -> str | None:
    """GOV.UK's date input errors, naming the box; None when the boxes make a real date."""
    missing = [part for part in _DATE_PARTS if not boxes[part]]
    if missing:
        return f"{what} must include a {' and '.join(missing)}"
    if not all(boxes[part].isascii() and boxes[part].isdigit() for part in _DATE_PARTS):
        return f"{what} must be a real date, in numbers, like 27 3 2026"
    if len(boxes["year"]) != 4:
        return f"{what}: the year must have 4 numbers, like 2026"
    for part in ("day", "month"):  # as the boxes' maxlength: no number too long for a date
        if len(boxes[part]) > 2:
            return f"{what}: the {part} must have 1 or 2 numbers, like 27 3 2026"
    try:
        date(int(boxes["year"]), int(boxes["month"]), int(boxes["day"]))
    except ValueError:
        day, month = int(boxes["day"]), int(boxes["month"])
        if int(boxes["year"]) < 1:
            return f"{what} must be a real date, like 27 3 2026"
        if not 1 <= month <= 12:
            return f"{what}: the month must be a number from 1 to 12"
        if not 1 <= day <= 31:
            return f"{what}: the day must be a number from 1 to 31"
        return f"{what} must be a real date: that month has fewer days"
    return None


def explain_date_errors(fields: dict[str, list[str]],
                        errors: list[FieldError]) -> list[FieldError]:
    """The model's error on a date the form asked in boxes, said of the box that is wrong."""
    explained = []
    for error in errors:
        what = DATE_FIELDS.get(error.field)
        boxes = {part: next((v.strip() for v in reversed(fields.get(f"{error.field}.{part}", []))
                             if v.strip()), "") for part in _DATE_PARTS}
        problem = _box_problem(boxes, what) if what and any(boxes.values()) else None
        explained.append(FieldError(error.field, problem) if problem else error)
    return explained
