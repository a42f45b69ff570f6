"""A library's module without its package's eager `__init__`.

Powertools' parameters utility imports boto3 in its package's `__init__`, for its SSM, Secrets
Manager and AppConfig SDK providers; the AppConfig extension's provider, which every function
uses to read the deployed policy, needs none of it. A function that needs no AWS client (the
report form's pages) would load boto3 for nothing at every cold start (about 200 ms here).

`module_of(name)` imports one module of such a package with the package standing in, deferred:
its `__path__` is there, so its modules import as usual (`from package import module` too), and
the first time anything asks it for another name, its real `__init__` runs and the name is given.
So a later `from package import Anything` (or `import *`) still works, at the price it always
had, and the module's classes are the package's own (the `__init__` finds them already
imported). One difference remains: `package.module` for a module not yet imported is an
AttributeError until something imports it, where the `__init__` would have imported it.

Only for a module that asks its package for nothing but modules while it is imported, or the
`__init__` would run in the middle of that import (a circular import). The AppConfig extension's
provider is one (tests/unit/test_deferred_package.py imports it so). Powertools' event handler is
not (its modules ask their package for `Response`), and deferring its `__init__` (AppSync's,
Bedrock's and VPC Lattice's resolvers, asyncio) saved about 10 ms once boto3 and pydantic were
loaded: not done.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """A package whose `__init__` runs at the first name asked of it that is not one of its
    modules."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name != "__all__":
            raise AttributeError(name)  # `import *` asks for __all__: that runs the __init__
        if importlib.util.find_spec(f"{self.__name__}.{name}") is not None:
            # One of its modules, not yet imported: `from package import module` imports it.
            raise AttributeError(name)
        _run_init(self)
        return getattr(self, name)


def _run_init(package: ModuleType) -> None:
    package.__class__ = ModuleType  # from now on an ordinary module
    spec = package.__spec__
    assert spec is not None and spec.loader is not None
    try:
        spec.loader.exec_module(package)
    except BaseException:
        sys.modules.pop(package.__name__, None)  # as a failed import leaves nothing behind
        raise


def module_of(name: str) -> ModuleType:
    """The module `name` (dotted), its package's `__init__` deferred unless already imported."""
    package_name = name.rpartition(".")[0]
    if package_name and package_name not in sys.modules:
        _defer(package_name)
    return importlib.import_module(name)


def _defer(package_name: str) -> None:
    parent, _, leaf = package_name.rpartition(".")
    if parent:
        importlib.import_module(parent)
    spec = importlib.util.find_spec(package_name)
    if spec is None or spec.submodule_search_locations is None:
        raise ModuleNotFoundError(f"no package named {package_name!r}", name=package_name)
    package = importlib.util.module_from_spec(spec)
    package.__class__ = _Deferred
    sys.modules[package_name] = package
    if parent:
        setattr(sys.modules[parent], leaf, package)
