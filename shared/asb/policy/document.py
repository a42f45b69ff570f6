"""The landlord's policy document: what a landlord decides, as data, checked before it is used.

`LandlordPolicy` validates a document (landlords/<name>.yaml); `check` adds the rules across
its parts and the law's ceilings, and names every mistake by its path
(`behaviours.noise.category: ...`). Used by `python -m infra.policy`, `make check-policy` and the
tests; a Lambda never builds it: config.py reads the packaged JSON this model has already checked
(defer_build, so importing this module costs nothing until a document is validated).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

# --- what is law, not policy: a document cannot change it (ASB-REFERENCE section 6, 8) --------
# ASBCPA 2014 s104(4) and explanatory note 231: the ASB Case Review threshold is three qualifying
# complaints; the relevant bodies may set a lower one, never a higher one.
CASE_REVIEW_STATUTORY_COMPLAINTS = 3
# Limitation Act 1980 s2, s5: six years to bring a claim; records a claim or an order's challenge
# may need are kept at least that long after closure (ASB-REFERENCE section 8).
RETENTION_MINIMUM_YEARS = 6
# The category codes the service works with (cases are indexed and counted by them), A the
# most serious; a landlord with fewer uses the first ones, its own words in their labels.
SERVICE_CATEGORIES = ("A", "B", "C")
# The risk levels the service works with; a landlord sets the cadence and thresholds of each.
RISK_LEVELS = ("standard", "medium", "high")
# Powers the landlord does not hold (ASBCPA 2014 s22, s43, s53, s76, s80): a document may list
# them, to ask them of a partner, but never as the landlord's own.
STATUTORY_HOLDERS: dict[str, str] = {
    "community_protection_notice": "police_council_or_designated",
    "closure_order": "police_or_council",
    "criminal_behaviour_order": "prosecution_on_conviction",
}
Holder = Literal["landlord", "police_or_council", "police_council_or_designated",
                 "prosecution_on_conviction"]
PartnerKind = Literal["police", "council", "mediation", "support", "adult_social_care",
                      "childrens_services", "marac", "domestic_abuse_service"]

_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)
Name = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
WorkingDays = Annotated[int, Field(ge=0, le=250)]
Words = Annotated[str, Field(min_length=1, max_length=300)]
Url = Annotated[str, Field(pattern=r"^https://\S+$")]


def _within_the_act(complaints: int) -> int:
    if not 1 <= complaints <= CASE_REVIEW_STATUTORY_COMPLAINTS:
        raise ValueError(f"the ASB Case Review threshold must be 1 to "
                         f"{CASE_REVIEW_STATUTORY_COMPLAINTS} qualifying complaints: a local "
                         f"threshold may be lower than the Act's, never higher (ASBCPA 2014 "
                         f"s104(4), explanatory note 231), not {complaints}")
    return complaints


def _not_below_the_limitation_period(years: int) -> int:
    if years < RETENTION_MINIMUM_YEARS:
        raise ValueError(f"a closed case is kept at least {RETENTION_MINIMUM_YEARS} years "
                         f"(Limitation Act 1980 s2, s5), not {years}")
    return years


CaseReviewThreshold = Annotated[int, AfterValidator(_within_the_act),
                                Field(json_schema_extra={"minimum": 1, "maximum": 3})]
RetentionYears = Annotated[int, AfterValidator(_not_below_the_limitation_period),
                           Field(json_schema_extra={"minimum": RETENTION_MINIMUM_YEARS})]


class Landlord(BaseModel):
    """Who the landlord is, as pages and letters name it."""

    model_config = _STRICT
    name: Words
    phone: Words
    complaints_url: Url
    case_review_url: Url
    survey_url: Url
    # Who helps when neither home is the landlord's (ASB-REFERENCE 7a).
    council_asb_team: Words
    council_finder_url: Url


class CategoryPolicy(BaseModel):
    model_config = _STRICT
    label: Words
    first_response_working_days: WorkingDays


class BehaviourPolicy(BaseModel):
    model_config = _STRICT
    label: Words
    category: str
    # s105: it causes harassment, alarm or distress, so it counts towards the Case Review.
    case_review: bool


class RiskQuestion(BaseModel):
    model_config = _STRICT
    question: Words
    weight: Annotated[int, Field(ge=0, le=100)]


class RiskBands(BaseModel):
    model_config = _STRICT
    medium: Annotated[int, Field(ge=1)]
    high: Annotated[int, Field(ge=1)]


class RiskPolicy(BaseModel):
    model_config = _STRICT
    questions: dict[Name, RiskQuestion] = Field(min_length=1)
    bands: RiskBands
    high_whatever_the_score: list[Name]
    repeat_victim_months: Annotated[int, Field(ge=0, le=60)]
    # The category a case at each risk level is at least (high risk is always the top one).
    minimum_category: dict[Literal["standard", "medium", "high"], str]
    hate_incident_minimum_category: str


class EmergencyPolicy(BaseModel):
    model_config = _STRICT
    behaviours: list[Name]
    consideration_due_hour: Annotated[int, Field(ge=9, le=23)]


class CadencePolicy(BaseModel):
    """Contact and review by risk level (ASB-REFERENCE section 3)."""

    model_config = _STRICT
    contact_every_working_days: dict[Literal["standard", "medium", "high"], WorkingDays]
    first_review_days: dict[Literal["standard", "medium", "high"], Annotated[int, Field(ge=1)]]
    no_activity_working_days: Annotated[int, Field(ge=1, le=250)]


class PointOfContact(BaseModel):
    model_config = _STRICT
    partner_id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    name: Words
    how_to_reach: Words


class CaseReviewPolicy(BaseModel):
    model_config = _STRICT
    qualifying_complaints: CaseReviewThreshold
    single_hate_incident: bool
    step_working_days: dict[Literal["acknowledge", "decide", "meet", "outcome"], WorkingDays]
    appeal_working_days: WorkingDays
    lead_body: bool
    point_of_contact: PointOfContact
    referral_decision_working_days: WorkingDays


class ToolPolicy(BaseModel):
    model_config = _STRICT
    name: Words
    legal: bool
    held_by: Holder = "landlord"
    tenancy_only: bool = False
    ask_of: list[PartnerKind] = []
    stage: Annotated[int, Field(ge=1)] = 1
    offered: bool = True


class Patch(BaseModel):
    model_config = _STRICT
    officer: Annotated[str, Field(min_length=1)]
    team: Annotated[str, Field(min_length=1)]


class GoodNeighbourPolicy(BaseModel):
    model_config = _STRICT
    behaviours: list[Name]
    follow_up_working_days: WorkingDays
    decision_working_days: WorkingDays
    tools: list[Name]
    property_check_what: Words


class DomesticAbusePolicy(BaseModel):
    model_config = _STRICT
    behaviours: list[Name]
    specialist_referral_working_days: WorkingDays


class RetentionPolicy(BaseModel):
    model_config = _STRICT
    closed_case_years: RetentionYears


class PartnerPolicy(BaseModel):
    """The settings of the information-sharing agreements that are the landlord's to set."""

    model_config = _STRICT
    disclosure_decision_working_days: WorkingDays
    acknowledgement_working_days: WorkingDays
    safeguarding_outcome_working_days: WorkingDays
    witness_contact_every_working_days: Annotated[int, Field(ge=1)]
    witness_contact_longest_working_days: Annotated[int, Field(ge=1)]


