"""Retention: when a closed case's personal data is erased, and what is kept for statistics -
as an erase plan, a pure function of the case's stored records, the policy and the time, which
the store only carries out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from asb.case.home_cases import CASE_HOME, CASE_HOME_PREFIX
from asb.case.models import AuditEntry, Case, Report
from asb.case.parties import Party
from asb.case.people import people_of
from asb.case.risk import REPEAT_VICTIM
from asb.case.targets import local_day
from asb.policy.config import RETENTION_YEARS

ERASED = "[erased under the retention policy]"
RETENTION = "RETENTION"
# An order with no end date (or one past what a calendar holds, like 9999-12-31) keeps the case
# until this, plus the retention years: until someone records a real end.
OPEN_ENDED = date(9000 - RETENTION_YEARS, 12, 31)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(closed_at: datetime, measures: Iterable[dict[str, Any]]) -> date:
    """Six years from closure (its day in England), or six years from the end of the last legal
    order it led to (an order in force without an end date: kept until it has one)."""
    latest = local_day(closed_at)
    for measure in measures:
        ends = measure.get("expires_on")
        if measure.get("legal") and measure.get("status") in ("granted", "breached"):
            latest = max(latest, min(date.fromisoformat(ends), OPEN_ENDED) if ends else OPEN_ENDED)
        elif measure.get("legal") and measure.get("status") == "expired" and ends:
            latest = max(latest, date.fromisoformat(ends))  # an order that ended: from its end
    return years_after(latest, RETENTION_YEARS)


def anonymised_submission(submission: dict[str, Any]) -> dict[str, Any]:
    """What a report keeps once its case is past retention: the facts NM01 counts
    (behaviours, when it started, whether it was a hate incident), and nothing about anyone."""
    incident = submission.get("incident") or {}
    kept: dict[str, Any] = {"behaviours": incident.get("behaviours") or ["other"],
                            "description": ERASED}
    if incident.get("first_occurred"):
        kept["first_occurred"] = incident["first_occurred"]
    strands = (submission.get("harm") or {}).get("targeted_for_identity") or []
    return {"anonymous": True, "location": {"address": ERASED}, "incident": kept,
            "harm": {"targeted_for_identity": strands}, "consent_to_share": False}


# Free-text fields of case-work records that can hold personal data.
ERASABLE_FIELDS = {
    "DiaryEntry": ("text", "effect"),
    "Contact": ("summary",),
    "Referral": ("notes",),
    "Measure": ("rationale", "equality_impact"),
    "CaseReview": ("summary", "meeting", "recommendations", "outcome", "appeal", "threshold"),
    "Survey": ("comments",),
    # A power request's evidence summary may name the reporter; a decision's reasons anyone.
    "Disclosure": ("package", "purpose", "necessity", "signed_off_by", "evidence_summary",
                   "reason", "without_consent_reason"),
    "DisclosureLog": ("purpose", "necessity", "requesting_officer", "received_by", "reason"),
    # A witness's statement and the notes on their needs (the needs themselves are the policy's
    # codes, left with a party that no longer has a person). A statement given as a file goes
    # with the case's other files.
    "WitnessStatement": ("text",),
    "WitnessNeeds": ("notes",),
    # A multi-agency meeting's minutes (issue 23); its attendees and actions are parts, below.
    "Meeting": ("minutes",),
}
# Free text inside a record's parts (each a dict, or a list of them): the named fields are erased
# in place, so that the record still reads as its model. A warning letter keeps its kind, days
# and delivery; the officer's particulars go.
# A field "a.b" is field b of each dict in part field a (an agreement's breaches). A date of birth
# is erased to nothing, so that the part still reads as its model.
ERASABLE_PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Measure": {"letters": ("what_happened", "must_stop"),
                "interview": ("attended", "account", "next_steps"),
                "agreement": ("terms", "signatories", "reviews.note", "breaches.what"),
                "breaches": ("what",), "hearings": ("note",), "order": ("terms",),
                "application": ("respondent_born_on",),
                # A status change copies its step's note (a hearing's, a review's, an order's
                # end, a withdrawal) into the measure's history.
                "history": ("note",)},
    # A safeguarding referral's outcome: who at the partner decided, and what they said.
    "Disclosure": {"outcome": ("summary", "decided_by")},
    # A meeting keeps its kind, day, agencies, owners, due dates and statuses (what was agreed
    # and whether it was done); who came by name and every action's words go.
    "Meeting": {"attendees": ("name", "role"), "actions": ("description", "note", "chase_text")},
}
_ERASED_TO_NOTHING = frozenset({"respondent_born_on"})
ENDED_AT_ANONYMISATION = "case anonymised"


@dataclass(frozen=True)
class RetentionPolicy:
    """What anonymising erases: the free-text fields of each kind of case-work record."""

    erasable_fields: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(ERASABLE_FIELDS))
    erasable_parts: Mapping[str, Mapping[str, tuple[str, ...]]] = field(
        default_factory=lambda: dict(ERASABLE_PARTS))


POLICY = RetentionPolicy()
CASE_KEEPS = "behaviours, category, dates, outcome, hate flag"


@dataclass(frozen=True)
class StoredReport:
    sort_key: str
    report: Report  # opened: its sealed fields as the reporter gave them


@dataclass(frozen=True)
class StoredRecord:
    """Any other item of the case's partition, as far as retention looks at it."""

    sort_key: str
    entity: str
    filled: frozenset[str]  # the attributes that hold something
    object_key: str | None = None  # an evidence record's file
    parts: Mapping[str, Any] = field(default_factory=dict)  # its ERASABLE_PARTS, as stored


