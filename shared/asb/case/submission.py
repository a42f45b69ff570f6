"""A report of anti-social behaviour as a resident, a complainant or an agency submits it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from asb.case.postcodes import normalised_postcode
from asb.policy.config import (
    BEHAVIOURS,
    HATE_STRANDS,
    LEGACY_BEHAVIOURS,
    LOCAL_TIMEZONE,
    ContactChannel,
    Relationship,
)
from asb.policy.languages import language_of

_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)
# The validation context a stored report is read back under (with `now` where one applies): only
# there is a legacy behaviour (`drugs`, before the dealing/use split) taken, never on a new report.
STORED: dict[str, Any] = {"stored": True}

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(max_length=2000)]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# Plain digits only: "\d" would take any script's digits, which no phone network or postcode has.
_PHONE_ALLOWED = re.compile(r"^\+?[0-9\s()\-]+$")
_LONDON = ZoneInfo(LOCAL_TIMEZONE)


def _email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise PydanticCustomError(
            "email", "Enter an email address in the correct format, like name@example.com"
        )
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _phone(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value)
    if not _PHONE_ALLOWED.match(value) or not 10 <= len(digits) <= 15:
        raise PydanticCustomError(
            "phone", "Enter a telephone number, like 01632 960 001 or 07700 900 982"
        )
    return value


# An email address or telephone number that may be left out (empty is left out).
Email = Annotated[str | None, AfterValidator(lambda v: _email(v) if v else None)]
Phone = Annotated[str | None, AfterValidator(lambda v: _phone(v) if v else None)]


def normalise_postcode(value: str) -> str:
    """'ba201ab' -> 'BA20 1AB'; raises for anything that is not a full UK postcode."""
    postcode = normalised_postcode(value)
    if postcode is None:
        raise PydanticCustomError("postcode", "Enter a full UK postcode, like BA20 1AB")
    return postcode


def not_in_future(value: date | datetime, info: ValidationInfo) -> date | datetime:
    now = (info.context or {}).get("now")
    if isinstance(now, datetime):
        moment = value if isinstance(value, datetime) else None
        today = now.astimezone(_LONDON).date()  # the reporter's today is England's, not UTC's
        if (moment and moment > now) or (moment is None and value > today):
            raise PydanticCustomError("future_date", "The date must be today or in the past")
    return value


class Supporter(BaseModel):
    """Someone the reporter wants copied into what we send them (a relative, an advocate)."""

    model_config = _INPUT

    name: Name
    email: Email = None
    phone: Phone = None
    relationship: ShortText
    reporter_agrees: bool = Field(description="The reporter agrees we copy them in")


class Reporter(BaseModel):
    model_config = _INPUT

    name: Name
    email: Email = None
    phone: Phone = None
    address: ShortText | None = Field(default=None, description="Postal address for letters")
    relationship: Relationship
    # None: no preference given. A default channel would be one the reporter may have given no
    # detail for - a report the model itself would then refuse when read back from the store.
    preferred_contact: ContactChannel | None = None
    safe_contact_times: ShortText | None = Field(
        default=None, description="When it is safe to contact the reporter, in their words"
    )
    unsafe_channels: list[ContactChannel] = Field(
        default_factory=list,
        description="Channels never to use, for example a phone someone else can see",
    )
    reasonable_adjustments: LongText | None = Field(
        default=None, description="Large print, another language, an interpreter, a supporter"
    )
    large_print: bool = Field(default=False, description="Letters in large print")
    language: ShortText | None = Field(
        default=None, description="The language to speak to the reporter in, if not English")
    interpreter: bool = Field(default=False, description="Calls and visits need an interpreter")
    supporter: Supporter | None = None
    safe_from: time | None = Field(default=None, description="Contact only after this time")
    safe_until: time | None = Field(default=None, description="...and before this time")

    @field_validator("language")
    @classmethod
    def _listed_language(cls, value: str | None, info: ValidationInfo) -> str | None:
        # One of asb.languages.LANGUAGES, never free text (a report stored before keeps its own).
        stored = bool((info.context or {}).get("stored"))
        return None if value is None else language_of(value, stored)

    @field_validator("preferred_contact")
    @classmethod
    def _reachable_by_preferred_channel(cls, value: str | None,
                                        info: ValidationInfo) -> str | None:
        if value is None:
            return None
        needs = {"email": "email", "sms": "phone", "phone": "phone", "letter": "address"}[value]
        if needs in info.data and not info.data.get(needs):
            raise PydanticCustomError(
                "contact_detail_missing",
                "You chose {channel}: give us your {needs} too, or choose another way",
                {"channel": value, "needs": needs},
            )
        return value

    @model_validator(mode="after")
    def _preferred_is_safe(self) -> Reporter:
        if self.preferred_contact in self.unsafe_channels:
            raise PydanticCustomError(
                "unsafe_preferred", "The way you prefer to be contacted is also marked as unsafe"
            )
        return self


# A postcode that may be left out (empty is left out); given, it must be a full UK postcode.
Postcode = Annotated[str | None, AfterValidator(lambda v: normalise_postcode(v) if v else None)]
_UPRN = re.compile(r"^[0-9]{1,12}$")


def _uprn(value: str) -> str:
    if not _UPRN.match(value):
        raise PydanticCustomError("uprn", "Choose the address from the list of our homes")
    return value


# A home's Unique Property Reference Number (digits), as the homes register keeps it; whether
# it is one of the landlord's is for intake to check against the register.
Uprn = Annotated[str | None, AfterValidator(lambda v: _uprn(v) if v else None)]


class Location(BaseModel):
    model_config = _INPUT

    address: Annotated[str, StringConstraints(min_length=3, max_length=200)]
    postcode: Postcode = None
    details: LongText | None = Field(default=None, description="Where exactly, e.g. the stairwell")
    uprn: Uprn = Field(default=None, description=(
        "The landlord's home where it is happening, if it is one (its UPRN, from the homes "
        "register: GET / lists the homes at a postcode); a UPRN the register does not have is "
        "refused"))


class Incident(BaseModel):
    model_config = _INPUT

    behaviours: list[str] = Field(
        min_length=1, json_schema_extra={"items": {"enum": list(BEHAVIOURS)}}
    )
    description: Annotated[str, StringConstraints(min_length=10, max_length=5000)]
    first_occurred: date | None = None
    last_occurred: datetime | date | None = None
    ongoing: bool = False
    through_walls: bool | None = Field(default=None, description=(
        "The sound may come through a wall, floor or ceiling (the building may be letting it "
        "through): everyday noise then gets a property check"))

    @field_validator("behaviours")
    @classmethod
    def _known_behaviours(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # A legacy behaviour is still read (stored reports carry it), never offered or taken.
        legacy_read = bool((info.context or {}).get("stored"))
        unknown = [b for b in value
                   if b not in BEHAVIOURS and not (legacy_read and b in LEGACY_BEHAVIOURS)]
        if unknown:
            raise PydanticCustomError(
                "behaviour",
                "Choose from the published list of behaviours: {choices}",
                {"choices": ", ".join(BEHAVIOURS)},
            )
        return list(dict.fromkeys(value))

    @field_validator("last_occurred", mode="wrap")
    @classmethod
    def _one_error(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # Defined first, so it wraps only the date-or-moment union: one error, on the field
        # itself, instead of one per member of the union ("last_occurred.datetime", ".date").
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(
                "date_or_moment",
                "Enter a real date, like 2026-11-01, or a date and time, like 2026-11-22T23:40:00Z",
            ) from None

    @field_validator("last_occurred", mode="before")
    @classmethod
    def _date_or_moment(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and _looks_like_date(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value  # not a real date: refused, in plain words, by _one_error
        return value

    @field_validator("last_occurred")
    @classmethod
    def _moment_is_aware(cls, value: datetime | date | None) -> datetime | date | None:
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("first_occurred", "last_occurred")
    @classmethod
    def _past(cls, value: date | datetime | None, info: ValidationInfo) -> date | datetime | None:
        return None if value is None else not_in_future(value, info)

    @model_validator(mode="after")
    def _in_order(self) -> Incident:
        if self.first_occurred and self.last_occurred:
            last = self.last_occurred
            last_day = last.date() if isinstance(last, datetime) else last
            if last_day < self.first_occurred:
                raise PydanticCustomError(
                    "dates_out_of_order", "The last time must be on or after the first time"
                )
        return self


def _looks_like_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


class Perpetrator(BaseModel):
    model_config = _INPUT

    known: bool = False
    name: Name | None = None
    address: ShortText | None = None
    postcode: Postcode = Field(default=None, description="The postcode of their address")
    uprn: Uprn = Field(default=None, description=(
        "Their home, if it is one of the landlord's (its UPRN, from the homes register): a "
        "further report about the same current tenancy joins its open case; an address in "
        "words never joins one. A UPRN the register does not have is refused"))
    description: LongText | None = None


class HarmAnswers(BaseModel):
    """The reporter's own answers to the harm questions; None means not answered."""

    model_config = _INPUT

    feels_unsafe: bool | None = None
    targeted_for_identity: list[str] = Field(
        default_factory=list, json_schema_extra={"items": {"enum": list(HATE_STRANDS)}}
    )
    affects_health: bool | None = None
    vulnerable_household: bool | None = None
    happened_before: bool | None = None
    threats_or_violence: bool | None = None
    children_affected: bool | None = None
    affects_daily_life: bool | None = None
    lives_alone_or_isolated: bool | None = None

    @field_validator("targeted_for_identity")
    @classmethod
    def _known_strands(cls, value: list[str]) -> list[str]:
        if any(strand not in HATE_STRANDS for strand in value):
            raise PydanticCustomError(
                "hate_strand",
                "Choose from: {choices}",
                {"choices": ", ".join(HATE_STRANDS)},
            )
        return list(dict.fromkeys(value))



