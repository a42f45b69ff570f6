"""GET /console: the officers' console, a page that works the cases through the staff API.

The page and its two files hold no case data and need no token: the script signs the officer
in (Cognito's hosted UI, authorisation code with PKCE) and calls the staff API with the token.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.kernel.logs import service_logger
from asb.kernel.settings import ConsoleSettings
from asb.policy.config import (
    ABSOLUTE_GROUND_CONDITIONS,
    BEHAVIOUR_CATALOGUE,
    CASE_REVIEW_LEAD_BODY,
    CASE_REVIEW_POINT_OF_CONTACT,
    CLOSURE_OUTCOMES,
    CONTACT_CHANNELS,
    DATA_CATEGORIES,
    HATE_STRANDS,
    HOLDER_WORDS,
    LANDLORD_OWNER,
    LEGACY_BEHAVIOURS,
    LEGAL_ROUTES,
    MEETING_KINDS,
    NOTICE_GROUNDS,
    PATCHES,
    PATHWAYS,
    RELATIONSHIPS,
    RISK_QUESTIONS,
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_REFERRAL_TYPES,
    SAFEGUARDING_WITHOUT_CONSENT_ROUTE,
    SATISFACTION_ANSWERS,
    SPECIAL_MEASURES,
    TOOL_CATALOGUE,
    UNASSIGNED_TEAM,
    VULNERABILITY_KINDS,
    VULNERABILITY_TYPES,
    WITNESS_SUPPORT,
)
from asb.web.addresses import stage_prefix
from asb.web.headers import page_policy, with_security_headers

logger = service_logger()
app = APIGatewayRestResolver()
STATIC = Path(__file__).parent / "static"
ASSETS = {"console.js": "text/javascript; charset=utf-8",
          "console.css": "text/css; charset=utf-8"}


@cache
def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def sign_in() -> dict[str, Any]:
    """Where the page signs officers in: Cognito's hosted UI, or make dev's local stand-in."""
    settings = ConsoleSettings.load()
    base = settings.sign_in_url
    return {"authorize": f"{base}/oauth2/authorize", "token": f"{base}/oauth2/token",
            "logout": f"{base}/logout", "client_id": settings.client_id,
            "local": base.startswith("/_local")}


def catalogues() -> dict[str, Any]:
    """The choices the forms offer, from the same configuration the API validates against."""
    return {
        "risk_questions": {key: text for key, (text, _) in RISK_QUESTIONS.items()},
        # Every tool, so old records read; the picker offers only those the case view says
        # are open to the landlord, and a partner's power only as a request to its holder.
        "tools_and_powers": {key: {"name": tool.name, "legal": tool.legal,
                                   "needs_tenancy": tool.tenancy_only, "offered": tool.offered,
                                   "ours": tool.ours, "holder": HOLDER_WORDS[tool.held_by],
                                   "ask_of": list(tool.ask_of), "stage": tool.stage,
                                   # moves on by its steps: the landlord's legal action is court
                                   "court": tool.legal and tool.ours}
                             for key, tool in TOOL_CATALOGUE.items()},
        "enforcement": enforcement_choices(),
        "closure_outcomes": CLOSURE_OUTCOMES,
        "legal_routes": LEGAL_ROUTES,
        # What an ordinary request to share may rest on: without consent under Sch 1 para 18 is
        # a safeguarding referral's route only (its own form asks the risk of harm).
        "sharing_legal_routes": {k: v for k, v in LEGAL_ROUTES.items()
                                 if k != SAFEGUARDING_WITHOUT_CONSENT_ROUTE},
        "data_categories": DATA_CATEGORIES,
        # Safeguarding (issue 23): vulnerability per party, referrals and their outcomes.
        "vulnerability_types": VULNERABILITY_TYPES,
        "vulnerability_kinds": {key: {"type": type_, "name": name}
                                for key, (type_, name) in VULNERABILITY_KINDS.items()},
        "safeguarding_referral_types": {key: {"name": t.label, "partner_kinds": list(
            t.partner_kinds), "without_consent": t.without_consent}
            for key, t in SAFEGUARDING_REFERRAL_TYPES.items()},
        "safeguarding_outcomes": SAFEGUARDING_OUTCOMES,
        # Words for the stored names, so the console never shows "verbal_abuse".
        "behaviours": {name: b.label for name, b in
                       {**BEHAVIOUR_CATALOGUE, **LEGACY_BEHAVIOURS}.items()},
        "relationships": RELATIONSHIPS,
        "contact_channels": CONTACT_CHANNELS,
        "hate_strands": HATE_STRANDS,
        # The route a case takes (issue 23): asb, domestic_abuse, good_neighbour, in words.
        "pathways": PATHWAYS,
        # The officers the patches name, for the assignment form (any user name is accepted).
        "officers": {officer: team for officer, team in sorted(set(PATCHES.values()))},
        "intake_team": UNASSIGNED_TEAM,
        "satisfaction_answers": list(SATISFACTION_ANSWERS),
        "teams": sorted({team for _, team in PATCHES.values()} | {UNASSIGNED_TEAM}),
        # A witness's needs (issue 23): support, and special measures to ask the court for.
        "witness_support": WITNESS_SUPPORT,
        "special_measures": SPECIAL_MEASURES,
        # Multi-agency meetings (issue 23): their kinds, and who owns the landlord's actions.
        "meeting_kinds": MEETING_KINDS,
        "landlord_owner": LANDLORD_OWNER,
        # Who runs the ASB Case Review (issue 23): us as the lead body, or the point of contact.
        "case_review": {"lead_body": CASE_REVIEW_LEAD_BODY,
                        "point_of_contact": CASE_REVIEW_POINT_OF_CONTACT.name},
    }


# The choices of enforcement's steps, in words; the values are the API's own (asb.case.enforcement
# and asb.enforcement.models: a test holds them equal, as this function never imports pydantic).
HEARING_PURPOSES = {"first": "First hearing", "return": "Return hearing (after a without-notice order)",
                    "final": "Final hearing", "possession": "Possession hearing",
                    "demotion": "Demotion hearing", "committal": "Committal (a breach)",
                    "review": "Review hearing"}
HEARING_OUTCOMES = {"adjourned": "Adjourned", "order made": "Order made", "refused": "Refused",
                    "dismissed": "Dismissed", "withdrawn": "Withdrawn",
                    "committed to prison": "Committed to prison",
                    "committal suspended": "Committal suspended", "fined": "Fined",
                    "no order on the breach": "No order on the breach"}
ORDER_KINDS = {"injunction": "Injunction", "outright possession": "Outright possession",
               "suspended possession": "Suspended possession",
               "postponed possession": "Postponed possession", "demotion": "Demotion order"}
AGREEMENT_OUTCOMES = {"continues": "It continues", "ended: kept": "Ended: it was kept",
                      "ended: broken": "Ended: it was broken", "ended: other": "Ended: other reason"}


def enforcement_choices() -> dict[str, dict[str, str] | list[str]]:
    return {"notice_grounds": {key: words for key, (words, _, _) in NOTICE_GROUNDS.items()},
            "absolute_grounds": [key for key, (_, absolute, _) in NOTICE_GROUNDS.items()
                                 if absolute],
            "absolute_conditions": {str(n): f"{n}: {words} (serve within {months} months)"
                                    for n, (words, months) in ABSOLUTE_GROUND_CONDITIONS.items()},
            "hearing_purposes": HEARING_PURPOSES, "hearing_outcomes": HEARING_OUTCOMES,
            "order_kinds": ORDER_KINDS, "agreement_outcomes": AGREEMENT_OUTCOMES}


def _policy(sign_in_url: str) -> str:
    """The page's own policy: its script and styles from here, tokens from the hosted UI. The
    other headers (no-store, no Referer, nosniff, HSTS) every answer gets: asb.web.headers."""
    origin = urlsplit(sign_in_url)
    extra = f" {origin.scheme}://{origin.netloc}" if origin.netloc else ""
    uploads = ConsoleSettings.load().upload_origins  # a witness's statement file, straight to S3
    return page_policy(script_src="'self'", style_src="'self'", img_src="'self' data:",
                       connect_src=f"'self'{extra}{' ' + uploads if uploads else ''}",
                       form_action=f"'self'{extra}")


def render_page(event: dict[str, Any]) -> str:
    base = stage_prefix(event)
    settings = {"api": base, "sign_in": sign_in(), "catalogues": catalogues()}
    # "</" cannot end the script element early; the settings are data, never run.
    data = json.dumps(settings).replace("</", "<\\/")
    return _asset("console.html").replace("{{base}}", base).replace("{{settings}}", data)


@app.get("/console", summary="The officers' console", tags=["console"], responses={
    200: {"description": "The console page; it signs in and reads the staff API itself",
          "content": {"text/html": {"schema": {"type": "string"}}}}})
def console_page() -> Response[str]:
    return Response(status_code=200, content_type="text/html; charset=utf-8",
                    body=render_page(app.current_event.raw_event),
                    headers={"Content-Security-Policy": _policy(sign_in()["authorize"])})


@app.get("/console/<asset>", summary="The console's script and style sheet", tags=["console"],
         responses={200: {"description": "console.js or console.css",
                          "content": {"text/plain": {"schema": {"type": "string"}}}},
                    404: {"description": "No such file",
                          "content": {"application/json": {"schema": {"type": "object"}}}}})
def console_asset(asset: str) -> Response[str]:
    if asset not in ASSETS:
        return Response(status_code=404, content_type="application/json",
                        body=json.dumps({"message": "No such file"}))
    return Response(status_code=200, content_type=ASSETS[asset], body=_asset(asset),
                    headers={"Cache-Control": "public, max-age=300"})


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
