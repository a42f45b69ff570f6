"""Every key of the single cases table, in one module.

| item              | pk                      | sk                           |
|-------------------|-------------------------|------------------------------|
| case              | CASE#<reference>        | CASE                         |
| report            | CASE#<reference>        | REPORT#<received at>#<id>    |
| audit entry       | CASE#<reference>        | AUDIT#<at>#<id>              |
| outbox event      | CASE#<reference>        | EVENT#<occurred at>#<id>     |
| reference counter | COUNTER#REFERENCE       | YEAR#<year>                  |
| idempotency key   | IDEMPOTENCY#<key hash>  | IDEMPOTENCY                  |
| matter            | MATTER#<kind>#<postcode>#<address> | MATTER            |
| report reference  | REPORTREF#<reference>   | REPORTREF                    |
| task              | CASE#<reference>        | TASK#<kind>                  |
| tool or power     | CASE#<reference>        | MEASURE#<id>                 |
| enforcement date  | CASE#<reference>        | DEADLINE#<measure id>.<slot> |
| witness contact   | CASE#<reference>        | DEADLINE#witness.<party id>  |
| multi-agency meeting | CASE#<reference>     | MEETING#<meeting id>         |
| a meeting's action | CASE#<reference>       | DEADLINE#meeting.<meeting id>.<action id> |
| witness statement | CASE#<reference>        | STATEMENT#<id>               |
| witness's needs   | CASE#<reference>        | WITNESS#<party id>           |
| ASB Case Review   | CASE#<reference>        | CASEREVIEW#<id>              |
| closure survey    | CASE#<reference>        | SURVEY#<at>#<id>             |
| disclosure        | CASE#<reference>        | DISCLOSURE#<id>              |
| disclosure log    | CASE#<reference>        | DISCLOSURELOG#<at>#<id>      |
| partner           | PARTNER                 | <partner id>                 |
| person lookup     | PERSON#<hashed identifier> | <reference>#<report id>#<role> |
| party             | CASE#<reference>        | PARTY#<party id>             |
| person (identity) | PERSONID#<person id>    | PERSON                       |
| a person's party  | PERSONID#<person id>    | PARTY#<reference>#<party id> |
| match key         | MATCHKEY#<email:…, phone:…, tenancy:…> | MATCHKEY (person:<id> each) |
| a home page's read | HOME#<uprn>            | AUDIT#<at>#<id> (its cases' reads are in theirs) |
| a case at a home   | HOME#<uprn>            | CASE#<reference> (its roles: asb.case.home_cases) |
| the case's homes   | CASE#<reference>       | HOME#<uprn> (the same: retention finds them) |
| equality monitoring | MONITORING#<year>     | <random id>                  |
| subject access request | SUBJECTACCESS#<SAR-id> | REQUEST (and its AUDIT#, EVENT#, NOTIFY#) |
| tenant perception survey | FIGURES#<year>   | TENANT_PERCEPTION_SURVEY     |
| its import's audit | FIGURES#<year>         | AUDIT#<at>#<id>              |

Indexes (all sparse: only the items that carry their keys are in them):

| index              | partition      | sort         | items                          |
|--------------------|----------------|--------------|--------------------------------|
| DueWork            | due_kind       | due_at       | open tasks, by kind and due time |
| CasesByTeam        | list_team      | opened_at    | cases, by team                  |
| CasesByOfficer     | list_officer   | opened_at    | cases, by officer ("mine");     |
|                    |                |              | open unassigned ones under UNASSIGNED#<team> |
| CasesByTeamStatus  | team_status    | opened_at    | cases, by team and status       |
| CasesByTeamCategory| team_category  | opened_at    | cases, by team and category     |
| EmergenciesByTeam  | team_emergency | opened_at    | open emergency cases, by team   |
| ByReportingYear    | year_list      | year_on      | case reviews, surveys, disclosure log, by year; |
|                    |                |              | the imported tenant perception survey           |
| AccessByActor      | access_actor   | at           | reads of personal data, by who read them |
"""

from __future__ import annotations

from datetime import datetime