class EqualityMonitoring(BaseModel):
    """Equality Act 2010 monitoring: every answer optional. Stored apart from the report, with no
    link back to it, and reported only in aggregate."""

    model_config = _INPUT

    age_band: Literal["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+",
                      "prefer not to say"] | None = None
    disabled: Literal["yes", "no", "prefer not to say"] | None = None
    ethnic_group: Literal["Asian or Asian British", "Black, Black British, Caribbean or African",
                          "Mixed or multiple", "White", "Other", "prefer not to say"] | None = None
    religion: Literal["no religion", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim",
                      "Sikh", "Other", "prefer not to say"] | None = None
    sex: Literal["female", "male", "prefer not to say"] | None = None
    sexual_orientation: Literal["straight or heterosexual", "gay or lesbian", "bisexual",
                                "other", "prefer not to say"] | None = None
    gender_identity_same_as_at_birth: Literal["yes", "no", "prefer not to say"] | None = None


class ReportSubmission(BaseModel):
    """What the web form or a JSON client posts to ``POST /reports``."""

    model_config = _INPUT

    reporter: Reporter | None = None
    anonymous: bool = False
    location: Location
    incident: Incident
    perpetrator: Perpetrator = Field(default_factory=Perpetrator)
    harm: HarmAnswers = Field(default_factory=HarmAnswers)
    monitoring: EqualityMonitoring | None = Field(default=None, description=(
        "Optional, and kept apart from the case: counted only in groups of 5 or more"))
    consent_to_share: bool = Field(
        default=False, description="The reporter agrees we may share the report with partners"
    )
    address_to_check: bool = Field(default=False, description=(
        "The reporter says the place, their home or the alleged perpetrator's is one of the "
        "landlord's but could not find it in the list: an officer checks the address"))

    @model_validator(mode="after")
    def _anonymous_reports_keep_no_reporter(self) -> ReportSubmission:
        # An anonymous report is never contacted, so it keeps no contact details at all.
        if self.anonymous and self.reporter is not None:
            return self.model_copy(update={"reporter": None})
        if self.reporter is None and not self.anonymous:
            return self.model_copy(update={"anonymous": True})
        return self

    @property
    def is_hate_incident(self) -> bool:
        return bool(self.harm.targeted_for_identity) or "hate" in self.incident.behaviours
