"""Subject access (UK GDPR Article 15): everything the service holds about one person - what they
told us or what was reported about them, the messages sent to them, contacts with them, what was
shared about them and with whom - their own data in full, everyone else's taken out. A plain
function of the records found for them; the PDF is the same content, for reading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asb.case.change import CaseFolder
from asb.case.minimisation import perpetrator_identifiers, reporter_identifiers, withhold
from asb.case.models import Case, Report
from asb.case.parties import Party, Person, Role
from asb.case.pathways import pathway_of_case
from asb.case.people import PERPETRATOR, REPORTER
from asb.case.records import Disclosure
from asb.case.safeguarding import SAFEGUARDING_REFERRAL_KIND
from asb.policy.config import (
    DA_SUBJECT_ACCESS_WITHHELD,
    LEGAL_ROUTES,
    MEETING_KINDS,
    SAFEGUARDING_REFERRAL_TYPES,
    SPECIAL_MEASURES,
    VULNERABILITY_KINDS,
    WITNESS_SUPPORT,
)
from asb_pdf import FAMILY, drawable, unicode_pdf


@dataclass(frozen=True)
class Holding:
    """A report that names the person, and in what role."""

    case_reference: str
    report_id: str
    role: str


def _others(folder: CaseFolder, mine: Report, role: str,
            party_identifiers: Sequence[str] = ()) -> list[str]:
    """Everyone on the case but this person, as identifiers to take out: the people its reports
    name and the parties an officer added (witnesses, professionals: `party_identifiers`)."""
    found: list[str] = list(party_identifiers)
    for report in folder.reports:
        if not (role == REPORTER and report.report_id == mine.report_id):
            found += reporter_identifiers(report)
        if role != PERPETRATOR:
            found += perpetrator_identifiers(report)
    own = reporter_identifiers(mine) if role == REPORTER else perpetrator_identifiers(mine)
    return [i for i in found if i.lower() not in {o.lower() for o in own}]


def _their_report(report: Report, role: str, others: list[str]) -> dict[str, Any]:
    submission = report.submission
    incident = submission.incident
    told = {
        "received_at": report.received_at.isoformat(),
        "behaviours": list(incident.behaviours),
        "what_happened": withhold(incident.description, others),
        "first_occurred": incident.first_occurred.isoformat() if incident.first_occurred else None,
    }
    if role == REPORTER:
        assert submission.reporter is not None
        return {**told, "your_details": submission.reporter.model_dump(mode="json",
                                                                         exclude_none=True),
                "where": withhold(submission.location.address, others),
                "your_answers_about_harm": submission.harm.model_dump(mode="json",
                                                                      exclude_none=True),
                "consent_to_share": submission.consent_to_share}
    # The place is often the reporter's home: the person reported is told the area only.
    return {**told, "your_details_as_reported": submission.perpetrator.model_dump(
        mode="json", exclude_none=True),
        "where": (submission.location.postcode or "").split(" ")[0] or None}


def _records(items: list[dict[str, Any]], entity: str) -> list[dict[str, Any]]:
    return sorted((i for i in items if i.get("entity") == entity), key=lambda i: str(i.get("at")))


def _shared(items: list[dict[str, Any]], role: str, mine: Report,
            first_reporter: str | None, others: list[str]) -> list[dict[str, Any]]:
    """Disclosures whose package named this person."""
    shared = []
    for item in _records(items, "Disclosure"):
        package = item.get("package") or {}
        if item.get("status") not in ("sent", "acknowledged") or not isinstance(package, dict):
            continue
        named = ("perpetrators" in package if role == PERPETRATOR
                 else "reporter" in package and mine.report_id == first_reporter)
        if named:
            shared.append({"with": item.get("partner_name"), "sent_at": item.get("sent_at"),
                           "legal_route": item.get("legal_route"),
                           "purpose": withhold(item.get("purpose"), others),
                           "what": package.get("data_categories")})
    return shared


def section(holding: Holding, folder: CaseFolder, items: list[dict[str, Any]],
            party_identifiers: Sequence[str] = ()) -> dict[str, Any] | None:
    """What one case holds about the person. None if the report is no longer there.
    `party_identifiers`: the officer-added parties' (asb.data_protection.service)."""
    mine = next((r for r in folder.reports if r.report_id == holding.report_id), None)
    if mine is None:
        return None
    role = holding.role
    others = _others(folder, mine, role, party_identifiers)
    case = folder.case
    identified = sorted((r for r in folder.reports if r.submission.reporter),
                        key=lambda r: r.received_at)
    first_reporter = identified[0].report_id if identified else None
    with_whom = "reporter" if role == REPORTER else "perpetrator"
    return {
        "case_reference": case.reference, "your_role": role,
        "case": {"status": case.status.value, "category": case.category,
                 "opened_at": case.opened_at.isoformat(),
                 "closed_at": case.closed_at.isoformat() if case.closed_at else None,
                 "outcome": case.outcome},
        "report": _their_report(mine, role, others),
        "messages_sent_to_you": [
            {"at": n.get("at"), "message": n.get("template"), "channel": n.get("channel"),
             "status": n.get("status")} for n in _records(items, "Notification")
            if role == REPORTER and n.get("report_id") == mine.report_id],
        "contacts_with_you": [
            {"at": c.get("at"), "channel": c.get("channel"),
             "summary": withhold(c.get("summary"), others)}
            for c in _records(items, "Contact") if c.get("with_whom") == with_whom],
        "shared_with_partners": _shared(items, role, mine, first_reporter, others),
        **_good_neighbour(case, mine, role, others),
        "meetings_that_name_you": _meetings(folder, _own(mine, role), others),
        "your_asb_case_reviews": _case_reviews(folder, mine, role, others),
    }


