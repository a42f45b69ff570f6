"""The report form as GOV.UK question pages: a short page for each thing, then "Check your
answers", then the same ``POST /reports`` as ever.

Nothing is stored until the report is sent: each page carries the answers so far in hidden
inputs, and each step is checked on its own by the report's own model (its errors on the
questions of that page; the rest wait for their pages). Which page comes next is worked out
from the answers alone, so a question that does not apply (an anonymous reporter's contact
details; who is doing it, for someone who does not know) is never asked, and its answers are
dropped if the reporter changes their mind.

Where it happens, and where the person doing it lives, are GOV.UK's address lookup: a postcode,
then the landlord's homes there to choose from (a page that looks the postcode up in the homes
register, injected as `homes_at`: no other page reads it), or "It is not listed" and the address
in words. When neither is one of the landlord's homes, the reporter is asked whether either of
them lives in one: "No" ends at a page saying who can help instead (nothing is sent); "Yes"
sends the report flagged for an officer to check the address.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from pydantic import ValidationError

from asb.case.homes import Home
from asb.kernel.validation import FieldError, field_errors
from asb.policy.config import BEHAVIOURS, CONTACT_CHANNELS, HATE_STRANDS, RELATIONSHIPS
from asb.policy.languages import LANGUAGES
from asb.web.report_form import (
    IDEMPOTENCY_FIELD,
    NOT_LISTED,
    chose_anonymity,
    explain_date_errors,
    submission_from_form,
)

Answers = dict[str, list[str]]
Kind = Literal["text", "area", "radios", "checkboxes", "yes_no", "date", "select", "ticks",
               "safe_times", "home"]
# The landlord's homes at a normalised postcode (asb.case.homes.HomesRegister.homes_at).
HomesAt = Callable[[str], Sequence[Home]]

START = "start"
CHECK = "check"
HELP = "help-elsewhere"  # neither home is the landlord's: who can help instead (nothing sent)
YES_NO = {"yes": "Yes", "no": "No"}
NONE_OF_THESE = "None of these"  # GOV.UK's exclusive last option of a list to tick
# The journey's own fields (which page, which button): never part of the report.
PAGE_FIELD, GO_FIELD, CHANGE_FIELD = "page", "go", "change"
CHECKING_FIELD, ANSWERED_FIELD = "checking", "answered"
# The pages a refused report still has problems on (names only, never answers): each shows its
# errors as it opens.
REFUSED_FIELD = "refused"
# An error on a whole group (the model's checks across fields) belongs to the question it is
# about: the preferred way of contact, or the dates' order.
_GROUP_ERRORS = {"reporter": ("reporter.preferred_contact", "reporter.unsafe_channels"),
                 "incident": ("incident.last_occurred",)}


@dataclass(frozen=True)
class Question:
    field: str  # the answer's form name; a question of several boxes, their common id
    label: str
    kind: Kind
    optional: bool = True
    hint: str = ""
    options: Mapping[str, str] = dataclasses.field(default_factory=dict)
    input_type: str = "text"
    autocomplete: str = ""
    short: bool = False
    key: str = ""  # its name on "Check your answers", short enough to share a line on a phone
    # A 'ticks' question's exclusive "None of these" (an explicit "no" to every tick), offered
    # when set: what is said when it is ticked with another box.
    none_of_these: str = ""
    # A 'home' question: the postcode whose homes it lists, and the answer it fills in with
    # the chosen home's address (from the register, never typed).
    postcode_field: str = ""
    address_field: str = ""

    @property
    def text(self) -> str:
        """As the page asks it: GOV.UK marks the optional questions, not the required ones."""
        return f"{self.label} (optional)" if self.optional else self.label

    @property
    def names(self) -> tuple[str, ...]:
        """The form names it answers: each tick of a 'ticks' question is a yes/no of its own."""
        if self.kind == "ticks":
            return (*self.options, self.none_field) if self.none_of_these else tuple(self.options)
        if self.kind == "safe_times":
            return ("reporter.safe_from", "reporter.safe_until", "reporter.safe_contact_times")
        return (self.field,)

    def asks(self, name: str) -> bool:
        return any(name == own or name.startswith(f"{own}.") for own in self.names)

    @property
    def none_field(self) -> str:
        return f"{self.field}.none"

    def ticked(self, answers: Answers) -> list[str]:
        return [name for name in self.options if _last(answers, name) == "yes"]

    def chose_none_of_these(self, answers: Answers) -> bool:
        """"None of these" ticked as sent, or already settled into a "no" to every tick."""
        return bool(self.none_of_these) and (
            _last(answers, self.none_field) == "yes"
            or all(_last(answers, name) == "no" for name in self.options))


def _always(answers: Answers) -> bool:
    return True


def _knows_who(answers: Answers) -> bool:
    return _last(answers, "perpetrator.known") == "yes"


def _everyday_noise(answers: Answers) -> bool:
    """Everyday living noise: whether the building lets it through (a good-neighbour
    request's property check)."""
    return "household_noise" in answers.get("incident.behaviours", [])


def _named(answers: Answers) -> bool:
    return not chose_anonymity(answers)


def _picked(answers: Answers, name: str) -> bool:
    """A home chosen from the list (a UPRN), not "It is not listed" nor nothing yet."""
    return _last(answers, name) not in ("", NOT_LISTED)


def _place_has_postcode(answers: Answers) -> bool:
    return bool(_last(answers, "location.postcode"))


def _place_not_in_list(answers: Answers) -> bool:
    return not _place_has_postcode(answers) or _last(answers, "location.uprn") == NOT_LISTED


def _their_postcode_known(answers: Answers) -> bool:
    return _knows_who(answers) and bool(_last(answers, "perpetrator.postcode"))


def _their_home_not_in_list(answers: Answers) -> bool:
    return _their_postcode_known(answers) and _last(answers, "perpetrator.uprn") == NOT_LISTED


def _no_home_of_ours(answers: Answers) -> bool:
    return not (_picked(answers, "location.uprn")
                or (_knows_who(answers) and _picked(answers, "perpetrator.uprn")))


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    questions: tuple[Question, ...]
    applies: Callable[[Answers], bool] = _always
    intro: bool = False  # words before the questions (templates/intro/<name>.html)
    key: str = ""  # its row on "Check your answers" when none of its questions is answered
    # Answers it fills in without asking (a chosen home's address): carried, and kept while
    # it applies even if the page that asks them does not.
    sets: tuple[str, ...] = ()
    # The page whose answer it depends on (a list of homes, on its postcode): asked again
    # whenever that page is answered, even when changing an answer from the check page.
    reasked_after: str = ""

    @property
    def heading_is_question(self) -> bool:
        """One question and nothing before it: its legend or label is the page's heading, as
        GOV.UK does it."""
        return len(self.questions) == 1 and not self.intro

    @property
    def heading(self) -> str:
        """Its h1's words, which its <title> repeats (GOV.UK)."""
        return self.questions[0].text if self.heading_is_question else self.title

    def asks(self, name: str) -> bool:
        return any(question.asks(name) for question in self.questions)

    def question_for(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.asks(name)), None)

    @property
    def home_question(self) -> Question | None:
        return next((q for q in self.questions if q.kind == "home"), None)


