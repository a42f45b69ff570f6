"""Each function's role grants the AWS actions its code calls. moto checks no IAM, so a call the
role does not grant passes every other test and fails in AWS with AccessDenied.

What is checked, statically, for every function of the template (`CHECKED`, read from it, so a
new function is checked too): from app.py, the `asb` modules the function can import (at module
level or inside a function, not under TYPE_CHECKING; of asb.bootstrap only the builders app.py
calls and what they call), and in them every call of a boto3 client method below (a receiver
named `...client` or `..._dynamodb`), turned into its IAM action, which the role must Allow -
unless that call was reviewed as never reached from the function (REVIEWED, each with why: a
module is imported for more than the function calls). What is not: which table, bucket, key or
queue (the action granted on any resource passes), the items inside a TransactWriteItems, AWS
calls made by libraries (Powertools' idempotency) or through a client named otherwise (SES,
SNS), and client methods not in ACTIONS."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from infra.local.template import ROOT, functions, load_template

SHARED = ROOT / "shared"
# A boto3 client's method -> the IAM actions it needs. A presigned URL or POST is used by someone
# else with the role's own credentials, so the role needs what it lets them do.
ACTIONS = {
    "get_item": ["dynamodb:GetItem"], "put_item": ["dynamodb:PutItem"],
    "update_item": ["dynamodb:UpdateItem"], "delete_item": ["dynamodb:DeleteItem"],
    "query": ["dynamodb:Query"], "scan": ["dynamodb:Scan"],
    "batch_get_item": ["dynamodb:BatchGetItem"], "batch_write_item": ["dynamodb:BatchWriteItem"],
    "get_object": ["s3:GetObject"], "head_object": ["s3:GetObject"],
    "put_object": ["s3:PutObject"], "delete_object": ["s3:DeleteObject"],
    "copy_object": ["s3:GetObject", "s3:PutObject"],
    "generate_presigned_post": ["s3:PutObject"], "generate_presigned_url": ["s3:GetObject"],
    "encrypt": ["kms:Encrypt"], "decrypt": ["kms:Decrypt"],
    "generate_data_key": ["kms:GenerateDataKey"], "generate_mac": ["kms:GenerateMac"],
    "sign": ["kms:Sign"], "get_public_key": ["kms:GetPublicKey"],
    "send_message": ["sqs:SendMessage"], "send_message_batch": ["sqs:SendMessage"],
    "delete_message": ["sqs:DeleteMessage"], "get_queue_url": ["sqs:GetQueueUrl"],
    "change_message_visibility": ["sqs:ChangeMessageVisibility"],
}
CLIENT_NAMES = ("client", "_dynamodb")


def _module_file(name: str) -> Path | None:
    base = SHARED.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:`, which never run."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    return skipped


def _imports(tree: ast.AST) -> set[str]:
    """The asb modules a tree imports (a `from asb.x import y` names asb.x, and asb.x.y if
    that is a module), bootstrap aside."""
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("asb."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("asb"):
            module = str(node.module)
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names
                         if _module_file(f"{module}.{a.name}"))
    return {m for m in found if m != "asb.bootstrap" and _module_file(m)}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def _builders_used(app: ast.Module) -> set[str]:
    """The asb.bootstrap builders app.py calls, and the builders those call."""
    bootstrap = {n.name: n for n in _tree(SHARED / "asb" / "bootstrap.py").body
                 if isinstance(n, ast.FunctionDef)}
    wanted = [n.attr for n in ast.walk(app) if isinstance(n, ast.Attribute)
              and isinstance(n.value, ast.Name) and n.value.id == "bootstrap"]
    used: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in used or name not in bootstrap:
            continue
        used.add(name)
        wanted += [n.func.id for n in ast.walk(bootstrap[name])
                   if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    return used


def modules_of(app_file: Path) -> set[str]:
    """Every asb module a function's code can import."""
    app = _tree(app_file)
    bootstrap = {n.name: n for n in _tree(SHARED / "asb" / "bootstrap.py").body
                 if isinstance(n, ast.FunctionDef)}
    wanted = _imports(app)
    for builder in _builders_used(app):
        wanted |= _imports(bootstrap[builder])
    found: set[str] = set()
    while wanted:
        module = wanted.pop()
        if module not in found:
            found.add(module)
            wanted |= _imports(_tree(_module_file(module)))
    return found


