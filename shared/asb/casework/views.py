"""What staff see of a case: its summary, the people involved, its timeline, and the ladder of
interventions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from asb.case import safeguarding
from asb.case.change import CaseFolder
from asb.case.complainants import action_plans
from asb.case.escalation import ladder
from asb.case.meetings import late
from asb.case.models import Case, Report
from asb.case.parties import Person
from asb.case.records import Measure, StoredRecord
from asb.case.targets import local_day
from asb.case.warning_letters import with_delivery
from asb.case.witnesses import witnesses
from asb.notifications.plan import reporter_channels
from asb.policy.config import MEETING_KINDS

_SUMMARY = ("reference", "status", "category", "category_reasons", "emergency",
            "emergency_reasons", "risk", "officer", "team", "targets", "version", "opened_at",
            "updated_at", "anonymous", "behaviours", "hate_incident", "hate_finding", "pathway",
            "report_count",
            "reported_before",
            "linked_to", "split_from", "joined_into", "joined_from",
            "action_plan", "first_contact_at", "first_contact_on_time", "closed_at",
            "outcome", "closure_reasons", "case_review_threshold_met_at", "location_address",
            "postcode", "retain_until", "legal_hold", "anonymised_at", "address_to_check",
            "asb_opened_at", "asb_request", "good_neighbour_decision", "policy_version")

# What each kind of stored item shows on the timeline.
_TIMELINE = {
    "Report": ("received_at", "report"),
    "DiaryEntry": ("at", "diary"),
    "Contact": ("at", "contact"),
    "ActionPlan": ("at", "action_plan"),
    "Measure": ("recorded_at", "tool_or_power"),
    "Referral": ("at", "referral"),
    "CaseReview": ("at", "case_review"),
    "Survey": ("at", "survey"),
    "Task": ("created_at", "task"),
    "Notification": ("at", "notification"),
    "Disclosure": ("requested_at", "disclosure"),
    "Evidence": ("at", "evidence"),
    "DisclosureLog": ("at", "disclosure_log"),
    "AuditEntry": ("at", "audit"),
}
_HIDDEN = {"pk", "sk", "entity", "expires_at", "list_team", "list_officer", "team_status",
           "team_category", "team_emergency", "due_kind", "reporter_key", "location_key", "year_list",
           "tracking_hash", "incoming_key", "object_key"}


def summary(case: Case) -> dict[str, Any]:
    shown = case.model_dump(mode="json")
    return {name: shown.get(name) for name in _SUMMARY}


def people(reports: list[Report]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for report in reports:
        submission = report.submission
        if submission.reporter:
            found.append({"role": "reporter", "report_id": report.report_id,
                          "reference": report.public_reference,
                          **submission.reporter.model_dump(mode="json", exclude_none=True)})
        perpetrator = submission.perpetrator
        if perpetrator.known or perpetrator.name or perpetrator.address:
            found.append({"role": "alleged perpetrator", "report_id": report.report_id,
                          **perpetrator.model_dump(mode="json", exclude_none=True),
                          **({"tenancy": report.perpetrator_tenancy}
                             if report.perpetrator_tenancy else {})})
    return found


def _records(folder: CaseFolder) -> dict[tuple[str, str], StoredRecord]:
    """The case's typed records the timeline shows, by entity and record id."""
    kept: dict[str, Mapping[str, StoredRecord]] = {
        "DiaryEntry": folder.diary_entries, "Contact": folder.contacts,
        "Referral": folder.referrals, "ActionPlan": folder.plan_versions}
    return {(entity, record_id): record for entity, records in kept.items()
            for record_id, record in records.items()}


def _detail(reference: str, item: dict[str, Any], record: StoredRecord | None) -> dict[str, Any]:
    """The record as kept, less its keys: a typed record from its model (its attributes, and
    the case's reference, which the store writes on every record), else the item itself."""
    kept = item if record is None else {"case_reference": reference, **record.as_stored()}
    return {k: v for k, v in kept.items() if k not in _HIDDEN}


