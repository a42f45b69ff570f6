"""A warning letter (asked for by asb.enforcement.letters) as the message that sends it: to the
person the warning is against, by the one channel the officer chose, in the words of its
template and the officer's particulars. Nothing of any reporter is in its context."""

from __future__ import annotations

from dataclasses import dataclass

from asb.case.enforcement import WarningLetter
from asb.case.parties import Person
from asb.case.records import Measure
from asb.case.targets import local_day
from asb.case.warning_letters import TEMPLATE_OF_LETTER, letter_notification_id
from asb.notifications.plan import Message, Recipient
from asb.policy.config import LANDLORD_NAME, LANDLORD_PHONE

# Who a warning letter goes to, as the delivery log names them (never who they are).
WARNED = "alleged_perpetrator"


@dataclass(frozen=True)
class WarningLetterTo:
    """What the store found for one letter: its case's reference, its measure, the letter as
    asked for, and the person it is to as their record says now."""

    reference: str
    measure: Measure
    letter: WarningLetter
    person: Person


def warning_letter_message(found: WarningLetterTo) -> Message:
    letter, person = found.letter, found.person
    return Message(
        notification_id=letter.notification_id or letter_notification_id(letter.letter_id),
        case_reference=found.reference, template=TEMPLATE_OF_LETTER[letter.kind],
        recipient=Recipient(WARNED, person.name, person.email, None, person.address),
        channels=(letter.channel,), enclosed=letter.channel == "email",
        context={"reference": found.reference, "landlord": LANDLORD_NAME,
                 "phone": LANDLORD_PHONE, "name": person.name,
                 "warned_on": local_day(found.measure.recorded_at).isoformat(),
                 "what_happened": letter.what_happened,
                 "happened_on": [day.isoformat() for day in letter.happened_on],
                 "must_stop": letter.must_stop})