HARM = {
    "harm.feels_unsafe": "I feel unsafe in my home or area",
    "harm.threats_or_violence": "Someone has threatened me or been violent",
    "harm.affects_health": "It is affecting my health, including my mental health",
    "harm.affects_daily_life": "It stops me doing everyday things, like going out or sleeping",
    "harm.children_affected": "Children are affected",
    "harm.vulnerable_household": ("Someone in my home has a disability, illness or other need "
                                  "that makes this harder"),
    "harm.lives_alone_or_isolated": "I live alone or have no one to support me",
    "harm.happened_before": "This has happened before",
}

STEPS: tuple[Step, ...] = (
    Step("what", "What is happening?", (
        Question("incident.behaviours", "What kind of behaviour is it?", "checkboxes",
                 optional=False, hint="Tick all that apply", options=BEHAVIOURS,
                 key="Behaviour"),)),
    Step("through-walls", "Does the sound come through a wall, floor or ceiling?", (
        Question("incident.through_walls",
                 "Does the sound come through a wall, floor or ceiling?", "yes_no",
                 hint="If it might, we can ask our repairs team to check the building.",
                 key="Through a wall"),), applies=_everyday_noise),
    Step("details", "Tell us what happened", (
        Question("incident.description", "Tell us what happened", "area", optional=False,
                 hint="Say what happened, how often and who was involved",
                 key="What happened"),)),
    Step("when", "When is it happening?", (
        Question("incident.first_occurred", "When did it start?", "date",
                 hint="For example, 27 3 2026", key="Started"),
        Question("incident.last_occurred", "When did it last happen?", "date",
                 hint="For example, 15 11 2026", key="Last happened"),
        Question("incident.ongoing", "Is it still happening?", "yes_no",
                 key="Still happening")), key="When"),
    Step("where", "Where is it happening?", (
        Question("location.postcode", "What is the postcode where it is happening?", "text",
                 short=True, autocomplete="off",
                 hint="We will show you our homes there. Leave it blank if the place has no "
                      "postcode, like a park.", key="Postcode"),), key="Postcode"),
    Step("where-home", "Choose the address", (
        Question("location.uprn", "Choose the address", "home", optional=False,
                 key="Address", postcode_field="location.postcode",
                 address_field="location.address"),),
         applies=_place_has_postcode, sets=("location.address",), reasked_after="where"),
    Step("where-address", "Where is it happening?", (
        Question("location.address", "Address or place", "text", optional=False,
                 hint="For example, 12 Orchard Close, Yeovil, or the car park behind Orchard "
                      "Close", autocomplete="off", key="Address or place"),
        Question("location.details", "Exactly where", "text",
                 hint="For example, the stairwell of block B", key="Exactly where")),
         applies=_place_not_in_list),
    Step("who", "Do you know who is doing it?", (
        Question("perpetrator.known", "Do you know who is doing it?", "yes_no",
                 key="Know who it is"),), key="Know who it is"),
    Step("about-them", "About the person doing it", (
        Question("perpetrator.name", "Their name", "text", key="Their name"),
        Question("perpetrator.postcode", "Their postcode", "text", short=True,
                 autocomplete="off", hint="If you know where they live",
                 key="Their postcode"),
        Question("perpetrator.description", "Anything else that helps us know who it is",
                 "area", hint="For example, what they look like, or where they live if you do "
                              "not know the postcode", key="More about them")),
         applies=_knows_who, key="About them"),
    Step("their-home", "Choose their address", (
        Question("perpetrator.uprn", "Choose their address", "home", optional=False,
                 key="Their address", postcode_field="perpetrator.postcode",
                 address_field="perpetrator.address"),),
         applies=_their_postcode_known, sets=("perpetrator.address",),
         reasked_after="about-them"),
    Step("their-address", "Their address", (
        Question("perpetrator.address", "What is their address?", "text",
                 hint="For example, 14 Orchard Close, Yeovil", key="Their address"),),
         applies=_their_home_not_in_list),
    Step("whose-homes", "Do you, or the person doing it, live in one of our homes?", (
        Question("address_to_check",
                 "Do you, or the person doing it, live in one of our homes?", "yes_no",
                 optional=False,
                 hint="We deal with reports from our residents, and about them. If you are not "
                      "sure, choose Yes and an officer will check the address.",
                 key="One of our homes"),), applies=_no_home_of_ours),
    Step("harm", "How it is affecting you", (
        Question("harm", "Which of these are true for you?", "ticks", options=HARM,
                 hint="Tick any that apply. They help us see how serious this is for you, so "
                      "we can act quickly when someone is at risk.",
                 key="What is true for you",
                 none_of_these="Select the harms that apply, or select 'None of these'"),
        Question("harm.targeted_for_identity",
                 "Do you think you are being targeted because of who you are?", "checkboxes",
                 options=HATE_STRANDS, hint="Tick any that apply. Leave blank if not.",
                 key="Targeted for who you are")), key="What is true for you"),
    Step("you", "Do you want to tell us who you are?", (
        Question("anonymous", "Do you want to tell us who you are?", "radios", optional=False,
                 options={"no": "Yes, I will give my name and how to contact me",
                          "yes": "No, I want to stay anonymous"},
                 hint="If you stay anonymous, we cannot contact you, tell you what we are doing "
                      "or ask you for more details. It is harder for us to take action. We "
                      "never tell the person you report who you are.",
                 key="Who you are"),)),
    Step("about-you", "About you", (
        Question("reporter.relationship", "How are you connected to us?", "radios",
                 optional=False, options=RELATIONSHIPS, key="How you are connected"),
        Question("reporter.name", "Your full name", "text", optional=False,
                 autocomplete="name", key="Your name")), applies=_named),
    Step("contact", "How we can contact you", (
        Question("reporter.email", "Email address", "text", input_type="email",
                 autocomplete="email", key="Email"),
        Question("reporter.phone", "Phone number", "text", input_type="tel", autocomplete="tel",
                 hint="For example, 07700 900 982", key="Phone"),
        Question("reporter.address", "Your address", "text", autocomplete="street-address",
                 hint="Only if you want us to write to you by letter", key="Your address"),
        Question("reporter.preferred_contact", "How should we contact you?", "radios",
                 options=CONTACT_CHANNELS,
                 hint="Give us your email address, phone number or address for the way you "
                      "choose", key="Contact you by")), applies=_named,
         key="How to contact you"),
    Step("safe-contact", "Contacting you safely", (
        Question("reporter.unsafe_channels", "Is any way of contacting you not safe?",
                 "checkboxes", options=CONTACT_CHANNELS,
                 hint="For example, if someone else reads your texts or opens your post. Tick "
                      "any we must never use.", key="Never contact you by"),
        Question("reporter.safe_times", "When is it safe to contact you?", "safe_times",
                 hint="For example, only between 18:00 and 20:00, or weekdays after 6pm",
                 key="Safe times")), applies=_named, key="Contacting you safely"),
    Step("adjustments", "Anything we should adjust", (
        Question("reporter.large_print", "Do you need letters in large print?", "yes_no",
                 key="Large print"),
        Question("reporter.language", "Do you need an interpreter?", "select",
                 options=LANGUAGES,
                 hint="We write to you in English. Choose your language and we will have an "
                      "interpreter when we call or visit you.", key="Interpreter"),
        Question("reporter.reasonable_adjustments",
                 "Do you need anything else to help you talk to us?", "area",
                 hint="For example, a language that is not in the list, someone to support "
                      "you, or help because of a disability", key="Other help")),
         applies=_named, key="Adjustments"),
    Step("sharing", "Sharing your report", (
        Question("consent_to_share", "Can we share your report with partners who can help, "
                 "like mediation or support services?", "radios",
                 options={"yes": "Yes, you can share it", "no": "No, ask me first"},
                 hint="If you do not answer, we will ask you first.",
                 key="Share with partners"),), intro=True, key="Share with partners"),
)
_BY_NAME = {step.name: step for step in STEPS}
_WITH_NONE_OF_THESE = tuple(q for step in STEPS for q in step.questions if q.none_of_these)
_REQUIRED_CHOICE = {
    "anonymous": "Choose whether to tell us who you are",
    "location.uprn": "Choose the address, or 'It is not listed'",
    "perpetrator.uprn": "Choose their address, or 'It is not listed'",
    "address_to_check": "Choose Yes if you or the person doing it live in one of our homes",
}
NOT_IN_THE_LIST = "Choose an address from the list, or 'It is not listed'"


