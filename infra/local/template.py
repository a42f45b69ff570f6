"""template.yaml as the one description of the wiring: read by the local runtime and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode.cfn_yaml import loads

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


@cache
def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    return dict(loads(path.read_text(), str(path)))


@dataclass(frozen=True)
class Trigger:
    """One entry of a function's Events: an API route, a stream, a queue or a schedule."""

    name: str
    kind: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    environment: dict[str, Any]
    triggers: list[Trigger] = field(default_factory=list)
    timeout: int = 3
    # Each layer's folder (its ContentUri), in the order Lambda extracts them to /opt/python.
    layers: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        """The folder under functions/, which is also how events/ files are named."""
        return self.code_dir.name


def functions(template: dict[str, Any] | None = None, base: Path = ROOT) -> list[FunctionSpec]:
    """The template's functions; CodeUri is taken relative to `base`, the template's folder."""
    template = template or load_template()
    function_globals = template.get("Globals", {}).get("Function", {})
    global_env = function_globals.get("Environment", {}).get("Variables", {})
    specs = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
        # SAM puts the Globals' layers first, then the function's own. Only the template's own
        # layers have a folder: a layer AWS publishes (a parameter's ARN, the AppConfig agent
        # extension) is not run locally - there the policy comes from its file.
        layer_ids = [ref["Ref"] for ref in [*function_globals.get("Layers", []),
                                            *props.get("Layers", [])]
                     if _is_own_layer(template, ref)]
        triggers = [
            Trigger(name, event["Type"], dict(event.get("Properties", {})))
            for name, event in props.get("Events", {}).items()
        ]
        specs.append(
            FunctionSpec(
                logical_id=logical_id,
                code_dir=base / props["CodeUri"],
                handler=props["Handler"],
                environment=env,
                triggers=triggers,
                timeout=int(props.get("Timeout", function_globals.get("Timeout", 3))),
                layers=tuple(base / template["Resources"][layer]["Properties"]["ContentUri"]
                             for layer in layer_ids),
            )
        )
    return specs


def _is_own_layer(template: dict[str, Any], layer: Any) -> bool:
    """Whether `layer` (an entry of Layers) is a `!Ref` to the template's own LayerVersion."""
    name = layer.get("Ref") if isinstance(layer, dict) else None
    resource = template["Resources"].get(name, {}) if isinstance(name, str) else {}
    return bool(resource.get("Type") == "AWS::Serverless::LayerVersion")


def function(logical_id: str) -> FunctionSpec:
    return next(spec for spec in functions() if spec.logical_id == logical_id)
