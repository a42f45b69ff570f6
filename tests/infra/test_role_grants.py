"""Each function's role grants the AWS actions its code calls. moto checks no IAM, so a call the
role does not grant passes every other test and fails in AWS with AccessDenied.

What is checked, statically, for the data protection, retention and daily digest functions:
from app.py, the `asb` modules the function can import (at module level or inside a function,
not under TYPE_CHECKING; of asb.bootstrap only the builders app.py calls and what they call),
and in them every call of a boto3 client method below (a receiver named `...client` or
`..._dynamodb`), turned into its IAM action, which the role must Allow - unless that call was
reviewed as never reached from the function (REVIEWED, each with why). What is not: which
table, bucket, key or queue (the action granted on any resource passes), the items inside a
TransactWriteItems, AWS calls made by libraries (Powertools' idempotency) or through a client
named otherwise (SES), and the other functions: a module is imported for more than the function
calls, and their findings are not reviewed yet."""

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
    "delete_message": ["sqs:DeleteMessage"],
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


def needed(app_file: Path) -> dict[str, set[str]]:
    """Each action the function's code calls -> the modules that call it."""
    found: dict[str, set[str]] = {}
    for module in modules_of(app_file):
        for action in calls_in(_tree(_module_file(module))):
            found.setdefault(action, set()).add(module)
    for action in calls_in(_tree(app_file)):
        found.setdefault(action, set()).add(str(app_file.relative_to(ROOT)))
    return found


TEMPLATE = load_template()
CHECKED = ("DataProtectionFunction", "RetentionFunction", "DailyDigestFunction")
# (function, action, module): a call in a module the function imports that it never makes.
REVIEWED = {
    **{(f, "kms:GenerateMac", "asb.case.link_keys"): "imported for ReportLink (casework.store); "
       "KmsLinkKeys is built only by intake's and notifications' builders"
       for f in ("DataProtectionFunction", "RetentionFunction")},
    **{("RetentionFunction", action, "asb.tracking.store"): "retention uses S3CaseFiles.discard "
       "only; the upload form, copy, first bytes and address key are the tracking page's"
       for action in ("s3:GetObject", "s3:PutObject", "kms:GenerateMac")},
    ("DailyDigestFunction", "dynamodb:BatchGetItem", "asb.dynamo.due_work"): "due_work.store "
    "imports due_task only; waiting() is the case and partner stores'",
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