@dataclass(frozen=True)
class JourneyPage:
    """The page to show: a step, the start or the check page, with the answers it carries."""

    name: str
    answers: Answers
    errors: tuple[FieldError, ...] = ()
    checking: bool = False  # opened by "Change": continue goes back to the check page
    answered: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    homes: tuple[Home, ...] = ()  # a page that lists homes: the landlord's at its postcode

    @property
    def step(self) -> Step | None:
        return _BY_NAME.get(self.name)

    @property
    def postcode(self) -> str:
        """A page listing homes: the postcode they are at, as the reporter gave it."""
        question = self.step.home_question if self.step else None
        return _last(self.answers, question.postcode_field) if question else ""

    @property
    def previous(self) -> str | None:
        """Where its back link goes: the check page while changing an answer."""
        if self.name == START:
            return None
        if self.name == HELP:
            return "whose-homes"
        if self.checking and self.name != CHECK:
            return CHECK
        steps = [s.name for s in applicable(self.answers)]
        before = steps[:steps.index(self.name)] if self.name in steps else steps
        return before[-1] if before else START

    def carried(self, everything: bool = False) -> list[tuple[str, str]]:
        """The hidden inputs: every answer not asked on this page (`everything`: all)."""
        step = self.step
        return [(name, value) for name, values in self.answers.items() for value in values
                if everything or step is None or not step.asks(name)]