class LandlordPolicy(BaseModel):
    """A landlord's ASB policy: everything the service decides by that is the landlord's to set."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True,
                              title="Landlord ASB policy")
    landlord: Annotated[str, Field(min_length=1, max_length=100)]
    version: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,62}$")]
    contact: Landlord
    categories: dict[Annotated[str, Field(pattern=r"^[A-Z]$")], CategoryPolicy] = Field(min_length=1)
    behaviours: dict[Name, BehaviourPolicy] = Field(min_length=1)
    # No longer offered, still carried by stored reports: read and triaged as before.
    legacy_behaviours: dict[Name, BehaviourPolicy] = {}
    risk: RiskPolicy
    emergency: EmergencyPolicy
    cadence: CadencePolicy
    case_review: CaseReviewPolicy
    tools: dict[Name, ToolPolicy] = Field(min_length=1)
    ladder_stages: dict[Annotated[str, Field(pattern=r"^[1-9]$")], Words]
    closure_outcomes: dict[Name, Words] = Field(min_length=1)
    satisfaction_answers: dict[Words, bool]
    referral_services: dict[Name, Words]
    meeting_kinds: dict[Name, Words]
    patches: dict[Annotated[str, Field(pattern=r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")], Patch]
    unassigned_team: Annotated[str, Field(min_length=1)]
    staff_first_names: dict[str, Words]
    good_neighbour: GoodNeighbourPolicy
    domestic_abuse: DomesticAbusePolicy
    retention: RetentionPolicy
    partners: PartnerPolicy


@dataclass(frozen=True)
class Mistake:
    path: str  # e.g. behaviours.noise.category
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PolicyRefused(ValueError):
    def __init__(self, mistakes: list[Mistake]) -> None:
        super().__init__("; ".join(str(m) for m in mistakes))
        self.mistakes = mistakes


def checked(raw: Mapping[str, Any]) -> LandlordPolicy:
    """The document as a policy, or PolicyRefused naming every mistake by its path."""
    try:
        policy = LandlordPolicy.model_validate(raw)
    except ValidationError as refused:
        raise PolicyRefused([Mistake(".".join(str(part) for part in error["loc"]),
                                     error["msg"].removeprefix("Value error, "))
                             for error in refused.errors()]) from None
    mistakes = rule_mistakes(policy)
    if mistakes:
        raise PolicyRefused(mistakes)
    return policy


def compiled(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What the layer ships (landlords/<name>.json): the checked document, defaults filled in."""
    return checked(raw).model_dump(mode="json")


