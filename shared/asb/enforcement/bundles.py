"""The court bundle (issue 22, item 4), as plain data: for a hearing of a tool or power, the
items the officer picked from the case become exhibits, numbered in date order under the
officer's initials (OH/1, OH/2, ...), each with what it is, its date and its source, and its
text with every third party named by their label (asb.enforcement.redaction). Drawn as one PDF
by asb.enforcement.bundle_pdf; made, kept and audited by asb.enforcement.bundle_service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asb.case.change import CaseFolder
from asb.case.enforcement import Breach, Hearing, WarningLetter
from asb.case.records import Contact, DiaryEntry, Evidence, Measure, WitnessStatement
from asb.case.targets import local_day, long_date
from asb.enforcement.redaction import CaseRedaction
from asb.kernel.errors import InvalidChange, UnknownRecord
from asb.kernel.validation import FieldError
from asb.policy.config import EVIDENCE_KINDS

ItemKind = Literal["diary_entry", "evidence", "contact", "warning", "interview", "agreement",
                   "breach", "witness_statement"]
WARNING_TOOLS = frozenset({"verbal_warning", "first_written_warning", "final_written_warning",
                           "written_warning"})
MOST_ITEMS = 100
# What fpdf2 (with pillow) can draw into the bundle; any other checked file (HEIC photos, sound,
# video) is listed in the schedule with its checked type and size.
DRAWN_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class BundleItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    kind: ItemKind = Field(description=(
        "diary_entry, evidence (a reporter's checked file), contact, warning (a warning's "
        "record, or one warning letter by its letter_id), interview or agreement (the tool's "
        "record), breach (of an agreement or an order, by its breach_id), witness_statement "
        "(a witness's, complainant's or victim's statement, by its record_id)"))
    id: _Id = Field(description="The record's id (a letter's letter_id, a breach's breach_id)")


class BundleIn(BaseModel):
    """The hearing the bundle is for, and the evidence in it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    hearing_id: _Id = Field(description="A hearing of this tool or power")
    items: Annotated[list[BundleItemIn], Field(min_length=1, max_length=MOST_ITEMS)]


@dataclass(frozen=True)
class CheckedFile:
    object_key: str
    content_type: str
    size: int | None

    @property
    def drawn(self) -> bool:
        return self.content_type in DRAWN_IMAGES


@dataclass(frozen=True)
class Exhibit:
    number: str  # "OH/1"
    kind: str
    item_id: str
    what: str
    on: date | None
    source: str
    lines: tuple[tuple[str, str], ...]  # (heading, text), the text redacted
    file: CheckedFile | None = None


@dataclass(frozen=True)
class CourtBundle:
    case_reference: str
    measure_id: str
    measure_name: str
    hearing: Hearing
    respondent: str
    made_by: str
    made_at: datetime
    exhibits: tuple[Exhibit, ...]

    def listed(self) -> list[dict[str, str]]:
        """The exhibits as the audit entry and the answer name them: no personal data."""
        return [{"exhibit": e.number, "kind": e.kind, "id": e.item_id} for e in self.exhibits]


def exhibit_prefix(username: str) -> str:
    """The initials of whoever produces the exhibits ("o.hughes" -> "OH"), as a witness
    statement numbers them."""
    initials = "".join(part[0] for part in re.split(r"[^A-Za-z]+", username) if part)
    return initials.upper() or "EX"


def size_words(size: int | None) -> str:
    if size is None:
        return "size not recorded"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# An exhibit before its number: (what, on, source, lines, file).
_Drawn = tuple[str, date | None, str, tuple[tuple[str, str], ...], CheckedFile | None]


