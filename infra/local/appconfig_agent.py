"""A stand-in for the AWS AppConfig Agent Lambda extension: localhost HTTP serving each deployed
configuration at /applications/{application}/environments/{environment}/configurations/{profile}
(the path Powertools' AppConfigExtensionProvider asks), 404 for one not deployed.

Locally there is no AppConfig (moto lacks environments, deployments and the data plane), so the
local runtime gives functions no AppConfig names and the policy is its file. This agent is for the
tests of the deployed read and for the bench's cold first answer, which counts that read as in
AWS: give a process its port as AWS_APPCONFIG_EXTENSION_HTTP_PORT.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import quote, urlsplit


def configuration_path(application: str, environment: str, profile: str) -> str:
    return (f"/applications/{quote(application, safe='')}/environments/"
            f"{quote(environment, safe='')}/configurations/{quote(profile, safe='')}")


class AppConfigAgent:
    """Serves what `deploy` put there, on a free port of 127.0.0.1, from a thread."""

    def __init__(self) -> None:
        self.deployed: dict[str, bytes] = {}
        self.asked: list[str] = []
        # The next answers' status instead of the deployed document's (an agent's hiccup: a 5xx
        # while it cannot reach AppConfig); `failing_always` answers every request so.
        self.failing: list[int] = []
        self.failing_always: int | None = None
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                agent.asked.append(path)
                body = agent.deployed.get(path)
                failed = agent.failing.pop(0) if agent.failing else agent.failing_always
                if failed is not None:
                    self.send_response(failed)
                    body = b"the agent could not answer"
                elif body is None:
                    self.send_response(404)
                    body = b"no deployed configuration"
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port: int = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def deploy(self, application: str, environment: str, profile: str, content: bytes) -> None:
        self.deployed[configuration_path(application, environment, profile)] = content

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
