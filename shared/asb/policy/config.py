"""Every number and list the service's decisions rest on: the landlord's from its policy document,
the law's in code.

What a landlord decides comes from its policy document (landlords/<name>.yaml, shipped as the JSON
`python -m infra.policy build` checks and writes; docs/policy/README.md); every name here keeps its
type, so no reader changes. What is law (definitions, the Act's thresholds and dates, the lawful
routes) stays in code with its source. Sources are in ASB-REFERENCE.md of the team handbook.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple

from asb.kernel.settings import policy_appconfig, policy_file

SEED_POLICY: Final = "landlords/magna.json"


# What this module reads of a document (a test keeps the list true): a deployed document
# without one of them is not used.
_NEEDED: Final = frozenset({
    "landlord", "version", "contact", "categories", "behaviours", "legacy_behaviours", "risk",
    "emergency", "cadence", "case_review", "tools", "ladder_stages", "closure_outcomes",
    "satisfaction_answers", "referral_services", "meeting_kinds", "patches", "unassigned_team",
    "staff_first_names", "good_neighbour", "domestic_abuse", "partners", "retention"})


def _seed_policy() -> dict[str, Any]:
    # Beside this module in the layer (importlib.resources would add 10 ms to every cold start).
    with open(os.path.join(os.path.dirname(__file__), SEED_POLICY), encoding="utf-8") as seed:
        document: dict[str, Any] = json.load(seed)
    return document


def _landlord_policy() -> dict[str, Any]:
    """The landlord's document, from the first source there is (docs/policy/README.md):
    the document ASB_POLICY_FILE names, checked here (dev and tests; YAML needs PyYAML, a dev
    tool); the policy deployed through AWS AppConfig, when the function has its three names
    (asb.policy.deployed: the seed, with a warning, only when nothing is deployed - the agent's
    404; any other failure to read it raises PolicyUnavailable, which fails the start); the
    packaged seed landlord's checked JSON (stdlib json only: cheap at cold start)."""
    named = policy_file()
    if not named:
        deployed_names = policy_appconfig()
        if deployed_names is None:
            return _seed_policy()
        from asb.policy.deployed import deployed_or  # the provider imports boto3: deployed only

        return deployed_or(_seed_policy, deployed_names, _NEEDED)
    from asb.policy.document import compiled  # builds the pydantic model: never in a Lambda

    with open(named, encoding="utf-8") as named_file:
        text = named_file.read()
    if named.endswith((".yaml", ".yml")):
        import yaml  # a dev tool (with cfn-lint), never in the layer

        return compiled(yaml.safe_load(text))
    return compiled(json.loads(text))


_POLICY: Final = _landlord_policy()
# The document's own name and version: every triage decision records the version it used.
LANDLORD: Final[str] = _POLICY["landlord"]
POLICY_VERSION: Final[str] = _POLICY["version"]

Category = Literal["A", "B", "C"]


class Behaviour(NamedTuple):
    label: str
    category: Category  # the landlord's published category (section 2)
    # s105: it causes harassment, alarm or distress, so a complaint about it counts towards the
    # ASB Case Review threshold (section 6); nuisance or annoyance alone does not.
    case_review: bool


# Behaviours a reporter can choose (section 2; the policy's `behaviours`). One published list:
# the web form, the JSON API and triage all read it from here. Household noise and lifestyle
# differences alone are not ASB (section 1): they take the good-neighbour route.
BEHAVIOUR_CATALOGUE: Final[dict[str, Behaviour]] = {
    name: Behaviour(b["label"], b["category"], b["case_review"])
    for name, b in _POLICY["behaviours"].items()}
# Behaviours no longer offered that stored reports still carry: read, shown and triaged as
# before, never offered on the form or named in the published list.
LEGACY_BEHAVIOURS: Final[dict[str, Behaviour]] = {
    name: Behaviour(b["label"], b["category"], b["case_review"])
    for name, b in _POLICY["legacy_behaviours"].items()}
BEHAVIOURS: Final[dict[str, str]] = {name: b.label for name, b in BEHAVIOUR_CATALOGUE.items()}

# Hate-incident strands (the regulator's definition, section 1).
HATE_STRANDS: Final[dict[str, str]] = {
    "disability": "Disability",
    "race": "Race",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "transgender_identity": "Transgender identity",
}