@dataclass(frozen=True)
class StoredCase:
    case: Case
    reports: tuple[StoredReport, ...]
    records: tuple[StoredRecord, ...]
    parties: tuple[Party, ...] = ()


@dataclass(frozen=True)
class Erasure:
    """Attributes of an item overwritten and removed, in place."""

    overwrite: Mapping[str, Any] = field(default_factory=dict)
    remove: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ItemErasure(Erasure):
    sort_key: str  # the item's, in the case's partition


@dataclass(frozen=True)
class PersonLookup:
    key: str
    case_reference: str
    report_id: str
    role: str


@dataclass(frozen=True)
class PartyOfPerson:
    """A party of the case and its person: the person's lookup of it goes, and the person's
    own record with it once no case they are a party of is kept (the store asks their own
    partition: none of their party lookups left)."""

    person_id: str
    party_id: str
    tenancy: str | None  # the tenancy the party was tied to: its match key no longer names them


@dataclass(frozen=True)
class ErasePlan:
    """Everything anonymising one case does. Carried out in this order, each step idempotent,
    so that a run cut short and run again erases the rest: what would be lost track of goes
    first (the lookups of a report still named, the files an evidence record still points
    at), then the items in place, then the case itself with the audit entry, in one
    transaction that takes it off the RETENTION index."""

    case_reference: str
    person_lookups: tuple[PersonLookup, ...]  # deleted
    files: tuple[str, ...]  # the reporters' files, deleted from the evidence bucket
    items: tuple[ItemErasure, ...]
    report_links: tuple[str, ...]  # reporters' references whose tracking links stop
    matter_keys: tuple[str, ...]  # deleted, unless a newer case holds one now
    case: Erasure
    audit: AuditEntry
    # Before the items: once a party is erased in place, its person is no longer known.
    party_persons: tuple[PartyOfPerson, ...] = ()
    # The homes the case is at (UPRNs): both items of each (the home's lookup, the case's) go.
    homes: tuple[str, ...] = ()


def erase_plan(stored: StoredCase, as_of: datetime, audit_id: str,
               policy: RetentionPolicy = POLICY) -> ErasePlan:
    """What anonymising a case past retention erases, and what it keeps for the figures."""
    case = stored.case
    reports = [r.report for r in stored.reports]
    evidence = [r for r in stored.records if r.entity == "Evidence"]
    return ErasePlan(
        case_reference=case.reference,
        person_lookups=tuple(lookup for r in reports for lookup in _lookups(r)),
        files=tuple(r.object_key for r in evidence if r.object_key),
        items=(*(_report_erasure(r) for r in stored.reports),
               *(ItemErasure(sort_key=r.sort_key, remove=("object_key",)) for r in evidence),
               *_free_text_erasures(stored.records, policy),
               *_dates_ended(stored.records, as_of),
               *(_party_erasure(p) for p in stored.parties)),
        report_links=tuple(dict.fromkeys(r.public_reference for r in reports)),
        matter_keys=tuple(case.matter_keys),
        case=_case_erasure(case, as_of),
        audit=AuditEntry(entry_id=audit_id, case_reference=case.reference, at=as_of,
                         actor="system:retention", action="CaseAnonymised",
                         after={"retain_until": case.retain_until.isoformat()
                                if case.retain_until else None, "kept": CASE_KEEPS}),
        party_persons=tuple(PartyOfPerson(p.person_id, p.party_id,
                                          p.tenancy.reference if p.tenancy else None)
                            for p in stored.parties if p.person_id),
        homes=tuple(r.sort_key.removeprefix(CASE_HOME_PREFIX)
                    for r in stored.records if r.entity == CASE_HOME))


