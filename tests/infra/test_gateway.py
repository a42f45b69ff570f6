"""The local gateway completes Chalice's partial event into an API Gateway REST (v1) proxy event."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from chalice.config import Config
from chalice.local import LocalGateway

from infra.local.functions import LocalFunction
from infra.local.gateway import build_app, serve
from infra.local.template import FunctionSpec

V1_KEYS = {
    "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
    "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext",
    "body", "isBase64Encoded",
}


def app_capturing(events: list[dict[str, Any]], path: str, method: str,
                  protected: bool = False, body: str = "ok") -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        return {"statusCode": 200, "headers": {}, "multiValueHeaders": {"Set-Cookie": ["a", "b"]},
                "body": body}

    spec = FunctionSpec("EchoFunction", Path("echo"), "app.lambda_handler", {})
    function = LocalFunction(spec, SimpleNamespace(lambda_handler=handler))  # type: ignore[arg-type]
    return build_app([(path, method, function)], stage="v1",
                     protected={(path, method)} if protected else None)


def gateway_capturing(events: list[dict[str, Any]], path: str, method: str,
                      protected: bool = False) -> LocalGateway:
    app = app_capturing(events, path, method, protected)
    from chalice.local import create_local_server

    local = create_local_server(app, Config(), "127.0.0.1", 0)
    local.server.server_close()
    return LocalGateway(local.app_object, Config())


def test_a_request_becomes_a_complete_rest_proxy_event() -> None:
    events: list[dict[str, Any]] = []
    gateway = gateway_capturing(events, "/cases/{reference}", "GET")
    answer = gateway.handle_request(
        "GET", "/cases/ASB-2026-000001?status=open&status=new&page=2",
        {"Host": "127.0.0.1:3000", "Accept": "application/json"}, None,
    )
    assert answer["statusCode"] == 200
    (event,) = events
    assert set(event) == V1_KEYS
    assert event["httpMethod"] == "GET"
    assert event["path"] == "/cases/ASB-2026-000001"
    assert event["resource"] == "/cases/{reference}"
    assert event["pathParameters"] == {"reference": "ASB-2026-000001"}
    assert event["queryStringParameters"] == {"status": "new", "page": "2"}
    assert event["multiValueQueryStringParameters"] == {"status": ["open", "new"], "page": ["2"]}
    assert event["multiValueHeaders"]["accept"] == ["application/json"]
    context = event["requestContext"]
    assert context["stage"] == "v1" and context["requestId"]
    assert context["identity"]["sourceIp"] == "127.0.0.1"


def test_bodies_arrive_as_text_or_base64() -> None:
    events: list[dict[str, Any]] = []
    gateway = gateway_capturing(events, "/reports", "POST")
    gateway.handle_request("POST", "/reports", {"Content-Type": "application/json"}, b'{"a": 1}')
    gateway.handle_request("POST", "/reports", {"Content-Type": "application/octet-stream"},
                           b"\xff\x00")
    text, binary = events
    assert (text["body"], text["isBase64Encoded"]) == ('{"a": 1}', False)
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == b"\xff\x00"


def test_the_local_authoriser_takes_id_tokens_only() -> None:
    """As the template's Cognito authoriser (no OAuth scopes): an access token is refused."""
    import time

    import jwt

    from infra.local import tokens

    events: list[dict[str, Any]] = []
    gateway = gateway_capturing(events, "/cases", "GET", protected=True)
    now = int(time.time())
    access = jwt.encode({"sub": "local-m.jones", "iss": tokens.ISSUER, "iat": now,
                         "exp": now + 3600, "cognito:username": "m.jones",
                         "cognito:groups": ["manager"], "token_use": "access"},
                        tokens.LOCAL_SECRET, algorithm="HS256")
    refused = gateway.handle_request("GET", "/cases", {"Authorization": f"Bearer {access}"}, b"")
    assert refused["statusCode"] == 401 and events == []
    identity = tokens.issue("m.jones", ["manager"])
    taken = gateway.handle_request("GET", "/cases", {"Authorization": f"Bearer {identity}"}, b"")
    assert taken["statusCode"] == 200
    assert events[0]["requestContext"]["authorizer"]["claims"]["token_use"] == "id"


@contextmanager
def connected_to(app: Any) -> Iterator[socket.socket]:
    """A client's connection to the local gateway serving `app` on a free port."""
    server = serve(app, "127.0.0.1", 0)
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(server.server.server_address[:2], timeout=5) as client:
            yield client
    finally:
        server.server.shutdown()
        server.server.server_close()


def test_each_answer_on_a_kept_connection_leaves_in_one_write() -> None:
    """A browser keeps its connection open. Headers and body written apart, the body waited on
    the browser's delayed ACK (Nagle): 40 ms a page. The first read holds the whole answer."""
    page = "<p>" + "x" * 5000 + "</p>"
    with connected_to(app_capturing([], "/", "GET", body=page)) as browser:
        for _ in range(3):
            browser.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            first_read = browser.recv(65536)
            head, _, body = first_read.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200") and b"connection: close" not in head.lower()
            assert body == page.encode()


def test_a_client_that_asks_to_continue_is_told_to_at_once() -> None:
    """`Expect: 100-continue` (curl sends it for a large body): the answer is not held in the
    buffer, or the client waits out its own timeout before it sends the body."""
    events: list[dict[str, Any]] = []
    with connected_to(app_capturing(events, "/reports", "POST")) as client:
        client.sendall(b"POST /reports HTTP/1.1\r\nHost: localhost\r\n"
                       b"Content-Type: application/json\r\nContent-Length: 8\r\n"
                       b"Expect: 100-continue\r\n\r\n")
        client.settimeout(1)
        assert client.recv(65536).startswith(b"HTTP/1.1 100 Continue")
        client.settimeout(5)
        client.sendall(b'{"a": 1}')
        assert client.recv(65536).startswith(b"HTTP/1.1 200")
    assert events[0]["body"] == '{"a": 1}'


def test_a_head_is_answered_with_headers_alone_and_the_connection_goes_on() -> None:
    """A HEAD's answer (here the gateway's 405: the route takes GET alone) is its headers, its
    length among them, and no body, so the next answer on the same connection is read whole: a
    body after a HEAD's headers would be taken for the start of it."""
    page = "<p>the tracking page</p>"
    with connected_to(app_capturing([], "/", "GET", body=page)) as browser:
        browser.sendall(b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answers = b""
        while answers.count(b"HTTP/1.1 ") < 2 or not answers.endswith(page.encode()):
            read = browser.recv(65536)
            assert read, f"the connection closed after {answers!r}"
            answers += read
    head_answer, _, rest = answers.partition(b"\r\n\r\n")
    assert head_answer.startswith(b"HTTP/1.1 405") and b"content-length: " in head_answer.lower()
    assert rest.startswith(b"HTTP/1.1 200")  # the GET's answer straight after the HEAD's headers
    assert rest.partition(b"\r\n\r\n")[2] == page.encode()
