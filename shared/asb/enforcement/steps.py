"""Enforcement's steps as plain functions of a case, a step, who takes it and the time: each
checks the law's and the policy's order of things (approval before an application, a notice
before a claim, a hearing after the application, an absolute ground's last day to serve, the
respondent's age) and returns one CaseChange - the measure as it is now, the dates it makes fall
due, an audit entry and an event. A step refused says why in words (409), or names the field
(422); nothing is stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, Record, audit_entry, bump, domain_event
from asb.case.enforcement import (
    AbsoluteGround,
    Agreement,
    AgreementReview,
    Application,
    Breach,
    Hearing,
    Notice,
    Order,
)
from asb.case.models import Case, CaseStatus
from asb.case.records import Measure, MeasureChange
from asb.case.retention import retain_until
from asb.case.sharing import request_withdrawn
from asb.case.targets import local_day
from asb.enforcement.dates import age_on, deadline_records, notice_dates, order_end, serve_by
from asb.enforcement.models import (
    AbsoluteGroundIn,
    AgreementIn,
    AgreementReviewed,
    Applied,
    BreachRecorded,
    HearingHeld,
    HearingListed,
    NoticeServed,
    OrderEnded,
    Withdrawn,
)
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import (
    ABSOLUTE_GROUND_CONDITIONS,
    DEMOTION_MONTHS,
    INJUNCTION_MINIMUM_AGE,
    NOTICE_GROUNDS,
    YOUTH_AGE,
)

NewId = Callable[[], str]
Step = (NoticeServed | Applied | HearingListed | HearingHeld | BreachRecorded
        | AgreementReviewed | OrderEnded | Withdrawn)

INJUNCTIONS = frozenset({"civil_injunction", "without_notice_injunction", "respect_order"})
POSSESSION = frozenset({"possession_ground_14", "possession_absolute_ground"})
COURT_MEASURES = INJUNCTIONS | POSSESSION | {"demoted_tenancy"}
_GROUNDS = {"possession_ground_14": ("ground_14", "ground_2"),
            "possession_absolute_ground": ("ground_7a", "s84a")}
_ORDERS = {**{m: ("injunction",) for m in INJUNCTIONS},
           **{m: ("outright possession", "suspended possession", "postponed possession")
              for m in POSSESSION},
           "demoted_tenancy": ("demotion",)}
_COMMITTAL_OUTCOMES = ("committed to prison", "committal suspended", "fined",
                       "no order on the breach", "adjourned", "withdrawn")
_FINISHED = ("withdrawn", "completed", "refused", "expired")
# A power asked of a partner (asb.partners.power_requests): the landlord records only these.
_STEPS_ON_A_PARTNERS_POWER = (BreachRecorded, OrderEnded, Withdrawn)


def _invalid(field: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(field, message)])


def _not_after_today(field: str, day: date, now: datetime) -> None:
    if day > local_day(now):
        raise _invalid(field, "This cannot be a day still to come")


# ------------------------------------------------------------------ recording a tool's details


def absolute_ground(body: AbsoluteGroundIn, now: datetime, field: str) -> AbsoluteGround:
    """The condition met and the last day to serve on it; refused once that day has passed."""
    _not_after_today(f"{field}.met_on", body.met_on, now)
    last = serve_by(body.condition, body.met_on)
    if last < local_day(now):
        words, months = ABSOLUTE_GROUND_CONDITIONS[body.condition]
        raise RuleBroken(f"The absolute ground is lost on condition {body.condition} ({words}): "
                         f"a notice had to be served within {months} months, by "
                         f"{last.isoformat()}. Consider Ground 14 / Ground 2 instead")
    return AbsoluteGround(condition=body.condition, met_on=body.met_on, serve_by=last)


def agreement(body: AgreementIn) -> Agreement:
    if body.review_on <= body.starts_on:
        raise _invalid("agreement.review_on", "The first review comes after the agreement starts")
    return Agreement(terms=body.terms, signatories=body.signatories, starts_on=body.starts_on,
                     review_on=body.review_on)


# ------------------------------------------------------------------ steps


def take_step(folder: CaseFolder, measure_id: str, body: Step, by: StaffMember,
              now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An order's end is recorded on a closed case too (an order may outlive its case), and
    moves when the case's records may be erased: six years after the order ends."""
    case = folder.case
    closed = case.status == CaseStatus.CLOSED
    if closed and not isinstance(body, OrderEnded):
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    measure = folder.measures.get(measure_id)
    if measure is None:
        raise UnknownRecord(f"No tool or power {measure_id} on this case")
    if measure.status in _FINISHED:
        raise RuleBroken(f"This {measure.name} is {measure.status}: nothing more can happen to it")
    if measure.held_by is not None and not isinstance(body, _STEPS_ON_A_PARTNERS_POWER):
        raise RuleBroken(f"The {measure.name} is {measure.partner_name}'s to use: what it issues "
                         "or makes comes back from them. Record a breach, its end, or withdraw "
                         "the request")
    updated = _STEPS[type(body)](measure, body, by, now, new_id)
    change = _change(case, measure, updated, body, by, now, new_id)
    if isinstance(body, Withdrawn) and measure.held_by is not None:
        change = replace(change, records=[*change.records, *request_withdrawn(
            folder, measure, by.username, now, body.note, new_id)])
    if closed and case.closed_at is not None:
        kept = retain_until(case.closed_at, [
            (updated if m.record_id == measure_id else m).as_stored()
            for m in folder.measures.values()])
        change = replace(change, case=change.case.model_copy(update={"retain_until": kept}))
    return change