# The route a report takes (sections 1, 7, 7a). Domestic abuse is its own pathway (Domestic
# Abuse Housing Alliance standards: a specialist referral, safe contact only, never joined to a
# neighbour case); household noise or lifestyle differences alone take the good-neighbour route
# (advice, mediation, a property check: no ASB case, nothing counted in NM01). Only "asb" is
# counted in NM01; the others are counted apart.
Pathway = Literal["asb", "domestic_abuse", "good_neighbour"]
PATHWAYS: Final[dict[str, str]] = {
    "asb": "Anti-social behaviour",
    "domestic_abuse": "Domestic abuse (its own pathway)",
    "good_neighbour": "The good-neighbour route (not anti-social behaviour)",
}
# The one pathway NM01 counts (section 7: the landlord decides, and publishes in its summary of
# approach, that domestic abuse cases, handled under its domestic abuse policy, and good-neighbour
# requests, not ASB, are not ASB cases for NM01). The figures count every other pathway apart.
NM01_PATHWAY: Final = "asb"
# A report choosing any of these behaviours discloses domestic abuse and takes the domestic abuse
# pathway (section 7a; DAHA standards). The form asks no separate harm question about it: the
# behaviour is the disclosure, and an officer's risk re-assessment finding it moves a case there.
DOMESTIC_ABUSE_BEHAVIOURS: Final[frozenset[str]] = frozenset(_POLICY["domestic_abuse"]["behaviours"])
# The referral to the domestic abuse specialist service is due the working day the case is
# triaged (section 7a: DAHA standards, a specialist referral at once): by the end of that working
# day, or of the next one for a case triaged after it or on a weekend or bank holiday.
DA_SPECIALIST_REFERRAL_WORKING_DAYS: Final[int] = (
    _POLICY["domestic_abuse"]["specialist_referral_working_days"])
# Told on the confirmation page of a report that discloses domestic abuse (section 1): the
# National Domestic Abuse Helpline, free and open 24 hours (run by Refuge).
DOMESTIC_ABUSE_HELPLINE: Final = "0808 2000 247"
# A subject access request by an alleged perpetrator on a domestic abuse case, or by a member of
# their household who is not its victim or complainant, is answered without that case (section 8:
# DPA 2018 Schedule 2 Part 3 paragraph 16, information identifying another individual; the victim
# could be put at serious risk of harm). The export does not say a case was withheld (that alone
# would tell them the victim spoke to us); the DPO sees each withheld case, and the release
# records them, with this reason.
DA_SUBJECT_ACCESS_WITHHELD: Final = (
    "Withheld whole: a domestic abuse case on which this person is the alleged perpetrator or "
    "of their household. Disclosing any of it would identify the victim, who does not consent, "
    "and could put them at serious risk of harm (DPA 2018 Schedule 2 Part 3 paragraph 16). "
    "The person is not told the case exists")

# The good-neighbour route (sections 1, 7a; Housing Ombudsman "Time to be heard", 2022): a report
# whose every behaviour is one of these, and whose answers raise no harm (no threats or
# violence, no hate, nobody targeted, no self-harm, risk standard), is offered advice, mediation
# and a property check instead of an ASB case; the reporter may ask for it to be treated as ASB.
GOOD_NEIGHBOUR_BEHAVIOURS: Final[frozenset[str]] = frozenset(_POLICY["good_neighbour"]["behaviours"])
# Its light follow-up (local policy): send the advice pack and offer mediation within this many
# working days; a reporter's request to treat it as ASB is decided within this many.
GOOD_NEIGHBOUR_FOLLOW_UP_WORKING_DAYS: Final[int] = _POLICY["good_neighbour"]["follow_up_working_days"]
GOOD_NEIGHBOUR_DECISION_WORKING_DAYS: Final[int] = _POLICY["good_neighbour"]["decision_working_days"]
# The tools an officer may record on a good-neighbour request (sections 5 and 7a: advice,
# mediation, a good neighbour agreement): nothing against a neighbour, no warning, no power,
# until an officer decides it is ASB.
GOOD_NEIGHBOUR_TOOLS: Final[frozenset[str]] = frozenset(_POLICY["good_neighbour"]["tools"])
# What a property check asks the repairs service to look at (section 7a: sound insulation).
PROPERTY_CHECK_WHAT: Final[str] = _POLICY["good_neighbour"]["property_check_what"]

RELATIONSHIPS: Final[dict[str, str]] = {
    "resident": "I live in one of the landlord's homes",
    "non_resident": "I don't live in one of the landlord's homes, but I'm reporting one of its residents",
    "staff": "I work for the landlord",
    "agency": "I'm reporting for an agency (police, council, support service)",
}

CONTACT_CHANNELS: Final[dict[str, str]] = {
    "email": "Email",
    "phone": "Phone call",
    "sms": "Text message",
    "letter": "Letter",
}

Relationship = Literal["resident", "non_resident", "staff", "agency"]
ContactChannel = Literal["email", "phone", "sms", "letter"]