def answers_of(fields: Answers) -> Answers:
    """The report's answers in a post: the journey's own fields, and any name no question
    asks, are left out."""
    return {name: values for name, values in fields.items()
            if name == IDEMPOTENCY_FIELD or any(step.asks(name) for step in STEPS)}


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def _no_homes(postcode: str) -> Sequence[Home]:
    return ()


def respond(fields: Answers, now: datetime, homes_at: HomesAt = _no_homes) -> JourneyPage:
    """The page that answers a post from one of the journey's pages; a page that lists homes
    with the landlord's homes at its postcode."""
    page = _respond(fields, now, homes_at)
    if page.name == CHECK and _last(page.answers, "address_to_check") == "no" \
            and _no_home_of_ours(page.answers):
        page = JourneyPage(HELP, page.answers)  # never sent, whichever way it got here
    return with_homes(page, homes_at)


def with_homes(page: JourneyPage, homes_at: HomesAt) -> JourneyPage:
    """The page, with the homes it lists if it is a page that lists them."""
    postcode = page.postcode
    if not postcode:
        return page
    from asb.case.submission import normalise_postcode  # a page listing homes only

    try:
        return replace(page, homes=tuple(homes_at(normalise_postcode(postcode))))
    except ValueError:  # not a postcode: its own page says so
        return page