def _approved(measure: Measure, what: str) -> None:
    if not measure.legal:
        raise RuleBroken(f"{measure.name} is not legal action: it has no {what}")
    if measure.approval != "approved":
        raise RuleBroken(f"A manager approves legal action, with its proportionality rationale "
                         f"and equality impact note, before its {what}")


def _notice_served(measure: Measure, body: NoticeServed, by: StaffMember, now: datetime,
                   new_id: NewId) -> Measure:
    if measure.measure not in _GROUNDS:
        raise RuleBroken(f"A notice of seeking possession is served under a possession measure, "
                         f"not {measure.name}")
    _approved(measure, "notice")
    if measure.notice is not None:
        raise RuleBroken("The notice was already served: a new notice is a new measure")
    if body.ground not in _GROUNDS[measure.measure]:
        raise _invalid("ground", f"{measure.name} is served on {' or '.join(_GROUNDS[measure.measure])}")
    _not_after_today("served_on", body.served_on, now)
    ground = measure.absolute_ground
    if NOTICE_GROUNDS[body.ground][1]:
        if body.absolute_ground is not None:
            ground = absolute_ground(body.absolute_ground, now, "absolute_ground")
        if ground is None:
            raise _invalid("absolute_ground", "Say which of the five conditions is met, and when")
        if body.served_on < ground.met_on:
            raise _invalid("served_on", "The notice follows the condition it relies on")
        if body.served_on > ground.serve_by:
            raise RuleBroken(f"A notice on the absolute ground had to be served by "
                             f"{ground.serve_by.isoformat()}: served {body.served_on.isoformat()}, "
                             "it is past its deadline")
    proceedings_from, expires_on = notice_dates(body.ground, body.served_on)
    notice = Notice(ground=body.ground, served_on=body.served_on,
                    proceedings_from=proceedings_from, expires_on=expires_on)
    return measure.model_copy(update={"notice": notice, "absolute_ground": ground,
                                      "status": "served"})


def _applied(measure: Measure, body: Applied, by: StaffMember, now: datetime,
             new_id: NewId) -> Measure:
    if measure.measure not in COURT_MEASURES:
        raise RuleBroken(f"{measure.name} is not applied for to a court by the landlord")
    _approved(measure, "application")
    if measure.application is not None:
        raise RuleBroken("The application was already made")
    _not_after_today("applied_on", body.applied_on, now)
    if measure.approval_at is not None and body.applied_on < local_day(measure.approval_at):
        raise _invalid("applied_on", "The application follows the manager's approval")
    if measure.measure in POSSESSION:
        _claim_in_time(measure, body.applied_on)
    if measure.measure in INJUNCTIONS:
        _respondent(measure, body)
    elif body.respondent_born_on or body.youth_offending_team_consulted_on:
        raise _invalid("respondent_born_on", "Only an injunction's respondent's age is checked")
    if body.power_of_arrest_sought and not (measure.measure in INJUNCTIONS
                                            and body.violence_or_significant_risk_of_harm):
        raise RuleBroken("A power of arrest is attached only to an injunction, where the "
                         "conduct is violence or threatens it, or there is a significant risk "
                         "of harm (ASBCPA 2014 s4)")
    application = Application(
        applied_on=body.applied_on, court=body.court, without_notice=body.without_notice,
        respondent_born_on=body.respondent_born_on,
        youth_offending_team_consulted_on=body.youth_offending_team_consulted_on,
        power_of_arrest_sought=body.power_of_arrest_sought)
    return measure.model_copy(update={"application": application, "status": "applied"})


def _claim_in_time(measure: Measure, applied_on: date) -> None:
    notice = measure.notice
    if notice is None:
        raise RuleBroken("A possession claim needs a notice of seeking possession served first")
    if applied_on < notice.proceedings_from:
        raise _invalid("applied_on", f"Proceedings may begin from "
                                     f"{notice.proceedings_from.isoformat()}")
    if applied_on > notice.expires_on:
        raise RuleBroken(f"The notice lapsed after {notice.expires_on.isoformat()}: serve a new "
                         "one before claiming")


