"""Splitting a report out into a case of its own, and joining two open cases, each with a reason.

What moves is what belongs to a reporter: their report (with its own reference, so their link
keeps working), their parties and what they added themselves (diary entries, files). Each case's
own record stays where it was written - its audit entries, outbox events, officers' records and
tasks - so no audit entry is ever rewritten: a split leaves the old case with one report fewer;
a join closes the second case as joined into the first (`Case.joined_into`), which NM01 then
does not count, while the first counts once. A split-out case is a new case: opened now, on no
matter (the matter stays with the case that holds it), and triaged like a new report.
The homes go with what names them (asb.case.home_cases): a split-out report takes the homes it
and its parties name to the new case, and the case it leaves stays at a home only in the roles
its other reports and parties still give it; a join gives the first case the second's homes,
and the second, closed, keeps its own lookups, so that its history still shows at the home.
Pure: the store moves the items these name (asb.casework.regrouping_store)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from asb.case import good_neighbour
from asb.case.change import CaseChange, CaseFolder, NewId, TaskChange, audit_entry, bump, domain_event
from asb.case.complainants import action_plans, complainant_id
from asb.case.good_neighbour import GOOD_NEIGHBOUR
from asb.case.home_cases import CaseAtHome, homes_of_case
from asb.case.meetings import actions_ended_when_joined
from asb.case.models import Case, CaseStatus, Report
from asb.case.parties import NO_COMPLAINANT_LEFT
from asb.case.pathways import discloses_domestic_abuse, may_be_joined
from asb.case.retention import retain_until
from asb.case.tasks import TASK_TITLES
from asb.case.witnesses import contact_every, keeps_schedule, next_contact, schedule_ended
from asb.casework.models import JoinIn, SplitIn
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import PATHWAYS, Pathway

JOINED = "joined into another case"
_ON_ITS_OWN_PATHWAY = ("A domestic abuse case is never joined with a case on another pathway "
                       "(a neighbour case about the same address)")


@dataclass(frozen=True)
class Regrouping:
    """Both cases' changes (a new case's with expected_version 0) and what moves between them:
    the reports named (each as it is on `to` now), and every party of `moved_from` if
    `all_parties`, else those of the reports; the matters `to` now holds. `homes_left`: the
    homes `moved_from` is still at, by what it still holds (None: it keeps every lookup)."""

    moved_from: CaseFolder
    to: str
    changes: tuple[CaseChange, CaseChange]
    reports: tuple[Report, ...]
    all_parties: bool = False
    matter_keys: tuple[str, ...] = ()
    homes_left: tuple[CaseAtHome, ...] | None = None

    @property
    def report_ids(self) -> frozenset[str]:
        return frozenset(r.report_id for r in self.reports)


def _open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken(f"{case.reference} is closed: only open cases are split or joined")


def _moved(report: Report, to: str) -> Report:
    """The report on its new case, under the reference its reporter already has."""
    return report.model_copy(update={"case_reference": to, "reference": report.public_reference})


def splittable(folder: CaseFolder, report_id: str) -> Report:
    """The report, if it may be split out of its case."""
    case = folder.case
    _open(case)
    report = next((r for r in folder.reports if r.report_id == report_id), None)
    if report is None:
        raise InvalidChange([FieldError("report_id", "There is no report with this id on "
                                                     "this case")])
    if report.public_reference == case.reference or \
            report.report_id == complainant_id(case, folder.reports):
        raise RuleBroken("This report stays: it opened the case, or the case's own plan and "
                         "contact schedule are agreed with its reporter. Split out the others")
    complainants = [p for p in folder.parties.values() if p.complainant]
    if complainants and all(p.report_id == report_id for p in complainants):
        raise RuleBroken(NO_COMPLAINANT_LEFT)  # its reporter's parties go with it
    going = {p.party_id for p in folder.parties.values() if p.report_id == report_id}
    if any(s.party_id in going for s in folder.witness_statements.values()) \
            or going & set(folder.witness_needs):
        raise RuleBroken("Its reporter gave a witness statement on this case, a record of this "
                         "case's evidence: it stays here with them")
    return report


def split_pathway(case: Case, report: Report) -> Pathway:
    """The case's own, or domestic abuse if the report discloses it: a report split out of a
    domestic abuse case stays on that pathway (what it is part of was disclosed as domestic
    abuse), and one disclosing it is never split out into a neighbour case."""
    return "domestic_abuse" if discloses_domestic_abuse(report.submission) else case.pathway


def split_report(folder: CaseFolder, body: SplitIn, by: StaffMember, now: datetime,
                 new_reference: str, new_id: NewId = lambda: str(uuid.uuid4())) -> Regrouping:
    case = folder.case
    report = splittable(folder, body.report_id)
    sub = report.submission
    opened = Case(reference=new_reference, status=CaseStatus.NEW, opened_at=now, updated_at=now,
                  anonymous=sub.anonymous, behaviours=sub.incident.behaviours,
                  hate_incident=sub.is_hate_incident, location_address=sub.location.address,
                  postcode=sub.location.postcode, address_to_check=sub.address_to_check,
                  split_from=case.reference, pathway=split_pathway(case, report))
    left = bump(case, now, report_count=max(case.report_count - 1, 1),
                triaged_report_ids=[i for i in case.triaged_report_ids if i != report.report_id],
                complainant_plans={k: v for k, v in case.complainant_plans.items()
                                   if k != report.report_id})
    moved = {"report_id": report.report_id, "reference": report.public_reference}
    parties = folder.parties.values()
    staying = [r for r in folder.reports if r.report_id != report.report_id]
    old = CaseChange(left, case.version, audit_entry(
        case, by, "ReportSplitOut", now, new_id, before={"report_count": case.report_count},
        after={**moved, "to": new_reference, "reason": body.reason}),
        events=[domain_event(case, "ReportSplitOut", now, new_id,
                             {**moved, "to": new_reference})])
    # What intake emits for a report that opens a case, so that triage runs on it.
    new = CaseChange(opened, 0, audit_entry(
        opened, by, "CaseOpened", now, new_id, after={
            "status": opened.status.value, **moved, "split_from": case.reference,
            "reason": body.reason}),
        events=[domain_event(opened, "ReportReceived", now, new_id, {
            "report_id": report.report_id, "channel": report.channel, "joined": False,
            "split_from": case.reference})],
        homes=homes_of_case([report], [p for p in parties if p.report_id == report.report_id]))
    still_at = homes_of_case(staying, [p for p in parties if p.report_id != report.report_id])
    return Regrouping(folder, new_reference, (old, new), (_moved(report, new_reference),),
                      homes_left=tuple(still_at))


def join_cases(first: CaseFolder, second: CaseFolder, body: JoinIn, by: StaffMember,
               now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> Regrouping:
    """`second` joined into `first`. Refused while the second has tools and powers or an ASB
    Case Review of its own: those are records of that case, which a closed case cannot carry
    on; join the other way round."""
    into, joined = first.case, second.case
    if into.reference == joined.reference:
        raise InvalidChange([FieldError("case_reference", "A case cannot be joined into itself")])
    _open(into)
    _open(joined)
    if not may_be_joined(into.pathway, joined.pathway):
        raise RuleBroken(f"{_ON_ITS_OWN_PATHWAY}: {into.reference} is on the "
                         f"{PATHWAYS[into.pathway].lower()} pathway, {joined.reference} on the "
                         f"{PATHWAYS[joined.pathway].lower()} one")
    if into.pathway != joined.pathway and GOOD_NEIGHBOUR in (into.pathway, joined.pathway):
        raise RuleBroken(good_neighbour.NOT_JOINED)
    if second.measures or second.case_reviews or second.witness_statements \
            or second.witness_needs:
        raise RuleBroken(f"{joined.reference} has tools and powers, an ASB Case Review or "
                         "witness statements of its own: join it the other way round")
    reports = tuple(_moved(r, into.reference) for r in second.reports)
    plans = {**action_plans(joined, second.reports), **into.complainant_plans}
    grown = bump(into, now, report_count=into.report_count + len(reports),
                 triaged_report_ids=[*into.triaged_report_ids, *joined.triaged_report_ids],
                 behaviours=[*into.behaviours, *(b for b in joined.behaviours
                                                 if b not in into.behaviours)],
                 hate_incident=into.hate_incident or joined.hate_incident,
                 matter_keys=[*into.matter_keys, *(k for k in joined.matter_keys
                                                   if k not in into.matter_keys)],
                 joined_from=[*into.joined_from, joined.reference],
                 complainant_plans={k: v for k, v in plans.items()
                                    if k != complainant_id(into, first.reports)})
    # The listing indexes carry targets, not the case: the year's figures see the join there.
    closed = bump(joined, now, status=CaseStatus.CLOSED, closed_at=now, joined_into=into.reference,
                  targets={**(joined.targets or {}), "joined_into": into.reference},
                  matter_keys=[], retain_until=retain_until(now, []))
    why = {"reason": body.reason}
    grew = CaseChange(grown, into.version, audit_entry(
        into, by, "CaseJoined", now, new_id, before={"report_count": into.report_count},
        after={"joined_from": joined.reference, "report_count": grown.report_count, **why}),
        events=[domain_event(into, "CasesJoined", now, new_id, {
            "joined_from": joined.reference, "report_ids": [r.report_id for r in reports]})],
        homes=homes_of_case(second.reports, second.parties.values()),
        # Its witnesses come with their parties: their contact schedules go on here.
        records=[next_contact(grown, p.party_id, contact_every(second, p.party_id), now)
                 for p in sorted(second.parties.values(), key=lambda p: p.party_id)
                 if keeps_schedule(p)])
    ended = CaseChange(closed, joined.version, audit_entry(
        joined, by, "CaseJoinedInto", now, new_id, before={"status": joined.status.value},
        after={"status": "closed", "joined_into": into.reference, **why}),
        tasks=[TaskChange(kind, None, TASK_TITLES.get(kind, kind), JOINED)
               for kind, state in second.tasks.items() if state.open],
        records=[*(r for p in sorted(second.parties) for r in schedule_ended(second, p, now,
                                                                             JOINED)),
                 *actions_ended_when_joined(second, into.reference, now)],
        events=[domain_event(joined, "CaseJoinedInto", now, new_id,
                             {"joined_into": into.reference})])
    return Regrouping(second, into.reference, (ended, grew), reports, all_parties=True,
                      matter_keys=tuple(joined.matter_keys))