def _respond(fields: Answers, now: datetime, homes_at: HomesAt) -> JourneyPage:
    answers = answers_of(fields)
    change = _last(fields, CHANGE_FIELD)
    if change in _BY_NAME:  # "Change" on the check page
        return JourneyPage(change, answers, checking=True,
                           answered=frozenset(s.name for s in applicable(answers)))
    checking = _last(fields, CHECKING_FIELD) == "yes"
    answered = frozenset(fields.get(ANSWERED_FIELD, [])) & _BY_NAME.keys()
    refused = frozenset(fields.get(REFUSED_FIELD, [])) & _BY_NAME.keys()
    here = JourneyPage(_last(fields, PAGE_FIELD), answers, checking=checking, answered=answered)
    step = here.step
    if _last(fields, GO_FIELD) == "back":
        return _opened(here.previous or START, settled(answers), now)
    if step is None:  # the start page, or a page name the journey does not know
        first = CHECK if here.name == CHECK else STEPS[0].name
        return _opened(first, settled(answers), now)
    errors = step_errors(step, answers, now)
    if not errors and step.home_question:
        answers, errors = _chosen_home(step.home_question, answers, homes_at)
    if errors:  # the page again, ticked as it was sent
        return JourneyPage(step.name, answers, tuple(errors), checking, answered, refused)
    kept = _without_what_does_not_apply(settled(answers))
    answered = (answered | {step.name}) - {s.name for s in STEPS if s.reasked_after == step.name}
    following = HELP if step.name == "whose-homes" and _last(kept, "address_to_check") == "no" \
        else _following(step, kept, checking, answered)
    if following == HELP:
        return JourneyPage(HELP, kept, checking=checking, answered=answered)
    errors = step_errors(_BY_NAME[following], kept, now) if following in refused else []
    return _opened(following, kept, now, checking, answered, refused, errors)


def _chosen_home(question: Question, answers: Answers,
                 homes_at: HomesAt) -> tuple[Answers, list[FieldError]]:
    """A home chosen from the list: its address (the register's words) is the answer's; a
    UPRN that is not one of the homes listed at the postcode is refused."""
    uprn = _last(answers, question.field)
    if uprn == NOT_LISTED:
        return answers, []
    from asb.case.submission import normalise_postcode

    try:
        homes = homes_at(normalise_postcode(_last(answers, question.postcode_field)))
    except ValueError:  # no postcode, or not one: nothing was listed
        homes = ()
    home = next((h for h in homes if h.uprn == uprn), None)
    if home is None:
        return answers, [FieldError(question.field, NOT_IN_THE_LIST)]
    return {**answers, question.address_field: [home.address]}, []


