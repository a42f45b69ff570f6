"""Where the good-neighbour route meets the rest of case work (issue 23, item 4; fixes from its
review): what a contact with the reporter does, what a moved request claims, how the figures
and repeat-victim risk see requests, and the tools an officer may not use on one."""

from __future__ import annotations

from asb.case.tasks import CUSTOMER_CONTACT, FIRST_CONTACT, GOOD_NEIGHBOUR_FOLLOW_UP, TaskState
from asb.casework.commands import record_contact
from asb.casework.models import ContactIn
from tests.unit.test_good_neighbour import MONDAY, OFFICER, folder, ids

ADVICE_SENT = ContactIn.model_validate({
    "with_whom": "reporter", "channel": "phone",
    "summary": "Sent the advice pack and offered mediation."})


def test_a_contact_with_the_reporter_of_a_request_is_its_follow_up_and_no_asb_contact() -> None:
    file = folder(**{GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(True, MONDAY)})
    change = record_contact(file, ADVICE_SENT, OFFICER, MONDAY, ids())
    assert [(t.kind, t.due_at, t.outcome) for t in change.tasks] == [
        (GOOD_NEIGHBOUR_FOLLOW_UP, None, "advice sent")]
    # No ContactDue schedule, no first-contact target: it is not an ASB case.
    assert change.case.targets == file.case.targets and change.case.first_contact_at is None
    assert change.audit.after and "first_contact" not in change.audit.after
    again = record_contact(folder(**{GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(False, None)}),
                           ADVICE_SENT, OFFICER, MONDAY, ids())
    assert again.tasks == []


def test_on_an_asb_case_a_contact_with_the_reporter_still_keeps_the_asb_targets() -> None:
    file = folder(**{FIRST_CONTACT: TaskState(True, MONDAY)})
    file = type(file)(case=file.case.model_copy(update={"pathway": "asb"}), reports=file.reports,
                      tasks=file.tasks)
    change = record_contact(file, ADVICE_SENT, OFFICER, MONDAY, ids())
    assert [t.kind for t in change.tasks] == [FIRST_CONTACT, CUSTOMER_CONTACT]