# Intake limits.
MAX_REPORT_BYTES: Final = 64 * 1024
IDEMPOTENCY_KEY_MAX_LENGTH: Final = 255
IDEMPOTENCY_RECORD_HOURS: Final = 24
OUTBOX_EVENT_RETENTION_DAYS: Final = 7
# A report about an incident more than this many days ago is still taken, but the reporter is
# told it may not count towards an ASB Case Review (section 6: complaints within 1 month).
REFERENCE_PREFIX: Final = "ASB"
REFERENCE_DIGITS: Final = 6

# ------------------------------------------------------------------ triage (sections 2, 3, 6)

RiskLevel = Literal["standard", "medium", "high"]

# First response target in working days, by the landlord's published categories (section 2).
FIRST_RESPONSE_WORKING_DAYS: Final[dict[str, int]] = {
    name: category["first_response_working_days"] for name, category in _POLICY["categories"].items()}

# Which category each behaviour falls in (the reference's table), stored ones included.
BEHAVIOUR_CATEGORY: Final[dict[str, Category]] = {
    name: b.category for name, b in {**BEHAVIOUR_CATALOGUE, **LEGACY_BEHAVIOURS}.items()}
# Harm raises the category: any hate incident, however it was flagged (the behaviour, the
# "targeted for who they are" answer or an officer's finding), is A, as the landlord lists hate
# crime; high risk is always A.
HATE_INCIDENT_MINIMUM_CATEGORY: Final[Category] = _POLICY["risk"]["hate_incident_minimum_category"]
RISK_MINIMUM_CATEGORY: Final[dict[str, str]] = dict(_POLICY["risk"]["minimum_category"])

# Policy point 1: these behaviours, or a high risk, make the case an emergency.
EMERGENCY_BEHAVIOURS: Final[frozenset[str]] = frozenset(_POLICY["emergency"]["behaviours"])
# The task to consider emergency legal action falls due at this hour, the same (working) day.
EMERGENCY_CONSIDERATION_DUE_HOUR: Final[int] = _POLICY["emergency"]["consideration_due_hour"]
LOCAL_TIMEZONE: Final = "Europe/London"


# The harm questionnaire (section 3): each question's weight when answered "yes". Answers come
# first from the report's harm answers (and its behaviours), later from the officer.
RISK_QUESTIONS: Final[dict[str, tuple[str, int]]] = {
    name: (q["question"], q["weight"]) for name, q in _POLICY["risk"]["questions"].items()}
# A total at or above these scores is medium or high risk.
RISK_THRESHOLDS: Final[dict[str, int]] = dict(_POLICY["risk"]["bands"])
# Answered "yes", these make the risk high whatever the total (section 7a: suicidal thoughts or
# self-harm make risk high and prompt a safeguarding referral).
RISK_HIGH_WHATEVER_THE_SCORE: Final[frozenset[str]] = frozenset(_POLICY["risk"]["high_whatever_the_score"])
# A repeat victim (section 3: "repeat and vulnerable callers are flagged"): a complainant who
# reported another case in the 12 calendar months before this report. Triage raises the risk
# one level for it (standard to medium, medium to high; high stays high).
REPEAT_VICTIM_MONTHS: Final[int] = _POLICY["risk"]["repeat_victim_months"]

# Contact and review by risk (section 3; police cadence as the reference).
CONTACT_EVERY_WORKING_DAYS: Final[dict[str, int]] = dict(_POLICY["cadence"]["contact_every_working_days"])
NO_ACTIVITY_WORKING_DAYS: Final[int] = _POLICY["cadence"]["no_activity_working_days"]
# Retention (section 8, Limitation Act 1980): a closed case is kept this long after closure, or
# this long after a legal order it led to expires, whichever is later; never erased on hold.
# The Limitation Act's six years are the floor: a policy asking for fewer is refused at import.
RETENTION_MINIMUM_YEARS: Final = 6


def retention_years(years: int) -> int:
    if years < RETENTION_MINIMUM_YEARS:
        raise ValueError(f"a closed case is kept at least {RETENTION_MINIMUM_YEARS} years "
                         f"(Limitation Act 1980), not {years}")
    return years


RETENTION_YEARS: Final = retention_years(_POLICY["retention"]["closed_case_years"])
FIRST_REVIEW_DAYS: Final[dict[str, int]] = dict(_POLICY["cadence"]["first_review_days"])

# Patches: postcode district -> (officer, team). Unknown districts go to the team queue.
PATCHES: Final[dict[str, tuple[str, str]]] = {
    district: (patch["officer"], patch["team"]) for district, patch in _POLICY["patches"].items()}
UNASSIGNED_TEAM: Final[str] = _POLICY["unassigned_team"]

