"""template.yaml's functions, loaded from their own folders and invoked one request at a time."""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from infra.local.template import FunctionSpec

log = logging.getLogger("asb.local")


class LocalContext:
    """The Lambda context object, as much of it as handlers and Powertools read."""

    def __init__(self, spec: FunctionSpec, memory_mb: int = 512) -> None:
        self.function_name = spec.logical_id
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:eu-west-2:123456789012:function:{spec.logical_id}"
        )
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{spec.logical_id}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]local")
        self._deadline = time.monotonic() + spec.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class LocalFunction:
    """One deployed function: its module as it would be in the Lambda package."""

    spec: FunctionSpec
    module: ModuleType
    # Lambda gives each execution environment one request at a time.
    lock: threading.Lock = field(default_factory=threading.Lock)

    def invoke(self, event: dict[str, Any], trigger: str) -> Any:
        started = time.perf_counter()
        outcome = "ok"
        try:
            with self.lock:  # the handler looked up inside it: a reload swaps the module
                handler = getattr(self.module, self.spec.handler.rsplit(".", 1)[1])
                result = handler(event, LocalContext(self.spec))
        except Exception as error:
            outcome = f"error {type(error).__name__}"
            raise
        else:
            outcome = _outcome(result)
            return result
        finally:
            took = (time.perf_counter() - started) * 1000
            log.info("%-26s %-28s %7.1f ms  %s", self.spec.logical_id, trigger, took, outcome)


def _outcome(result: Any) -> str:
    if isinstance(result, dict) and "statusCode" in result:
        return str(int(result["statusCode"]))
    if isinstance(result, dict) and "batchItemFailures" in result:
        failed = len(result["batchItemFailures"])
        return f"{failed} failed" if failed else "ok"
    return "ok"


def reload(loaded: list[LocalFunction]) -> None:
    """Fresh modules for every function and for the `asb` package they import, as new Lambda
    execution environments would have (a changed policy: asb.policy.config reads its document
    at import). Runs with every function's lock held, so no request sees half of it; if a module
    fails to import, the previous ones stay."""
    with ExitStack() as held:
        for function in loaded:
            held.enter_context(function.lock)
        previous = {name: module for name, module in sys.modules.items() if _reloadable(name)}
        for name in previous:
            del sys.modules[name]
        try:
            fresh = [load(function.spec).module for function in loaded]
        except BaseException:
            for name in [name for name in sys.modules if _reloadable(name)]:
                del sys.modules[name]
            sys.modules.update(previous)
            raise
        for function, module in zip(loaded, fresh, strict=True):
            function.module = module


def _reloadable(name: str) -> bool:
    return name == "asb" or name.startswith(("asb.", "asb_local_"))


def load(spec: FunctionSpec) -> LocalFunction:
    """Imports functions/<name>/<module>.py under a name of its own, as Lambda would import it,
    with its layers' folders on the path (as /opt/python is in Lambda)."""
    for layer in spec.layers:
        if str(layer) not in sys.path:
            sys.path.append(str(layer))
    module_file, _ = spec.handler.rsplit(".", 1)
    name = f"asb_local_{spec.logical_id}"
    source = importlib.util.spec_from_file_location(name, spec.code_dir / f"{module_file}.py")
    if source is None or source.loader is None:
        raise ImportError(f"cannot load {spec.code_dir}")
    module = importlib.util.module_from_spec(source)
    sys.modules[name] = module
    source.loader.exec_module(module)
    return LocalFunction(spec, module)
