"""A person's page and a home's page, as plain functions of what was read: the person (or the
home with its tenancies) and the folders of the cases the reader may see. Other teams' cases
arrive only as a count."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime

from asb.case.change import CaseFolder
from asb.case.escalation import persons_ladder
from asb.case.home_cases import HomeRole
from asb.case.homes import Home, Tenancy
from asb.case.models import Case, Report
from asb.case.parties import Party, PartyStatus, Person, Role
from asb.case.records import Measure
from asb.case.risk import REPEAT_VICTIM, answers_from_report
from asb.people.page_models import (
    ContactSafety,
    HomePage,
    HomesCase,
    HomesParty,
    HomeTenancy,
    HomeTenant,
    PersonPage,
    PersonsCase,
    PersonsMeasure,
    PersonsReport,
    VulnerabilityFlag,
)
from asb.policy.config import RISK_QUESTIONS, VULNERABILITY_KINDS

# The roles whose harm is the case's: their risk is theirs.
_HARMED = frozenset({Role.COMPLAINANT, Role.VICTIM})
_RAISED = frozenset({"medium", "high"})
# The roles in which a party a report brought is that report's reporter.
_REPORTERS = frozenset({Role.COMPLAINANT, Role.PROFESSIONAL, Role.VICTIM})


def merged_page(person: Person) -> PersonPage:
    return PersonPage(person_id=person.person_id, merged_into=person.merged_into,
                      message=(f"This record was merged into person {person.merged_into}: "
                               "their page holds everything"))


def _theirs(folder: CaseFolder, person_id: str) -> list[Party]:
    return sorted((p for p in folder.parties.values() if p.person_id == person_id),
                  key=lambda p: (p.added_at, p.party_id))


def _active_roles(parties: Iterable[Party]) -> set[Role]:
    return {role for party in parties if party.active for role in party.roles}


def _newest_first(folders: Iterable[CaseFolder]) -> list[CaseFolder]:
    return sorted(folders, key=lambda f: (f.case.opened_at, f.case.reference), reverse=True)


def _risk_level(case: Case) -> str | None:
    level = (case.risk or {}).get("level")
    return str(level) if level else None


def _heading(case: Case) -> dict[str, object]:
    return {"reference": case.reference, "status": case.status, "team": case.team,
            "officer": case.officer, "category": case.category, "opened_at": case.opened_at,
            "closed_at": case.closed_at}


def _persons_case(folder: CaseFolder, parties: list[Party]) -> PersonsCase:
    case = folder.case
    roles = dict.fromkeys(r for p in parties for r in p.roles)
    tied = next((p.tenancy.reference for p in parties if p.active and p.tenancy), None)
    return PersonsCase.model_validate({
        **_heading(case), "risk_level": _risk_level(case), "roles": list(roles),
        "party_status": (PartyStatus.CONFIRMED if any(p.status == PartyStatus.CONFIRMED
                                                      for p in parties) else PartyStatus.PROPOSED),
        "unlinked": not any(p.active for p in parties), "tenancy": tied})


def _their_report_ids(parties: list[Party]) -> set[str]:
    """The reports they made: only a party in a reporter's role stands for its report's
    reporter (intake and the migration give the alleged perpetrator's party the report that
    named him; its harm answers and contact safety are the complainant's)."""
    return {p.report_id for p in parties if p.report_id and set(p.roles) & _REPORTERS
            and Role.ALLEGED_PERPETRATOR not in p.roles}


def _their_reports(folder: CaseFolder, parties: list[Party]) -> list[Report]:
    ids = _their_report_ids(parties)
    return [r for r in folder.reports if r.report_id in ids]


def _report(report: Report) -> PersonsReport:
    return PersonsReport(case_reference=report.case_reference, reference=report.public_reference,
                         received_at=report.received_at,
                         behaviours=list(report.submission.incident.behaviours))


def _measures(folder: CaseFolder, parties: list[Party]) -> list[PersonsMeasure]:
    """The tools used against them (not a co-perpetrator's, nor support given to a victim)."""
    return [PersonsMeasure(case_reference=folder.case.reference, measure_id=m.record_id,
                           measure=m.measure, name=m.name, legal=m.legal, subject=m.subject,
                           status=m.status, approval=m.approval, recorded_at=m.recorded_at,
                           expires_on=m.expires_on)
            for _, m in sorted(_against_them(folder, parties), key=lambda rm: rm[1].recorded_at)]


def _against_them(folder: CaseFolder, parties: list[Party]) -> list[tuple[str, Measure]]:
    """The measures against them on the case: against a party of theirs, or (kept before a
    measure named its party) on a case where they are an alleged perpetrator."""
    theirs = {p.party_id for p in parties}
    perpetrator = Role.ALLEGED_PERPETRATOR in _active_roles(parties)
    return [(folder.case.reference, m) for m in folder.measures.values()
            if m.party_id in theirs or (m.party_id is None and perpetrator
                                        and m.subject == "perpetrator")]


def _harm_flags(report: Report) -> list[VulnerabilityFlag]:
    answered = answers_from_report(report.submission)
    return [VulnerabilityFlag(kind="harm_answer", case_reference=report.case_reference,
                              text=text, source=report.public_reference)
            for question, (text, _) in RISK_QUESTIONS.items() if answered.get(question)]


def _case_flags(case: Case, parties: list[Party],
                seen: Collection[str]) -> list[VulnerabilityFlag]:
    roles = _active_roles(parties)
    if not roles & _HARMED:
        return []
    flags = []
    level = _risk_level(case)
    if level in _RAISED:
        reasons = (case.risk or {}).get("reasons") or []
        flags.append(VulnerabilityFlag(
            kind="risk", case_reference=case.reference, text=f"Risk assessed {level}",
            source="triage"))
        flags += [VulnerabilityFlag(kind="risk", case_reference=case.reference,
                                    text=str(r.get("text")), source=str(r.get("source")))
                  # Harm answers are the reports'; a repeat victim is one complainant's (below).
                  for r in reasons
                  if r.get("source") != "report" and r.get("question") != REPEAT_VICTIM]
    if Role.COMPLAINANT in roles:
        flags += _repeat_victim(case, _their_report_ids(parties), seen)
    return flags


def _repeat_victim(case: Case, their_reports: set[str],
                   seen: Collection[str]) -> list[VulnerabilityFlag]:
    """The flag on the page of the complainant whose report found it (a flag kept before
    whose it was is known: on no one's page, only the case's); cases the reader may not see
    (`seen`: those they may) counted, not named."""
    earlier = {b.reference: b for b in case.reported_before if b.report_id in their_reports}
    if not earlier:
        return []
    named = [f"{b.reference} opened on {b.opened_on.isoformat()}"
             for b in earlier.values() if b.reference in seen]
    others = sum(1 for reference in earlier if reference not in seen)
    if others:
        named.append(f"{others} case{'s' if others > 1 else ''} in other teams")
    return [VulnerabilityFlag(kind="repeat_victim", case_reference=case.reference,
                              text=f"Repeat victim: reported before ({'; '.join(named)})",
                              source="records")]


def _recorded_flags(case: Case, parties: list[Party]) -> list[VulnerabilityFlag]:
    """Each vulnerability an officer recorded for one of their parties in the case (alleged
    perpetrators' own too), and safeguarding concerns where the screening found them."""
    flags = []
    for party in parties:
        screening = party.vulnerability
        if screening is None:
            continue
        flags += [VulnerabilityFlag(
            kind="recorded", case_reference=case.reference, type=v.type,
            text=VULNERABILITY_KINDS.get(v.kind, (v.type, v.kind))[1]
            + (f": {v.note}" if v.note else ""), source=v.recorded_by)
            for v in screening.vulnerabilities]
        if screening.safeguarding_concerns:
            flags.append(VulnerabilityFlag(
                kind="safeguarding_concerns", case_reference=case.reference,
                text="Safeguarding concerns", source=screening.screened_by))
    return flags


def _contact_safety(report: Report) -> ContactSafety | None:
    reporter = report.submission.reporter
    if reporter is None or report.submission.anonymous:
        return None
    return ContactSafety(
        report_reference=report.public_reference, received_at=report.received_at,
        preferred_contact=reporter.preferred_contact, unsafe_channels=list(
            reporter.unsafe_channels), safe_contact_times=reporter.safe_contact_times,
        safe_from=reporter.safe_from, safe_until=reporter.safe_until,
        reasonable_adjustments=reporter.reasonable_adjustments,
        large_print=reporter.large_print, language=reporter.language,
        interpreter=reporter.interpreter)


def person_page(person: Person, visible: Iterable[CaseFolder], hidden: int,
                seen: Collection[str] = frozenset()) -> PersonPage:
    """`visible`: the folders of the person's cases the reader may see; `hidden`: how many
    more there are in other teams; `seen`: the references, of those a repeat-victim flag
    names, the reader may see."""
    page = PersonPage(person_id=person.person_id, name=person.name, email=person.email,
                      phone=person.phone, address=person.address, postcode=person.postcode,
                      cases_in_other_teams=hidden)
    against: list[tuple[str, Measure]] = []
    for folder in _newest_first(visible):
        parties = _theirs(folder, person.person_id)
        if not parties:
            continue
        reports = _their_reports(folder, parties)
        page.cases.append(_persons_case(folder, parties))
        page.reports.extend(_report(r) for r in reports)
        page.measures.extend(_measures(folder, parties))
        against += _against_them(folder, parties)
        page.vulnerability.extend(f for r in reports for f in _harm_flags(r))
        page.vulnerability.extend(_case_flags(folder.case, parties, seen))
        page.vulnerability.extend(_recorded_flags(folder.case, parties))
        page.contact_safety.extend(c for c in map(_contact_safety, reports) if c)
    page.reports.sort(key=lambda r: r.received_at, reverse=True)
    page.contact_safety.sort(key=lambda c: c.received_at, reverse=True)
    page.ladder.extend(persons_ladder(against, person.name))
    return page


def tied_to(parties: Iterable[Party], uprn: str) -> list[Party]:
    """The active parties tied to a tenancy of the home."""
    return [p for p in parties if p.active and p.tenancy and p.tenancy.uprn == uprn]


def _tenancy(tenancy: Tenancy, today: date) -> HomeTenancy:
    return HomeTenancy(reference=tenancy.reference, tenancy_type=tenancy.tenancy_type,
                       start_date=tenancy.start_date, end_date=tenancy.end_date,
                       current=tenancy.current_on(today),
                       tenants=[HomeTenant(name=t.name, email=t.email, phone=t.phone)
                                for t in tenancy.tenants])


def _homes_case(folder: CaseFolder, uprn: str, roles: Sequence[HomeRole]) -> HomesCase:
    tied = sorted(tied_to(folder.parties.values(), uprn), key=lambda p: (p.added_at, p.party_id))
    return HomesCase.model_validate({**_heading(folder.case), "home_roles": list(roles),
                                     "parties": [
        HomesParty(party_id=p.party_id, person_id=p.person_id, roles=list(p.roles),
                   tenancy=p.tenancy.reference) for p in tied if p.tenancy]})


def home_page(home: Home, tenancies: Iterable[Tenancy], visible: Iterable[CaseFolder],
              hidden: int, now: datetime,
              roles: Mapping[str, Sequence[HomeRole]] | None = None) -> HomePage:
    """`roles`: what the home is in each case, by reference."""
    today = now.date()
    shown = [_tenancy(t, today) for t in tenancies]
    # Current first, then the rest newest first (a stable sort keeps the register's order).
    shown.sort(key=lambda t: (not t.current, -t.start_date.toordinal()))
    return HomePage(
        uprn=home.uprn, address=home.address, postcode=home.postcode, tenure=home.tenure,
        patch=home.patch, landlords=home.landlords, left_register_on=home.left_register_on,
        tenancies=shown, cases=[_homes_case(f, home.uprn, (roles or {}).get(f.case.reference, []))
                                for f in _newest_first(visible)],
        cases_in_other_teams=hidden)