def _opened(name: str, answers: Answers, now: datetime, checking: bool = False,
            answered: frozenset[str] = frozenset(), refused: frozenset[str] = frozenset(),
            errors: list[FieldError] | None = None) -> JourneyPage:
    """The page `name`, with the errors it opens with: the check page checks every page's
    answers, so a refused change carried to it by Back is shown as a problem, not as fine."""
    if name == CHECK:
        errors = check_errors(answers, now)
    return JourneyPage(name, answers, tuple(errors or ()), checking, answered, refused)


def check_errors(answers: Answers, now: datetime) -> list[FieldError]:
    """Every applicable page's errors, in the order of the pages."""
    return [error for step in applicable(answers) for error in step_errors(step, answers, now)]


def step_errors(step: Step, answers: Answers, now: datetime) -> list[FieldError]:
    """This page's answers checked as ``POST /reports`` will check them (the same model, in the
    same words), and only this page's."""
    from asb.case.submission import ReportSubmission  # built at the first answer, not for GET /

    errors = [FieldError(name, message) for name, message in _REQUIRED_CHOICE.items()
              if step.asks(name) and not _last(answers, name)]
    errors += [FieldError(q.none_field, q.none_of_these) for q in step.questions
               if q.none_of_these and _last(answers, q.none_field) == "yes" and q.ticked(answers)]
    data, _ = submission_from_form(settled(answers))
    try:
        ReportSubmission.model_validate(data, context={"now": now})
    except ValidationError as refused:
        errors += [own for error in explain_date_errors(answers, field_errors(refused))
                   if (own := _as_own(step, error))]
    return errors


def _as_own(step: Step, error: FieldError) -> FieldError | None:
    """The error, said of this page's question, or None if it is another page's."""
    for name in (error.field, *_GROUP_ERRORS.get(error.field, ())):
        if step.asks(name):
            return FieldError(name, error.message)
    return None


def after_refusal(fields: Answers, errors: list[FieldError]) -> JourneyPage:
    """A report ``POST /reports`` refused: the first page with a problem, its errors shown;
    continuing from it goes on to the next page with one, its errors shown as it opens (the
    refused pages carried by name), then back to the check page."""
    answers = answers_of(fields)
    steps = applicable(answers)
    with_errors = {s.name: [own for e in errors if (own := _as_own(s, e))] for s in steps}
    first = next((s for s in steps if with_errors[s.name]), None)
    if first is None:  # nothing any page asks (a field no question has): the check page
        return JourneyPage(CHECK, answers, tuple(errors))
    return JourneyPage(first.name, answers, tuple(with_errors[first.name]), checking=True,
                       answered=frozenset(s.name for s in steps if not with_errors[s.name]),
                       refused=frozenset(s.name for s in steps if with_errors[s.name]))


def _following(step: Step, answers: Answers, checking: bool, answered: frozenset[str]) -> str:
    steps = applicable(answers)
    names = [s.name for s in steps]
    after = names[names.index(step.name) + 1:] if step.name in names else []
    if checking:  # only what the change newly asks, then back to the check page
        after = [name for name in after if name not in answered]
    return after[0] if after else CHECK


def settled(answers: Answers) -> Answers:
    """"None of these" as the report takes it: a "no" to each of its question's ticks, so the
    stored report tells a "no" from a question left unanswered. Carried from a page left by
    Back with a harm ticked too, it is dropped and the ticked harms stand: a "yes" is never
    lost."""
    kept = dict(answers)
    for question in _WITH_NONE_OF_THESE:
        chose_none = _last(kept, question.none_field) == "yes"
        kept.pop(question.none_field, None)
        if chose_none and not question.ticked(kept):
            kept.update({name: ["no"] for name in question.options})
    return kept


def _without_what_does_not_apply(answers: Answers) -> Answers:
    """A page that no longer applies keeps none of its answers (the details of someone the
    reporter now says they do not know; an anonymous reporter's contact details), unless a
    page that applies asks or fills in the same answer (a chosen home's address)."""
    steps = applicable(answers)
    skipped = [step for step in STEPS if step not in steps]
    return {name: values for name, values in answers.items()
            if any(step.asks(name) or name in step.sets for step in steps)
            or not any(step.asks(name) for step in skipped)}