class _Picker:
    """Finds each chosen item on the case and says what it is, its text redacted."""

    def __init__(self, folder: CaseFolder, redaction: CaseRedaction) -> None:
        self.folder = folder
        self.redact = redaction.redact
        self.by_report = redaction.by_report
        self.by_party = redaction.by_party

    def _reporter(self, report_id: str | None) -> str:
        label = self.by_report.get(report_id or "")
        return f"[{label}]" if label else "an anonymous reporter"

    def diary_entry(self, found: DiaryEntry) -> _Drawn:
        lines = [("What happened", self.redact(found.text))]
        if found.kind == "reporter_diary":
            who = self._reporter(found.report_id)
            when = ", ".join(p for p in (long_date(found.occurred_on) if found.occurred_on
                                         else "", found.occurred_at or "") if p)
            lines += [("When", when)] if when else []
            lines += [("How long", f"{found.lasted_minutes} minutes")] \
                if found.lasted_minutes else []
            lines += [("How it affected them", self.redact(found.effect))] if found.effect else []
            return (f"Diary kept by {who}", found.occurred_on or local_day(found.at),
                    f"{who}, through their tracking link", tuple(lines), None)
        what = "Further report taken by phone" if found.kind == "further_report" \
            else "Officer's diary entry"
        return what, _day_of(found.occurred_at) or local_day(found.at), found.by, tuple(lines), None

    def evidence(self, found: Evidence) -> _Drawn:
        who = self._reporter(found.report_id)
        kind = EVIDENCE_KINDS.get(found.kind, (f"a {found.kind}",))[0]
        checked = CheckedFile(str(found.object_key), str(found.content_type), found.size)
        lines = (("Checked as", f"{checked.content_type}, {size_words(found.size)}"),)
        return (f"{kind[0].upper()}{kind[1:]} sent by {who}",
                local_day(found.checked_at or found.at), f"{who}, through their tracking link",
                lines, checked)

    def contact(self, found: Contact) -> _Drawn:
        whom = "respondent" if found.with_whom == "perpetrator" else found.with_whom
        return (f"Contact by {found.channel} with the {whom}", local_day(found.at),
                found.by, (("Summary", self.redact(found.summary)),), None)

    def warning(self, found: Measure) -> _Drawn:
        lines = [("Why", self.redact(found.rationale)), ("Status", found.status)]
        for letter in found.letters:
            lines += self.letter(letter)
        return found.name, local_day(found.recorded_at), found.by, tuple(lines), None

    def letter(self, letter: WarningLetter) -> list[tuple[str, str]]:
        """The letter as issued, with the particulars it gave (its delivery is the delivery
        log's, which the case view shows)."""
        lines = [("Letter", f"{letter.kind.capitalize()} warning letter issued "
                            f"{long_date(letter.issued_on)} by {letter.channel}")]
        lines += [("What happened", self.redact(letter.what_happened))] \
            if letter.what_happened else []
        lines += [("On", ", ".join(long_date(day) for day in letter.happened_on))] \
            if letter.happened_on else []
        lines += [("What must stop", "; ".join(self.redact.all(letter.must_stop)))] \
            if letter.must_stop else []
        return lines

    def interview(self, found: Measure) -> _Drawn:
        assert found.interview is not None
        held = found.interview
        return ("Interview with the respondent", held.held_on, found.by, (
            ("Who attended", "; ".join(self.redact.all(held.attended))),
            ("Their account", self.redact(held.account)),
            ("Next steps agreed", self.redact(held.next_steps))), None)

    def agreement(self, found: Measure) -> _Drawn:
        assert found.agreement is not None
        made = found.agreement
        lines = [(f"Term {n}", self.redact(term)) for n, term in enumerate(made.terms, 1)]
        lines += [("Signed by", "; ".join(self.redact.all(made.signatories))),
                  ("Starts", long_date(made.starts_on))]
        lines += [("Next review", long_date(made.review_on))] if made.review_on else []
        lines += [(f"Reviewed {long_date(r.held_on)}", f"{r.outcome}: {self.redact(r.note)}")
                  for r in made.reviews]
        lines += [(f"Breach {long_date(b.on)}", self.redact(b.what)) for b in made.breaches]
        return "Acceptable Behaviour Agreement", made.starts_on, found.by, tuple(lines), None

    def witness_statement(self, found: WitnessStatement) -> _Drawn | str:
        """The statement under its witness's label, its words redacted (or its checked file),
        and whether its statement of truth is signed."""
        label = self.by_party.get(found.party_id)
        who = f"[{label}]" if label else "a witness"
        truth = (f"Signed on {long_date(found.signed_on)}" if found.signed and found.signed_on
                 else "Signed" if found.signed else "Not signed")
        lines = [("Made", long_date(found.made_on)), ("Statement of truth", truth)]
        file = None
        if found.evidence_id:
            kept = self.folder.evidence.get(found.evidence_id)
            if kept is None or kept.status != "checked" or not kept.object_key \
                    or not kept.content_type:
                return "This statement's file is no longer a checked file on this case"
            file = CheckedFile(kept.object_key, kept.content_type, kept.size)
            lines.append(("Statement", f"The file attached: {kept.content_type}, "
                                       f"{size_words(kept.size)}"))
        else:
            lines.append(("Statement", self.redact(found.text)))
        return (f"Witness statement of {who}", found.made_on, f"Taken by {found.taken_by}",
                tuple(lines), file)

    def breach(self, found: Breach, of: str) -> _Drawn:
        return (f"Breach of the {of}", found.on, found.by,
                (("What happened", self.redact(found.what)),), None)