def _respondent(measure: Measure, body: Applied) -> None:
    if body.without_notice != (measure.measure == "without_notice_injunction"):
        raise _invalid("without_notice", "A without-notice injunction is its own measure")
    if body.respondent_born_on is None:
        raise _invalid("respondent_born_on", "An injunction's respondent's age is checked: "
                                             "give their date of birth")
    if body.respondent_born_on >= body.applied_on:
        raise _invalid("respondent_born_on", "A date of birth comes before the application")
    age = age_on(body.respondent_born_on, body.applied_on)
    if age < INJUNCTION_MINIMUM_AGE:
        raise RuleBroken(f"An injunction cannot be made against someone under "
                         f"{INJUNCTION_MINIMUM_AGE} (ASBCPA 2014 s1)")
    consulted = body.youth_offending_team_consulted_on
    if age < YOUTH_AGE and consulted is None:
        raise _invalid("youth_offending_team_consulted_on",
                       "The respondent is under 18: the youth offending team is consulted "
                       "before the application (ASBCPA 2014 s14)")
    if consulted is not None and consulted > body.applied_on:
        raise _invalid("youth_offending_team_consulted_on",
                       "The youth offending team is consulted before the application")


def _hearing_listed(measure: Measure, body: HearingListed, by: StaffMember, now: datetime,
                    new_id: NewId) -> Measure:
    application = measure.application
    if application is None:
        raise RuleBroken("A hearing is listed once the application is made")
    if local_day(body.at) < application.applied_on:
        raise _invalid("at", f"The hearing comes after the application "
                             f"({application.applied_on.isoformat()})")
    if body.purpose == "committal" and not measure.breaches:
        raise RuleBroken("A committal hearing follows a breach of the order: record it first")
    hearing = Hearing(hearing_id=new_id(), at=body.at, court=body.court, purpose=body.purpose)
    return measure.model_copy(update={"hearings": [*measure.hearings, hearing]})


def _hearing_held(measure: Measure, body: HearingHeld, by: StaffMember, now: datetime,
                  new_id: NewId) -> Measure:
    hearings = {h.hearing_id: h for h in measure.hearings}
    hearing = hearings.get(body.hearing_id)
    if hearing is None:
        raise UnknownRecord(f"No hearing {body.hearing_id} on this tool or power")
    if hearing.outcome is not None:
        raise RuleBroken(f"That hearing's outcome was recorded: {hearing.outcome}")
    if hearing.at > now:
        raise RuleBroken("That hearing has not been heard yet")
    committal = hearing.purpose == "committal"
    if committal != (body.outcome in _COMMITTAL_OUTCOMES[:4]) and body.outcome not in (
            "adjourned", "withdrawn"):
        raise _invalid("outcome", "A committal hearing ends in committal, a suspended committal, "
                                  "a fine or no order; any other hearing in an order, a refusal "
                                  "or a dismissal")
    update: dict[str, Any] = {}
    held = hearing.model_copy(update={"outcome": body.outcome, "note": body.note})
    listed = list(measure.hearings)
    if body.outcome == "adjourned":
        if body.adjourned_to is None or body.adjourned_to <= hearing.at:
            raise _invalid("adjourned_to", "An adjourned hearing is listed again, after this one")
        next_hearing = Hearing(hearing_id=new_id(), at=body.adjourned_to, court=hearing.court,
                               purpose=hearing.purpose)
        held = held.model_copy(update={"adjourned_to": next_hearing.hearing_id})
        listed.append(next_hearing)
    elif body.outcome == "order made":
        update.update(_order_made(measure, body, hearing))
    elif body.outcome in ("refused", "dismissed") and not committal and measure.order is None:
        update["status"] = "refused"  # a review or return hearing dismissed leaves an order in force
    listed = [held if h.hearing_id == hearing.hearing_id else h for h in listed]
    return measure.model_copy(update={**update, "hearings": listed})


def _order_made(measure: Measure, body: HearingHeld, hearing: Hearing) -> dict[str, Any]:
    if body.order is None:
        raise _invalid("order", "An order made: say what it is and what it says")
    if body.order.kind not in _ORDERS.get(measure.measure, ()):
        raise _invalid("order.kind", f"{measure.name} ends in "
                                     f"{' or '.join(_ORDERS.get(measure.measure, ('no order',)))}")
    application = measure.application
    if body.order.power_of_arrest and not (application and application.power_of_arrest_sought):
        raise _invalid("order.power_of_arrest", "A power of arrest was not sought")
    made_on = local_day(hearing.at)
    expires_on = body.order.expires_on
    if body.order.kind == "demotion" and expires_on is None:
        expires_on = order_end(made_on, DEMOTION_MONTHS)
    if expires_on is not None and expires_on <= made_on:
        raise _invalid("order.expires_on", "An order ends after it is made")
    order = Order(kind=body.order.kind, made_on=made_on, terms=body.order.terms,
                  power_of_arrest=body.order.power_of_arrest, expires_on=expires_on)
    return {"order": order, "status": "granted", "expires_on": expires_on}