PK = "pk"
SK = "sk"
ENTITY = "entity"
TTL = "expires_at"


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def case_pk(reference: str) -> str:
    return f"CASE#{reference}"


# A case's partition sorted by sk: its audit trail (AUDIT#...) first, then everything else
# ("CASE", "CASEREVIEW#", ... "WITNESS#"). Every AUDIT# key sorts below "AUDIT$" ("$" follows
# "#") and every other key above it, so `sk >= AFTER_AUDIT` reads the case without its audit
# trail, which grows with every read of the case (each staff view writes an entry).
AFTER_AUDIT = "AUDIT$"
CASE_WITHOUT_AUDIT = "pk = :pk AND sk >= :after_audit"


def case_without_audit(reference: str) -> dict[str, str]:
    """The values of CASE_WITHOUT_AUDIT for a case."""
    return {":pk": case_pk(reference), ":after_audit": AFTER_AUDIT}


SUBJECT_ACCESS_PREFIX = "SAR-"


def owner_pk(reference: str) -> str:
    """The partition a reference names: a subject access request's (SAR-...) or a case's. Audit
    entries, outbox events and delivery logs live in their owner's partition."""
    if reference.startswith(SUBJECT_ACCESS_PREFIX):
        return f"SUBJECTACCESS#{reference}"
    return case_pk(reference)


def reference_of(pk: str) -> str:
    """The reference a partition key names (CASE#..., SUBJECTACCESS#...)."""
    return pk.split("#", 1)[1]


def subject_access_key(reference: str) -> dict[str, str]:
    return {PK: owner_pk(reference), SK: "REQUEST"}


def case_key(reference: str) -> dict[str, str]:
    return {PK: case_pk(reference), SK: "CASE"}


def report_key(reference: str, received_at: datetime, report_id: str) -> dict[str, str]:
    return {PK: case_pk(reference), SK: f"REPORT#{_at(received_at)}#{report_id}"}


AUDIT_PREFIX = "AUDIT#"


def audit_key(reference: str, at: datetime, entry_id: str) -> dict[str, str]:
    return {PK: owner_pk(reference), SK: f"{AUDIT_PREFIX}{_at(at)}#{entry_id}"}


def event_key(reference: str, occurred_at: datetime, event_id: str) -> dict[str, str]:
    return {PK: owner_pk(reference), SK: f"EVENT#{_at(occurred_at)}#{event_id}"}


def reference_counter_key(year: int) -> dict[str, str]:
    return {PK: "COUNTER#REFERENCE", SK: f"YEAR#{year}"}


def idempotency_key(key_hash: str) -> dict[str, str]:
    return {PK: f"IDEMPOTENCY#{key_hash}", SK: "IDEMPOTENCY"}


def matter_key(key: str) -> dict[str, str]:
    return {PK: f"MATTER#{key}", SK: "MATTER"}


def report_reference_key(reference: str) -> dict[str, str]:
    """A reporter's own reference -> the case and report it names (written with the report)."""
    return {PK: f"REPORTREF#{reference}", SK: "REPORTREF"}


def person_key(key: str, reference: str, report_id: str, role: str) -> dict[str, str]:
    """One identifier of one person named by one report (people.py makes the hash)."""
    return {PK: f"PERSON#{key}", SK: f"{reference}#{report_id}#{role}"}


def party_key(reference: str, party_id: str) -> dict[str, str]:
    """A person's place in one case: in the case's partition, loaded with its folder."""
    return {PK: case_pk(reference), SK: f"PARTY#{party_id}"}


def person_pk(person_id: str) -> str:
    """A person's own partition: their record and a lookup of each party of theirs (PERSONID#,
    apart from the hashed PERSON# lookups subject access reads)."""
    return f"PERSONID#{person_id}"


def person_record_key(person_id: str) -> dict[str, str]:
    return {PK: person_pk(person_id), SK: "PERSON"}


def persons_party_key(person_id: str, reference: str, party_id: str) -> dict[str, str]:
    return {PK: person_pk(person_id), SK: f"PARTY#{reference}#{party_id}"}