def _last(fields: Mapping[str, list[str]], name: str) -> str:
    answers = [v.strip() for v in fields.get(name, []) if v.strip()]
    return answers[-1] if answers else ""


# ---------------------------------------------------------------- the check page
# "Check your answers" groups the pages' answers under a few headings, GOV.UK's summary list
# in each: a phone shows a section at a glance, not a heading for every page.
CHECK_SECTIONS = (
    ("What is happening", ("what", "through-walls", "details", "when", "where", "where-home",
                           "where-address")),
    ("The person doing it", ("who", "about-them", "their-home", "their-address",
                             "whose-homes")),
    ("How it is affecting you", ("harm",)),
    ("About you", ("you", "about-you", "contact", "safe-contact", "adjustments")),
    ("Sharing your report", ("sharing",)),
)


@dataclass(frozen=True)
class CheckRow:
    step: Step  # the page its "Change" opens
    key: str
    answer: tuple[str, ...]  # its lines; empty when not given
    name: str  # its ids': the question's, or the page's for a page with nothing given

    @property
    def row_id(self) -> str:
        return f"{self.name}-field"

    @property
    def change_id(self) -> str:
        return f"change-{self.name}"


@dataclass(frozen=True)
class CheckSection:
    title: str
    rows: tuple[CheckRow, ...]


def check_sections(answers: Answers) -> list[CheckSection]:
    """The answers as "Check your answers" lists them: each page that applies, under its
    section; an optional question left blank is not listed, a page with nothing given is one
    row saying so."""
    steps = {step.name: step for step in applicable(answers)}
    sections = [CheckSection(title, tuple(row for name in names if name in steps
                                          for row in check_rows(steps[name], answers)))
                for title, names in CHECK_SECTIONS]
    return [section for section in sections if section.rows]


def check_rows(step: Step, answers: Answers) -> list[CheckRow]:
    rows = [CheckRow(step, q.key or q.label, lines, q.field.replace(".", "-"))
            for q in step.questions
            if (lines := answer_lines(q, answers)) or not q.optional]
    return rows or [CheckRow(step, step.key or step.title, (), step.name)]


def answer_lines(question: Question, answers: Answers) -> tuple[str, ...]:
    """An answer as the reporter gave it, in words, for "Check your answers"."""
    given = [v.strip() for v in answers.get(question.field, []) if v.strip()]
    if question.kind == "date":
        return tuple(filter(None, [_date_in_words(question.field, answers)]))
    if question.kind == "ticks":
        ticked = tuple(question.options[name] for name in question.ticked(answers))
        return ticked or ((NONE_OF_THESE,) if question.chose_none_of_these(answers) else ())
    if question.kind == "safe_times":
        return _safe_times_in_words(answers)
    if question.kind == "home":
        chosen = _last(answers, question.field)
        if chosen == NOT_LISTED:
            return ("It is not listed",)
        return (_last(answers, question.address_field),) if chosen else ()
    if question.kind != "checkboxes":
        given = given[-1:]  # one answer: the last given, as the report takes it
    words = YES_NO if question.kind == "yes_no" else question.options
    return tuple(words.get(value, value) for value in given)


def _date_in_words(name: str, answers: Answers) -> str:
    day, month, year = (_last(answers, f"{name}.{part}") for part in ("day", "month", "year"))
    if not (day or month or year):
        return ""
    try:
        return date(int(year), int(month), int(day)).strftime("%-d %B %Y")
    except (ValueError, OverflowError):  # OverflowError: a number too long for a date
        return f"{day} {month} {year}"


def _safe_times_in_words(answers: Answers) -> tuple[str, ...]:
    after, before = _last(answers, "reporter.safe_from"), _last(answers, "reporter.safe_until")
    between = " and ".join(filter(None, [f"after {after}" if after else "",
                                         f"before {before}" if before else ""]))
    words = _last(answers, "reporter.safe_contact_times")
    return tuple(filter(None, [between[:1].upper() + between[1:], words]))