def _dates_ended(records: Iterable[StoredRecord], as_of: datetime) -> list[ItemErasure]:
    """Dates a closed case keeps open (an order's review, an ASB Case Review's recommendation
    made to us) end when it is anonymised: nobody can act on them any more, and they would stay
    on the DueWork index for ever. Each keeps its kind and day, done, saying why."""
    return [ItemErasure(sort_key=r.sort_key, overwrite={
        "status": "done", "outcome": ENDED_AT_ANONYMISATION, "done_at": as_of.isoformat()},
        remove=("due_kind", "due_at"))
        for r in records if r.entity == "Deadline" and "due_kind" in r.filled]


def _party_erasure(party: Party) -> ItemErasure:
    """A party keeps its roles, status and dates (who was in the case, as a role); it loses its
    person, tenancy, proposed matches, vulnerability screening and why it was unlinked."""
    overwrite: dict[str, Any] = {}
    if party.unlinked:
        overwrite["unlinked"] = {**party.unlinked.model_dump(mode="json"), "reason": ERASED}
    return ItemErasure(sort_key=f"PARTY#{party.party_id}", overwrite=overwrite,
                       remove=("person_id", "tenancy", "proposed_matches", "vulnerability"))


def _lookups(report: Report) -> list[PersonLookup]:
    """The subject access lookups of a report go with its personal data (none are left once
    it is anonymised)."""
    if report.submission.incident.description == ERASED:
        return []
    return [PersonLookup(p.key, report.case_reference, report.report_id, p.role)
            for p in people_of(report.submission)]


def _report_erasure(stored: StoredReport) -> ItemErasure:
    submission = stored.report.submission.model_dump(mode="json", exclude_none=True)
    return ItemErasure(sort_key=stored.sort_key,
                       overwrite={"submission": anonymised_submission(submission)},
                       remove=("reporter_key", "location_key", "tracking_hash",
                               "perpetrator_home", "perpetrator_tenancy"))


def _free_text_erasures(records: Iterable[StoredRecord],
                        policy: RetentionPolicy) -> list[ItemErasure]:
    erasures = []
    for record in records:
        present = [f for f in policy.erasable_fields.get(record.entity, ()) if f in record.filled]
        overwrite: dict[str, Any] = dict.fromkeys(present, ERASED)
        for part, fields in policy.erasable_parts.get(record.entity, {}).items():
            if record.parts.get(part):
                overwrite[part] = _erased_part(record.parts[part], fields)
        if overwrite:
            erasures.append(ItemErasure(sort_key=record.sort_key, overwrite=overwrite))
    return erasures


def _erased_part(value: Any, fields: tuple[str, ...]) -> Any:
    """A part with each named field that holds something erased: text as ERASED, a list of
    text as [ERASED]."""
    if isinstance(value, list):
        return [_erased_part(v, fields) for v in value]
    if not isinstance(value, dict):
        return value
    erased: dict[str, Any] = {}
    for k, v in value.items():
        inner = tuple(f.split(".", 1)[1] for f in fields if f.startswith(f"{k}."))
        if k in fields and v:
            v = None if k in _ERASED_TO_NOTHING else [ERASED] if isinstance(v, list) else ERASED
        elif inner and v:
            v = _erased_part(v, inner)
        erased[k] = v
    return erased


def _case_erasure(case: Case, as_of: datetime) -> Erasure:
    """The case keeps category, outcome, dates and its postcode district; it leaves the
    RETENTION index."""
    overwrite: dict[str, Any] = {"location_address": ERASED, "closure_reasons": ERASED,
                                 "anonymised_at": as_of.isoformat(), "matter_keys": []}
    district = (case.postcode or "").split(" ")[0]
    if district:
        overwrite["postcode"] = district
    # A good-neighbour request's words: the reporter's request and the officer's reasons.
    for words in ("asb_request", "good_neighbour_decision"):
        if getattr(case, words):
            overwrite[words] = {**getattr(case, words), "reason": ERASED}
    if not case.reported_before:
        return Erasure(overwrite, ("due_kind", "due_at", "kind"))
    # A repeat victim's other cases tie the complainant to them: the risk keeps its level only.
    reasons = [r for r in (case.risk or {}).get("reasons", []) if r.get("question") != REPEAT_VICTIM]
    overwrite["risk"] = {**(case.risk or {}), "reasons": reasons}
    return Erasure(overwrite, ("due_kind", "due_at", "kind", "reported_before"))
