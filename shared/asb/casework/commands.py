"""What an officer does to a case, as plain functions: each returns one CaseChange, which the
store writes in one transaction with its audit entry and events (optimistic locking on version).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from asb.case import good_neighbour, safeguarding
from asb.case.categorise import categorise, override_gives_way, with_override
from asb.case.change import (
    CaseChange,
    CaseFolder,
    NewId,
    Record,
    TaskChange,
    audit_entry,
    bump,
    domain_event,
)
from asb.case.complainants import action_plans, complainant_id, first_report
from asb.case.meetings import actions_ended_at_closure
from asb.case.models import Case, CaseStatus
from asb.case.parties import Party, Role
from asb.case.records import ActionPlanVersion, Contact, DiaryEntry, Referral
from asb.case.retention import retain_until
from asb.case.risk import answers_from_report, assess, combine, raised_for_repeat_victim
from asb.case.targets import contact_every, end_of_day, local_day
from asb.case.tasks import (
    CASE_REVIEW_RECOMMENDATION,
    CUSTOMER_CONTACT,
    EMERGENCY_LEGAL_CONSIDERATION,
    FIRST_CONTACT,
    HEARING,
    ORDER_REVIEW,
    PLAN_REVIEW,
    STEP_TITLES,
    TASK_TITLES,
)
from asb.case.witnesses import contact_every as witness_contact_every
from asb.case.witnesses import contact_made, keeps_schedule, next_contact
from asb.casework.models import (
    ActionPlanIn,
    AssignmentIn,
    ClosureIn,
    ContactIn,
    DiaryEntryIn,
    GoodNeighbourDecisionIn,
    LegalConsiderationIn,
    LegalHoldIn,
    OverrideIn,
    ReferralIn,
    ReopenIn,
    RiskReassessmentIn,
)
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import NotAllowed, StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import (
    FIRST_REVIEW_DAYS,
    UNASSIGNED_TEAM,
    UNDECIDED_LEGAL_STATUSES,
)
from asb.policy.working_days import add_working_days, on_or_after
from asb.triage.service import override, record_legal_consideration


def _open(folder: CaseFolder) -> Case:
    if folder.case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    return folder.case


def add_diary_entry(folder: CaseFolder, entry: DiaryEntryIn, by: StaffMember, now: datetime,
                    new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    diary = DiaryEntry(record_id=new_id(), at=now, **entry.model_dump(mode="json"),
                       by=by.username)
    record = Record("DiaryEntry", diary.record_id, now, diary.as_stored())
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "DiaryEntryAdded", now, new_id, after={"record": record.record_id,
                                                          "kind": entry.kind}),
        records=[record])


def _contacted_party(folder: CaseFolder, contact: ContactIn) -> Party | None:
    """The party a contact names: on the case, linked, and a witness if with a witness."""
    if contact.party_id is None:
        return None
    party = folder.parties.get(contact.party_id)
    if party is None or not party.active:
        raise InvalidChange([FieldError("party_id", "There is no party with this id on this "
                                                    "case")])
    if contact.with_whom == "witness" and Role.WITNESS not in party.roles:
        raise InvalidChange([FieldError("party_id", "This party is not a witness: name the "
                                                    "witness the contact was with")])
    return party


def record_contact(folder: CaseFolder, contact: ContactIn, by: StaffMember, now: datetime,
                   new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    party = _contacted_party(folder, contact)
    made = Contact(record_id=new_id(), at=now,
                   **contact.model_dump(mode="json", exclude_none=True), by=by.username)
    # A contact with a witness moves their own schedule on (asb.case.witnesses).
    records = [Record("Contact", made.record_id, now, made.as_stored()),
               *(contact_made(folder, party.party_id, now) if party else [])]
    record = records[0]
    tasks, changes = [], {}
    if contact.with_whom == "reporter" and case.pathway == good_neighbour.GOOD_NEIGHBOUR:
        tasks = good_neighbour.followed_up(folder)  # not an ASB case: no ASB contact targets
    elif contact.with_whom == "reporter":
        first = folder.tasks.get(FIRST_CONTACT)
        if first and first.open:
            on_time = first.due_at is None or now <= first.due_at
            tasks.append(TaskChange(FIRST_CONTACT, None, TASK_TITLES[FIRST_CONTACT],
                                    "on time" if on_time else "late"))
            changes = {"first_contact_at": now, "first_contact_on_time": on_time}
        next_due = add_working_days(local_day(now), contact_every(case))
        tasks.append(TaskChange(CUSTOMER_CONTACT, end_of_day(next_due),
                                TASK_TITLES[CUSTOMER_CONTACT]))
        targets = {**(case.targets or {}), "next_contact_due": next_due.isoformat()}
        if "first_contact_at" in changes:
            # The listing indexes carry targets, not the case: lists can say it was made.
            targets["first_contact_made"] = local_day(now).isoformat()
        changes["targets"] = targets
    return CaseChange(bump(case, now, **changes), case.version, audit_entry(
        case, by, "ContactRecorded", now, new_id,
        after={"record": record.record_id, "channel": contact.channel,
               "with": contact.with_whom, **({"party_id": party.party_id} if party else {}),
               **({"first_contact": True} if changes.get("first_contact_at") else {})}),
        records=records, tasks=tasks)


def _agreed_with(folder: CaseFolder, named: str | None) -> str | None:
    """The complainant's report the plan belongs to: named by its report id (or by the id of a
    complainant party that came with a report), a report on this case that is not anonymous;
    left out, the case's first report (none if that one is anonymous)."""
    if named is None:
        first = first_report(folder.reports)
        return first.report_id if first and not first.submission.anonymous else None
    party = folder.parties.get(named)
    report_id = party.report_id if party and party.complainant and party.report_id else named
    report = next((r for r in folder.reports if r.report_id == report_id), None)
    if report is None:
        raise InvalidChange([FieldError("agreed_with", "There is no report with this id on "
                                                       "this case")])
    if report.submission.anonymous:
        raise InvalidChange([FieldError("agreed_with", "This report is anonymous: a plan "
                                        "cannot be agreed with someone we cannot contact")])
    return report_id


