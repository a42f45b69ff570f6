"""Making a court bundle (POST /cases/{reference}/measures/{measure_id}/bundles): who may (an
officer of the case's team or a manager; another team's case is not found), the bundle checked
and drawn, kept in the evidence bucket under bundles/ (30 days: the case's records, and the
audit entry naming each item, are what is kept), its making audited as a read of personal data
(AccessByActor) with the items, and a link to fetch it for five minutes.

Making one changes no record of the case, so it needs no If-Match; nothing is stored for bad
input (a 422 or 404 comes before the PDF is drawn)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from asb.case.loaded import CaseRecords
from asb.case.models import AuditEntry
from asb.case.parties import Person
from asb.enforcement.bundle_pdf import bundle_pdf
from asb.enforcement.bundles import BundleIn, CourtBundle, court_bundle
from asb.enforcement.redaction import redaction
from asb.kernel.clock import Clock
from asb.kernel.errors import CaseNotFound, UnknownRecord
from asb.kernel.staff import StaffMember

LINK_SECONDS = 300


class BundleCases(Protocol):
    """The case store's reads the bundle needs (asb.casework.store.DynamoDBCaseStore's)."""

    def report_reference(self, reference: str) -> tuple[str, str] | None: ...
    def load_visible(self, reference: str,
                     visible: Callable[[str | None], bool]) -> CaseRecords | None: ...
    def persons(self, person_ids: list[str]) -> dict[str, Person]: ...
    def record_view(self, entry: AuditEntry) -> None: ...


class BundleFiles(Protocol):
    """The evidence bucket: checked files read, the bundle kept and fetched."""

    def read(self, key: str) -> bytes: ...
    def keep(self, key: str, pdf: bytes) -> None: ...
    def fetch_url(self, key: str, seconds: int) -> str: ...


@dataclass(frozen=True)
class MadeBundle:
    bundle_id: str
    bundle: CourtBundle
    pages: int
    url: str

    def answer(self) -> dict[str, Any]:
        return {"bundle_id": self.bundle_id, "case_reference": self.bundle.case_reference,
                "measure_id": self.bundle.measure_id, "hearing_id": self.bundle.hearing.hearing_id,
                "pages": self.pages, "url": self.url, "url_expires_in_seconds": LINK_SECONDS,
                "exhibits": [{**listed, "what": e.what, "on": e.on.isoformat() if e.on else None,
                              "source": e.source}
                             for listed, e in zip(self.bundle.listed(), self.bundle.exhibits,
                                                  strict=True)]}


def bundle_key(reference: str, bundle_id: str) -> str:
    return f"bundles/{reference}/{bundle_id}.pdf"


class CourtBundles:
    def __init__(self, cases: BundleCases, files: BundleFiles, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._cases = cases
        self._files = files
        self._clock = clock
        self._new_id = new_id

    def _records(self, reference: str, staff: StaffMember) -> CaseRecords:
        # The case read's rule (asb.casework.service): the reference resolved, then the team
        # read alone; another team's case is refused where a missing one is.
        resolved = self._cases.report_reference(reference)
        records = self._cases.load_visible(resolved[0] if resolved else reference, staff.may_see)
        if records is None or not staff.may_see(records.folder.case.team):
            raise CaseNotFound(f"There is no case {reference} that you can see")
        return records

    def make(self, reference: str, measure_id: str, body: BundleIn, staff: StaffMember,
             route: str) -> MadeBundle:
        staff.require("officer", "manager")
        folder = self._records(reference, staff).folder
        measure = folder.measures.get(measure_id)
        if measure is None:
            raise UnknownRecord(f"No tool or power {measure_id} on this case")
        respondent = folder.parties.get(measure.party_id or "")
        persons = self._cases.persons(sorted({p.person_id for p in folder.parties.values()
                                              if p.person_id}))
        now = self._clock.now()
        bundle = court_bundle(folder, measure_id, body, redaction(folder, persons, respondent),
                              staff.username, now)
        drawn = bundle_pdf(bundle, self._files.read)
        bundle_id = self._new_id()
        key = bundle_key(bundle.case_reference, bundle_id)
        self._files.keep(key, drawn.pdf)
        # Audited before the link is given: no one has the bundle without its entry.
        self._cases.record_view(AuditEntry(
            entry_id=self._new_id(), case_reference=bundle.case_reference, at=now,
            actor=f"staff:{staff.username}", action="CourtBundleMade",
            after={"route": route, "bundle_id": bundle_id, "measure_id": measure_id,
                   "hearing_id": bundle.hearing.hearing_id, "pages": drawn.pages,
                   "items": bundle.listed()}))
        return MadeBundle(bundle_id, bundle, drawn.pages, self._files.fetch_url(key, LINK_SECONDS))