# ASB Case Review threshold (section 6; ASBCPA 2014 s104). The Act's threshold is 3 qualifying
# complaints about the behaviour, by anyone; a local threshold may be lower, never higher.
CASE_REVIEW_STATUTORY_COMPLAINTS: Final = 3


def case_review_threshold(complaints: int) -> int:
    """A local threshold as the Act allows it: refused (at import) if it asks for more
    complaints than the Act's three."""
    if not 1 <= complaints <= CASE_REVIEW_STATUTORY_COMPLAINTS:
        raise ValueError(f"the ASB Case Review threshold must be 1 to "
                         f"{CASE_REVIEW_STATUTORY_COMPLAINTS} qualifying complaints (s104), "
                         f"not {complaints}")
    return complaints


CASE_REVIEW_QUALIFYING_COMPLAINTS: Final = case_review_threshold(
    _POLICY["case_review"]["qualifying_complaints"])
# A local lowering: a single qualifying complaint of a hate incident meets it.
CASE_REVIEW_SINGLE_HATE_INCIDENT: Final[bool] = _POLICY["case_review"]["single_hate_incident"]
# Calendar months (s104(11)): a complaint qualifies if made within the month beginning with the
# day of the behaviour; it counts if the application is made within the six months beginning
# with the day of the complaint.
CASE_REVIEW_COMPLAINT_MONTHS: Final = 1
CASE_REVIEW_APPLICATION_MONTHS: Final = 6
# Each step of a review is due this many working days after the application (local policy,
# within the reference's typical timescales); an appeal is decided within its own.
CASE_REVIEW_STEP_WORKING_DAYS: Final[dict[str, int]] = dict(_POLICY["case_review"]["step_working_days"])
CASE_REVIEW_APPEAL_WORKING_DAYS: Final[int] = _POLICY["case_review"]["appeal_working_days"]

# Who runs the ASB Case Review (section 6; ASBCPA 2014 s104(2)-(3)): the council area's relevant
# bodies publish one point of contact, and a registered provider co-opted under the local
# procedure is usually a participant, not the lead. True only where the local procedure makes
# the landlord the lead body; as a participant the landlord refers each application at once to
# the point of contact, with the case history, and acts on the recommendations made to it.
CASE_REVIEW_LEAD_BODY: Final[bool] = _POLICY["case_review"]["lead_body"]


@dataclass(frozen=True)
class CaseReviewPointOfContact:
    """The council area's published point of contact for ASB Case Reviews (s104(3))."""

    partner_id: str  # its entry in the partner registry: the agreement and the queue
    name: str  # as the applicant is told it
    how_to_reach: str  # as published


CASE_REVIEW_POINT_OF_CONTACT: Final = CaseReviewPointOfContact(
    **_POLICY["case_review"]["point_of_contact"])
# The referral with the case history (section 8): Crime and Disorder Act 1998 s115 to the
# council; it needs the case and its incidents, and carries what was done and the risk where
# the agreement allows them.
CASE_REVIEW_REFERRAL_LEGAL_ROUTE: Final = "cda_1998_s115"
CASE_REVIEW_REFERRAL_NEEDS: Final = ("case_summary", "incident_details")
CASE_REVIEW_REFERRAL_IF_ALLOWED: Final = ("actions_taken", "risk_assessment")
# "At once" (section 6): the referral is decided by a manager or the DPO (someone other than the
# officer who recorded the application) by the end of the working day it was recorded.
CASE_REVIEW_REFERRAL_DECISION_WORKING_DAYS: Final[int] = (
    _POLICY["case_review"]["referral_decision_working_days"])

# Closure satisfaction (the landlord's local measure): "very" and "fairly" count as satisfied.
SATISFACTION_ANSWERS: Final[dict[str, bool]] = dict(_POLICY["satisfaction_answers"])

# ------------------------------------------------------------------ tools and powers (section 5)

# Who may use a power (ASB-REFERENCE section 5): the landlord uses its own; a power only the
# police or the council hold (or, for a CBO, the prosecution on conviction) is *asked of* a
# partner of one of `ask_of`'s kinds, never applied for by the landlord.
Holder = Literal["landlord", "police_or_council", "police_council_or_designated",
                 "prosecution_on_conviction"]
HOLDER_WORDS: Final[dict[str, str]] = {
    "landlord": "the landlord",
    "police_or_council": "the police or the council only (ASBCPA 2014 s76, s80)",
    "police_council_or_designated": "the police, the council or a person the council designates "
                                    "(ASBCPA 2014 s43, s53)",
    "prosecution_on_conviction": "the court on conviction, at the prosecution's request "
                                 "(ASBCPA 2014 s22)",
}


