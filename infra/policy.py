"""Landlords' policy documents: from the YAML a landlord writes to the JSON the layer ships.

`python -m infra.policy build [FILE.yaml ...]` checks each document (every landlord's under
shared/asb/policy/landlords/ when none is named) and writes its JSON beside it, refusing one with
mistakes (each by its path, exit 1). `python -m infra.policy schema` writes the published JSON
Schema, docs/policy/landlord-policy.schema.json, and the same schema minified as the AppConfig
profile's JSON_SCHEMA validator in template.yaml. Tests fail when any is out of date.
`python -m infra.policy deploy FILE [--stack NAME]` deploys one through AWS AppConfig
(infra/policy_deploy.py).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from asb.policy.document import PolicyRefused, compiled, json_schema
from infra.local.template import ROOT, TEMPLATE

LANDLORDS = ROOT / "shared" / "asb" / "policy" / "landlords"
SCHEMA = ROOT / "docs" / "policy" / "landlord-policy.schema.json"
# PolicyProfile's JSON_SCHEMA validator: its Content, on the line after its Type.
_VALIDATOR = re.compile(r"^(\s*- Type: JSON_SCHEMA\n\s*Content: )(.*)$", re.MULTILINE)
VALIDATOR_LIMIT = 32_768  # characters of a validator's Content AppConfig accepts


def read_document(path: Path) -> Any:
    """A document as written: YAML (JSON is YAML too)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def as_text(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


def built(path: Path) -> str:
    """The JSON the layer ships for the YAML at `path`; PolicyRefused when it has mistakes."""
    return as_text(compiled(read_document(path)))


def build(paths: list[Path]) -> int:
    refused = 0
    for path in paths:
        try:
            text = built(path)
        except PolicyRefused as mistakes:
            refused += 1
            print(f"{path}: refused", file=sys.stderr)
            for mistake in mistakes.mistakes:
                print(f"  {mistake}", file=sys.stderr)
            continue
        target = path.with_suffix(".json")
        target.write_text(text, encoding="utf-8")
        print(target)
    return 1 if refused else 0


def validator_content(schema: Any) -> str:
    """The schema as the profile's JSON_SCHEMA validator holds it: minified, within the limit."""
    text = json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    if len(text) > VALIDATOR_LIMIT:
        raise ValueError(f"the schema is {len(text)} characters minified; AppConfig takes "
                         f"{VALIDATOR_LIMIT} in a validator")
    return text


def with_validator(template: str, schema: Any) -> str:
    """template.yaml's text with `schema` as PolicyProfile's JSON_SCHEMA validator (a JSON string
    is a YAML double-quoted one)."""
    content = json.dumps(validator_content(schema))
    changed, found = _VALIDATOR.subn(lambda line: line.group(1) + content, template)
    if found != 1:
        raise ValueError(f"{TEMPLATE.name}: {found} JSON_SCHEMA validators, expected one")
    return changed


def write_schema() -> int:
    schema = json_schema()
    SCHEMA.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA.write_text(as_text(schema), encoding="utf-8")
    print(SCHEMA)
    template = TEMPLATE.read_text(encoding="utf-8")
    changed = with_validator(template, schema)
    if changed != template:
        TEMPLATE.write_text(changed, encoding="utf-8")
    print(f"{TEMPLATE} (PolicyProfile's JSON_SCHEMA validator, "
          f"{len(validator_content(schema))} characters)")
    return 0


def main(argv: list[str]) -> int:
    command, *files = argv or ["build"]
    if command == "schema":
        return write_schema()
    if command == "deploy":  # through AWS AppConfig: infra/policy_deploy.py
        from infra.policy_deploy import main as deploy

        return deploy(files)
    if command == "build":
        return build([Path(f) for f in files] or sorted(LANDLORDS.glob("*.yaml")))
    print("usage: python -m infra.policy build [FILE.yaml ...] | schema | deploy FILE "
          "[--stack NAME]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
