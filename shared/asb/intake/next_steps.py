"""What the reporter reads once their report is in: plain English, short sentences.

Intake does not triage (triage runs a moment later, from a queue), so what the confirmation
promises comes from the same pure decisions triage will make on these answers (categorise,
emergency, targets) and the same channel choice the notifier will make (reporter_channels):
never a promise the service does not keep. A report that joins a case reads exactly as one
that opens a case (its own answers only), so nobody learns that a case existed.
"""

from __future__ import annotations

from dataclasses import dataclass

from asb.case import good_neighbour
from asb.case.categorise import categorise, emergency
from asb.case.pathways import pathway_of
from asb.case.risk import answers_from_report, assess
from asb.case.submission import ReportSubmission
from asb.case.targets import long_date, targets_for
from asb.intake.service import Receipt
from asb.notifications.plan import reporter_channels
from asb.policy.config import (
    BEHAVIOURS,
    DOMESTIC_ABUSE_HELPLINE,
    EMERGENCY_BEHAVIOURS,
    LANDLORD_PHONE,
)

_DANGER = "If you or anyone else is in danger now, call 999."
ONLY_WAY = "Keep this page's link: it is the only way to follow your report."
_BY = {"email": "by email", "sms": "by text message", "letter": "by letter"}
# Shown on screen only: no message we send names domestic abuse, in case someone else reads it.
_DOMESTIC_ABUSE = ("We will ask a service that helps people living with domestic abuse to "
                   "help too. We will only contact you in the safe ways you told us. If you or "
                   "someone you know lives with domestic abuse, you can call the National "
                   f"Domestic Abuse Helpline on {DOMESTIC_ABUSE_HELPLINE}. It is free, day or "
                   "night.")
_DIARY = ("Please keep a diary: write down the date, the time, how long it lasted and what "
          "happened each time.")


@dataclass(frozen=True)
class Confirmation:
    """`what_happens`: what we will do, and by when. `how_we_tell_you`: what we will send, how,
    or that nothing can reach the reporter (`reachable` False: the link is all they have)."""

    what_happens: str
    how_we_tell_you: str
    reachable: bool
    emergency: bool

    @property
    def text(self) -> str:
        return f"{self.what_happens} {self.how_we_tell_you}"


def confirmation(receipt: Receipt) -> Confirmation:
    submission = receipt.submission
    thanks = f"Thank you. We have your report. Your reference is {receipt.reference}."
    if submission is None:  # not expected: the service always gives it
        return Confirmation(f"{thanks} An officer will read it. {_DANGER}",
                            f"To talk to us, call {LANDLORD_PHONE} and quote your reference.",
                            reachable=False, emergency=False)
    behaviours = submission.incident.behaviours
    answers = answers_from_report(submission)
    risk = assess(answers)
    category = categorise(behaviours, submission.is_hate_incident, risk).category
    urgent = emergency(behaviours, answers.get("threats_or_violence"), risk).emergency
    due = long_date(targets_for(category, risk.level, receipt.received_at).first_contact_due)
    channels = () if submission.anonymous else reporter_channels(submission.reporter, behaviours)
    if pathway_of(submission) == "good_neighbour":  # not an ASB case: said why, kindly
        told = good_neighbour.told(good_neighbour.wants_property_check(submission))
        what = f"{thanks} {told} {_DANGER}"
    elif urgent:
        what = (f"{thanks} Because you told us about {_what_you_told_us(submission)}, we are "
                "treating it as urgent. The duty officer will be told now")
        what += f" and we will contact you by {due}." if channels else f". {_DANGER}"
        if channels:
            what += f" {_DANGER}"
    elif submission.anonymous:
        what = (f"{thanks} You reported without giving your name, so we cannot contact you "
                f"about it. We will still look into it. {_DANGER}")
    elif channels:
        what = (f"{thanks} An officer will read it and contact you by {due}. Together you will "
                f"agree a plan for what we will do and what we ask of you. {_DIARY} {_DANGER}")
    else:
        what = f"{thanks} An officer will read it by {due}. {_DIARY} {_DANGER}"
    if pathway_of(submission) == "domestic_abuse":
        what = f"{what} {_DOMESTIC_ABUSE}"
    if channels:
        return Confirmation(what, _how_we_tell_you(submission, channels), True, urgent)
    if submission.anonymous:
        cannot = "You did not give your name, so we will not send you anything about it."
    else:
        cannot = ("You did not give us a safe way to contact you, so we cannot send you "
                  "anything about it.")
    return Confirmation(what, f"{cannot} {ONLY_WAY} To talk to us, call {LANDLORD_PHONE} and "
                              "quote your reference.", False, urgent)


def next_steps(receipt: Receipt) -> str:
    """The confirmation as one paragraph, for a JSON client."""
    return confirmation(receipt).text


def _what_you_told_us(submission: ReportSubmission) -> str:
    named = [BEHAVIOURS[b].lower() for b in submission.incident.behaviours
             if b in EMERGENCY_BEHAVIOURS]
    if named:
        return " and ".join(named)
    if submission.harm.threats_or_violence:
        return "threats or violence"
    return "the harm it is causing"


def _how_we_tell_you(submission: ReportSubmission, channels: tuple[str, ...]) -> str:
    first, *rest = channels
    said = f"We will write to you {_BY[first]} to say we have your report"
    said += (". A letter does not have the link to this page, so keep it." if first == "letter"
             else ", with the link to this page.")
    if rest:
        said += f" If that does not reach you, we will try {' then '.join(_BY[c] for c in rest)}."
    reporter = submission.reporter
    if reporter and reporter.safe_from and reporter.safe_until:
        said += (f" We will only send it between {reporter.safe_from:%H:%M} and "
                 f"{reporter.safe_until:%H:%M}, as you asked.")
    return said
