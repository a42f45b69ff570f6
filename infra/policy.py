"""Landlords' policy documents: from the YAML a landlord writes to the JSON the layer ships.

`python -m infra.policy build [FILE.yaml ...]` checks each document (every landlord's under
shared/asb/policy/landlords/ when none is named) and writes its JSON beside it, refusing one with
mistakes (each by its path, exit 1). `python -m infra.policy schema` writes the published JSON
Schema, docs/policy/landlord-policy.schema.json (draft 2020-12), and the same schema as JSON
Schema draft-04 (what AppConfig's validators take), minified, as the AppConfig profile's
JSON_SCHEMA validator in template.yaml. Tests fail when any is out of date.
`python -m infra.policy deploy FILE [--stack NAME]` deploys one through AWS AppConfig
(infra/policy_deploy.py).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Final

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


# AppConfig's JSON_SCHEMA validators take JSON Schema draft-04 (AWS AppConfig User Guide, "About
# validators"); the published schema is draft 2020-12, as pydantic writes it.
DRAFT_04: Final = "http://json-schema.org/draft-04/schema#"
# Keywords draft-04 has that take a subschema, a map of subschemas, or a list of them; the ones it
# has that take a value; the ones it lacks that can go without changing what is valid.
_SUBSCHEMA: Final = frozenset({"additionalProperties", "not", "additionalItems"})
_SUBSCHEMA_MAP: Final = frozenset({"properties", "patternProperties", "definitions"})
_SUBSCHEMA_LIST: Final = frozenset({"allOf", "anyOf", "oneOf"})
_VALUE: Final = frozenset({
    "$schema", "$ref", "id", "title", "description", "default", "type", "enum", "format",
    "multipleOf", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength",
    "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties",
    "minProperties", "required", "dependencies"})
_ANNOTATION: Final = frozenset({"$id", "$comment", "examples", "readOnly", "writeOnly",
                                "deprecated", "contentMediaType", "contentEncoding"})


def draft_04(schema: Any) -> dict[str, Any]:
    """The published (draft 2020-12) schema as JSON Schema draft-04, valid for the same documents:
    `$defs` are `definitions` (and each `$ref` to them), `propertyNames` becomes the names as
    `properties` or a `patternProperties` pattern with no other property allowed, `const` a
    one-value `enum`, a numeric `exclusiveMinimum`/`exclusiveMaximum` draft-04's boolean with its
    bound; annotations draft-04 lacks are left out. A keyword it cannot translate is a
    ValueError, so a schema that grows one is noticed by `schema` and the tests."""
    if not isinstance(schema, dict):
        raise ValueError("a JSON Schema is an object")
    converted = _draft_04(schema, "#")
    converted.pop("$schema", None)
    return {"$schema": DRAFT_04, **converted}


def _draft_04(schema: Any, where: str) -> dict[str, Any]:
    if not isinstance(schema, dict):
        raise ValueError(f"{where}: a subschema is an object (draft-04 has no boolean schemas)")
    out: dict[str, Any] = {}
    for key, value in schema.items():
        at = f"{where}/{key}"
        if key == "$defs":
            key = "definitions"
        if key in _SUBSCHEMA:
            out[key] = value if isinstance(value, bool) else _draft_04(value, at)
        elif key in _SUBSCHEMA_MAP:
            out[key] = {name: _draft_04(sub, f"{at}/{name}") for name, sub in value.items()}
        elif key in _SUBSCHEMA_LIST:
            out[key] = [_draft_04(sub, f"{at}/{i}") for i, sub in enumerate(value)]
        elif key == "items":
            out[key] = ([_draft_04(sub, f"{at}/{i}") for i, sub in enumerate(value)]
                        if isinstance(value, list) else _draft_04(value, at))
        elif key == "$ref":
            out[key] = (value.replace("#/$defs/", "#/definitions/", 1)
                        if isinstance(value, str) else value)
        elif key == "const":
            out["enum"] = [value]
        elif key in {"exclusiveMinimum", "exclusiveMaximum"} and not isinstance(value, bool):
            out[key.replace("exclusiveM", "m")] = value
            out[key] = True
        elif key == "propertyNames":
            continue  # below, once the rest of the object's keywords are in
        elif key in _VALUE:
            out[key] = value
        elif key not in _ANNOTATION:
            raise ValueError(f"{at}: draft-04 has no {key!r} and it is not translated here")
    if "propertyNames" in schema:
        _names_as_properties(out, schema["propertyNames"], f"{where}/propertyNames")
    return out


def _names_as_properties(out: dict[str, Any], names: Any, where: str) -> None:
    """draft-04 has no `propertyNames`: an object whose names are a list (`enum`) or a length
    (`minLength`/`maxLength`) is its names as `properties` or one `patternProperties`, each taking
    what `additionalProperties` took, and no other property."""
    if out.get("properties") or out.get("patternProperties"):
        raise ValueError(f"{where}: beside properties, not translated here")
    each = out.get("additionalProperties", {})
    if not isinstance(names, dict) or not names:
        raise ValueError(f"{where}: not translated here")
    if set(names) == {"enum"}:
        out["properties"] = {name: each for name in names["enum"]}
    elif set(names) <= {"minLength", "maxLength"}:
        low, high = names.get("minLength", 0), names.get("maxLength", "")
        out["patternProperties"] = {f"^[\\s\\S]{{{low},{high}}}$": each}
    else:
        raise ValueError(f"{where}: {', '.join(sorted(names))} not translated here")
    out["additionalProperties"] = False


def validator_content(schema: Any) -> str:
    """The schema as the profile's JSON_SCHEMA validator holds it: draft-04 (draft_04),
    minified, within the limit."""
    text = json.dumps(draft_04(schema), separators=(",", ":"), ensure_ascii=False)
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
