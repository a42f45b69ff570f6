"""Reads a request body as the public intake accepts it: JSON, or a plain HTML form."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from asb.kernel.json_text import NotJson, read_json
from asb.policy.config import MAX_REPORT_BYTES

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# A form's body is percent-encoded: a letter outside ASCII takes 6 to 12 bytes, so the report
# form's answers are read up to this much and held to their questions' own lengths, each named.
MAX_FORM_BYTES = 1024 * 1024


class BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class RequestBody:
    media_type: str
    data: Any
    form_fields: dict[str, list[str]] | None = None

    @property
    def is_form(self) -> bool:
        return self.media_type == FORM


def media_type(headers: Mapping[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value.split(";", 1)[0].strip().lower()
    return ""


def read_body(headers: Mapping[str, str], body: str | None, is_base64: bool | None,
              form_limit: int = MAX_REPORT_BYTES) -> RequestBody:
    """`form_limit`: the most bytes a form may have (JSON: always MAX_REPORT_BYTES)."""
    kind = media_type(headers)
    if kind not in (JSON, FORM):
        raise BodyError(
            415, "Send the report as application/json or application/x-www-form-urlencoded"
        )
    raw = _raw_bytes(body, is_base64)
    limit = form_limit if kind == FORM else MAX_REPORT_BYTES
    if len(raw) > limit:
        raise BodyError(413, f"The report is too long: send at most {limit // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(400, "The report must be encoded as UTF-8") from None
    if kind == FORM:
        fields = form_fields(text)
        return RequestBody(kind, None, fields)
    return RequestBody(kind, _json(text))


def _raw_bytes(body: str | None, is_base64: bool | None) -> bytes:
    if not body:
        return b""
    if not is_base64:
        return body.encode("utf-8")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise BodyError(400, "The request body is not valid base64") from None


def _json(text: str) -> dict[str, Any]:
    if not text.strip():
        raise BodyError(400, "The request body is empty: send the report as a JSON object")
    try:
        data = read_json(text)
    except NotJson as error:
        raise BodyError(400, f"The request body {error.reason}") from None
    if not isinstance(data, dict):
        raise BodyError(400, "The request body must be a JSON object")
    return data


def form_fields(text: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields
