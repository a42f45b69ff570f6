"""Domain errors: each says, in words a person understands, what rule was broken."""

from __future__ import annotations

from asb.validation import FieldError


class DomainError(Exception):
    """Base of the errors handlers map to 4xx answers."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