@dataclass(frozen=True)
class Tool:
    """A tool or power in the catalogue. `legal`: needs a manager's approval, a proportionality
    rationale and an equality impact note before it goes further. `offered`: false for a name
    kept only so that records made under it still read (the console never offers it)."""

    name: str
    legal: bool
    held_by: Holder = "landlord"
    tenancy_only: bool = False  # possession and demotion: only against a tenant of ours
    ask_of: tuple[str, ...] = ()  # the partner kinds a power we do not hold is asked of
    stage: int = 1  # the rung of the escalation ladder (1 support and early, 4 court)
    offered: bool = True

    @property
    def ours(self) -> bool:
        return self.held_by == "landlord"


TOOL_CATALOGUE: Final[dict[str, Tool]] = {
    key: Tool(tool["name"], tool["legal"], tool["held_by"], tool["tenancy_only"],
              tuple(tool["ask_of"]), tool["stage"], tool["offered"])
    for key, tool in _POLICY["tools"].items()}
# The rungs of the escalation ladder (Tool.stage), as the ladder of interventions names them.
LADDER_STAGES: Final[dict[int, str]] = {
    int(stage): words for stage, words in _POLICY["ladder_stages"].items()}
# measure -> (what it is called, legal or not), as the models' enums and older code read it.
TOOLS_AND_POWERS: Final[dict[str, tuple[str, bool]]] = {
    key: (tool.name, tool.legal) for key, tool in TOOL_CATALOGUE.items()}
# Powers a landlord holds only against its own tenants (section 7a: "possession only against a
# tenant"): refused on a case whose alleged perpetrator is not tied to a tenancy of the landlord's.
TENANCY_ONLY_MEASURES: Final = frozenset(k for k, t in TOOL_CATALOGUE.items() if t.tenancy_only)
# Powers the landlord does not hold: asked of a partner (asb.enforcement.power_requests).
PARTNER_POWERS: Final = frozenset(k for k, t in TOOL_CATALOGUE.items() if not t.ours)

# ------------------------------------------------------------------ enforcement's dates (section 5)
# A civil injunction's respondent is 10 or over; under 18, the youth offending team is consulted
# before the application (ASBCPA 2014 s1(1), s14).
INJUNCTION_MINIMUM_AGE: Final = 10
YOUTH_AGE: Final = 18
# Absolute ground 7A / s84A: notice served within 12 months of the conviction or finding
# (conditions 1, 2, 3, 5), or 3 months of the closure order (condition 4).
ABSOLUTE_GROUND_CONDITIONS: Final[dict[int, tuple[str, int]]] = {
    1: ("Convicted of a serious offence", 12),
    2: ("Found by a court to have breached a civil injunction", 12),
    3: ("Convicted of breaching a criminal behaviour order", 12),
    4: ("A closure order was made for the home", 3),
    5: ("Convicted of breaching a noise abatement notice or order", 12),
}
# Possession grounds: the earliest day proceedings may begin, counted from service (Ground 14 /
# Ground 2: at once; the absolute ground: 4 weeks, a weekly tenancy's notice to quit), and how
# long a notice stays in force (12 months from service).
NOTICE_GROUNDS: Final[dict[str, tuple[str, bool, int]]] = {
    # ground -> (words, absolute, days from service until proceedings may begin)
    "ground_14": ("Ground 14, Housing Act 1988 (assured tenancy)", False, 0),
    "ground_2": ("Ground 2, Housing Act 1985 (secure tenancy)", False, 0),
    "ground_7a": ("Absolute ground 7A, Housing Act 1988 (assured tenancy)", True, 28),
    "s84a": ("Absolute ground, s84A Housing Act 1985 (secure tenancy)", True, 28),
}
NOTICE_IN_FORCE_MONTHS: Final = 12
# Work falling due ahead of a date: an order's end raises a review, an absolute-ground deadline
# warns, a notice about to lapse asks for proceedings or a decision, this many days before.
ORDER_REVIEW_DAYS_BEFORE: Final = 28
ABSOLUTE_DEADLINE_WARNING_DAYS: Final = 28
NOTICE_LAPSE_WARNING_DAYS: Final = 28
# A demoted tenancy lasts a year (HA 1988 s20B, HA 1985 s143B).
DEMOTION_MONTHS: Final = 12

LEGAL_STATUSES: Final = ("considered", "served", "applied", "granted", "refused", "breached",
                         "expired", "withdrawn")
NON_LEGAL_STATUSES: Final = ("applied", "completed", "withdrawn")
# Legal action still undecided: a case cannot close while one is.
UNDECIDED_LEGAL_STATUSES: Final = frozenset({"considered", "served", "applied"})

REFERRAL_SERVICES: Final[dict[str, str]] = dict(_POLICY["referral_services"])
CLOSURE_OUTCOMES: Final[dict[str, str]] = dict(_POLICY["closure_outcomes"])