def timeline(folder: CaseFolder, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every record of the case in its items' order, oldest first."""
    records = _records(folder)
    deliveries = {str(i.get("notification_id")): i for i in items
                  if i.get("entity") == "Notification"}
    entries = []
    for item in items:
        shown = _TIMELINE.get(item.get("entity", ""))
        if shown is None:
            continue
        at_field, kind = shown
        detail = _detail(folder.case.reference, item,
                         records.get((item["entity"], str(item.get("record_id")))))
        if item["entity"] == "Measure":  # each warning letter's delivery, from its log
            detail = with_delivery(detail, deliveries)
        entries.append({"at": item.get(at_field) or item.get("at"), "kind": kind,
                        "detail": detail})
    return sorted(entries, key=lambda e: str(e["at"]))


def cannot_be_reached(case: Case, reports: list[Report]) -> list[dict[str, str]]:
    """The reports whose reporter nothing we send can reach (anonymous, or no safe contact
    details), by the notifier's own channel choice: nobody should wait for their reply; they
    can follow the report only through its link, or by phoning."""
    if case.anonymised_at:
        return []  # retention erased them all: nobody is waiting to hear
    return [{"report_id": r.report_id, "reference": r.public_reference,
             "why": "anonymous" if r.submission.anonymous else "no safe way to contact them"}
            for r in sorted(reports, key=lambda r: r.received_at)
            if r.submission.anonymous or not reporter_channels(r.submission.reporter,
                                                               case.behaviours, case.pathway)]


def parties(folder: CaseFolder, persons: Mapping[str, Person]) -> list[dict[str, Any]]:
    """The case's parties, unlinked ones too, in the order they were added, each with their
    person's details (none for an anonymous complainant)."""
    shown = []
    for party in sorted(folder.parties.values(), key=lambda p: (p.added_at, p.party_id)):
        person = persons.get(party.person_id) if party.person_id else None
        shown.append({**party.model_dump(mode="json", exclude_none=True),
                      **({"person": person.model_dump(mode="json", exclude_none=True,
                                                      exclude={"version", "created_at"})}
                         if person else {})})
    return shown


def case_view(folder: CaseFolder, items: list[dict[str, Any]],
              persons: Mapping[str, Person] | None = None,
              powers: list[str] | None = None, now: datetime | None = None,
              older_audit: str | None = None) -> dict[str, Any]:
    """`powers`: the tools the landlord may record on the case now (asb.case.powers); `now`:
    the time a witness's next contact is late by (none: the case's last change);
    `older_audit`: the cursor of the audit trail's entries older than `items` hold, if any."""
    case, reports = folder.case, folder.reports
    entries = timeline(folder, items)
    return {"case": {**summary(case), "action_plans": list(action_plans(case, reports).values()),
                     "reporters_cannot_be_reached": cannot_be_reached(case, reports),
                     "powers_open": powers or []},
            "people": people(reports), "parties": parties(folder, persons or {}),
            "timeline": entries, "older_audit": older_audit,
            "ladder": case_ladder(folder, entries, persons or {}),
            "witnesses": witnesses(folder, now or case.updated_at),
            **safeguarding_view(folder),
            "meetings": meetings_view(folder, local_day(now or case.updated_at))}


def meetings_view(folder: CaseFolder, today: date) -> list[dict[str, Any]]:
    """The case's multi-agency meetings, newest first; each action with whether it is late."""
    shown = []
    for meeting in sorted(folder.meetings.values(), key=lambda m: (m.held_on, m.at),
                          reverse=True):
        kept = meeting.model_dump(mode="json", exclude_none=True, exclude={"record_id"})
        kept["kind_name"] = MEETING_KINDS.get(meeting.kind, meeting.kind)
        kept["actions"] = [{**a.model_dump(mode="json", exclude_none=True,
                                           exclude={"chase_text"}), "late": late(a, today)}
                           for a in meeting.actions]
        shown.append(kept)
    return shown


def safeguarding_view(folder: CaseFolder) -> dict[str, Any]:
    """The safeguarding prompt (only while it stands), the case's safeguarding referrals, and
    the alleged perpetrators whose own vulnerability nobody has screened."""
    shown = safeguarding.prompt(folder)
    return {**({"safeguarding_prompt": shown} if shown else {}),
            "safeguarding_referrals": safeguarding.referrals(folder),
            "perpetrators_not_screened": safeguarding.perpetrators_not_screened(folder)}


def case_ladder(folder: CaseFolder, entries: list[dict[str, Any]],
                persons: Mapping[str, Person]) -> list[dict[str, Any]]:
    """The case's tools and powers (those its folder holds) as the timeline shows them, each
    warning letter's delivery joined from its log: the ladder of interventions, each rung
    against its party's person."""
    named = {p.party_id: persons.get(p.person_id or "") for p in folder.parties.values()}
    names = {party_id: person.name for party_id, person in named.items()
             if person is not None and person.name}
    measures = [Measure.model_validate(e["detail"]) for e in entries
                if e["kind"] == "tool_or_power" and e["detail"].get("record_id") in folder.measures]
    return [r.model_dump(mode="json") for r in ladder(folder.case.reference, measures, names)]