def _case_reviews(folder: CaseFolder, mine: Report, role: str,
                  others: list[str]) -> list[dict[str, Any]]:
    """The ASB Case Reviews this reporter applied for: their application, who runs it, where it
    stands, the meeting and outcome as recorded - everyone else taken out of the words."""
    if role != REPORTER:
        return []
    found = []
    for review in sorted(folder.case_reviews.values(), key=lambda r: r.received_on):
        if review.report_id != mine.report_id:
            continue
        stored = review.as_stored()
        meeting, outcome = stored.get("meeting"), stored.get("outcome")
        found.append({
            "received_on": stored["received_on"], "status": review.status,
            "run_by": review.run_by.name if review.run_by else None,
            "what_you_asked": withhold(review.summary, others),
            "meeting_held_on": meeting.get("held_on") if isinstance(meeting, dict) else None,
            "outcome": withhold(outcome.get("summary"), others)
            if isinstance(outcome, dict) else None})
    return found


def _own(mine: Report, role: str) -> list[str]:
    return reporter_identifiers(mine) if role == REPORTER else perpetrator_identifiers(mine)


def _meetings(folder: CaseFolder, own: list[str], others: list[str]) -> list[dict[str, Any]]:
    """Multi-agency meetings whose minutes or actions name the person: what was said and agreed,
    everyone else taken out (the agencies that were there are named; their people are not)."""
    found = []
    for meeting in sorted(folder.meetings.values(), key=lambda m: m.held_on):
        words = [meeting.minutes, *(a.description for a in meeting.actions),
                 *(a.note or "" for a in meeting.actions)]
        if not any(_names(text, own) for text in words):
            continue
        found.append({
            "held_on": meeting.held_on.isoformat(), "meeting": MEETING_KINDS.get(meeting.kind),
            "agencies": list(dict.fromkeys(a.agency for a in meeting.attendees)),
            "minutes": withhold(meeting.minutes, others),
            "actions": [{"what": withhold(a.description, others), "by": a.owner_name,
                         "due_on": a.due_on.isoformat(), "status": a.status,
                         "note": withhold(a.note, others)} for a in meeting.actions]})
    return found


def _names(text: str, own: list[str]) -> bool:
    lowered = text.lower()
    return any(identifier.lower() in lowered for identifier in own if identifier.strip())