# ------------------------------------------------------------------ witnesses (issue 23, item 2)
# Who may give a witness statement on a case: a witness, and a complainant or victim, whose own
# account is a witness statement too when the landlord goes to court (ASB-REFERENCE 7a).
WITNESS_STATEMENT_ROLES: Final = ("witness", "complainant", "victim")
# Support a witness may need to give evidence (ASB-REFERENCE 8: reasonable adjustments under the
# Equality Act 2010 - an interpreter, a supporter; the landlord's own witness care).
WITNESS_SUPPORT: Final[dict[str, str]] = {
    "supporter_at_court": "A supporter with them at court",
    "interpreter": "An interpreter",
    "travel": "Help with travel to court",
    "pre_court_visit": "A visit to the court before the hearing",
    "separate_waiting_area": "A waiting area apart from the respondent",
}
# Special measures a witness may ask the court for: Youth Justice and Criminal Evidence Act 1999
# ss23-30 in the criminal courts; in the civil courts (an injunction, possession) the court's
# case management powers for vulnerable witnesses, CPR 3.1 and Practice Direction 1A.
SPECIAL_MEASURES: Final[dict[str, str]] = {
    "screens": "Screens, so they need not see the respondent (YJCEA 1999 s23)",
    "live_link": "Evidence by live link (s24)",
    "evidence_in_private": "Evidence in private (s25)",
    "removal_of_wigs_and_gowns": "Removal of wigs and gowns (s26)",
    "video_recorded_evidence": "Video-recorded evidence in chief (s27)",
    "intermediary": "Questioning through an intermediary (s29)",
    "aids_to_communication": "Aids to communication (s30)",
}
# How often the officer keeps in touch with each witness, in working days, unless the officer
# sets another for them (the landlord's own practice: witnesses who hear nothing withdraw),
# and the longest gap an officer may set.
WITNESS_CONTACT_EVERY_WORKING_DAYS: Final[int] = _POLICY["partners"]["witness_contact_every_working_days"]
WITNESS_CONTACT_LONGEST_WORKING_DAYS: Final[int] = _POLICY["partners"]["witness_contact_longest_working_days"]
# A witness's signed statement an officer attaches (a scan or photo of the paper, or a PDF): the
# types its content may show and the largest file, in bytes, as EVIDENCE_KINDS has them
# (ASB-REFERENCE 7a: statements are exhibits for the court bundle).
STATEMENT_FILE_KINDS: Final[tuple[str, int, frozenset[str]]] = (
    "a signed statement (a PDF, or a JPEG, PNG or HEIC photo or scan)", 20 * 1024 * 1024,
    frozenset({"application/pdf", "image/jpeg", "image/png", "image/heic", "image/heif"}))

# ------------------------------------------------------------------ notifications (section 4)

# How a reporter's tracking page names their officer: first names only.
STAFF_FIRST_NAMES: Final[dict[str, str]] = dict(_POLICY["staff_first_names"])
# What a reporter may send through their tracking link: the types a file's content may show,
# and the largest file of each kind, in bytes.
EVIDENCE_KINDS: Final[dict[str, tuple[str, int, frozenset[str]]]] = {
    "audio": ("a sound recording", 25 * 1024 * 1024, frozenset({
        "audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/m4a", "audio/wav", "audio/x-wav",
        "audio/wave", "audio/ogg", "audio/webm", "audio/aac", "audio/flac", "audio/x-flac",
        "video/webm"})),  # a phone's or browser's sound recording is often a WebM file
    "image": ("a photo", 10 * 1024 * 1024, frozenset({
        "image/jpeg", "image/png", "image/heic", "image/heif", "image/webp", "image/gif"})),
    "video": ("a video", 100 * 1024 * 1024, frozenset({
        "video/mp4", "video/quicktime", "video/webm", "video/3gpp", "video/x-msvideo"})),
}
GUESSES_ALLOWED: Final = 10  # wrong tracking links from one address before it must wait
GUESS_WINDOW_MINUTES: Final = 15
LANDLORD_NAME: Final[str] = _POLICY["contact"]["name"]
LANDLORD_PHONE: Final[str] = _POLICY["contact"]["phone"]
# Who can help when neither the reporter's home nor the alleged perpetrator's is the landlord's
# (owner-occupiers, private renters: section 7a): the council's ASB team, found by postcode.
COUNCIL_ASB_TEAM: Final[str] = _POLICY["contact"]["council_asb_team"]
COUNCIL_FINDER_URL: Final[str] = _POLICY["contact"]["council_finder_url"]
COMPLAINTS_URL: Final[str] = _POLICY["contact"]["complaints_url"]
CASE_REVIEW_URL: Final[str] = _POLICY["contact"]["case_review_url"]
SURVEY_URL: Final[str] = _POLICY["contact"]["survey_url"]
# Staff links open the console at the deployment's own address (PUBLIC_BASE_URL, the API's stage
# URL): these are its pages' paths (functions/console/static/console.js reads ?case= and ?view=).
CONSOLE_PATH: Final = "/console"
CONSOLE_CASE_PATH: Final = "/console?case={reference}"
CONSOLE_SUBJECT_ACCESS_PATH: Final = "/console?view=dpo"
# When a channel fails or is unsafe, the next safe one in this order is used.
CHANNEL_ORDER: Final = ("email", "sms", "letter")
NOTIFICATION_SEND_ATTEMPTS: Final = 3

