"""What the reporter reads once their report is in: plain English, short sentences."""

from __future__ import annotations

from asb.intake import Receipt

_DANGER = "If you or anyone else is in immediate danger, call 999."


def next_steps(receipt: Receipt) -> str:
    if receipt.anonymous:
        return (
            f"Thank you. We have your report. Your reference is {receipt.reference}. "
            "You reported without giving your name, so we cannot contact you about it. "
            "We will still look into it. If you contact us, quote your reference. "
            f"{_DANGER}"
        )
    return (
        f"Thank you. We have your report. Your reference is {receipt.reference}. "
        "An officer will read it and contact you within 5 working days, or by the next "
        "working day if someone is being threatened, harassed or hurt. "
        "Together you will agree a plan for what we will do and what we ask of you. "
        "Please keep a diary: write down the date, the time, how long it lasted and what "
        f"happened each time. {_DANGER}"
    )
