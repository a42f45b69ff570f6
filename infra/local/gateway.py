"""The local API Gateway: Chalice's local server, serving every Api event of template.yaml.

Chalice's gateway builds a partial event; `rest_event` completes it into an API Gateway REST (v1)
proxy event, so the handlers see what they see behind the real API.
"""

from __future__ import annotations

import base64
import functools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice.app import Chalice, Request, Response
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalDevServer,
    LocalGatewayException,
    create_local_server,
)

from asb.web.headers import secured
from infra.local import tokens
from infra.local.functions import LocalFunction

Authoriser = Callable[[dict[str, str]], dict[str, Any] | None]


def rest_event(partial: dict[str, Any], stage: str, source_ip: str = "127.0.0.1") -> dict[str, Any]:
    context = partial["requestContext"]
    headers = dict(partial.get("headers") or {})
    multi_query = partial.get("multiValueQueryStringParameters") or None
    body = partial.get("body")
    is_base64 = bool(partial.get("isBase64Encoded"))
    if isinstance(body, bytes):
        raw = body
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body, is_base64 = base64.b64encode(raw).decode("ascii"), True
    now = time.time()
    return {
        "resource": context["resourcePath"],
        "path": context["path"],
        "httpMethod": context["httpMethod"],
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": (
            {name: values[-1] for name, values in multi_query.items()} if multi_query else None
        ),
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": partial.get("pathParameters") or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": context["resourcePath"],
            "httpMethod": context["httpMethod"],
            "path": context["path"],
            "accountId": "123456789012",
            "apiId": "local",
            "stage": stage,
            "protocol": "HTTP/1.1",
            "domainName": headers.get("host", "127.0.0.1"),
            "requestId": str(uuid.uuid4()),
            "extendedRequestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(now * 1000),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("user-agent")},
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def chalice_response(result: dict[str, Any]) -> Response:
    headers: dict[str, Any] = dict(result.get("headers") or {})
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = values if len(values) > 1 else values[0]
    body: Any = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return Response(body=body, status_code=int(result["statusCode"]), headers=headers)


def build_app(routes: list[tuple[str, str, LocalFunction]], stage: str,
              extra: Callable[[Chalice], None] | None = None,
              protected: set[tuple[str, str]] | None = None) -> Chalice:
    app = Chalice(app_name="asb-local")
    app.log.disabled = True
    for path, method, function in routes:
        guarded = (path, method) in (protected or set())
        app.route(path, methods=[method], content_types=["*/*"], name=f"{method} {path}")(
            _view(app, function, stage, f"api {method} {path}", guarded)
        )
    if extra:
        extra(app)
    return app


def current_request(app: Chalice) -> Request:
    """The request a view is serving (Chalice sets it before it calls the view)."""
    request = app.current_request
    assert request is not None, "only a view has a current request"
    return request


def _view(app: Chalice, function: LocalFunction, stage: str, trigger: str,
          guarded: bool) -> Callable[..., Response]:
    def view(**_: Any) -> Response:
        event = rest_event(current_request(app).to_original_event(), stage)
        if guarded:
            # What API Gateway's Cognito authoriser does: no valid token, no invocation.
            claims = tokens.claims_of(event["headers"].get("authorization"))
            if claims is None:  # with the headers the template's GatewayResponses give it
                return chalice_response(secured({
                    "statusCode": 401, "body": json.dumps({"message": "Unauthorized"}),
                    "headers": {"Content-Type": "application/json"}}))
            event["requestContext"]["authorizer"] = {"claims": claims,
                                                     "principalId": claims["sub"]}
        return chalice_response(function.invoke(event, trigger))

    return view


