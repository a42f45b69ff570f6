"""The security headers of every answer the API gives, set in one place: each HTTP function's
handler is wrapped in `with_security_headers`, so an answer from a route, an error handler, a
refusal before the resolver or the resolver's own 404 carries them alike.

- HSTS and nosniff on everything.
- `Cache-Control: no-store` unless the handler chose a policy: answers carry personal data or a
  secret (a tracking link) by default; only public files (the console's script, the OpenAPI
  document) say they may be cached.
- No Referer leaves any page (a tracking page's address holds its secret).
- A Content-Security-Policy on every answer: pages get `page_policy` (a page that needs more,
  the tracking page's script or the console's sign-in, builds its own with it); JSON, CSV and
  PDF get one under which nothing runs and nothing frames them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

HSTS = "max-age=63072000; includeSubDomains"


def page_policy(**directives: str) -> str:
    """A page's Content-Security-Policy: this origin only, never framed, forms posted only here,
    no <base> or plugins; a keyword (`script_src="'self'"`) adds or replaces a directive."""
    policy = {"default-src": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
              "base-uri": "'none'", "object-src": "'none'"}
    policy.update({name.replace("_", "-"): value for name, value in directives.items()})
    return "; ".join(f"{name} {value}" for name, value in policy.items())


# The public pages (the report form, its confirmation, problems) run no script; their one style
# sheet is inline in the page.
PUBLIC_PAGE_POLICY = page_policy(style_src="'self' 'unsafe-inline'")
# JSON, CSV, PDF: nothing in them runs, loads or frames anything.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def security_headers(content_type: str) -> dict[str, str]:
    """The headers an answer of this type carries unless its handler set them itself."""
    page = content_type.lower().startswith("text/html")
    return {
        "Strict-Transport-Security": HSTS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "Content-Security-Policy": PUBLIC_PAGE_POLICY if page else DATA_POLICY,
    }


def secured(answer: dict[str, Any]) -> dict[str, Any]:
    """A Lambda proxy answer with every security header its handler did not set itself.
    Powertools answers in `multiValueHeaders`; API Gateway merges that with `headers`, so a
    header is added to the map the answer already uses, and never twice."""
    single: dict[str, str] = answer.get("headers") or {}
    multi: dict[str, list[str]] | None = answer.get("multiValueHeaders")
    present = {name.lower(): value for name, value in single.items()}
    present.update({name.lower(): values[0] for name, values in (multi or {}).items() if values})
    missing = {name: value for name, value in
               security_headers(str(present.get("content-type", ""))).items()
               if name.lower() not in present}
    if multi is not None:
        answer["multiValueHeaders"] = {**multi, **{k: [v] for k, v in missing.items()}}
    else:
        answer["headers"] = {**single, **missing}
    return answer


Handler = TypeVar("Handler", bound=Callable[..., dict[str, Any]])


def with_security_headers(handler: Handler) -> Handler:
    """Wraps an HTTP function's lambda_handler: its every answer is `secured`."""

    @functools.wraps(handler)
    def answer(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return secured(handler(event, context))

    return answer  # type: ignore[return-value]