def _plan_review(plans: dict[str, dict[str, Any]]) -> date:
    """The case's plan review falls due at the earliest of its complainants' review dates."""
    return min(date.fromisoformat(str(p["review_on"])) for p in plans.values())


def agree_action_plan(folder: CaseFolder, plan: ActionPlanIn, by: StaffMember, now: datetime,
                      new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """A plan agreed with one complainant: the case's own (its lead complainant's, the first
    agreed, whose contact schedule the case keeps) or a further complainant's, kept apart so
    that each is shown and sent only their own. Versions count across the case's plans."""
    case = _open(folder)
    if plan.review_on <= local_day(now):
        raise InvalidChange([FieldError("review_on", "The review date must be in the future")])
    agreed_with = _agreed_with(folder, plan.agreed_with)
    plans = action_plans(case, folder.reports)
    lead = case.action_plan is None or agreed_with == complainant_id(case, folder.reports)
    every = [case.action_plan or {}, *case.complainant_plans.values()]
    version = max(int(p.get("version", 0)) for p in every) + 1
    agreed = ActionPlanVersion(
        record_id=f"{version:04d}", at=now,
        **{**plan.model_dump(mode="json"), "agreed_with": agreed_with, "version": version,
           "by": by.username,
           "agreed_on": (plan.agreed_on or local_day(now)).isoformat()
           if plan.customer_agreed else None})
    summary = agreed.as_plan()
    record = Record("ActionPlan", agreed.record_id, now, agreed.as_stored())
    status = CaseStatus.OPEN if case.status in (CaseStatus.NEW, CaseStatus.TRIAGED) else case.status
    if lead:
        # A complainant whose plan came with a case joined into this one becomes the lead.
        others = {k: v for k, v in case.complainant_plans.items() if k != agreed_with}
        changes: dict[str, Any] = {"action_plan": summary, "complainant_plans": others,
                                   "contact_every_working_days": plan.contact_every_working_days}
    else:
        changes = {"complainant_plans": {**case.complainant_plans, str(agreed_with): summary}}
    review = _plan_review({**plans, str(agreed_with or ""): summary})
    targets = {**(case.targets or {}), "review_due": review.isoformat()}
    updated = bump(case, now, status=status, targets=targets, **changes)
    previous = plans.get(str(agreed_with)) or {}
    return CaseChange(updated, case.version, audit_entry(
        case, by, "ActionPlanAgreed", now, new_id,
        before={"plan_version": int(previous.get("version", 0))},
        after={"plan_version": version, "customer_agreed": plan.customer_agreed,
               "agreed_with": agreed_with}),
        records=[record],
        tasks=[TaskChange(PLAN_REVIEW, end_of_day(review), TASK_TITLES[PLAN_REVIEW])],
        events=[domain_event(case, "ActionPlanAgreed", now, new_id, {
            "plan_version": version, "customer_agreed": plan.customer_agreed,
            "agreed_with": agreed_with, "anonymous": case.anonymous})])


def reassess_risk(folder: CaseFolder, body: RiskReassessmentIn, by: StaffMember, now: datetime,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    answers = {**case.officer_answers, **body.answers}
    risk = raised_for_repeat_victim(
        assess(combine(answers_from_report(r.submission) for r in folder.reports), answers),
        case.reported_before)
    changes = _hate_found(case, body, by, now)
    hate = bool(changes.get("hate_incident", case.hate_incident))
    decided = with_override(categorise(case.behaviours, hate, risk), case.category_override, hate)
    if case.category_override and override_gives_way(case.category_override["value"], hate):
        changes["category_override"] = None
    category = decided.category
    changes["category_reasons"] = list(decided.reasons)
    updated = bump(case, now, officer_answers=answers, risk=risk.as_dict(), category=category,
                   **changes)
    before = {"risk_level": (case.risk or {}).get("level"), "category": case.category}
    after: dict[str, Any] = {"risk_level": risk.level, "score": risk.score, "category": category}
    if "hate_finding" in changes:
        before["hate_incident"] = False
        after |= {"hate_incident": True, "hate_incident_found_by": by.username}
    if "category_override" in changes:
        before["category_override"] = (case.category_override or {}).get("value")
        after["category_override"] = None
    return CaseChange(updated, case.version, audit_entry(case, by, "RiskReassessed", now, new_id,
                                                    before=before, after=after),
                      tasks=[*_review_done(folder, risk.level, now),
                             *safeguarding.prompt_tasks(folder, risk.as_dict(), now)],
                      events=[domain_event(case, "RiskReassessed", now, new_id, after)])


def _hate_found(case: Case, body: RiskReassessmentIn, by: StaffMember,
                now: datetime) -> dict[str, Any]:
    """NM01(2) counts a case perceived as a hate incident by the victim or anyone else: an
    officer's "yes" to the hate question marks it, with who found it. A later "no" unmarks
    nothing: it was perceived, and a routine re-assessment must not drop it from the count."""
    if case.hate_incident or not body.answers.get("hate_motive"):
        return {}
    return {"hate_incident": True, "hate_finding": {
        "by": by.username, "at": now.isoformat(), "source": "risk assessment"}}


def _review_done(folder: CaseFolder, level: str, now: datetime) -> list[TaskChange]:
    """Re-assessing risk is the review the plan-review task asks for: the task is done and the
    next review falls due as often as the new risk level requires."""
    review = folder.tasks.get(PLAN_REVIEW)
    if review is None or not review.open:
        return []
    next_review = on_or_after(local_day(now) + timedelta(days=FIRST_REVIEW_DAYS[level]))
    return [TaskChange(PLAN_REVIEW, end_of_day(next_review), TASK_TITLES[PLAN_REVIEW])]


def override_triage(folder: CaseFolder, body: OverrideIn, by: StaffMember, now: datetime,
                    new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    updated, audit = override(case, body.field, body.value, body.reason,
                              f"staff:{by.username}", now, new_id)
    return CaseChange(updated, case.version, audit)


def refer(folder: CaseFolder, body: ReferralIn, by: StaffMember, now: datetime,
          new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    if not body.consent:
        raise RuleBroken(f"A {body.service} referral needs the consent of the person referred")
    referral = Referral(record_id=new_id(), at=now, **body.model_dump(mode="json"),
                        status="sent", by=by.username)
    record = Record("Referral", referral.record_id, now, referral.as_stored())
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "ReferralMade", now, new_id,
        after={"referral_id": record.record_id, "service": body.service}),
        records=[record],
        events=[domain_event(case, "ReferralMade", now, new_id,
                       {"referral_id": record.record_id, "service": body.service})])


def close(folder: CaseFolder, body: ClosureIn, by: StaffMember, now: datetime,
          new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    undecided = [m.name for m in folder.measures.values()
                 if m.legal and m.status in UNDECIDED_LEGAL_STATUSES]
    if undecided:
        raise RuleBroken(f"Legal action is still open ({', '.join(undecided)}): record its "
                         "outcome before closing the case")
    listed = sorted(str(d.get("on")) for d in folder.deadlines.values() if d.get("kind") == HEARING)
    if listed:
        raise RuleBroken(f"A court hearing is listed ({', '.join(listed)}): record its outcome "
                         "before closing the case")
    tasks = [TaskChange(kind, None, TASK_TITLES.get(kind, kind), "case closed")
             for kind, state in folder.tasks.items() if state.open]
    updated = bump(case, now, status=CaseStatus.CLOSED, closed_at=now, outcome=body.outcome,
                    closure_reasons=body.reasons,
                    retain_until=retain_until(now, [m.as_stored()
                                                    for m in folder.measures.values()]))
    return CaseChange(updated, case.version, audit_entry(
        case, by, "CaseClosed", now, new_id, before={"status": case.status.value},
        after={"status": "closed", "outcome": body.outcome}), tasks=tasks,
        # A meeting's open actions end with the case (their Deadline items with its dates).
        records=[*_dates_done_at_closure(folder, now), *actions_ended_at_closure(folder, now)],
        events=[domain_event(case, "CaseClosed", now, new_id, {
            "outcome": body.outcome, "anonymous": case.anonymous, "officer": case.officer})],
        matters_open=False)


def _dates_done_at_closure(folder: CaseFolder, now: datetime) -> list[Record]:
    """An agreement's review falls due no more once its case is closed. An order's review stays:
    an order may outlive its case, and its end (recorded on the closed case) moves retention.
    So does an ASB Case Review's recommendation made to us: the lead body expects it done."""
    return [Record("Deadline", record_id, now, {
        **{k: v for k, v in item.items() if k not in ("due_kind", "due_at")},
        "status": "done", "done_at": now.isoformat(), "outcome": "case closed"}, replace=True)
        for record_id, item in sorted(folder.deadlines.items())
        if item.get("kind") not in (ORDER_REVIEW, CASE_REVIEW_RECOMMENDATION)]


def reopen(folder: CaseFolder, body: ReopenIn, by: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.status != CaseStatus.CLOSED:
        raise RuleBroken("Only a closed case can be reopened")
    next_due = add_working_days(local_day(now), contact_every(case))
    if case.anonymised_at:
        raise RuleBroken("The case was anonymised under the retention policy: open a new one")
    updated = bump(case, now, status=CaseStatus.OPEN, closed_at=None, outcome=None,
                    closure_reasons=None, retain_until=None)
    return CaseChange(updated, case.version, audit_entry(
        case, by, "CaseReopened", now, new_id, before={"status": "closed"},
        after={"status": "open", "reason": body.reason}),
        tasks=[TaskChange(CUSTOMER_CONTACT, end_of_day(next_due), TASK_TITLES[CUSTOMER_CONTACT])],
        # Each witness's schedule, ended by the closure, starts again.
        records=[next_contact(updated, p.party_id, witness_contact_every(folder, p.party_id), now)
                 for p in sorted(folder.parties.values(), key=lambda p: p.party_id)
                 if keeps_schedule(p)],
        events=[domain_event(case, "CaseReopened", now, new_id, {"reason": body.reason})],
        matters_open=True)


def assign(folder: CaseFolder, body: AssignmentIn, by: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """A manager, or an officer of the intake team, puts the case with an officer (or back on a
    team's queue). The case's listing keys, its open tasks and enforcement's open dates move
    with it; the new officer is told (OfficerAssigned). A closed case may still have work open
    (an order's review, an ASB Case Review's recommendation or steps, a request to share
    waiting on a decision): that goes to a named officer, so that it outlives its first
    officer's leaving."""
    if "manager" not in by.roles and by.team != UNASSIGNED_TEAM:
        raise NotAllowed("Only a manager or the intake team assigns cases")
    case = folder.case
    if (body.officer, body.team) == (case.officer, case.team):
        raise RuleBroken(f"The case is already with {body.officer or 'the team queue'} "
                         f"of the {body.team} team")
    titles = {**TASK_TITLES, **STEP_TITLES}
    tasks = [TaskChange(kind, state.due_at, titles.get(kind, kind))
             for kind, state in sorted(folder.tasks.items()) if state.open and state.due_at]
    # Legal action and requests to share waiting on a decision are due work too, by officer.
    waiting = [Record(entity, record_id, now, {**item, "officer": body.officer, "team": body.team},
                      replace=True)
               for entity, records in (("Measure", {i: m.as_stored()
                                                    for i, m in folder.measures.items()}),
                                       ("Disclosure", {i: d.as_stored()
                                                       for i, d in folder.disclosures.items()}))
               for record_id, item in sorted(records.items()) if item.get("due_kind")]
    waiting += [Record("Deadline", record_id, now, {**item, "officer": body.officer,
                                                    "team": body.team}, replace=True)
                for record_id, item in sorted(folder.deadlines.items())]
    if case.status == CaseStatus.CLOSED:
        _closed_case_work_moves(case, body, by, bool(tasks or waiting))
    before = {"officer": case.officer, "team": case.team}
    after = {"officer": body.officer, "team": body.team, "reason": body.reason}
    events = [domain_event(case, "OfficerAssigned", now, new_id, {
        "officer": body.officer, "team": body.team, "by": by.username,
        "previous_officer": case.officer})] if body.officer else []
    return CaseChange(bump(case, now, officer=body.officer, team=body.team), case.version,
                      audit_entry(case, by, "CaseAssigned", now, new_id, before=before,
                                  after=after),
                      records=waiting, tasks=tasks, events=events)


def _closed_case_work_moves(case: Case, body: AssignmentIn, by: StaffMember,
                            open_work: bool) -> None:
    """A closed case's open work goes to an officer of its team, by a manager: the case stays
    in its team's lists and figures."""
    by.require("manager")
    if not open_work:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    errors = [FieldError("officer", "A closed case's open work goes to an officer: name one")
              ] if body.officer is None else []
    if body.team != case.team:
        errors.append(FieldError("team", f"A closed case stays with its team ({case.team})"))
    if errors:
        raise InvalidChange(errors)


def consider_legal_action(folder: CaseFolder, body: LegalConsiderationIn, by: StaffMember,
                          now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    decision, audit = record_legal_consideration(case, body.considered, body.reason,
                                                 f"staff:{by.username}", now, new_id)
    outcome = "considered" if decision.considered else "not considered"
    return CaseChange(bump(case, now), case.version, audit, tasks=[TaskChange(
        EMERGENCY_LEGAL_CONSIDERATION, None, TASK_TITLES[EMERGENCY_LEGAL_CONSIDERATION],
        f"{outcome}: {decision.reason}")])


def set_legal_hold(folder: CaseFolder, reason: str, by: StaffMember, now: datetime,
                   new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The DPO stops the retention clock (litigation, an inquiry); audited."""
    by.require("dpo")
    case = folder.case
    if len(reason.strip()) < 10:
        raise InvalidChange([FieldError("reason", "Give the reason for the hold, in a sentence")])
    hold = {"reason": reason.strip(), "by": by.username, "at": now.isoformat()}
    return CaseChange(bump(case, now, legal_hold=hold), case.version, audit_entry(
        case, by, "LegalHoldSet", now, new_id, after=hold))


def release_legal_hold(folder: CaseFolder, reason: str, by: StaffMember, now: datetime,
                       new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    by.require("dpo")
    case = folder.case
    if not case.legal_hold:
        raise RuleBroken("There is no legal hold on this case")
    return CaseChange(bump(case, now, legal_hold=None), case.version, audit_entry(
        case, by, "LegalHoldReleased", now, new_id, before=case.legal_hold,
        after={"reason": reason.strip()}))


def change_legal_hold(folder: CaseFolder, body: LegalHoldIn, by: StaffMember, now: datetime,
                      new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    if body.hold:
        return set_legal_hold(folder, body.reason, by, now, new_id)
    return release_legal_hold(folder, body.reason, by, now, new_id)


def decide_good_neighbour(folder: CaseFolder, body: GoodNeighbourDecisionIn, by: StaffMember,
                          now: datetime, new_id: NewId = lambda: str(uuid.uuid4()),
                          matters: Mapping[str, str | None] | None = None) -> CaseChange:
    """Whether a good-neighbour request is ASB (asb.case.good_neighbour.decide); `matters`: its
    reports' tenancies, each with the other open case that holds it (None: free)."""
    return good_neighbour.decide(folder, body.treat_as_asb, body.reason, by, now, new_id,
                                 matters)