# ------------------------------------------------------------------ partners (section 8)

# What an information-sharing agreement can allow a partner to receive. A package carries only
# the categories its agreement allows and the request asked for.
DATA_CATEGORIES: Final[dict[str, str]] = {
    "case_summary": "Case reference, category, status, behaviours and dates",
    "incident_details": "What happened and when, with other people's details removed",
    "perpetrator_details": "The alleged perpetrator's name, address and description as reported",
    "reporter_details": "The reporter's name and contact details (with their consent)",
    "risk_assessment": "The risk level and the reasons for it",
    "actions_taken": "The tools and powers used, and where they stand",
    # A safeguarding referral (section 7a): who is at risk, their vulnerabilities and why.
    "person_at_risk": "The person at risk: name, contact details, role in the case, "
                      "vulnerabilities and safeguarding concerns",
    # Issue 23 item 5 (section 7a): what a multi-agency meeting agreed, for a partner that was there.
    "meeting_minutes": "The minutes and actions of a multi-agency meeting the partner attended, "
                       "with other people's details removed",
}
LEGAL_ROUTES: Final[dict[str, str]] = {
    "cda_1998_s115": "Crime and Disorder Act 1998 s115",
    "dpa_2018_sch2_para2": "DPA 2018 Schedule 2 Part 1 paragraph 2 (crime and taxation)",
    "information_sharing_agreement": "The information-sharing agreement",
    "court_order": "A court order",
    "consent": "The consent of the person concerned",
    # Section 7a, 8: a safeguarding referral without consent where someone is at risk of harm,
    # with the reason recorded (special category data: DPA 2018 Sch 1 Part 2 para 18).
    "dpa_2018_sch1_para18": "DPA 2018 Schedule 1 paragraph 18 (safeguarding of children and "
                            "individuals at risk)",
}
PARTNER_KINDS: Final = ("police", "council", "mediation", "support",
                        # safeguarding partners (section 7a)
                        "adult_social_care", "childrens_services", "marac",
                        "domestic_abuse_service")
CONSENT_ONLY_KINDS: Final = ("mediation", "support")  # referrals there need consent
# Police ranks, lowest first. DPA 2018 Schedule 2 paragraph 2 sets no rank: the lowest rank that
# may sign off a request under the crime exemption is a term of each information-sharing
# agreement (inspector in many), kept on the partner's entry. Detective ranks are the same ranks.
POLICE_RANKS: Final = (
    "constable", "sergeant", "inspector", "chief inspector", "superintendent",
    "chief superintendent", "assistant chief constable", "deputy chief constable",
    "chief constable",
)
DISCLOSURE_DECISION_WORKING_DAYS: Final[int] = _POLICY["partners"]["disclosure_decision_working_days"]
PARTNER_ACKNOWLEDGEMENT_WORKING_DAYS: Final[int] = _POLICY["partners"]["acknowledgement_working_days"]
DISCLOSURE_SCHEMA: Final = "asb-disclosure/1"

# ------------------------------------------------------------------ multi-agency meetings
# Problem-solving panels and case conferences about a case (ASB-REFERENCE 7a: attendees, agreed
# actions, the agency that owns each and its due date; the landlord chases its own and the
# partners'). Issue 23 item 5.
MEETING_KINDS: Final[dict[str, str]] = dict(_POLICY["meeting_kinds"])
# Who may own an action: the landlord itself, or a partner in the registry that attended.
LANDLORD_OWNER: Final = "landlord"
MEETING_ATTENDEES_MAX: Final = 40
MEETING_ACTIONS_MAX: Final = 30
# A partner's action undone by the end of its due day is chased once by a signed message on
# its own queue, as an exchange between named officers under the information-sharing
# agreement (ASB-REFERENCE 8), and logged in the disclosure log; then it is the officer's to
# follow up (their overdue list).
ACTION_CHASE_LEGAL_ROUTE: Final = "information_sharing_agreement"
ACTION_CHASE_SCHEMA: Final = "asb-action-chase/1"

