"""The staff API's one entry into the domain: views, lists and changes of cases, with access
rules, optimistic locking and the audit of every read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from asb.case import good_neighbour
from asb.case.change import CaseChange, CaseFolder
from asb.case.loaded import CaseRecords, Page
from asb.case.matters import tenancy_matters
from asb.case.models import AuditEntry, Case
from asb.case.parties import Person
from asb.case.powers import powers_open
from asb.case.records import Evidence
from asb.case.targets import NO_ACTIVITY, NO_ACTIVITY_TITLE, local_day
from asb.case.tasks import LEGAL_APPROVAL, OVERDUE_KINDS, DueTask, date_of, is_overdue
from asb.casework.listing import listed_case
from asb.casework.views import case_view, timeline
from asb.dynamo.keys import unassigned_queue
from asb.kernel.clock import Clock
from asb.kernel.errors import CaseNotFound, VersionRequired, case_changed
from asb.kernel.staff import NotAllowed, StaffMember
from asb.policy.config import PATCHES, UNASSIGNED_TEAM
from asb.policy.reporting_year import reporting_year, year_of

if TYPE_CHECKING:
    from asb.case.homes import HomesRegister
    from asb.reporting.regulator import RegulatorFigures

# The audit entries a case's timeline shows, the newest; the rest are pages of its audit trail
# (GET /cases/{reference}/audit).
AUDIT_SHOWN = 200
TEAMS = sorted({team for _, team in PATCHES.values()} | {UNASSIGNED_TEAM})


class CaseStore(Protocol):
    def load(self, reference: str) -> CaseRecords | None: ...
    def load_visible(self, reference: str,
                     visible: Callable[[str | None], bool]) -> CaseRecords | None: ...
    def report_reference(self, reference: str) -> tuple[str, str] | None: ...
    def list_cases(self, lists: list[tuple[str, str]], limit: int, cursor: str | None) -> Page: ...
    def overdue(self, kinds: list[str], now: datetime, team: str | None,
                limit: int) -> list[DueTask]: ...
    def waiting(self, kinds: list[str]) -> list[dict[str, Any]]: ...
    def record_view(self, entry: AuditEntry) -> None: ...
    def audit_trail(self, reference: str, newest: int,
                    cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]: ...
    def persons(self, person_ids: list[str]) -> dict[str, Person]: ...
    def opened_between(self, teams: list[str], first: str,
                       last: str) -> list[dict[str, Any]]: ...
    def in_reporting_year(self, entity: str, year: int) -> list[dict[str, Any]]: ...
    def matters_held(self, matter_keys: list[str], besides: str) -> dict[str, str | None]: ...
    def monitoring_rows(self, year: int) -> list[dict[str, Any]]: ...
    def apply(self, change: CaseChange) -> None: ...


def overdue_work(task: DueTask, now: datetime) -> dict[str, Any]:
    """Overdue work as the staff lists answer it (web.case_responses.DueWork): `overdue` is
    False for an enforcement date still to come, whose work is due now (a hearing tomorrow)."""
    # The quiet case's own item carries no title: it is the case, not a task.
    title = (task.title or NO_ACTIVITY_TITLE) if task.item_kind == NO_ACTIVITY else task.title
    return {"case_reference": task.case_reference, "kind": task.item_kind, "title": title,
            "due_at": task.due_at.isoformat(), "due_on": date_of(task).isoformat(),
            "officer": task.officer, "team": task.team, "overdue": is_overdue(task, now)}


def _listed(page: Page) -> Page:
    """Each listed case with its behaviours and place, to triage by."""
    return Page([listed_case(i) for i in page.items], page.cursor)


class CaseService:
    def __init__(self, store: CaseStore, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id

    def _records(self, reference: str, staff: StaffMember) -> CaseRecords:
        # Another team's case is "not found", so that references cannot be probed; and it is
        # refused at the same point as a missing one, after the same two reads - the reference
        # resolved (a reporter quotes their own; a report that joined a case has its own), then
        # the case's team, read alone, before any other read or audit entry - so that the time
        # taken cannot tell them apart either. A case's own reference resolves to itself.
        resolved = self._store.report_reference(reference)
        records = self._store.load_visible(resolved[0] if resolved else reference, staff.may_see)
        if records is None or not staff.may_see(records.folder.case.team):
            raise CaseNotFound(f"There is no case {reference} that you can see")
        return records

    def view(self, reference: str, staff: StaffMember, route: str,
             register: HomesRegister | None = None) -> dict[str, Any]:
        """`register`: the homes register, which says whether possession and demotion are
        open (read only when an alleged perpetrator is tied to a tenancy)."""
        records = self._records(reference, staff)
        now = self._clock.now()
        # The case was read without its audit trail, which grows with every view: the newest
        # entries are read apart, before this view's own is written.
        audit, older = self._store.audit_trail(records.folder.case.reference, AUDIT_SHOWN)
        self._store.record_view(AuditEntry(
            entry_id=self._new_id(), case_reference=records.folder.case.reference, at=now,
            actor=f"staff:{staff.username}", action="CaseViewed", after={"route": route}))
        # The parties' persons are part of the case read, and audited with it.
        persons = self.persons(records.folder)
        powers = powers_open(records.folder, register, local_day(now))
        return case_view(records.folder, [*audit, *records.items], persons, powers, now=now,
                         older_audit=older)

    def audit_trail(self, reference: str, staff: StaffMember, route: str, limit: int,
                    cursor: str | None) -> dict[str, Any]:
        """A page of the case's audit trail, newest first, from where the cursor says (the
        view's `older_audit`, or the last page's); reading it is itself audited."""
        records = self._records(reference, staff)
        case = records.folder.case
        entries, following = self._store.audit_trail(case.reference, limit, cursor)
        self._store.record_view(AuditEntry(
            entry_id=self._new_id(), case_reference=case.reference, at=self._clock.now(),
            actor=f"staff:{staff.username}", action="CaseViewed", after={"route": route}))
        return {"reference": case.reference, "cursor": following,
                "entries": timeline(records.folder, entries)[::-1]}

    def evidence(self, reference: str, evidence_id: str, staff: StaffMember) -> Evidence:
        """A reporter's checked file, for an officer to open; each opening is audited."""
        records = self._records(reference, staff)
        found = records.folder.evidence.get(evidence_id)
        # Checked, the file is kept; retention erases it with the case's personal data.
        if found is None or found.status != "checked" or found.object_key is None:
            raise CaseNotFound("There is no checked file with that id on this case")
        self._store.record_view(AuditEntry(
            entry_id=self._new_id(), case_reference=records.folder.case.reference,
            at=self._clock.now(),
            actor=f"staff:{staff.username}", action="EvidenceOpened",
            after={"evidence_id": evidence_id}))
        return found

    def list_cases(self, staff: StaffMember, view: str, status: str | None, category: str | None,
             emergency: bool, team: str | None, limit: int, cursor: str | None,
             unassigned: bool = False) -> Page:
        if view == "mine":
            return _listed(self._store.list_cases([("mine", staff.username)], limit, cursor))
        teams = self._teams(staff, team)
        if unassigned:  # the assignment queue: open cases no officer has
            lists = [("unassigned", unassigned_queue(t)) for t in teams]
        elif status:
            lists = [("status", f"{t}#{status}") for t in teams]
        elif category:
            lists = [("category", f"{t}#{category}") for t in teams]
        elif emergency:
            lists = [("emergency", t) for t in teams]
        else:
            lists = [("team", t) for t in teams]
        return _listed(self._store.list_cases(lists, limit, cursor))

    def overdue(self, staff: StaffMember, team: str | None, limit: int) -> list[dict[str, Any]]:
        teams = self._teams(staff, team)
        only = teams[0] if len(teams) == 1 else None
        now = self._clock.now()
        return [overdue_work(task, now)
                for task in self._store.overdue(OVERDUE_KINDS, now, only, limit)]

    def legal_approvals(self, staff: StaffMember) -> list[dict[str, Any]]:
        """Legal action waiting for a manager's approval, oldest due first."""
        staff.require("manager")
        shown = ("case_reference", "record_id", "measure", "name", "subject", "rationale",
                 "equality_impact", "by", "recorded_at", "due_at", "team", "officer")
        return [{k: i.get(k) for k in shown}
                for i in self._store.waiting([LEGAL_APPROVAL, f"{LEGAL_APPROVAL}:escalated"])
                if staff.may_see(i.get("team"))]

    @staticmethod
    def _teams(staff: StaffMember, team: str | None) -> list[str]:
        if staff.sees_every_team:
            return [team] if team else TEAMS
        if team and team != staff.team:
            raise NotAllowed("Officers see their own team's cases")
        return [staff.team or UNASSIGNED_TEAM]

    def persons(self, folder: CaseFolder) -> dict[str, Person]:
        """The persons of a case's parties, for a change that needs them (a partner's package
        takes each of them out of free text)."""
        return self._store.persons([p.person_id for p in folder.parties.values()
                                    if p.person_id])

    def change_claiming_matters(
            self, reference: str, staff: StaffMember, if_match: str | None,
            action: Callable[[CaseFolder, dict[str, str | None]], CaseChange]) -> Case:
        """A change that claims the matters of the case's reports (a good-neighbour request
        moved to ASB): `action` is given each report's alleged perpetrator's tenancy with the
        other open case that holds it (None: free), read inside the access check."""
        return self.change(reference, staff, if_match, lambda folder: action(
            folder, self._store.matters_held(tenancy_matters(folder.reports), reference)))

    def change(self, reference: str, staff: StaffMember, if_match: str | None,
               action: Callable[[CaseFolder], CaseChange],
               roles: tuple[str, ...] = ("officer", "manager")) -> Case:
        staff.require(*roles)
        records = self._records(reference, staff)
        case = records.folder.case
        if if_match is None:
            raise VersionRequired("Send If-Match with the version of the case you read")
        if if_match.strip('"W/ ') != str(case.version):
            raise case_changed(case.version)
        change = action(records.folder)
        self._store.apply(change)
        return change.case

    def regulator_figures(self, staff: StaffMember, starting: int | None,
                          register: HomesRegister, homes_parameter: int) -> RegulatorFigures:
        staff.require("manager")
        year = starting if starting is not None else year_of(self._clock.now().date())
        return self.year_figures(year, register, homes_parameter)

    def year_figures(self, year: int, register: HomesRegister,
                     homes_parameter: int) -> RegulatorFigures:
        """The year's figures, from the listing and reporting-year indexes only; the homes owned
        from the register (its pointer: one GetItem), the parameter while it is empty."""
        # The year's reporting is imported by the routes that answer it, not by every function
        # that serves a case (the staff writes, partners, data protection): cold start.
        from asb.reporting.regulator import figures, homes_owned
        from asb.reporting.tenant_survey import ENTITY as TENANT_SURVEY

        homes = homes_owned(register.homes_owned(), homes_parameter)

        first, last = reporting_year(year)
        after = (last + timedelta(days=1)).isoformat()
        cases = self._store.opened_between(TEAMS, first.isoformat(), after)
        tenant_survey = self._store.in_reporting_year(TENANT_SURVEY, year)
        return figures(cases, homes, year, self._store.in_reporting_year("Survey", year),
                       self._store.in_reporting_year("CaseReview", year),
                       tenant_survey[0] if tenant_survey else None,
                       self._store.in_reporting_year("Measure", year),
                       moved_to_asb=self._store.in_reporting_year(good_neighbour.ASB_OPENED, year))

    def equality_monitoring(self, staff: StaffMember, starting: int | None) -> dict[str, Any]:
        """The year's monitoring answers, only in groups of 5 or more."""
        from asb.reporting.equality import aggregate

        staff.require("manager", "dpo")
        year = starting if starting is not None else year_of(self._clock.now().date())
        return {"year": f"{year}/{str(year + 1)[-2:]}",
                **aggregate(self._store.monitoring_rows(year))}

    def case_reviews(self, staff: StaffMember, starting: int | None,
                     lead_body: bool) -> dict[str, Any]:
        """The year's ASB Case Review applications, each with where it stands, and the
        statistics: the published ones as the lead body, what reached us and what we did as a
        participant."""
        from asb.case_review.process import statistics

        staff.require("manager")
        year = starting if starting is not None else year_of(self._clock.now().date())
        reviews = sorted(self._store.in_reporting_year("CaseReview", year),
                         key=lambda r: (r["received_on"], r["case_reference"]))
        shown = ("case_reference", "review_id", "status", "received_on", "applicant",
                 "threshold", "meeting", "recommendations", "appeal", "outcome", "run_by",
                 "referral_id")
        return {"year": f"{year}/{str(year + 1)[-2:]}",
                "statistics": statistics(reviews, lead_body),
                "reviews": [{k: r[k] for k in shown if k in r} for r in reviews]}

    @property
    def clock(self) -> Clock:
        return self._clock