def rule_mistakes(policy: LandlordPolicy) -> list[Mistake]:
    """The rules across the document's parts: every name it refers to is one it defines."""
    return [*_category_mistakes(policy), *_reference_mistakes(policy), *_tool_mistakes(policy),
            *_risk_mistakes(policy)]


def _category_mistakes(policy: LandlordPolicy) -> list[Mistake]:
    known = set(policy.categories)
    uses = [(f"{part}.{name}.category", b.category)
            for part, behaviours in (("behaviours", policy.behaviours),
                                     ("legacy_behaviours", policy.legacy_behaviours))
            for name, b in behaviours.items()]
    uses += [(f"risk.minimum_category.{level}", c) for level, c in policy.risk.minimum_category.items()]
    uses.append(("risk.hate_incident_minimum_category", policy.risk.hate_incident_minimum_category))
    named = tuple(sorted(known))
    mistakes = [] if named == SERVICE_CATEGORIES[:len(named)] else [Mistake(
        "categories", f"categories are A, B and C, the most serious first, as many as the "
                      f"landlord has (A; A and B; or all three) under its own labels, not "
                      f"{', '.join(named)}")]
    return [*mistakes, *(Mistake(path, f"category {category!r} has no first-response target "
                                       f"(categories defines {', '.join(named)})")
                         for path, category in uses if category not in known)]


def _unknown(path: str, names: list[str], known: Mapping[str, object], what: str) -> list[Mistake]:
    return [Mistake(f"{path}.{i}", f"unknown {what} {name!r}")
            for i, name in enumerate(names) if name not in known]


def _reference_mistakes(policy: LandlordPolicy) -> list[Mistake]:
    behaviours = {**policy.behaviours, **policy.legacy_behaviours}
    return [
        *_unknown("emergency.behaviours", policy.emergency.behaviours, behaviours, "behaviour"),
        *_unknown("good_neighbour.behaviours", policy.good_neighbour.behaviours, behaviours,
                  "behaviour"),
        *_unknown("domestic_abuse.behaviours", policy.domestic_abuse.behaviours, behaviours,
                  "behaviour"),
        *_unknown("good_neighbour.tools", policy.good_neighbour.tools, policy.tools, "tool"),
        *_unknown("risk.high_whatever_the_score", policy.risk.high_whatever_the_score,
                  policy.risk.questions, "risk question"),
        *[Mistake(f"{part}.{level}", f"no {what} for {level} risk")
          for part, given, what in (
              ("cadence.contact_every_working_days", policy.cadence.contact_every_working_days,
               "contact cadence"),
              ("cadence.first_review_days", policy.cadence.first_review_days, "first review"),
              ("risk.minimum_category", policy.risk.minimum_category, "minimum category"))
          for level in RISK_LEVELS if level not in given],
        *[Mistake(f"case_review.step_working_days.{step}", "no working days for this step")
          for step in ("acknowledge", "decide", "meet", "outcome")
          if step not in policy.case_review.step_working_days],
    ]


def _tool_mistakes(policy: LandlordPolicy) -> list[Mistake]:
    mistakes = []
    for key, tool in policy.tools.items():
        statutory = STATUTORY_HOLDERS.get(key)
        if statutory and tool.held_by != statutory:
            mistakes.append(Mistake(f"tools.{key}.held_by", f"the Act gives this power to "
                                    f"{statutory}, not {tool.held_by} (ASBCPA 2014 s22, s43, "
                                    f"s53, s76, s80)"))
        if tool.held_by != "landlord" and not tool.ask_of:
            mistakes.append(Mistake(f"tools.{key}.ask_of", "a power the landlord does not hold "
                                    "names the partner kinds it is asked of"))
        if str(tool.stage) not in policy.ladder_stages:
            mistakes.append(Mistake(f"tools.{key}.stage", f"stage {tool.stage} is not one of "
                                    f"ladder_stages"))
    return mistakes


def _risk_mistakes(policy: LandlordPolicy) -> list[Mistake]:
    bands = policy.risk.bands
    if bands.high <= bands.medium:
        return [Mistake("risk.bands.high", f"high risk starts above medium ({bands.medium}), "
                                           f"not at {bands.high}")]
    return []


def json_schema() -> dict[str, Any]:
    """The published JSON Schema (docs/policy/landlord-policy.schema.json)."""
    schema = LandlordPolicy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://example.org/asb/landlord-policy.schema.json"
    return schema
