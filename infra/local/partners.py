"""The four partners the local runtime starts with: a constabulary, a council, a mediation
service and a support service, each with its information-sharing agreement. Their queues are the
template's; their accounts the template's parameter defaults. Locally every message on the
inbound queue carries moto's one sender id, so each partner lists it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asb.case.models import AuditEntry
from asb.partners.models import PartnerIn

MOTO_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU"
_AGREEMENT = "Avon and Somerset Housing Information Sharing Agreement"

SEEDS: dict[str, dict[str, Any]] = {
    "avon-somerset-police": {
        "name": "Avon and Somerset Constabulary", "kind": "police", "agreement": _AGREEMENT,
        "data_categories": ["case_summary", "incident_details", "perpetrator_details",
                            "risk_assessment", "actions_taken", "meeting_minutes"],
        "legal_routes": ["cda_1998_s115", "dpa_2018_sch2_para2",
                         "information_sharing_agreement", "court_order"],
        # The agreement's term: crime exemption requests signed off by an inspector or above.
        "crime_exemption_sign_off_rank": "inspector",
        "named_officers": [{"name": "PC Sam Lewis", "role": "Neighbourhood beat manager",
                            "email": "sam.lewis@police.example"}],
        "queue": "constabulary", "account_id": "111111111111",
    },
    "south-somerset-council": {
        "name": "South Somerset District Council", "kind": "council", "agreement": _AGREEMENT,
        "data_categories": ["case_summary", "incident_details", "perpetrator_details",
                            "actions_taken", "meeting_minutes"],
        "legal_routes": ["cda_1998_s115", "information_sharing_agreement"],
        "named_officers": [{"name": "Jo Baxter", "role": "Community safety officer",
                            "email": "jo.baxter@council.example"}],
        "queue": "council", "account_id": "222222222222",
    },
    "west-mediation": {
        "name": "West of England Mediation", "kind": "mediation",
        "agreement": "Mediation referral agreement",
        "data_categories": ["case_summary", "reporter_details", "perpetrator_details"],
        "legal_routes": ["consent"],
        "named_officers": [{"name": "Ali Khan", "role": "Referrals coordinator",
                            "email": "referrals@mediation.example"}],
        "queue": "mediation", "account_id": "333333333333",
    },
    "victim-support": {
        "name": "Victim Support (Somerset)", "kind": "support",
        "agreement": "Victim referral agreement",
        "data_categories": ["case_summary", "reporter_details", "risk_assessment"],
        "legal_routes": ["consent"],
        "named_officers": [{"name": "Dee Marsh", "role": "Referral caseworker",
                            "email": "referrals@support.example"}],
        "queue": "support", "account_id": "444444444444",
    },
    # Safeguarding partners (ASB-REFERENCE 7a): their referrals may go without consent where
    # someone is at risk of harm (DPA 2018 Sch 1 para 18); the council's and the police's queues.
    "somerset-adult-social-care": {
        "name": "Somerset Adult Social Care", "kind": "adult_social_care",
        "agreement": "Somerset safeguarding adults information-sharing protocol",
        "data_categories": ["case_summary", "incident_details", "risk_assessment",
                            "person_at_risk"],
        "legal_routes": ["consent", "dpa_2018_sch1_para18"],
        "named_officers": [{"name": "Pat Reid", "role": "Safeguarding adults lead",
                            "email": "safeguarding.adults@council.example"}],
        "queue": "council", "account_id": "222222222222",
    },
    "somerset-childrens-services": {
        "name": "Somerset Children's Services", "kind": "childrens_services",
        "agreement": "Somerset safeguarding children partnership protocol",
        "data_categories": ["case_summary", "incident_details", "risk_assessment",
                            "person_at_risk"],
        "legal_routes": ["consent", "dpa_2018_sch1_para18"],
        "named_officers": [{"name": "Lee Ford", "role": "Children's front door",
                            "email": "childrens.frontdoor@council.example"}],
        "queue": "council", "account_id": "222222222222",
    },
    "somerset-marac": {
        "name": "Somerset MARAC", "kind": "marac",
        "agreement": "Somerset MARAC information-sharing protocol",
        "data_categories": ["case_summary", "incident_details", "perpetrator_details",
                            "risk_assessment", "person_at_risk"],
        "legal_routes": ["consent", "dpa_2018_sch1_para18"],
        "named_officers": [{"name": "Kim Shaw", "role": "MARAC coordinator",
                            "email": "marac@police.example"}],
        "queue": "constabulary", "account_id": "111111111111",
    },
}


def seed(store: Any, now: datetime | None = None) -> list[str]:
    """Puts the four partners in the registry (a DynamoDBPartnerStore); returns their ids."""
    at = now or datetime.now(UTC)
    for partner_id, entry in SEEDS.items():
        body = PartnerIn.model_validate({**entry, "sender_ids": [MOTO_SENDER_ID]})
        partner = {**body.model_dump(mode="json"), "partner_id": partner_id, "version": 1}
        store.save_partner(partner, None, AuditEntry(
            entry_id=f"seed-{partner_id}", case_reference=f"PARTNER-{partner_id}", at=at,
            actor="system:local-seed", action="PartnerSaved", after={"version": 1}))
    return list(SEEDS)
