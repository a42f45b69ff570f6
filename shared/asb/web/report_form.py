"""The public report form's fields <-> the nested report that ``POST /reports`` takes."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel

from asb.models.report import ReportSubmission

IDEMPOTENCY_FIELD = "idempotency_key"


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


LIST_FIELDS = frozenset(_list_paths(ReportSubmission))


def submission_from_form(fields: dict[str, list[str]]) -> tuple[dict[str, Any], str | None]:
    """Nests 'reporter.name'-style fields; blank answers count as not given.

    A reporter who chose to stay anonymous gives no reporter, whatever else they ticked on the
    way (how they are connected to us, a way to contact them): the report keeps none of it, so
    none of it can make the report incomplete."""
    data: dict[str, Any] = {}
    key = (fields.get(IDEMPOTENCY_FIELD) or [""])[0].strip() or None
    anonymous = _chose_anonymity(fields)
    for name, values in fields.items():
        if name == IDEMPOTENCY_FIELD or (anonymous and name.startswith("reporter.")):
            continue
        answers = [v for v in values if v.strip()]
        if not answers:
            continue
        value: Any = answers if name in LIST_FIELDS else answers[-1]
        _put(data, name.split("."), value)
    # A blank form names each question it needs, not just the section it is in.
    data.setdefault("location", {})
    data.setdefault("incident", {})
    if not anonymous:
        data.setdefault("reporter", {})
    return data, key


def _chose_anonymity(fields: dict[str, list[str]]) -> bool:
    answers = [v.strip() for v in fields.get("anonymous", []) if v.strip()]
    return bool(answers) and answers[-1].lower() in ("yes", "true", "on", "1")


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = data.setdefault(part, {})
        if not isinstance(child, dict):
            return
        data = child
    data[path[-1]] = value