# ------------------------------------------------------------------ safeguarding (section 7a)


class SafeguardingReferralType(NamedTuple):
    label: str
    partner_kinds: tuple[str, ...]  # the partners that take it
    # Without consent where someone is at risk of harm (section 7a, DPA 2018 Sch 1 para 18); a
    # specialist domestic abuse service works with the victim's agreement (DAHA standards):
    # at risk of serious harm without it, the referral is to MARAC.
    without_consent: bool


SAFEGUARDING_REFERRAL_TYPES: Final[dict[str, SafeguardingReferralType]] = {
    "adult": SafeguardingReferralType(
        "Adult safeguarding (Care Act 2014 s42)", ("adult_social_care",), True),
    "child": SafeguardingReferralType(
        "Child safeguarding (Working Together to Safeguard Children 2023)",
        ("childrens_services",), True),
    "marac": SafeguardingReferralType(
        "MARAC (multi-agency risk assessment conference, domestic abuse at high risk)",
        ("marac",), True),
    "domestic_abuse_specialist": SafeguardingReferralType(
        "Specialist domestic abuse service", ("domestic_abuse_service",), False),
}
# The legal route of a safeguarding referral made without consent (section 7a).
SAFEGUARDING_WITHOUT_CONSENT_ROUTE: Final = "dpa_2018_sch1_para18"
# An urgent referral is decided by the end of the working day (of the next, when made after
# 17:00 or on a day off); any other in the usual time.
SAFEGUARDING_URGENT_DECISION_WORKING_DAYS: Final = 0
# A referral's outcome is due back this many working days after it was sent (local policy: the
# Care Act s42 decision whether to make enquiries is commonly expected within 10); then chased.
SAFEGUARDING_OUTCOME_WORKING_DAYS: Final[int] = _POLICY["partners"]["safeguarding_outcome_working_days"]
# What a partner can answer a safeguarding referral with.
SAFEGUARDING_OUTCOMES: Final[dict[str, str]] = {
    "enquiry_or_assessment": "Accepted: an enquiry or assessment will be made",
    "support_offered": "Support or services offered",
    "discussed_at_marac": "Discussed at MARAC: a safety plan and actions agreed",
    "already_known": "Already known to the partner and being supported",
    "no_further_action": "No further action, with reasons",
}
# Answered "yes", these prompt a safeguarding referral at the top of the case (section 7a:
# suicidal thoughts or self-harm), and triage or the re-assessment opens the task to consider one.
SAFEGUARDING_PROMPT_QUESTIONS: Final = RISK_HIGH_WHATEVER_THE_SCORE
# The task to consider a safeguarding referral falls due by the end of the working day.
SAFEGUARDING_REFERRAL_TASK_WORKING_DAYS: Final = 0

# Vulnerability, recorded per party of any role (section 7a; section 8, Equality Act 2010):
# personal (who they are), situational (what is happening to them), incidental (what the
# incidents did to them); each kind belongs to one type.
VULNERABILITY_TYPES: Final[dict[str, str]] = {
    "personal": "Personal: who they are (disability, health, age)",
    "situational": "Situational: what is happening in their life",
    "incidental": "Incidental: what the incidents have done to them",
}
VULNERABILITY_KINDS: Final[dict[str, tuple[str, str]]] = {
    "physical_disability": ("personal", "Physical disability"),
    "mental_health": ("personal", "Mental health condition"),
    "learning_disability": ("personal", "Learning disability or difficulty"),
    "long_term_illness": ("personal", "Long-term illness"),
    "older_age": ("personal", "Older age or frailty"),
    "child_or_young_person": ("personal", "A child or young person"),
    "neurodivergence": ("personal", "Autism, ADHD or another neurodivergence"),
    "isolation": ("situational", "Isolated, or lives alone without support"),
    "bereavement": ("situational", "Recent bereavement"),
    "recent_move": ("situational", "Recently moved or newly housed"),
    "substance_misuse": ("situational", "Drug or alcohol misuse"),
    "financial_hardship": ("situational", "Debt or financial hardship"),
    "caring_responsibilities": ("situational", "Carer, or cared for"),
    "language_barrier": ("situational", "Language or literacy barrier"),
    "repeat_targeting": ("incidental", "Targeted repeatedly"),
    "made_vulnerable_by_incident": ("incidental", "An incident made them vulnerable"),
    "fear_of_reprisal": ("incidental", "Fears reprisal for reporting"),
    "self_harm_or_suicidal_thoughts": ("incidental", "Self-harm or suicidal thoughts"),
    "other_personal": ("personal", "Something else about who they are (say what)"),
    "other_situational": ("situational", "Something else in their life (say what)"),
    "other_incidental": ("incidental", "Something else the incidents did (say what)"),
}