def _good_neighbour(case: Case, mine: Report, role: str, others: list[str]) -> dict[str, Any]:
    """A good-neighbour request: the pathway, what its reporter asked (their own words) and
    the officer's decision that answered them."""
    if role != REPORTER or (case.pathway != "good_neighbour" and not case.good_neighbour_decision):
        return {}
    asked = case.asb_request if (case.asb_request or {}).get("report_id") == mine.report_id \
        else None
    decision = case.good_neighbour_decision or {}
    answered = decision.get("asked_by_report") == mine.report_id
    return {"pathway": case.pathway,
            "you_asked_for_asb": {"at": asked["at"], "reason": asked["reason"]} if asked else None,
            "decision_on_your_request": {
                "at": decision.get("at"), "treat_as_asb": decision.get("treat_as_asb"),
                "reason": withhold(decision.get("reason"), others)} if answered else None}


_VICTIMS_SIDE = frozenset({Role.COMPLAINANT, Role.VICTIM})


def withheld_from(folder: CaseFolder, role: str | None = None,
                  party: Party | None = None) -> bool:
    """Whether a domestic abuse case is kept out of this person's export: they are named on it as
    the alleged perpetrator (a report's `role`, or their `party`), or are a member of the
    household who is not its victim or complainant (DA_SUBJECT_ACCESS_WITHHELD). A case from
    before pathways whose behaviours disclose domestic abuse is one (pathway_of_case)."""
    if pathway_of_case(folder.case) != "domestic_abuse":
        return False
    if role == PERPETRATOR:
        return True
    roles = set(party.roles) if party else set()
    return Role.ALLEGED_PERPETRATOR in roles or (Role.HOUSEHOLD_MEMBER in roles
                                                 and not roles & _VICTIMS_SIDE)


def withheld_case(reference: str) -> dict[str, str]:
    """A case withheld from the export, for the DPO's review (never in what the person gets)."""
    return {"case_reference": reference, "why": DA_SUBJECT_ACCESS_WITHHELD}


def person_record(person: Person) -> dict[str, Any]:
    """Their own record, in full: one identity across the cases they are a party of."""
    return person.model_dump(mode="json", exclude_none=True, exclude={"version"})


def party_section(party: Party, folder: CaseFolder, own: Sequence[str] = (),
                  party_identifiers: Sequence[str] = ()) -> dict[str, Any]:
    """Their place in one case: their roles and how they came to be in it, the case's state,
    the meetings whose words name them (`own`: their person's identifiers) - nothing of the
    case's other parties (not even who intake thought they might be; `party_identifiers`: the
    officer-added others, taken out of the words)."""
    case = folder.case
    others = [*_report_identifiers(folder, party), *party_identifiers]
    others = [i for i in others if i.lower() not in {o.lower() for o in own}]
    return {"case_reference": case.reference, "your_roles": [r.value for r in party.roles],
            "status": party.status.value, "added_at": party.added_at.isoformat(),
            "from_your_report": party.report_id is not None,
            "your_tenancy": party.tenancy.reference if party.tenancy else None,
            "no_longer_part_of_the_case_since": party.unlinked.at.isoformat()
            if party.unlinked else None,
            "case": {"status": case.status.value, "opened_at": case.opened_at.isoformat(),
                     "closed_at": case.closed_at.isoformat() if case.closed_at else None},
            **_safeguarding(party, folder, others), **_as_witness(party, folder, others),
            **_meetings_of_party(folder, own, others)}


def _report_identifiers(folder: CaseFolder, party: Party) -> list[str]:
    """The case's reporters and alleged perpetrators as its reports name them, but for the
    report this party came from."""
    return [i for r in folder.reports if r.report_id != party.report_id
            for i in (*reporter_identifiers(r), *perpetrator_identifiers(r))]


def _meetings_of_party(folder: CaseFolder, own: Sequence[str],
                       others: list[str]) -> dict[str, Any]:
    found = _meetings(folder, list(own), others) if own else []
    return {"meetings_that_name_you": found} if found else {}


def _as_witness(party: Party, folder: CaseFolder, others: list[str]) -> dict[str, Any]:
    """Their own witness statements (the words as given, the case's other people taken out:
    `others`) and what they need to give evidence."""
    statements = [s for s in folder.witness_statements.values() if s.party_id == party.party_id]
    needs = folder.witness_needs.get(party.party_id)
    if not statements and needs is None:
        return {}
    return {
        "your_witness_statements": [
            {"made_on": s.made_on.isoformat(), "what_you_said": withhold(s.text, others)
             if s.text else "given as a file, kept on the case", "signed": s.signed,
             "signed_on": s.signed_on.isoformat() if s.signed_on else None,
             "willing_to_attend_court": s.willing_to_attend_court}
            for s in sorted(statements, key=lambda s: (s.made_on, s.at))],
        "your_needs_as_a_witness": None if needs is None else {
            "support": [WITNESS_SUPPORT.get(k, k) for k in needs.support],
            "special_measures": [SPECIAL_MEASURES.get(k, k) for k in needs.special_measures],
            "notes": withhold(needs.notes, others)}}


