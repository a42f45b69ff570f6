"""The console's enforcement choices are the API's own: each step's answers (a hearing's purpose
and outcome, an order's kind, an agreement review's outcome, a notice's grounds) as the step
models accept them, and the tools marked as court action exactly those that move by steps."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, get_args

from asb.case.enforcement import HearingOutcome, HearingPurpose, OrderKind
from asb.enforcement.models import AgreementReviewed, NoticeServed
from asb.enforcement.steps import COURT_MEASURES
from asb.policy.config import PARTNER_POWERS
from tests.conftest import LambdaContext, sample_event
from tests.integration.test_console_handler import settings_of


def catalogues(load_handler: Callable[[str], ModuleType]) -> dict[str, Any]:
    console = load_handler("ConsoleFunction")
    page = console.lambda_handler(sample_event("console-get-page"), LambdaContext())["body"]
    return dict(settings_of(page)["catalogues"])


def test_each_steps_choices_are_those_the_api_accepts(
        load_handler: Callable[[str], ModuleType]) -> None:
    choices = catalogues(load_handler)["enforcement"]
    assert list(choices["hearing_purposes"]) == list(get_args(HearingPurpose))
    assert list(choices["hearing_outcomes"]) == list(get_args(HearingOutcome))
    assert list(choices["order_kinds"]) == list(get_args(OrderKind))
    review_outcome = AgreementReviewed.model_fields["outcome"].annotation
    assert list(choices["agreement_outcomes"]) == list(get_args(review_outcome))
    assert list(choices["notice_grounds"]) == list(
        get_args(NoticeServed.model_fields["ground"].annotation))
    assert choices["absolute_grounds"] == ["ground_7a", "s84a"]
    assert list(choices["absolute_conditions"]) == ["1", "2", "3", "4", "5"]


def test_court_action_is_what_moves_by_steps_and_a_partners_power_is_never_ours(
        load_handler: Callable[[str], ModuleType]) -> None:
    tools = catalogues(load_handler)["tools_and_powers"]
    assert {key for key, tool in tools.items() if tool["court"]} == COURT_MEASURES
    assert {key for key, tool in tools.items() if not tool["ours"]} == PARTNER_POWERS
    assert tools["community_protection_notice"]["ask_of"] == ["police", "council"]
    assert tools["community_protection_notice"]["holder"].startswith("the police, the council")
