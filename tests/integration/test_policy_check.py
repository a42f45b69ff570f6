"""AppConfig's LAMBDA validator (functions/policy_check): the event AppConfig sends (events/),
a right document passes, each kind of mistake refuses the deployment with its path named, and
nothing of the document reaches the log."""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, LambdaContext, sample_event


@pytest.fixture(scope="module")
def policy_check() -> Iterator[ModuleType]:
    # Loaded from its code directory as Lambda does; it needs no AWS resource.
    source = importlib.util.spec_from_file_location("handler_policy_check",
                                                    ROOT / "functions/policy_check/app.py")
    assert source and source.loader
    module = importlib.util.module_from_spec(source)
    sys.modules["handler_policy_check"] = module
    source.loader.exec_module(module)
    yield module
    sys.modules.pop("handler_policy_check", None)


def document(event: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(base64.b64decode(event["content"]))
    return loaded


def with_document(doc: Any) -> dict[str, Any]:
    return {**sample_event("policy_check-validate"),
            "content": base64.b64encode(json.dumps(doc).encode()).decode()}


def refused(module: ModuleType, event: dict[str, Any]) -> str:
    with pytest.raises(module.PolicyNotDeployable) as raised:
        module.lambda_handler(event, LambdaContext())
    return str(raised.value)


def test_the_seed_landlords_document_passes(policy_check: ModuleType) -> None:
    answer = policy_check.lambda_handler(sample_event("policy_check-validate"), LambdaContext())
    assert answer == {"valid": True, "policy_version": "magna-2026.1"}


def test_the_sample_mistake_is_refused_by_its_path(policy_check: ModuleType,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    message = refused(policy_check, sample_event("policy_check-validate-mistake"))
    assert message.startswith("behaviours.noise.category: category 'Z' has no first-response")
    (record,) = [r for r in caplog.records if r.getMessage() == "policy refused"]
    assert (record.__dict__["mistakes"], record.__dict__["configuration_version"]) == (1, "2")
    logged = json.dumps({k: str(v) for k, v in record.__dict__.items()})
    assert "Magna" not in logged and "noise" not in logged  # ids and counts, not the document


def magna() -> dict[str, Any]:
    return copy.deepcopy(document(sample_event("policy_check-validate")))


def test_each_mistake_is_named_by_its_path(policy_check: ModuleType) -> None:
    doc = magna()
    doc["emergency"]["behaviours"].append("loud_music")
    del doc["categories"]["C"]  # behaviours and risk still use C
    doc["case_review"]["qualifying_complaints"] = 4
    doc["risk"]["questions"]["fear"]["weight"] = -1
    message = refused(policy_check, with_document(doc))
    assert "case_review.qualifying_complaints: " in message and "never higher" in message
    assert "risk.questions.fear.weight: " in message
    # Field errors come first; the rules across parts are checked once the shapes are right.
    doc = magna()
    doc["emergency"]["behaviours"].append("loud_music")
    del doc["categories"]["C"]
    message = refused(policy_check, with_document(doc))
    assert "emergency.behaviours.3: unknown behaviour 'loud_music'" in message
    assert "has no first-response target" in message and ".category: category 'C'" in message


@pytest.mark.parametrize(("content", "named"), [
    (base64.b64encode(b"{not json").decode(), "content: not JSON"),
    ("***", "content: not base64"),
    ("", "content: the document is missing"),
    (base64.b64encode(b"[1, 2]").decode(), "a landlord's policy is a JSON object"),
    (base64.b64encode(b"{}").decode(), "landlord: "),
])
def test_what_is_not_a_document_is_refused(policy_check: ModuleType, content: str,
                                           named: str) -> None:
    event = {**sample_event("policy_check-validate"), "content": content}
    assert named in refused(policy_check, event)


def test_a_document_not_in_built_form_is_refused_naming_where(policy_check: ModuleType) -> None:
    """Functions read the deployed document as it comes (no pydantic at cold start): with the
    tools' defaulted fields left out it passes compiled() and the schema, but TOOL_CATALOGUE would
    raise KeyError at every function's start. Only what `build` writes is deployable."""
    doc = magna()
    defaults = {"held_by": "landlord", "tenancy_only": False, "ask_of": [], "stage": 1,
                "offered": True}
    for tool in doc["tools"].values():
        for field, default in defaults.items():
            if tool[field] == default:
                del tool[field]
    policy_check.compiled(doc)  # the checks pass it: its defaults are filled in
    message = refused(policy_check, with_document(doc))
    assert message.startswith("(document): not in built form: deploy what "
                              "`python -m infra.policy build` writes")
    assert "tools.advice.held_by (missing), tools.advice.tenancy_only (missing)" in message
    assert message.endswith(" more")


def test_a_value_of_another_type_than_built_is_refused(policy_check: ModuleType) -> None:
    doc = magna()
    doc["case_review"]["qualifying_complaints"] = float(doc["case_review"]["qualifying_complaints"])
    assert policy_check.compiled(doc) == doc  # equal as Python compares 3.0 and 3
    message = refused(policy_check, with_document(doc))
    assert message.endswith("it differs at case_review.qualifying_complaints (not as built)")