def _day_of(text: str | None) -> date | None:
    try:
        return datetime.fromisoformat(text).date() if text else None
    except ValueError:
        return None


def _find(picker: _Picker, kind: str, item_id: str) -> _Drawn | str:
    """The item drawn, or why it cannot be in the bundle."""
    folder = picker.folder
    if kind == "diary_entry":
        entry = folder.diary_entries.get(item_id)
        return picker.diary_entry(entry) if entry else "No diary entry with this id on this case"
    if kind == "evidence":
        file = folder.evidence.get(item_id)
        if file is None:
            return "No file with this id on this case"
        if file.status != "checked" or not file.object_key or not file.content_type:
            return f"This file is not checked ({file.status}): only a checked file can be an exhibit"
        return picker.evidence(file)
    if kind == "contact":
        contact = folder.contacts.get(item_id)
        return picker.contact(contact) if contact else "No contact with this id on this case"
    if kind == "breach":
        return _breach(picker, item_id)
    if kind == "witness_statement":
        statement = folder.witness_statements.get(item_id)
        return picker.witness_statement(statement) if statement else \
            "No witness statement with this id on this case"
    measure = folder.measures.get(item_id)
    if kind == "warning":
        return _warning(picker, measure, item_id)
    if kind == "interview":
        return picker.interview(measure) if measure and measure.interview else \
            "No interview with this id on this case"
    return picker.agreement(measure) if measure and measure.agreement else \
        "No Acceptable Behaviour Agreement with this id on this case"


def _warning(picker: _Picker, measure: Measure | None, item_id: str) -> _Drawn | str:
    if measure is not None and measure.measure in WARNING_TOOLS:
        return picker.warning(measure)
    for tool in picker.folder.measures.values():
        for letter in tool.letters:
            if letter.letter_id == item_id:
                return (f"{letter.kind.capitalize()} warning letter", letter.issued_on,
                        letter.by or tool.by, tuple(picker.letter(letter)), None)
    return "No warning or warning letter with this id on this case"


def _breach(picker: _Picker, item_id: str) -> _Drawn | str:
    for tool in picker.folder.measures.values():
        for found in tool.breaches:
            if found.breach_id == item_id:
                return picker.breach(found, "order" if tool.order else tool.name)
        for found in tool.agreement.breaches if tool.agreement else []:
            if found.breach_id == item_id:
                return picker.breach(found, "Acceptable Behaviour Agreement")
    return "No breach with this id on this case"


def hearing_of(measure: Measure, hearing_id: str) -> Hearing:
    found = next((h for h in measure.hearings if h.hearing_id == hearing_id), None)
    if found is None:
        raise InvalidChange([FieldError("hearing_id", "No hearing with this id on this tool or "
                                                      "power: list the hearing first")])
    return found


def court_bundle(folder: CaseFolder, measure_id: str, body: BundleIn, redaction: CaseRedaction,
                 made_by: str, now: datetime) -> CourtBundle:
    """Every item the officer chose, or a 422 naming each one that cannot be in the bundle
    (not on the case, a file not checked, chosen twice); a 404 for a measure not on the case."""
    measure = folder.measures.get(measure_id)
    if measure is None:
        raise UnknownRecord(f"No tool or power {measure_id} on this case")
    hearing = hearing_of(measure, body.hearing_id)
    picker, errors = _Picker(folder, redaction), list[FieldError]()
    drawn: list[tuple[BundleItemIn, _Drawn]] = []
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(body.items):
        if (item.kind, item.id) in seen:
            errors.append(FieldError(f"items.{n}.id", "This item is in the bundle already"))
            continue
        seen.add((item.kind, item.id))
        found = _find(picker, item.kind, item.id)
        if isinstance(found, str):
            errors.append(FieldError(f"items.{n}.id", found))
        else:
            drawn.append((item, found))
    if errors:
        raise InvalidChange(errors)
    return CourtBundle(folder.case.reference, measure_id, measure.name, hearing,
                       redaction.respondent, made_by, now,
                       numbered(drawn, exhibit_prefix(made_by)))


def numbered(drawn: list[tuple[BundleItemIn, _Drawn]], prefix: str) -> tuple[Exhibit, ...]:
    """In date order (an undated item last), the officer's order where two share a day."""
    ordered = sorted(drawn, key=lambda pair: (pair[1][1] is None, pair[1][1] or date.min))
    return tuple(Exhibit(f"{prefix}/{n}", item.kind, item.id, what, on, source, lines, file)
                 for n, (item, (what, on, source, lines, file)) in enumerate(ordered, 1))