def _referral_name(referral: Disclosure) -> str | None:
    kind = SAFEGUARDING_REFERRAL_TYPES.get(str(getattr(referral, "referral_type", "")))
    return kind.label if kind else None


def _safeguarding(party: Party, folder: CaseFolder, others: list[str]) -> dict[str, Any]:
    """Their own vulnerability screening (the officer's notes with the case's other people
    taken out: `others`) and the safeguarding referrals about them: to whom, when and on what
    legal basis (UK GDPR Art 15(1)(c): the recipients)."""
    screening = party.vulnerability
    referrals = [d for d in folder.disclosures.values()
                 if d.kind == SAFEGUARDING_REFERRAL_KIND
                 and getattr(d, "party_id", None) == party.party_id
                 and d.status not in ("requested", "refused", "withdrawn")]
    return {
        "your_vulnerabilities": None if screening is None else {
            "recorded": [{"type": v.type, "what": VULNERABILITY_KINDS.get(v.kind, ("", v.kind))[1],
                          "note": withhold(v.note, others),
                          "recorded_at": v.recorded_at.isoformat()}
                         for v in screening.vulnerabilities],
            "safeguarding_concerns": screening.safeguarding_concerns,
            "screened_at": screening.screened_at.isoformat()},
        "safeguarding_referrals_about_you": [
            {"to": d.partner_name, "referral": _referral_name(d),
             "sent_at": d.sent_at.isoformat() if d.sent_at else None,
             "legal_route": LEGAL_ROUTES.get(d.legal_route, d.legal_route)}
            for d in sorted(referrals, key=lambda d: str(d.requested_at))]}


def export(search: dict[str, str], sections: list[dict[str, Any]], now: datetime,
           persons: list[dict[str, Any]] | None = None,
           parties: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"request": {"searched_by": sorted(search), "produced_at": now.isoformat(),
                        "law": "UK GDPR Article 15; other people's details removed"},
            "cases": sections, "your_records": persons or [],
            "your_places_in_cases": parties or []}


def export_pdf(document: dict[str, Any]) -> bytes:
    """The export, readable: one heading per case, each section as labelled lines."""
    pdf = unicode_pdf()  # imports fpdf2: only when a PDF is asked for
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    def write(text: str, size: int = 11, bold: bool = False) -> None:
        pdf.set_font(FAMILY, style="B" if bold else "", size=size)
        safe = drawable(pdf, text)
        pdf.multi_cell(0, size * 0.5, safe, new_x="LMARGIN", new_y="NEXT")

    write("Your personal data: subject access", 16, True)
    write(f"Produced {document['request']['produced_at'][:10]}. "
          f"{document['request']['law']}.")
    for title, part in (("Your records", "your_records"),
                        ("Your places in cases", "your_places_in_cases")):
        if document.get(part):
            pdf.ln(4)
            write(title, 13, True)
            for line in _lines(document[part]):
                write(line)
    for case in document["cases"]:
        pdf.ln(4)
        write(f"Case {case['case_reference']} - you are the {case['your_role']}", 13, True)
        for name, value in case.items():
            if name in ("case_reference", "your_role"):
                continue
            write(name.replace("_", " ").capitalize(), 11, True)
            for line in _lines(value):
                write(line)
    return bytes(pdf.output())


def _lines(value: Any, indent: str = "  ") -> list[str]:
    if isinstance(value, dict):
        lines = []
        for key, inner in value.items():
            if isinstance(inner, dict | list):
                lines += [f"{indent}{key.replace('_', ' ')}:", *_lines(inner, indent + "  ")]
            else:
                lines.append(f"{indent}{key.replace('_', ' ')}: {inner}")
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{indent}none"]
        return [line for item in value for line in _lines(item, indent)]
    return [f"{indent}{value}"]