@dataclass(frozen=True)
class GatewayResponse:
    """One of the template's GatewayResponses: its status, headers and a body per content type."""

    status: int
    headers: dict[str, str]
    templates: dict[str, str]

    @classmethod
    def of(cls, template: dict[str, Any], response_type: str) -> GatewayResponse | None:
        for resource in template["Resources"].values():
            if resource["Type"] != "AWS::Serverless::Api":
                continue
            found = resource["Properties"].get("GatewayResponses", {}).get(response_type)
            if found:
                headers = found.get("ResponseParameters", {}).get("Headers", {})
                return cls(int(found.get("StatusCode", 403)),
                           {name: value.strip("'") for name, value in headers.items()},
                           dict(found.get("ResponseTemplates") or {}))
        return None

    def answer(self, accept: str | None) -> tuple[str, str]:
        """The content type and body for a request's Accept: the type it prefers most (the
        first of equals) that has a template, else application/json, as API Gateway does."""
        wanted: list[tuple[float, int, str]] = []
        for position, part in enumerate((accept or "").split(",")):
            kind, _, parameters = part.strip().partition(";")
            quality = 1.0
            for parameter in parameters.split(";"):
                name, _, value = parameter.strip().partition("=")
                if name == "q":
                    try:
                        quality = float(value)
                    except ValueError:
                        quality = 0.0
            wanted.append((-quality, position, kind.strip().lower()))
        for negative_quality, _, kind in sorted(wanted):
            if negative_quality < 0 and kind in self.templates:
                return kind, self.templates[kind]
        kind = "application/json" if "application/json" in self.templates else next(
            iter(self.templates), "application/json")
        return kind, self.templates.get(kind, "")


class _QuietRequestHandler(ChaliceRequestHandler):
    """The runtime logs each invocation itself; one line a request is enough. Methods the
    template has no route for are answered by the gateway (405), never by a 501. An address
    with no route gets the template's MISSING_AUTHENTICATION_TOKEN response, as in AWS."""

    no_route: GatewayResponse | None = None
    # A browser keeps its connection open. Chalice writes the headers and then the body: with
    # Nagle's algorithm the body waited for the browser's delayed ACK, 40 ms an answer. Nagle is
    # off, and the answer is buffered (http.server flushes after each request): one write, or
    # the headers and the first 8 KiB and then straight after the rest of a longer body.
    wbufsize = -1
    disable_nagle_algorithm = True

    def handle_expect_100(self) -> bool:
        answered: bool = super().handle_expect_100()
        self.wfile.flush()  # the client waits for this before it sends the body
        return answered

    def _send_http_response_with_body(self, code: int, headers: dict[str, Any],
                                      body: str | bytes) -> None:
        """A HEAD's answer is a GET's headers with no body (RFC 9110, 9.3.2): Chalice wrote the
        body, which a kept-open connection then read as the start of the next answer."""
        if self.command != "HEAD":
            super()._send_http_response_with_body(code, headers, body)
            return
        length = len(body if isinstance(body, bytes) else body.encode("utf-8"))
        self.send_response(code)
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        self._send_headers(headers)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        no_route = self.no_route
        if no_route is None or not isinstance(error, ForbiddenError) \
                or b"Missing Authentication Token" not in (error.body or b""):
            super()._send_error_response(error)
            return
        content_type, body = no_route.answer(self.headers.get("accept"))
        self._send_http_response(no_route.status, {
            **dict(error.headers), **no_route.headers, "Content-Type": content_type}, body)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # TRACE, QUERY, anything http.server does not know
            return self._generic_handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        return


LISTEN_BACKLOG = 128


def serve(app: Chalice, host: str, port: int,
          no_route: GatewayResponse | None = None) -> LocalDevServer:
    config = Config()
    local = create_local_server(app, config, host, port)
    # http.server listens with a backlog of 5: twenty clients at once and the kernel resets
    # connections API Gateway would have queued. Listening again only widens the backlog.
    local.server.socket.listen(LISTEN_BACKLOG)
    handler = type("RequestHandler", (_QuietRequestHandler,), {"no_route": no_route})
    local.server.RequestHandlerClass = functools.partial(
        handler, app_object=local.app_object, config=config
    )
    return local
