"""Domain errors: each says, in words a person understands, what rule was broken."""

from __future__ import annotations

from asb.kernel.validation import FieldError


class DomainError(Exception):
    """Base of the errors handlers map to 4xx answers."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleBroken(DomainError):
    """A write that breaks a rule of the service: answered 409 with the rule in words."""


class InvalidOverride(DomainError):
    """A staff override of triage's category, risk or emergency legal consideration that its
    rules refuse (409). Here, not in triage, so the staff API maps it without loading triage."""


class CaseNotFound(DomainError):
    """No such case, or none the caller may see: answered 404 either way."""


class UnknownRecord(DomainError):
    """No such record (a measure, a review, a file...) on the case."""


class InvalidChange(DomainError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("Some answers need checking")
        self.errors = errors


class VersionRequired(DomainError):
    """A change sent without If-Match: answered 428."""


class VersionConflict(DomainError):
    """What was read is no longer current (a case, a partner's entry, a subject access request,
    a year's survey, a matter's case): read it again. Answered 412 with `current`, when known,
    as the ETag; services that read and decide themselves (intake, triage, a reporter's
    change) try again instead."""

    def __init__(self, message: str, current: int | None = None) -> None:
        super().__init__(message)
        self.current = current


CASE_CHANGED = "The case changed since you read it. Read it again."


def case_changed(current: int) -> VersionConflict:
    return VersionConflict(CASE_CHANGED, current)


class InvalidReport(DomainError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("Some answers need checking")
        self.errors = errors


class IdempotencyKeyReused(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used for a different report. "
            "Use a new key for a new report."
        )



# Another report opened or closed the matter's case between our look-up and our write.
MATTER_CHANGED = "The matter's case changed while the report was filed"