def match_key(key: str) -> dict[str, str]:
    """The persons known under one match key (asb.case.parties), one attribute each."""
    return {PK: f"MATCHKEY#{key}", SK: "MATCHKEY"}


def home_reads_pk(uprn: str) -> str:
    """A home's partition: the reads of its page (its tenants) audited, AUDIT#, since the home
    is in no case; and the cases at it, CASE#."""
    return f"HOME#{uprn}"


def home_case_key(uprn: str, reference: str) -> dict[str, str]:
    """A case at a home (asb.case.home_cases): a home's cases are one Query of HOME#<uprn>
    from CASE#, apart from its page's reads (AUDIT#)."""
    return {PK: home_reads_pk(uprn), SK: case_pk(reference)}


def case_home_key(reference: str, uprn: str) -> dict[str, str]:
    """The same (home, case) in the case's partition, so that retention finds the lookup."""
    return {PK: case_pk(reference), SK: f"HOME#{uprn}"}


MATCHED_PERSON = "person:"  # the prefix of a match key item's attribute per person


def monitoring_key(year: int, row_id: str) -> dict[str, str]:
    """Equality monitoring answers, by reporting year only: nothing links them to a report."""
    return {PK: f"MONITORING#{year}", SK: row_id}


def tenant_survey_key(year: int) -> dict[str, str]:
    """The year's imported tenant perception survey: one item, replaced by a new import."""
    return {PK: f"FIGURES#{year}", SK: "TENANT_PERCEPTION_SURVEY"}


def partner_key(partner_id: str) -> dict[str, str]:
    return {PK: "PARTNER", SK: partner_id}


def record_id_key(reference: str, entity: str, record_id: str) -> dict[str, str]:
    """The key of a record kept as one item (a measure, a case review, a disclosure)."""
    return {PK: case_pk(reference), SK: f"{_UPDATED_IN_PLACE[entity]}#{record_id}"}


def task_key(reference: str, kind: str) -> dict[str, str]:
    return {PK: case_pk(reference), SK: f"TASK#{kind}"}


DUE_WORK = "DueWork"
BY_REPORTING_YEAR = "ByReportingYear"
ACCESS_BY_ACTOR = "AccessByActor"
ACCESS_ACTOR = "access_actor"


def year_list(kind: str, year: int) -> str:
    """The ByReportingYear partition of one kind of record in one reporting year."""
    return f"{kind}#{year}"

CASE_LISTS = {
    "team": ("CasesByTeam", "list_team"),
    "mine": ("CasesByOfficer", "list_officer"),
    "status": ("CasesByTeamStatus", "team_status"),
    "category": ("CasesByTeamCategory", "team_category"),
    "emergency": ("EmergenciesByTeam", "team_emergency"),
    # An open case with no officer sits on CasesByOfficer under its team's queue name (a
    # username holds no "#"): the assignment queue is one Query, with no index of its own.
    "unassigned": ("CasesByOfficer", "list_officer"),
}


def unassigned_queue(team: str) -> str:
    """The CasesByOfficer partition of a team's open cases that no officer has."""
    return f"UNASSIGNED#{team}"

_RECORD_PREFIX = {"DiaryEntry": "DIARY", "Contact": "CONTACT", "ActionPlan": "PLAN",
                  "Referral": "REFERRAL", "Survey": "SURVEY", "DisclosureLog": "DISCLOSURELOG"}
_UPDATED_IN_PLACE = {"Measure": "MEASURE", "CaseReview": "CASEREVIEW",
                     "Disclosure": "DISCLOSURE", "Evidence": "EVIDENCE", "Deadline": "DEADLINE",
                     "Meeting": "MEETING",
                     "WitnessStatement": "STATEMENT", "WitnessNeeds": "WITNESS"}


def record_key(reference: str, entity: str, at: datetime, record_id: str) -> dict[str, str]:
    """Measures and case reviews are one item each (updated in place); the rest are
    append-only, by time."""
    if entity in _UPDATED_IN_PLACE:
        return record_id_key(reference, entity, record_id)
    return {PK: case_pk(reference), SK: f"{_RECORD_PREFIX[entity]}#{_at(at)}#{record_id}"}
