"""The ladder of interventions (ASB-REFERENCE section 5, "proportionate, escalating"): a case's
tools and powers, or a person's across their cases, as rungs in date order - each with its
stage on the ladder, whom it was against, everything that happened to it and when, where it
stands and what came of it - so that an officer, a manager or an Ombudsman can see at a glance
whether the response escalated step by step. Plain functions of the measures as stored."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from asb.case.enforcement import Agreement, Hearing, Order, WarningLetter
from asb.case.records import Measure
from asb.case.targets import local_day
from asb.policy.config import (
    ABSOLUTE_GROUND_CONDITIONS,
    HOLDER_WORDS,
    LADDER_STAGES,
    NOTICE_GROUNDS,
    TOOL_CATALOGUE,
)

_ANSWER = ConfigDict(frozen=True, defer_build=True)

EventKind = Literal["recorded", "approved", "not approved", "interview", "letter", "agreement",
                    "agreement reviewed", "breach", "condition met", "notice served", "applied",
                    "hearing listed", "hearing held", "order made", "order expires",
                    "order ended", "status"]
# Statuses the structured parts already explain (a hearing's refusal, an order's end...):
# a status change in the history is a rung's event only where nothing else tells it.
_TOLD_BY_ITS_STATUS = frozenset({"withdrawn", "completed"})


class LadderEvent(BaseModel):
    """One thing that happened to a rung (or is listed to: a hearing, an order's expiry)."""

    model_config = _ANSWER
    on: date
    kind: EventKind
    what: str = Field(description="What happened, in words")


class Rung(BaseModel):
    """A tool or power used, as a rung of the ladder."""

    model_config = _ANSWER
    case_reference: str
    measure_id: str
    measure: str = Field(description="The tool or power, by its catalogue code")
    name: str
    stage: int = Field(description="Its rung: 1 support and early intervention, 2 interviews "
                                   "and warnings, 3 agreements and notices, 4 court orders")
    stage_words: str
    legal: bool
    held_by: str = Field(description="Whose power it is: the landlord's, or a partner's")
    party_id: str | None = Field(description="The party it was against")
    against: str | None = Field(description="That person's name, where known")
    began_on: date = Field(description="When it was used (an interview: when it was held)")
    recorded_at: datetime
    recorded_by: str
    rationale: str = Field(description="Why it was used: the proportionality rationale")
    status: str
    approval: str = Field(description="Legal action: pending, approved or refused")
    outcome: str = Field(description="Where it stands, or what came of it, in words")
    events: list[LadderEvent] = Field(description="Everything that happened, in date order")
    skips: str | None = Field(default=None, description=(
        "Set when it comes before any rung of the stage below it against the same person: "
        "which stages, in words. The reason is its rationale"))


def ladder(case_reference: str, measures: Iterable[Measure],
           names: Mapping[str, str] | None = None) -> list[Rung]:
    """A case's ladder: every measure in date order; a skipped stage judged against the
    earlier rungs against the same party. `names`: a person's name by party id."""
    rungs = [rung(case_reference, m, (names or {}).get(m.party_id or "")) for m in measures]
    return escalation(rungs, lambda r: r.party_id)


def persons_ladder(measures: Iterable[tuple[str, Measure]], name: str | None) -> list[Rung]:
    """A person's ladder across their cases: (case reference, measure) pairs of the measures
    against them; a skipped stage judged against every earlier rung against them."""
    return escalation([rung(reference, m, name) for reference, m in measures], lambda r: None)


def escalation(rungs: list[Rung], person: Callable[[Rung], Hashable]) -> list[Rung]:
    """The rungs in date order, each flagged where it skips a stage of that person's ladder
    (stage 1, support, is not asked for: it is often not a recorded tool)."""
    reached: dict[Hashable, int] = {}
    ordered = []
    for each in sorted(rungs, key=lambda r: (r.began_on, r.recorded_at, r.measure_id)):
        highest = reached.get(person(each), 1)
        if each.stage >= 3 and highest < each.stage - 1:
            missing = " or ".join(LADDER_STAGES[s] for s in range(highest + 1, each.stage))
            each = each.model_copy(update={"skips": (
                f"No {missing} against them on record before it: the reason recorded is its "
                "rationale")})
        if each.status != "withdrawn" and each.approval != "refused":
            reached[person(each)] = max(highest, each.stage)
        ordered.append(each)
    return ordered


def rung(case_reference: str, measure: Measure, against: str | None = None) -> Rung:
    tool = TOOL_CATALOGUE.get(measure.measure)
    stage = tool.stage if tool else 1
    recorded_on = local_day(measure.recorded_at)
    began = min([recorded_on, *([measure.interview.held_on] if measure.interview else [])])
    return Rung(
        case_reference=case_reference, measure_id=measure.record_id, measure=measure.measure,
        name=measure.name, stage=stage, stage_words=LADDER_STAGES[stage], legal=measure.legal,
        held_by=_holder(measure), party_id=measure.party_id,
        against=against, began_on=began, recorded_at=measure.recorded_at,
        recorded_by=measure.by, rationale=measure.rationale,
        status=measure.status, approval=measure.approval, outcome=outcome(measure),
        events=events(measure))


def _holder(measure: Measure) -> str:
    """Whose power it is; a partner's, with the partner it was asked of (the measure names it:
    asb.partners.power_requests)."""
    tool = TOOL_CATALOGUE.get(measure.measure)
    words = HOLDER_WORDS[tool.held_by if tool else "landlord"]
    partner = getattr(measure, "partner_name", None)
    return f"{words}: asked of {partner}" if partner and tool and not tool.ours else words


# ------------------------------------------------------------------ what happened


def events(measure: Measure) -> list[LadderEvent]:
    """Everything that happened to the measure, in date order (on one day, in the order of
    its life: recorded, approved, served, applied, heard, ordered)."""
    found = [LadderEvent(on=local_day(measure.recorded_at), kind="recorded",
                         what=f"{measure.name} recorded by {measure.by}"),
             *_approval(measure), *_early(measure), *_agreement(measure.agreement),
             *_possession(measure),
             *(_hearing(h) for h in measure.hearings), *_order(measure.order),
             *(LadderEvent(on=b.on, kind="breach", what=f"Breach of the order: {b.what}")
               for b in measure.breaches),
             *_statuses(measure)]
    return sorted(found, key=lambda e: e.on)


def _approval(measure: Measure) -> list[LadderEvent]:
    if measure.approval_at is None or measure.approval not in ("approved", "refused"):
        return []
    approved = measure.approval == "approved"
    return [LadderEvent(on=local_day(measure.approval_at),
                        kind="approved" if approved else "not approved",
                        what=f"{'Approved' if approved else 'Not approved'} by "
                             f"{measure.approved_by}: {measure.approval_reason}")]


def _early(measure: Measure) -> list[LadderEvent]:
    found = []
    if measure.interview is not None:
        found.append(LadderEvent(on=measure.interview.held_on, kind="interview", what=(
            f"Interview held; next steps agreed: {measure.interview.next_steps}")))
    found += [LadderEvent(on=letter.issued_on, kind="letter", what=(
        f"{letter.kind.capitalize()} warning letter "
        f"{'by email' if letter.channel == 'email' else 'by post'}{_delivered(letter)}"))
        for letter in measure.letters]
    return found


def _agreement(agreement: Agreement | None) -> list[LadderEvent]:
    if agreement is None:
        return []
    return [LadderEvent(on=agreement.starts_on, kind="agreement", what=(
        f"Agreement starts: {len(agreement.terms)} term{'s' if len(agreement.terms) > 1 else ''}, "
        f"signed by {', '.join(agreement.signatories)}")),
        *(LadderEvent(on=r.held_on, kind="agreement reviewed",
                      what=f"Agreement reviewed by {r.by}: {r.outcome}") for r in agreement.reviews),
        *(LadderEvent(on=b.on, kind="breach", what=f"Breach of the agreement: {b.what}")
          for b in agreement.breaches)]


def _possession(measure: Measure) -> list[LadderEvent]:
    found = []
    ground, notice, application = measure.absolute_ground, measure.notice, measure.application
    if ground is not None:
        words = ABSOLUTE_GROUND_CONDITIONS[ground.condition][0]
        found.append(LadderEvent(on=ground.met_on, kind="condition met", what=(
            f"Absolute ground condition {ground.condition} met ({words}): notice to be served "
            f"by {ground.serve_by.isoformat()}")))
    if notice is not None:
        words = NOTICE_GROUNDS.get(notice.ground, (notice.ground,))[0]
        found.append(LadderEvent(on=notice.served_on, kind="notice served", what=(
            f"Notice of seeking possession served on {words}: proceedings from "
            f"{notice.proceedings_from.isoformat()}, in force until "
            f"{notice.expires_on.isoformat()}")))
    if application is not None:
        found.append(LadderEvent(on=application.applied_on, kind="applied", what=(
            f"Applied to {application.court}"
            f"{' without notice' if application.without_notice else ''}"
            f"{', with a power of arrest sought' if application.power_of_arrest_sought else ''}")))
    return found


def _hearing(hearing: Hearing) -> LadderEvent:
    heard = f"{hearing.purpose.capitalize()} hearing at {hearing.court}"
    if hearing.outcome is None:
        return LadderEvent(on=local_day(hearing.at), kind="hearing listed", what=f"{heard} listed")
    return LadderEvent(on=local_day(hearing.at), kind="hearing held",
                       what=f"{heard}: {hearing.outcome}"
                            + (f" ({hearing.note})" if hearing.note else ""))


def _order(order: Order | None) -> list[LadderEvent]:
    if order is None:
        return []
    found = [LadderEvent(on=order.made_on, kind="order made", what=(
        f"{_order_words(order)} made"
        f"{', with a power of arrest' if order.power_of_arrest else ''}"))]
    if order.ended_on is not None:
        found.append(LadderEvent(on=order.ended_on, kind="order ended",
                                 what=f"{_order_words(order)} ended"))
    elif order.expires_on is not None:
        found.append(LadderEvent(on=order.expires_on, kind="order expires",
                                 what=f"{_order_words(order)} expires"))
    return found


def _statuses(measure: Measure) -> list[LadderEvent]:
    """Status changes nothing else on the record tells: a withdrawal, a completion not
    decided at an agreement's review, and every change of a measure kept before its life was
    recorded in parts (a plain status move: applied, granted, breached...)."""
    structured = any((measure.notice, measure.application, measure.hearings, measure.order,
                      measure.breaches, measure.agreement))
    return [LadderEvent(on=local_day(change.at), kind="status", what=(
        f"{change.from_status} -> {change.to}" + (f": {change.note}" if change.note else "")))
        for change in measure.history
        if not structured or (change.to in _TOLD_BY_ITS_STATUS and measure.agreement is None)
        or change.to == "withdrawn"]


# ------------------------------------------------------------------ where it stands


def outcome(measure: Measure) -> str:
    """Where the measure stands, or what came of it, in words."""
    if measure.status == "withdrawn":
        return "Withdrawn"
    if measure.approval == "refused":
        return "Not approved by a manager"
    if measure.approval == "pending":
        return "Waiting for a manager's approval"
    if measure.order is not None:
        return _order_outcome(measure.order, len(measure.breaches))
    if measure.status == "refused":
        return "Refused"
    if measure.agreement is not None:
        return _agreement_outcome(measure.agreement)
    return _progress(measure)


def _order_outcome(order: Order, breaches: int) -> str:
    words = _order_words(order)
    if order.ended_on is not None:
        return f"{words} made on {order.made_on.isoformat()}, ended on {order.ended_on.isoformat()}"
    until = f", in force until {order.expires_on.isoformat()}" if order.expires_on else ""
    broken = f"; breached {_times(breaches)}" if breaches else ""
    return f"{words} made on {order.made_on.isoformat()}{until}{broken}"


def _agreement_outcome(agreement: Agreement) -> str:
    breaches = f"; breached {_times(len(agreement.breaches))}" if agreement.breaches else ""
    if agreement.review_on is not None:
        return f"Agreement in force, next review {agreement.review_on.isoformat()}{breaches}"
    ended = agreement.reviews[-1].outcome if agreement.reviews else "ended"
    return {"ended: kept": "Agreement kept", "ended: broken": "Agreement broken"}.get(
        ended, "Agreement ended") + breaches


def _progress(measure: Measure) -> str:
    """A measure still on its way, or one kept before its life was recorded in parts."""
    upcoming = sorted(h.at for h in measure.hearings if h.outcome is None)
    if measure.application is not None:
        return (f"Applied for on {measure.application.applied_on.isoformat()}"
                + (f"; next hearing {local_day(upcoming[0]).isoformat()}" if upcoming else ""))
    if measure.notice is not None:
        return (f"Notice served on {measure.notice.served_on.isoformat()}; proceedings from "
                f"{measure.notice.proceedings_from.isoformat()}")
    if measure.letters:
        last = measure.letters[-1]
        return f"Warning letter issued on {last.issued_on.isoformat()}{_delivered(last)}"
    words = {"considered": "Approved; not yet served or applied for", "completed": "Completed",
             "granted": "Granted", "breached": "Granted, then breached", "expired": "Ended",
             "requested": "Asked of the partner: waiting for their decision",
             "applied": "Applied for" if measure.legal else "Given"}
    return words.get(measure.status, measure.status.capitalize())


def _delivered(letter: WarningLetter) -> str:
    """What became of a letter, where the record says (the case view joins its delivery log;
    a measure as stored keeps it as asked for, "queued")."""
    return "" if letter.delivery == "queued" else f": {letter.delivery}"


def _order_words(order: Order) -> str:
    return {"injunction": "Injunction", "demotion": "Demotion order"}.get(
        order.kind, f"{order.kind.capitalize()} order")


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
