"""The console's sign-in under `make dev`: a stand-in for Cognito's hosted UI.

The same authorisation code flow with PKCE as Cognito's /oauth2/authorize and /oauth2/token, so
the console runs the same code locally and deployed; the identities are `make token`'s, and the
page says plainly that it is local. Nothing here is deployed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from chalice.app import Chalice, Response

from infra.local import tokens
from infra.local.gateway import current_request

PREFIX = "/_local"
# Who can sign in locally: make token's identities.
IDENTITIES: dict[str, tuple[list[str], str | None, str]] = {
    "o.hughes": (["officer"], "yeovil", "ASB officer, Yeovil"),
    "r.patel": (["officer"], "yeovil", "ASB officer, Yeovil"),
    "k.evans": (["officer"], "taunton", "ASB officer, Taunton"),
    "m.jones": (["manager"], "yeovil", "Manager, every team"),
    "d.price": (["dpo"], None, "Data protection officer"),
}
_codes: dict[str, tuple[str, str, str]] = {}  # code -> (user, challenge, redirect_uri)
_lock = threading.Lock()


def _page(body: str, status: int = 200) -> Response:
    return Response(body=body, status_code=status, headers={
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"})


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(body=json.dumps(body), status_code=status, headers={
        "Content-Type": "application/json", "Cache-Control": "no-store"})


def _console_redirect(uri: str) -> bool:
    return urlsplit(uri).path.endswith("/console")


def _choice(user: str, about: str, checked: bool) -> str:
    element = f"as-{user.replace('.', '-')}"
    return (f'<div class="choice"><input type="radio" name="identity" id="{element}" '
            f'value="{user}"{" checked" if checked else ""}><label for="{element}">'
            f'<strong>{user}</strong>: {html.escape(about)}</label></div>')


def _chooser(query: dict[str, str]) -> str:
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in query.items())
    choices = "".join(_choice(user, about, index == 0)
                      for index, (user, (_, _, about)) in enumerate(IDENTITIES.items()))
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Local sign-in - ASB console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/console/console.css"></head>
<body><main id="main" class="narrow">
<div class="local-banner"><strong>Local sign-in for make dev.</strong> This is not Cognito:
anyone here can be anyone. Deployed, the console signs in through Cognito's hosted UI.</div>
<h1>Sign in to the ASB console</h1>
<form method="get" action="{PREFIX}/oauth2/choose">{hidden}
<fieldset><legend>Sign in as</legend>{choices}</fieldset>
<button type="submit" id="sign-in">Sign in</button></form></main></body></html>"""


def install(app: Chalice) -> None:
    @app.route(f"{PREFIX}/oauth2/authorize", methods=["GET"])
    def authorize() -> Response:
        query = dict(current_request(app).query_params or {})
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge") \
                or not _console_redirect(query.get("redirect_uri", "")):
            return _page("<p>This sign-in needs PKCE (S256) and the console's address.</p>", 400)
        return _page(_chooser(query))

    @app.route(f"{PREFIX}/oauth2/choose", methods=["GET"])
    def choose() -> Response:
        query = dict(current_request(app).query_params or {})
        user = query.get("identity", "")
        if user not in IDENTITIES or not _console_redirect(query.get("redirect_uri", "")):
            return _page("<p>Choose one of the identities listed.</p>", 400)
        code = secrets.token_urlsafe(24)
        with _lock:
            _codes[code] = (user, query.get("code_challenge", ""), query["redirect_uri"])
        back = urlencode({"code": code, "state": query.get("state", "")})
        return Response(body="", status_code=302,
                        headers={"Location": f"{query['redirect_uri']}?{back}"})

    @app.route(f"{PREFIX}/oauth2/token", methods=["POST"],
               content_types=["application/x-www-form-urlencoded"])
    def token() -> Response:
        raw = current_request(app).raw_body or b""
        form = {k: v[0] for k, v in parse_qs(
            raw if isinstance(raw, str) else raw.decode()).items()}
        with _lock:
            found = _codes.pop(form.get("code", ""), None)
        if found is None:
            return _json({"error": "invalid_grant"}, 400)
        user, challenge, redirect_uri = found
        verifier = form.get("code_verifier", "").encode()
        proof = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if proof != challenge or form.get("redirect_uri") != redirect_uri:
            return _json({"error": "invalid_grant"}, 400)
        roles, team, _ = IDENTITIES[user]
        return _json({"id_token": tokens.issue(user, roles, team, hours=1),
                      "token_type": "Bearer", "expires_in": 3600})

    @app.route(f"{PREFIX}/logout", methods=["GET"])
    def logout() -> Response:
        target = dict(current_request(app).query_params or {}).get("logout_uri", "")
        if not _console_redirect(target):
            return _page("<p>Signed out.</p>")
        return Response(body="", status_code=302, headers={"Location": target})
