"""Sharing with partners as plain functions: the agreement's limits, who decides, minimisation
(property-tested over generated cases), partners' messages and signatures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from asb.case.change import CaseFolder
from asb.case.minimisation import build_package
from asb.case.models import Case, CaseStatus, Report
from asb.case.records import Disclosure
from asb.intake.service import new_report, parse_submission
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import NotAllowed, StaffMember
from asb.partners.disclosures import decide_disclosure, request_disclosure
from asb.partners.messages import NotFromPartner, acknowledged, check_sender, requested
from asb.partners.models import (
    DisclosureDecisionIn,
    DisclosureRequestIn,
    PartnerAcknowledgement,
    PartnerIn,
    PartnerRequest,
)
from asb.partners.signing import signed
from asb.policy.config import DATA_CATEGORIES
from infra.local.partners import SEEDS
from infra.partner_receiver import verify
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
POLICE = {**SEEDS["avon-somerset-police"], "partner_id": "avon-somerset-police",
          "sender_ids": ["AIDAPOLICE"]}
MEDIATION = {**SEEDS["west-mediation"], "partner_id": "west-mediation", "sender_ids": []}


def report(report_id: str, reporter: str | None, perpetrator: str | None, text: str,
           consent: bool = True) -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    if reporter is None:
        data.pop("reporter")
        data["anonymous"] = True
    else:
        data["reporter"]["name"] = reporter
        data["reporter"]["email"] = f"{reporter.split()[0].lower()}@example.org"
    data["perpetrator"] = {"known": bool(perpetrator), "name": perpetrator,
                           "address": f"14 {perpetrator.split()[-1]} Road" if perpetrator else None}
    data["incident"]["description"] = text
    data["location"]["details"] = f"Outside the flat. {text}"
    data["consent_to_share"] = consent
    return new_report(parse_submission(data, NOW), "ASB-2026-000123", "api", NOW, report_id)


def folder(*reports: Report) -> CaseFolder:
    case = Case(reference="ASB-2026-000123", status=CaseStatus.OPEN, opened_at=NOW,
                updated_at=NOW, anonymous=False, behaviours=["threats"], hate_incident=False,
                location_address="12 Orchard Close", category="A", officer="o.hughes",
                team="yeovil", risk={"level": "high", "reasons": ["threats reported"]})
    return CaseFolder(case, list(reports))


def ask(**changes: Any) -> DisclosureRequestIn:
    return DisclosureRequestIn.model_validate({
        "partner_id": "avon-somerset-police", "purpose": "Joint visit after threats to a neighbour.",
        "necessity": "The officers visiting need to know the threats made before.",
        "legal_route": "cda_1998_s115", "data_categories": ["case_summary", "incident_details"],
        **changes})


def test_nothing_is_asked_for_outside_the_agreement() -> None:
    base = folder(report("r1", "Alex Morgan", "Chris Day", "Chris Day shouted at Alex."))
    with pytest.raises(RuleBroken, match="does not cover"):
        request_disclosure(base, POLICE, ask(legal_route="consent"), OFFICER, NOW)
    with pytest.raises(InvalidChange) as refused:
        request_disclosure(base, POLICE, ask(data_categories=["reporter_details"]), OFFICER, NOW)
    assert refused.value.errors[0].field == "data_categories"
    mediation = ask(partner_id="west-mediation", legal_route="consent", kind="referral",
                    data_categories=["case_summary"], subject="reporter")
    with pytest.raises(RuleBroken, match="consent"):
        request_disclosure(base, MEDIATION, mediation, OFFICER, NOW)
    change = request_disclosure(base, MEDIATION, mediation.model_copy(update={"consent": True}),
                                OFFICER, NOW)
    assert change.events == []  # a request sends nothing


def _requested(base: CaseFolder) -> tuple[CaseFolder, str]:
    change = request_disclosure(base, POLICE, ask(), OFFICER, NOW)
    disclosure = next(r for r in change.records if r.entity == "Disclosure")
    assert {r.data["action"] for r in change.records if r.entity == "DisclosureLog"} == {
        "requested"}
    return CaseFolder(change.case, base.reports,
                      disclosures={disclosure.record_id: Disclosure.model_validate(
                          disclosure.data)}), disclosure.record_id


def test_only_a_manager_or_the_dpo_decides_and_not_the_requester() -> None:
    music = report("r1", "Alex Morgan", "Chris Day", "Music until 3am again.")
    base, disclosure_id = _requested(folder(music))
    yes = DisclosureDecisionIn(approved=True, reason="Necessary for the joint visit.")
    with pytest.raises(NotAllowed):
        decide_disclosure(base, POLICE, disclosure_id, yes, OFFICER, NOW)
    requester_as_manager = StaffMember("o.hughes", frozenset({"manager"}), "yeovil")
    with pytest.raises(RuleBroken, match="other than"):
        decide_disclosure(base, POLICE, disclosure_id, yes, requester_as_manager, NOW)
    refused = decide_disclosure(base, POLICE, disclosure_id, yes.model_copy(
        update={"approved": False}), MANAGER, NOW)
    assert refused.events == []  # a refusal puts nothing on any queue
    approved = decide_disclosure(base, POLICE, disclosure_id, yes, MANAGER, NOW)
    (event,) = approved.events
    assert event.type == "DisclosureApproved" and event.detail["queue"] == "constabulary"
    assert [r.data["action"] for r in approved.records if r.entity == "DisclosureLog"] == [
        "approved"]



ADULTS = {**SEEDS["somerset-adult-social-care"], "partner_id": "somerset-adult-social-care"}


def test_the_safeguarding_route_without_consent_is_refused_outside_a_safeguarding_referral(
        ) -> None:
    """DPA 2018 Sch 1 para 18 without consent only with the risk of harm recorded: an ordinary
    request to share (or a partner's request) cannot name it, whatever the agreement covers."""
    base = folder(report("r1", "Alex Morgan", "Chris Day", "Chris Day shouted at Alex."))
    for kind in ("disclosure", "referral"):
        body = ask(partner_id="somerset-adult-social-care", kind=kind, subject="reporter",
                   legal_route="dpa_2018_sch1_para18", data_categories=["case_summary"])
        with pytest.raises(InvalidChange) as refused:
            request_disclosure(base, ADULTS, body, OFFICER, NOW)
        (error,) = refused.value.errors
        assert error.field == "legal_route" and "safeguarding-referrals" in error.message
    data = json.loads(sample_event("partner_inbound-police-request")["Records"][0]["body"])
    asking = PartnerRequest.model_validate({
        **data, "partner_id": "somerset-adult-social-care", "legal_route": "dpa_2018_sch1_para18",
        "data_categories": ["case_summary"], "signed_off_by": None})
    case = {"reference": "ASB-2026-000001", "officer": "o.hughes", "team": "yeovil"}
    step = requested(case, ADULTS, asking, NOW)
    assert step.records[0].data["status"] == "refused" and step.events == []
    assert "safeguarding referral" in step.records[0].data["reason"]

NAMES = st.from_regex(r"Xq[a-z]{4,8}", fullmatch=True)


def _apart(parts: list[str]) -> bool:
    """No name part inside another: each person's name is their own."""
    return not any(a != b and a.lower() in b.lower() for a in parts for b in parts)


# Up to three reporters and one perpetrator, each "First Last", no part shared or nested.
PARTS = st.lists(NAMES, min_size=8, max_size=8, unique=True).filter(_apart)


@given(parts=PARTS, reporter_count=st.integers(min_value=1, max_value=3),
       agreement=st.sets(st.sampled_from(list(DATA_CATEGORIES)), min_size=1),
       asked=st.sets(st.sampled_from(list(DATA_CATEGORIES)), min_size=1),
       subject=st.sampled_from(["perpetrator", "reporter", "household"]), consent=st.booleans(),
       consent_to_share=st.booleans())
def test_a_package_carries_only_its_agreement_and_no_third_party(
    parts: list[str], reporter_count: int, agreement: set[str], asked: set[str], subject: str,
    consent: bool, consent_to_share: bool,
) -> None:
    people = [f"{parts[i]} {parts[i + 1]}" for i in range(0, 8, 2)]
    perpetrator, reporters = people[-1], people[:reporter_count]
    everyone = " and ".join([perpetrator, *reporters])
    reports = [report(f"r{n}", name, perpetrator,
                      f"{everyone} were there; {name.upper()} was frightened.", consent_to_share)
               for n, name in enumerate(reporters)]
    request = {"disclosure_id": "d-1", "partner_id": "p", "legal_route": "cda_1998_s115",
               "purpose": f"About {perpetrator}.", "subject": subject, "consent": consent,
               "data_categories": sorted(asked)}
    package = build_package(folder(*reports), request, {"data_categories": sorted(agreement)})

    allowed = agreement & asked
    assert set(package["data_categories"]) == allowed
    sections = {"case": "case_summary", "incidents": "incident_details",
                "perpetrators": "perpetrator_details", "reporter": "reporter_details",
                "risk": "risk_assessment", "actions": "actions_taken"}
    for section, category in sections.items():
        if section in package:
            assert category in allowed, f"{section} is outside the agreement"
    named = set()
    if "perpetrator_details" in allowed and subject != "reporter":
        named.add(perpetrator)
    if "reporter_details" in allowed and subject == "reporter" and (consent or consent_to_share):
        named.add(reporters[0])
    text = json.dumps(package).lower()
    for person in {perpetrator, *reporters} - named:
        for part in person.split():
            assert part.lower() not in text, f"{person} is a third party to this package"


def test_a_police_request_needs_an_inspector_and_the_agreement() -> None:
    data = json.loads(sample_event("partner_inbound-police-request")["Records"][0]["body"])
    case = {"reference": "ASB-2026-000001", "officer": "o.hughes", "team": "yeovil"}
    good = requested(case, POLICE, PartnerRequest.model_validate(data), NOW)
    assert good.records[0].data["status"] == "requested"
    assert [e.type for e in good.events] == ["DisclosureRequestReceived"]
    sergeant = {**data, "signed_off_by": {"name": "Sgt. Lee", "rank": "Sergeant"}}
    refused = requested(case, POLICE, PartnerRequest.model_validate(sergeant), NOW)
    assert refused.records[0].data["status"] == "refused" and refused.events == []
    assert "inspector" in refused.records[0].data["reason"]
    assert POLICE["agreement"] in refused.records[0].data["reason"]


def test_the_rank_that_signs_off_a_police_request_is_the_agreements_term() -> None:
    data = json.loads(sample_event("partner_inbound-police-request")["Records"][0]["body"])
    case = {"reference": "ASB-2026-000001", "officer": "o.hughes", "team": "yeovil"}
    sergeant = PartnerRequest.model_validate(
        {**data, "signed_off_by": {"name": "Sgt. Lee", "rank": "Sergeant"}})
    no_rank_term = {k: v for k, v in POLICE.items() if k != "crime_exemption_sign_off_rank"}
    assert requested(case, no_rank_term, sergeant, NOW).records[0].data["status"] == "requested"
    unsigned = PartnerRequest.model_validate({**data, "signed_off_by": None})
    assert requested(case, no_rank_term, unsigned, NOW).records[0].data["status"] == "requested"
    sergeants_may = {**POLICE, "crime_exemption_sign_off_rank": "sergeant"}
    assert requested(case, sergeants_may, sergeant, NOW).records[0].data["status"] == "requested"
    detective = PartnerRequest.model_validate(
        {**data, "signed_off_by": {"name": "DI Shah", "rank": "Detective Inspector"}})
    assert requested(case, POLICE, detective, NOW).records[0].data["status"] == "requested"
    for refused in (unsigned, PartnerRequest.model_validate(
            {**data, "signed_off_by": {"name": "A. Nother", "rank": "Special"}})):
        step = requested(case, POLICE, refused, NOW)
        assert step.records[0].data["status"] == "refused"
        assert "at inspector rank or above" in step.records[0].data["reason"]


def test_an_agreement_names_a_police_rank_or_none() -> None:
    entry = {**SEEDS["avon-somerset-police"]}
    assert PartnerIn.model_validate(entry).crime_exemption_sign_off_rank == "inspector"
    assert PartnerIn.model_validate({**entry, "crime_exemption_sign_off_rank": None}
                                    ).crime_exemption_sign_off_rank is None
    assert PartnerIn.model_validate({**entry, "crime_exemption_sign_off_rank": "Chief  Inspector"}
                                    ).crime_exemption_sign_off_rank == "chief inspector"
    with pytest.raises(ValidationError, match="choose from"):
        PartnerIn.model_validate({**entry, "crime_exemption_sign_off_rank": "captain"})


def test_an_acknowledgement_must_come_from_the_partner_it_was_sent_to() -> None:
    data = json.loads(sample_event("partner_inbound-acknowledgement")["Records"][0]["body"])
    ack = PartnerAcknowledgement.model_validate(data)
    sent = {"disclosure_id": ack.disclosure_id, "partner_id": "south-somerset-council",
            "status": "sent", "case_reference": ack.case_reference}
    with pytest.raises(NotFromPartner):
        acknowledged(sent, ack, NOW)
    step = acknowledged({**sent, "partner_id": "avon-somerset-police", "direction": "outbound",
                         "kind": "disclosure", "partner_name": "Police", "purpose": "p",
                         "legal_route": "cda_1998_s115", "data_categories": [],
                         "subject": "perpetrator"}, ack, NOW)
    assert step is not None and step.records[0].data["status"] == "acknowledged"
    with pytest.raises(NotFromPartner):
        check_sender(POLICE, "avon-somerset-police", "AIDASOMEONEELSE")
    check_sender(POLICE, "avon-somerset-police", "AIDAPOLICE")


class LocalKey:
    key_id = "local"

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())

    def sign(self, statement: bytes) -> bytes:
        return self.private.sign(statement, ec.ECDSA(hashes.SHA256()))

    def public_der(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_a_tampered_message_fails_the_signature_check() -> None:
    key = LocalKey()
    message = {"schema": "asb-disclosure/1", "message_id": "6f1c2d3e", "package": {"a": "Xqabc"}}
    body, attributes = signed(message, key)
    plain = {name: value["StringValue"] for name, value in attributes.items()}
    assert verify(body, plain, key.public_der())
    assert not verify(body.replace("Xqabc", "Xqabd"), plain, key.public_der())
    assert not verify(body, {**plain, "message_id": "another"}, key.public_der())
    assert not verify(body, plain, LocalKey().public_der())  # someone else's key
