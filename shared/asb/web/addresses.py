"""Where a request came in: the stage's path and the origin, for links back to the same API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def stage_prefix(event: Mapping[str, Any]) -> str:
    """The path the API is served under: '/v1' behind API Gateway's stage, '' locally."""
    path = event.get("path") or ""
    full = (event.get("requestContext") or {}).get("path") or path
    return full[: len(full) - len(path)] if full.endswith(path) else ""


def origin(headers: Mapping[str, str]) -> str:
    """scheme://host the caller used (API Gateway says https in X-Forwarded-Proto)."""
    lower = {k.lower(): v for k, v in headers.items()}
    return f"{lower.get('x-forwarded-proto') or 'http'}://{lower.get('host', 'localhost')}"