def _breach(measure: Measure, body: BreachRecorded, by: StaffMember, now: datetime,
            new_id: NewId) -> Measure:
    _not_after_today("on", body.on, now)
    breach = Breach(breach_id=new_id(), on=body.on, what=body.what, by=by.username, at=now)
    if measure.agreement is not None:
        if body.on < measure.agreement.starts_on:
            raise _invalid("on", "A breach comes after the agreement starts")
        agreement = measure.agreement.model_copy(
            update={"breaches": [*measure.agreement.breaches, breach]})
        return measure.model_copy(update={"agreement": agreement})
    order = measure.order
    # An order granted before orders were recorded has a status and no order part.
    granted_before = order is None and measure.status in ("granted", "breached")
    if not granted_before and (order is None or order.ended_on is not None):
        raise RuleBroken("A breach is of an agreement or of an order in force")
    if order is not None and body.on < order.made_on:
        raise _invalid("on", "A breach comes after the order is made")
    return measure.model_copy(update={"breaches": [*measure.breaches, breach],
                                      "status": "breached"})


def _agreement_reviewed(measure: Measure, body: AgreementReviewed, by: StaffMember,
                        now: datetime, new_id: NewId) -> Measure:
    agreement = measure.agreement
    if agreement is None:
        raise RuleBroken("Only an Acceptable Behaviour Agreement is reviewed this way")
    if agreement.review_on is None:
        raise RuleBroken("The agreement has ended")
    _not_after_today("held_on", body.held_on, now)
    if body.held_on < agreement.starts_on:
        raise _invalid("held_on", "A review comes after the agreement starts")
    continues = body.outcome == "continues"
    if continues and (body.next_review_on is None or body.next_review_on <= body.held_on):
        raise _invalid("next_review_on", "It continues: set the next review, after this one")
    review = AgreementReview(held_on=body.held_on, outcome=body.outcome, note=body.note,
                             by=by.username)
    updated = agreement.model_copy(update={
        "reviews": [*agreement.reviews, review],
        "review_on": body.next_review_on if continues else None})
    return measure.model_copy(update={"agreement": updated,
                                      **({} if continues else {"status": "completed"})})


def _order_ended(measure: Measure, body: OrderEnded, by: StaffMember, now: datetime,
                 new_id: NewId) -> Measure:
    order = measure.order
    if order is None or order.ended_on is not None:
        raise RuleBroken("There is no order in force to end")
    _not_after_today("on", body.on, now)
    if body.on < order.made_on:
        raise _invalid("on", "An order ends after it is made")
    return measure.model_copy(update={"order": order.model_copy(update={"ended_on": body.on}),
                                      "status": "expired", "expires_on": body.on})


def _withdrawn(measure: Measure, body: Withdrawn, by: StaffMember, now: datetime,
               new_id: NewId) -> Measure:
    if measure.order is not None and measure.order.ended_on is None:
        raise RuleBroken("An order in force is ended by the court: record its end instead")
    return measure.model_copy(update={"status": "withdrawn"})


_STEPS: dict[type, Callable[..., Measure]] = {
    NoticeServed: _notice_served, Applied: _applied, HearingListed: _hearing_listed,
    HearingHeld: _hearing_held, BreachRecorded: _breach, AgreementReviewed: _agreement_reviewed,
    OrderEnded: _order_ended, Withdrawn: _withdrawn}


def _change(case: Case, before: Measure, after: Measure, body: Step, by: StaffMember,
            now: datetime, new_id: NewId) -> CaseChange:
    if after.status != before.status:
        step = _history(before, after, body, by, now)
        after = after.model_copy(update={"history": [*before.history, step]})
    detail = {"measure_id": after.record_id, "measure": after.measure, "step": body.step,
              "status": after.status}
    records = [Record("Measure", after.record_id, now, after.as_stored(), replace=True),
               *deadline_records(case, before, after, now)]
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "EnforcementStep", now, new_id, before={"status": before.status},
        after=detail), records=records,
        events=[domain_event(case, "EnforcementStep", now, new_id, detail)])


def _history(before: Measure, after: Measure, body: Step, by: StaffMember,
             now: datetime) -> MeasureChange:
    return MeasureChange(from_status=before.status, to=after.status,
                         note=getattr(body, "note", None) or body.step.replace("_", " "),
                         by=by.username, at=now)
