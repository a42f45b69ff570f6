"""Warning letters as plain functions: the letter each warning sends, in plain English with the
officer's particulars; a final warning only after an earlier one to the same person; a channel
only with the person's details for it; never a reporter's name or contact in the letter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from asb.case.change import CaseChange, CaseFolder
from asb.case.enforcement import WarningLetter
from asb.case.parties import PartyStatus, Person, Role
from asb.case.records import Measure
from asb.case.warning_letters import delivery, letter_notification_id, with_delivery
from asb.enforcement.letters import issue_warning_letter
from asb.enforcement.measures import record_measure, update_measure
from asb.enforcement.models import MeasureIn, MeasureStatusIn, WarningLetterIn
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.notifications.render import render
from asb.notifications.warnings import WarningLetterTo, warning_letter_message
from tests.unit.test_enforcement_steps import NOW, OFFICER, applied, ids
from tests.unit.test_notifications import reading_age, report
from tests.unit.test_parties import COMPLAINANT, a_party, a_person, folder

SAM = a_person("person-sam", name="Sam Taylor", email="sam.taylor@example.org",
               address="14 Orchard Close, Yeovil, BA20 1AB")
AGAINST_SAM = a_party("p-2", SAM.person_id, Role.ALLEGED_PERPETRATOR,
                      status=PartyStatus.CONFIRMED)
RATIONALE = "Loud music late at night after two visits and advice."
PARTICULARS: dict[str, Any] = {
    "what_happened": "Loud music was played from your flat late at night, past midnight.",
    "happened_on": ["2026-11-20", "2026-11-27"],
    "must_stop": ["Loud music after 11pm", "Shouting in the shared hallway"]}


def people(*known: Person) -> Any:
    by_id = {p.person_id: p for p in known}
    return by_id.get


def with_reporter(start: CaseFolder) -> CaseFolder:
    """The case's report: Alex Morgan's (alex.morgan@example.org, 07700 900123)."""
    return replace(start, reports=[report()])


def warning(tool: str, start: CaseFolder | None = None) -> tuple[CaseFolder, str]:
    at = start or with_reporter(folder(COMPLAINANT, AGAINST_SAM))
    change = record_measure(at, MeasureIn(measure=tool, rationale=RATIONALE), OFFICER, NOW, ids())
    return applied(change, at), change.records[0].record_id


def letter(at: CaseFolder, measure_id: str, persons: Any = None, **body: Any) -> CaseChange:
    return issue_warning_letter(at, measure_id, WarningLetterIn(**{
        "channel": "letter", **PARTICULARS, **body}), OFFICER, NOW, persons or people(SAM), ids())


def test_a_first_written_warning_queues_its_letter_and_asks_for_it_in_one_change() -> None:
    at, measure_id = warning("first_written_warning")
    change = letter(at, measure_id, channel="email")
    (record,) = change.records
    (sent,) = Measure.model_validate(record.data).letters
    assert (sent.kind, sent.channel, sent.delivery, sent.issued_on) == (
        "first", "email", "queued", date(2026, 12, 2))
    assert sent.notification_id == letter_notification_id(sent.letter_id)
    assert sent.must_stop == PARTICULARS["must_stop"] and sent.by == "o.hughes"
    (event,) = change.events
    assert event.type == "WarningLetterRequested"
    assert event.detail == {"measure_id": measure_id, "letter_id": sent.letter_id,
                            "kind": "first", "channel": "email", "party_id": "p-2"}
    assert "Sam" not in str(event.detail) and "Loud" not in str(event.detail)
    assert change.audit.action == "WarningLetterIssued"
    assert change.case.version == at.case.version + 1


def test_a_final_written_warning_follows_an_earlier_warning_to_the_same_person() -> None:
    start, final_id = warning("final_written_warning")
    with pytest.raises(RuleBroken, match="follows a verbal warning or a first written warning"):
        letter(start, final_id)
    # A first written warning recorded but never sent is not a warning given.
    unsent, _ = warning("first_written_warning", start)
    with pytest.raises(RuleBroken, match="proportionate and escalating"):
        letter(unsent, final_id)
    # A verbal warning to someone else on the case does not count either.
    other = a_party("p-3", "person-jo", Role.ALLEGED_PERPETRATOR, status=PartyStatus.CONFIRMED)
    elsewhere = replace(start, parties={**start.parties, "p-3": other})
    change = record_measure(elsewhere, MeasureIn(measure="verbal_warning", rationale=RATIONALE,
                                                 party_id="p-3"), OFFICER, NOW, ids())
    with pytest.raises(RuleBroken):
        letter(applied(change, elsewhere), final_id)
    # A first written warning's letter to Sam does.
    first_at, first_id = warning("first_written_warning", start)
    sent = applied(letter(first_at, first_id), first_at)
    assert Measure.model_validate(letter(sent, final_id).records[0].data).letters[0].kind == "final"


def test_a_verbal_warning_given_is_enough_for_a_final_one_unless_withdrawn() -> None:
    start, final_id = warning("final_written_warning")
    verbal_at, verbal_id = warning("verbal_warning", start)
    assert letter(verbal_at, final_id).records
    withdrawn = applied(update_measure(verbal_at, verbal_id, MeasureStatusIn(
        status="withdrawn", note="Recorded against the wrong person."), OFFICER, NOW, ids()),
        verbal_at)
    with pytest.raises(RuleBroken):
        letter(withdrawn, final_id)
    with pytest.raises(RuleBroken, match="withdrawn: it sends no letter"):
        letter(withdrawn, verbal_id)


def test_only_a_warning_sends_a_warning_letter_and_only_to_someone() -> None:
    at, measure_id = warning("mediation")
    with pytest.raises(RuleBroken, match="not under Mediation"):
        letter(at, measure_id)
    nobody, unnamed_id = warning("first_written_warning", with_reporter(folder(COMPLAINANT)))
    with pytest.raises(RuleBroken, match="names nobody"):
        letter(nobody, unnamed_id)


@pytest.mark.parametrize(("channel", "missing", "field"), [
    ("email", {"email": None}, "person.email"), ("letter", {"address": None}, "person.address"),
    ("letter", {"name": None}, "person.name")])
def test_a_channel_needs_the_persons_details_for_it(channel: str, missing: dict[str, Any],
                                                    field: str) -> None:
    at, measure_id = warning("first_written_warning")
    without = SAM.model_copy(update=missing)
    with pytest.raises(InvalidChange) as refused:
        letter(at, measure_id, people(without), channel=channel)
    assert refused.value.errors[0].field == field
    assert "add" in refused.value.errors[0].message


def test_a_merged_persons_letter_goes_by_the_surviving_record() -> None:
    at, measure_id = warning("first_written_warning")
    merged = a_person(SAM.person_id, merged_into="person-sam-2")
    survivor = SAM.model_copy(update={"person_id": "person-sam-2"})
    assert letter(at, measure_id, people(merged, survivor)).records


@pytest.mark.parametrize(("field", "words"), [
    ("what_happened", "Alex Morgan says the music was loud past midnight."),
    ("what_happened", "Your neighbour Mrs Morgan heard loud music at night."),
    ("what_happened", "Reported by alex.morgan@example.org about the loud music."),
    ("what_happened", "The caller on 07700900123 heard loud music past midnight."),
    ("must_stop.1", "Knocking on Alex's door")])
def test_the_particulars_never_name_or_give_away_a_reporter(field: str, words: str) -> None:
    at, measure_id = warning("first_written_warning")
    body = {"what_happened": words} if field == "what_happened" else {
        "must_stop": ["Loud music after 11pm", words]}
    with pytest.raises(InvalidChange) as refused:
        letter(at, measure_id, **body)
    assert refused.value.errors[0].field == field
    assert "never says who complained" in refused.value.errors[0].message


LEE = a_person("person-lee", name="Lee Harris", email="lee.h@example.org", phone="07700 900777",
               address="22 Mill Lane, Yeovil")
VAL = a_person("person-val", name="Val Jones", merged_into="person-val-2")
VAL_NOW = a_person("person-val-2", name="Valerie Jones", email="val@example.org")
PC = a_person("person-pc", name="PC Harriet Vane")


@pytest.mark.parametrize("words", [
    "Lee Harris heard loud music past midnight.", "Harris saw you shouting in the hallway.",
    "Witnessed by lee.h@example.org at midnight.", "A neighbour on 07700-900-777 heard it.",
    "Music was heard at 22 Mill Lane past midnight.", "Valerie Jones was woken by the music."])
def test_the_particulars_never_name_a_witness_or_another_party_an_officer_added(
        words: str) -> None:
    """The witness Lee and the victim Val (by the record Val's was merged into) are parties an
    officer added, named in no report."""
    start = folder(COMPLAINANT, AGAINST_SAM, a_party("p-3", LEE.person_id, Role.WITNESS),
                   a_party("p-4", VAL.person_id, Role.VICTIM, Role.HOUSEHOLD_MEMBER))
    at, measure_id = warning("first_written_warning", with_reporter(start))
    with pytest.raises(InvalidChange) as refused:
        letter(at, measure_id, people(SAM, LEE, VAL, VAL_NOW), what_happened=words)
    assert refused.value.errors[0].field == "what_happened"
    assert "never says who complained" in refused.value.errors[0].message


def test_a_professional_in_their_role_and_the_recipient_themself_may_be_named() -> None:
    start = folder(COMPLAINANT, AGAINST_SAM, a_party("p-5", PC.person_id, Role.PROFESSIONAL),
                   a_party("p-6", SAM.person_id, Role.HOUSEHOLD_MEMBER))
    at, measure_id = warning("first_written_warning", with_reporter(start))
    assert letter(at, measure_id, people(SAM, PC), what_happened=(
        "PC Harriet Vane heard loud music from 14 Orchard Close, Sam Taylor's flat.")).records


def test_a_day_still_to_come_is_refused_by_its_place() -> None:
    at, measure_id = warning("first_written_warning")
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    with pytest.raises(InvalidChange) as refused:
        letter(at, measure_id, happened_on=["2026-11-20", tomorrow])
    assert refused.value.errors[0].field == "happened_on.1"


def test_no_letter_on_a_closed_case() -> None:
    at, measure_id = warning("first_written_warning")
    closed = replace(at, case=at.case.model_copy(update={"status": "closed"}))
    with pytest.raises(RuleBroken, match="closed"):
        letter(closed, measure_id)


def message_for(kind: str, channel: str = "letter") -> Any:
    measure = Measure(record_id="m-1", at=NOW, measure="first_written_warning",
                      name="First written warning", legal=False, rationale=RATIONALE,
                      status="applied", approval="not needed", by="o.hughes", recorded_at=NOW)
    sent = WarningLetter(letter_id="l-1", kind=kind, issued_on=NOW.date(), channel=channel,
                         **PARTICULARS)
    return warning_letter_message(WarningLetterTo("ASB-2026-000001", measure, sent, SAM))


@pytest.mark.parametrize("kind", ["verbal", "first", "final"])
@pytest.mark.parametrize("channel", ["letter", "email"])
def test_each_letter_says_what_happened_when_and_what_must_stop_in_plain_english(
        kind: str, channel: str) -> None:
    message = message_for(kind, channel)
    assert message.channels == (channel,) and message.enclosed == (channel == "email")
    assert message.recipient.kind == "alleged_perpetrator"
    rendered = render(message.template, channel, message.context)
    text = rendered.text
    for said in ("Dear Sam Taylor,", "ASB-2026-000001", PARTICULARS["what_happened"],
                 "Friday 20 November 2026", "Friday 27 November 2026", "- Loud music after 11pm",
                 "- Shouting in the shared hallway", "0300 123 4567", "tell us your side"):
        assert said in text, said
    assert reading_age(text) <= 11, f"reading age {reading_age(text):.1f}"
    assert ("attached as a PDF" in text) == (channel == "email")
    assert "Alex" not in text and "alex" not in text


def test_the_letters_escalate_in_what_they_say_will_happen() -> None:
    said = {kind: render(m.template, "letter", m.context) for kind in ("verbal", "first", "final")
            for m in [message_for(kind)]}
    assert said["verbal"].subject.startswith("Your verbal warning, in writing")
    assert "puts that warning in writing" in said["verbal"].text
    assert "Wednesday 2 December 2026" in said["verbal"].text  # when it was given
    assert "we will send you a final written warning" in said["first"].text
    assert said["final"].subject.startswith("Final written warning")
    assert "injunction" in said["final"].text and "lose your home" in said["final"].text
    assert "injunction" not in said["first"].text


def test_a_letters_delivery_is_its_delivery_log_entry() -> None:
    assert delivery(None) == {"delivery": "queued"}
    posted = {"status": "sent", "channel": "letter", "at": "2026-12-02T10:00:05+00:00",
              "attempts": [{"channel": "letter", "status": "sent",
                            "provider_id": "letters/2026-12-02/ASB-2026-000001/n-1.pdf"}]}
    assert delivery(posted) == {"delivery": "posted", "delivered_at": posted["at"],
                                "document_key": "letters/2026-12-02/ASB-2026-000001/n-1.pdf"}
    emailed = {**posted, "channel": "email", "attempts": [{"status": "sent", "provider_id": "x"}]}
    assert delivery(emailed) == {"delivery": "sent", "delivered_at": posted["at"]}
    assert delivery({"status": "failed", "at": "t"})["delivery"] == "failed"
    measure = {"record_id": "m-1", "letters": [{"letter_id": "l-1", "notification_id": "n-1",
                                                "delivery": "queued"},
                                               {"letter_id": "l-2", "notification_id": "n-2",
                                                "delivery": "queued"}]}
    shown = with_delivery(measure, {"n-1": posted})
    assert [x["delivery"] for x in shown["letters"]] == ["posted", "queued"]
    assert with_delivery({"record_id": "m-2"}, {"n-1": posted}) == {"record_id": "m-2"}


class CapturingSes:
    """SES v2 as far as the email channel uses it: what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_email(self, **request: Any) -> dict[str, str]:
        self.sent.append(request)
        return {"MessageId": f"m-{len(self.sent)}"}


def test_an_emailed_letter_is_raw_mime_with_the_letter_as_a_pdf_and_make_outbox_lists_it() -> None:
    import email

    from asb.notifications.channels import EmailChannel
    from asb.notifications.service import rendered_for
    from infra.local.outbox import raw_email
    from tests.pdfs import text_lines

    message = message_for("final", "email")
    ses = CapturingSes()
    assert EmailChannel(ses, "asb@example.org").send(
        message, rendered_for(message, "email", message.context), NOW) == "m-1"
    (request,) = ses.sent
    assert request["Destination"] == {"ToAddresses": ["sam.taylor@example.org"]}
    raw = request["Content"]["Raw"]["Data"]
    mail = email.message_from_bytes(raw)
    assert mail["Subject"] == "Final written warning (ASB-2026-000001)"
    (pdf,) = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    lines = text_lines(pdf.get_payload(decode=True))
    assert lines[:4] == ["Sam Taylor", "14 Orchard Close", "Yeovil", "BA20 1AB"]
    assert "Final written warning" in lines and "attached" not in " ".join(lines)
    listed = raw_email({"raw_data": raw.decode(), "destinations": ["sam.taylor@example.org"]})
    assert (listed.to, listed.summary) == ("sam.taylor@example.org", mail["Subject"])
    assert "attached as a PDF" in listed.body
    assert "[attached: warning_final-ASB-2026-000001.pdf]" in listed.body


def test_anonymising_a_case_erases_each_letters_particulars_in_place() -> None:
    from asb.case.retention import ERASED, StoredCase, StoredRecord, erase_plan
    from tests.unit.test_erase_plan import AS_OF, closed_case

    letters = [{"letter_id": "l-1", "kind": "first", "what_happened": "Drums at 2am.",
                "happened_on": ["2026-11-20"], "must_stop": ["Drums at night"]},
               {"letter_id": "l-2", "kind": "final", "must_stop": []}]
    measure = StoredRecord("MEASURE#m-1", "Measure", frozenset({"rationale", "letters"}),
                           parts={"letters": letters})
    (erasure,) = erase_plan(StoredCase(closed_case(), (), (measure,)), AS_OF, "audit-1").items
    assert erasure.overwrite == {"rationale": ERASED, "letters": [
        {**letters[0], "what_happened": ERASED, "must_stop": [ERASED]}, letters[1]]}