def calls_in(tree: ast.AST) -> set[str]:
    """The IAM actions of the boto3 client methods a tree calls."""
    return {action for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ACTIONS
            and ast.unparse(node.func.value).endswith(CLIENT_NAMES)
            for action in ACTIONS[node.func.attr]}


def granted(template: dict[str, Any], role: str) -> set[str]:
    actions: set[str] = set()
    for policy in template["Resources"][role]["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":
                given = statement["Action"]
                actions.update([given] if isinstance(given, str) else given)
    return actions


@cache
def needed(app_file: Path) -> dict[str, set[str]]:
    """Each action the function's code calls -> the modules that call it (read once per file:
    the code does not change while the tests run; callers only read the answer)."""
    found: dict[str, set[str]] = {}
    for module in modules_of(app_file):
        for action in calls_in(_tree(_module_file(module))):
            found.setdefault(action, set()).add(module)
    for action in calls_in(_tree(app_file)):
        found.setdefault(action, set()).add(str(app_file.relative_to(ROOT)))
    return found


TEMPLATE = load_template()
CHECKED = tuple(f.logical_id for f in functions(TEMPLATE))
_VIEW_AND_LISTS = ("reached only from CaseService.view (persons) and list_cases "
                   "(_list_details), which this function never calls: it loads, changes or "
                   "counts cases")
_HOMES_WRITES = ("the register's import (DynamoDBRegisterStore, S3ImportFiles) is built only by "
                 "bootstrap.homes_import; other functions read through DynamoDBHomesRegister")
_LINK_KEYS = ("imported for ReportLink and tracking_path; KmsLinkKeys is built only by intake's "
              "and notifications' builders")
_WAITING = ("due_work.waiting is reached only from CaseService.legal_approvals and "
            "Partners.waiting (case_queries', partners'); ")
# (function, action, module): a call in a module the function imports that it never makes.
REVIEWED = {
    **{(f, "kms:GenerateMac", "asb.case.link_keys"): _LINK_KEYS
       for f in ("DataProtectionFunction", "RetentionFunction", "CaseQueriesFunction",
                 "CaseWorkFunction", "CaseReviewFunction", "RegulatorFiguresFunction",
                 "PartnersFunction", "CourtBundlesFunction")},
    **{("RetentionFunction", action, "asb.tracking.store"): "retention uses S3CaseFiles.discard "
       "only; the upload form, copy, first bytes and address key are the tracking page's"
       for action in ("s3:GetObject", "s3:PutObject", "kms:GenerateMac")},
    **{("CaseQueriesFunction", action, "asb.tracking.store"): "the evidence route uses "
       "S3CaseFiles.open_url only (bootstrap.case_files); the guesses, upload form, copy and "
       "discard are the tracking page's and retention's"
       for action in ("s3:PutObject", "s3:DeleteObject", "dynamodb:UpdateItem",
                      "kms:GenerateMac")},
    ("CaseWorkFunction", "kms:GenerateMac", "asb.tracking.store"): "a witness's statement "
    "file uses S3CaseFiles only (bootstrap.statement_files); the wrong-link address key is the "
    "tracking page's",
    **{(f, "dynamodb:BatchGetItem", "asb.dynamo.due_work"): _WAITING + why
       for f, why in (("DailyDigestFunction", "due_work.store imports due_task only"),
                      ("ReviewSweepFunction", "due_work.store imports due_task only"),
                      ("TrackingFunction", "the tracking page calls neither"),
                      ("CaseWorkFunction", "the staff writes call neither"),
                      ("CaseReviewFunction", "case_reviews calls neither"),
                      ("RegulatorFiguresFunction", "year_figures calls neither"),
                      ("PartnerPublisherFunction", "the delivery side calls neither"),
                      ("PartnerInboundFunction", "the delivery side calls neither"))},
    **{(f, "dynamodb:BatchGetItem", "asb.casework.store"): _VIEW_AND_LISTS
       for f in ("TrackingFunction", "CaseWorkFunction", "CaseReviewFunction",
                 "RegulatorFiguresFunction")},
    **{(f, action, "asb.homes.store"): _HOMES_WRITES
       for f, actions in (
           ("ReportFormFunction", ("s3:GetObject", "s3:PutObject", "dynamodb:BatchWriteItem",
                                   "dynamodb:PutItem", "dynamodb:UpdateItem")),
           ("IntakeFunction", ("s3:GetObject", "s3:PutObject", "dynamodb:BatchWriteItem")),
           ("CaseQueriesFunction", ("s3:PutObject", "dynamodb:BatchWriteItem",
                                    "dynamodb:UpdateItem")),
           ("CaseWorkFunction", ("dynamodb:BatchWriteItem",)),  # S3: its statement files
           ("RegulatorFiguresFunction", ("s3:GetObject", "dynamodb:BatchWriteItem",
                                         "dynamodb:PutItem", "dynamodb:UpdateItem")))
       for action in actions},
    ("CaseWorkFunction", "dynamodb:BatchGetItem", "asb.intake.store"): "regrouping uses "
    "DynamoDBIntakeStore.next_reference_sequence only (an UpdateItem); its lookups are intake's",
    ("RegulatorFiguresFunction", "dynamodb:PutItem", "asb.casework.store"): "record_view "
    "(the audit of a case read) is not reached: year_figures reads the listing and reporting "
    "indexes only",
    ("TriageFunction", "dynamodb:GetItem", "asb.dynamo.case_writer"): "version_of is read on "
    "a conflict only when read_current; the triage store commits with read_current=False",
    ("NotificationFunction", "sqs:SendMessage", "asb.dynamo.queues"): "imported for "
    "SqsRedelivery (bootstrap.redelivery); the senders are built only by outbox_relay and "
    "partner_publisher",
    **{(f, action, "asb.dynamo.queues"): "SqsRedelivery (get_queue_url, then "
       "change_message_visibility) is built only by bootstrap.redelivery, which only the "
       "notifications function calls"
       for f, action in (("StreamPublisherFunction", "sqs:GetQueueUrl"),
                         ("StreamPublisherFunction", "sqs:ChangeMessageVisibility"),
                         ("PartnerPublisherFunction", "sqs:GetQueueUrl"))},
    ("NotificationSweepFunction", "dynamodb:PutItem", "asb.notifications.store"): "hold is "
    "called from NotificationService.handle (the queue consumer); the sweep's send_due reads "
    "due, case_and_reports, sent and logs with UpdateItem",
    **{(f, "dynamodb:Query", "asb.dynamo.paging"): "the delivery side uses the partner store's "
       "disclosure, partner, case_summary (GetItem) and apply; partners() and log_for_year, "
       "which page queries, are the partners function's"
       for f in ("PartnerPublisherFunction", "PartnerInboundFunction")},
    ("PartnerInboundFunction", "kms:Sign", "asb.partners.signing"): "delivery imports "
    "signing for the publisher; bootstrap.partner_inbound builds no KmsSigner",
}


def role_of(function: str) -> str:
    return str(TEMPLATE["Resources"][function]["Properties"]["Role"]["Fn::GetAtt"][0])


@pytest.mark.parametrize("function", CHECKED)
def test_the_role_grants_every_aws_call_the_functions_code_makes(function: str) -> None:
    spec = next(f for f in functions(TEMPLATE) if f.logical_id == function)
    grants = granted(TEMPLATE, role_of(function))
    needs = needed(spec.code_dir / f"{spec.handler.split('.')[0]}.py")
    missing = {action: modules for action, called in needs.items() if action not in grants
               and (modules := sorted(m for m in called if (function, action, m) not in REVIEWED))}
    assert missing == {}, f"{role_of(function)} does not grant what its code calls"


def test_each_reviewed_call_is_still_in_the_code_and_not_granted() -> None:
    """A reviewed exception that no longer applies is taken out, not left to hide a new call."""
    for function, action, module in REVIEWED:
        spec = next(f for f in functions(TEMPLATE) if f.logical_id == function)
        assert module in needed(spec.code_dir / "app.py").get(action, set())
        assert action not in granted(TEMPLATE, role_of(function))


def test_the_check_sees_retentions_calls_through_bootstrap() -> None:
    """The check itself: the retention function reaches its store only through a bootstrap
    builder, and the person's record is read there (the GetItem its role once lacked)."""
    needs = needed(ROOT / "functions" / "retention" / "app.py")
    assert "asb.data_protection.persons_erasure" in needs["dynamodb:GetItem"]
    assert {"dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "s3:DeleteObject"} <= set(needs)


def test_the_check_sees_the_partners_waiting_list_read_whole() -> None:
    """The approvals waiting (GET /partners/waiting) are found on DueWork and read whole with
    BatchGetItem in asb.dynamo.due_work: the call PartnersRole once lacked."""
    needs = needed(ROOT / "functions" / "partners" / "app.py")
    assert "asb.dynamo.due_work" in needs["dynamodb:BatchGetItem"]
    assert "dynamodb:BatchGetItem" in granted(TEMPLATE, "PartnersRole")
