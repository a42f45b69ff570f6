"""What a partner receives: a pure function of the case, the request and the agreement. Only the
categories both the agreement allows and the request asked for; only the people the package is
about; everyone else's name, address, email and phone taken out of every piece of free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from asb.case.change import CaseFolder
from asb.case.models import Report
from asb.case.targets import local_day

WITHHELD = "[###]"  # no letters, so it can never spell a name back
_SHORTEST_PART = 3  # name parts shorter than this are not searched for ("Al", "Jo")


def _parts(value: str | None, split_words: bool) -> list[str]:
    if not value or not value.strip():
        return []
    found = [value.strip()]
    if split_words:
        found += [w for w in re.split(r"[\s,.'-]+", value) if len(w) >= _SHORTEST_PART]
    else:
        found += [p.strip() for p in value.split(",") if len(p.strip()) >= _SHORTEST_PART]
    return found


def contact_identifiers(name: str | None, address: str | None, email: str | None,
                        phone: str | None) -> list[str]:
    """What names someone in free text: their name and its parts, their address and its lines,
    their email, their phone as given and without its spaces."""
    phone = phone or ""
    return [*_parts(name, True), *_parts(address, False), *([email] if email else []),
            *([phone, re.sub(r"\s+", "", phone)] if phone else [])]


def reporter_identifiers(report: Report) -> list[str]:
    reporter = report.submission.reporter
    if reporter is None:
        return []
    return contact_identifiers(reporter.name, reporter.address, reporter.email, reporter.phone)


def perpetrator_identifiers(report: Report) -> list[str]:
    perpetrator = report.submission.perpetrator
    return [*_parts(perpetrator.name, True), *_parts(perpetrator.address, False)]


def withhold(text: str | None, identifiers: Iterable[str]) -> str | None:
    """Takes every identifier out of the text, longest first, whatever its case."""
    if text is None:
        return None
    for identifier in sorted(set(identifiers), key=len, reverse=True):
        text = re.sub(re.escape(identifier), WITHHELD, text, flags=re.IGNORECASE)
    return text


def _subject_report(folder: CaseFolder) -> Report | None:
    identified = [r for r in folder.reports if r.submission.reporter is not None]
    return min(identified, key=lambda r: r.received_at) if identified else None


def build_package(folder: CaseFolder, request: dict[str, Any],
                  agreement: dict[str, Any]) -> dict[str, Any]:
    """The package for an approved request: `request` carries its disclosure_id, partner_id,
    purpose, legal_route, subject, consent and data_categories; `agreement` the partner's."""
    categories = set(request["data_categories"]) & set(agreement["data_categories"])
    subject = request["subject"]
    subject_report = _subject_report(folder)
    names_reporter = ("reporter_details" in categories and subject == "reporter"
                      and subject_report is not None
                      and (request.get("consent") or subject_report.submission.consent_to_share))
    names_perpetrator = ("perpetrator_details" in categories
                         and subject in ("perpetrator", "household"))
    withheld: list[str] = []
    for report in folder.reports:
        if not (names_reporter and report is subject_report):
            withheld += reporter_identifiers(report)
        if not names_perpetrator:
            withheld += perpetrator_identifiers(report)
    case = folder.case
    package: dict[str, Any] = {
        "case_reference": case.reference, "disclosure_id": request["disclosure_id"],
        "partner_id": request["partner_id"], "purpose": withhold(request["purpose"], withheld),
        "legal_route": request["legal_route"], "data_categories": sorted(categories),
    }
    if "case_summary" in categories:
        package["case"] = {"category": case.category, "status": case.status.value,
                           "behaviours": list(case.behaviours),
                           "hate_incident": case.hate_incident,
                           "opened_at": case.opened_at.isoformat(),
                           "postcode_district": (case.postcode or "").split(" ")[0] or None}
    if "incident_details" in categories:
        package["incidents"] = [_incident(r, withheld) for r in
                                sorted(folder.reports, key=lambda r: r.received_at)]
    if names_perpetrator:
        package["perpetrators"] = _perpetrators(folder.reports, withheld)
    if names_reporter and subject_report is not None:
        reporter = subject_report.submission.reporter
        assert reporter is not None
        package["reporter"] = {"name": reporter.name, "email": reporter.email,
                               "phone": reporter.phone, "address": reporter.address}
    if "risk_assessment" in categories and case.risk:
        package["risk"] = {"level": case.risk.get("level"), "reasons": case.risk.get("reasons")}
    if "actions_taken" in categories:
        package["actions"] = [{"measure": m.name, "status": m.status,
                               "recorded_at": m.recorded_at.isoformat()}
                              for m in folder.measures.values()]
    return package


def _incident(report: Report, withheld: list[str]) -> dict[str, Any]:
    incident = report.submission.incident
    return {
        "reported_on": local_day(report.received_at).isoformat(),
        "behaviours": list(incident.behaviours),
        "first_occurred": incident.first_occurred.isoformat() if incident.first_occurred else None,
        "last_occurred": incident.last_occurred.isoformat() if incident.last_occurred else None,
        "ongoing": incident.ongoing,
        "what_happened": withhold(incident.description, withheld),
        "where": withhold(report.submission.location.details, withheld),
    }


def _perpetrators(reports: list[Report], withheld: list[str]) -> list[dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for report in reports:
        perpetrator = report.submission.perpetrator
        if not (perpetrator.name or perpetrator.address):
            continue
        key = ((perpetrator.name or "").lower(), (perpetrator.address or "").lower())
        found.setdefault(key, {"name": perpetrator.name, "address": perpetrator.address,
                               "description": withhold(perpetrator.description, withheld)})
    return list(found.values())
