"""The service's edge in template.yaml: buckets that refuse plain HTTP, AWS WAF on the API stage
with a limit per address on the public routes, a throttle of their own for the public routes,
API Gateway's own answers with the security headers, and what staff may change about
themselves. The local runtime has no WAF: it skips those resources."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from infra.local.template import functions, load_template

# The routes anyone may call without a token that reach a function doing work per request.
PUBLIC = {("GET", "/"), ("POST", "/"), ("POST", "/reports"), ("GET", "/track/{reference}"),
          ("POST", "/track/{reference}/diary-entries"), ("POST", "/track/{reference}/evidence"),
          ("POST", "/track/{reference}/asb-request"),
          ("GET", "/track/{reference}/evidence/{evidence_id}/uploaded")}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_every_bucket_refuses_plain_http(template: dict[str, Any]) -> None:
    buckets = set(of_type(template, "AWS::S3::Bucket"))
    assert {"LettersBucket", "EvidenceBucket", "FiguresBucket"} <= buckets
    refusing = set()
    for policy in of_type(template, "AWS::S3::BucketPolicy").values():
        bucket = policy["Properties"]["Bucket"]["Ref"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if (statement["Effect"], statement["Principal"], statement["Action"]) != (
                    "Deny", "*", "s3:*"):
                continue
            if statement["Condition"] != {"Bool": {"aws:SecureTransport": "false"}}:
                continue
            covered = [str(r) for r in statement["Resource"]]
            assert any("Fn::GetAtt" in r for r in covered), bucket  # the bucket itself
            assert any("/*" in r for r in covered), bucket  # and every object in it
            refusing.add(bucket)
    assert refusing == buckets


def test_the_firewall_limits_each_address_on_the_public_routes_only(
        template: dict[str, Any]) -> None:
    (name, firewall), = of_type(template, "AWS::WAFv2::WebACL").items()
    props = firewall["Properties"]
    assert props["Scope"] == "REGIONAL" and props["DefaultAction"] == {"Allow": {}}
    (association,) = of_type(template, "AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [name, "Arn"]}
    assert association["Properties"]["ResourceArn"]["Fn::Sub"].endswith(
        "/restapis/${Api}/stages/${Api.Stage}")
    (rule,) = [r for r in props["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert "Block" in rule["Action"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    limit = template["Parameters"][rate["Limit"]["Ref"]]
    assert 10 <= limit["Default"] <= 1_000
    stage = template["Parameters"]["StageName"]["Default"]
    pattern = rate["ScopeDownStatement"]["RegexMatchStatement"]["RegexString"]["Fn::Sub"]
    public = re.compile(pattern.replace("${StageName}", stage))
    for path in ("/", "/reports", "/track/ASB-2026-000001", "/track/ASB-2026-000001/evidence"):
        assert public.match(f"/{stage}{path}") and public.match(path), path
    for path in ("/cases", "/cases/ASB-2026-000001", "/console", "/openapi.json",
                 "/subject-access", "/partners/constabulary"):
        assert not public.match(f"/{stage}{path}"), path
    managed = [r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in props["Rules"]
               if "ManagedRuleGroupStatement" in r["Statement"]]
    assert managed == ["AWSManagedRulesKnownBadInputsRuleSet"]


def test_the_public_routes_have_throttles_of_their_own(template: dict[str, Any]) -> None:
    routes = {(str(t.properties["Method"]).upper(), str(t.properties["Path"]))
              for spec in functions(template) for t in spec.triggers if t.kind == "Api"}
    assert routes >= PUBLIC
    settings = template["Resources"]["Api"]["Properties"]["MethodSettings"]
    (staff,) = [s for s in settings if (s["ResourcePath"], s["HttpMethod"]) == ("/*", "*")]
    # "/resource/sub" is written "/~1resource~1sub"; the root is "/"
    own = {(s["HttpMethod"], s["ResourcePath"][1:].replace("~1", "/") or "/"): s
           for s in settings if s is not staff}
    assert set(own) == PUBLIC  # each a route of the template, encoded as API Gateway wants it
    for route, setting in own.items():
        assert 0 < setting["ThrottlingRateLimit"] <= staff["ThrottlingRateLimit"], route
        assert 0 < setting["ThrottlingBurstLimit"] <= staff["ThrottlingBurstLimit"], route


def test_api_gateways_own_answers_carry_the_security_headers(template: dict[str, Any]) -> None:
    responses = template["Resources"]["Api"]["Properties"]["GatewayResponses"]
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        headers = responses[kind]["ResponseParameters"]["Headers"]
        assert headers["Strict-Transport-Security"] == "'max-age=63072000; includeSubDomains'"
        assert headers["X-Content-Type-Options"] == "'nosniff'"
        assert headers["Cache-Control"] == "'no-store'"


def test_an_address_with_no_route_is_a_404_a_page_for_a_person_and_json_for_a_client(
    template: dict[str, Any],
) -> None:
    from asb.policy.config import LANDLORD_PHONE
    from infra.local.gateway import GatewayResponse

    # API Gateway's own answer to an unknown path (/favicon.ico too): no longer a JSON 403
    # "Missing Authentication Token".
    missing = template["Resources"]["Api"]["Properties"]["GatewayResponses"][
        "MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    headers = missing["ResponseParameters"]["Headers"]
    assert headers["Strict-Transport-Security"] == "'max-age=63072000; includeSubDomains'"
    assert headers["X-Content-Type-Options"] == "'nosniff'"
    page = missing["ResponseTemplates"]["text/html"]
    assert "<title>Page not found</title>" in page and LANDLORD_PHONE in page
    assert '<html lang="en-GB">' in page and "$" not in page  # nothing for API Gateway to fill
    assert json.loads(missing["ResponseTemplates"]["application/json"]) == {
        "message": "Not found"}

    # The template chosen by the request's Accept, as the local gateway does it.
    answer = GatewayResponse.of(template, "MISSING_AUTHENTICATION_TOKEN")
    assert answer is not None and answer.status == 404
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert answer.answer(browser) == ("text/html", page)
    for client in (None, "", "*/*", "application/json", "application/json, text/html;q=0.5",
                   "image/avif,image/webp,*/*;q=0.8", "text/html;q=0"):
        assert answer.answer(client)[0] == "application/json", client


def test_staff_cannot_change_their_own_team(template: dict[str, Any]) -> None:
    (client,) = of_type(template, "AWS::Cognito::UserPoolClient").values()
    writable = client["Properties"]["WriteAttributes"]
    assert writable  # explicit: left out, every attribute would be writable
    assert "custom:team" not in writable and "email" not in writable


def test_the_local_runtime_skips_the_firewall(aws: Any) -> None:
    assert aws.skipped["ApiFirewall"] == "AWS::WAFv2::WebACL"
    assert aws.skipped["ApiFirewallAssociation"] == "AWS::WAFv2::WebACLAssociation"
