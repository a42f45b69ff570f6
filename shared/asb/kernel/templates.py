"""Our Jinja2 template sets, compiled when the layer is built.

The domain layer's Makefile compiles every set (`python -m asb.kernel.templates <built asb>`)
into Python modules beside its templates, and the layer's compileall makes their bytecode, so a
cold start loads a template's bytecode (Jinja2's ModuleLoader) instead of lexing, parsing and
compiling it at its first answer (20-35 ms for the tracking page). Where nothing is compiled (a
checkout: development, tests), a set loads its templates from source; both are rendered by
environments with the same options.

Only Jinja2 and the standard library are imported here: the build machine runs this with the
layer's own Jinja2 (pure Python; its MarkupSafe falls back to its pure-Python escaping when the
layer's arm64 extension cannot load on the build machine), not the layer's arm64 pydantic.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, ModuleLoader, select_autoescape

PACKAGE = Path(__file__).resolve().parent.parent  # the asb package, as built or checked out


@dataclass(frozen=True)
class TemplateSet:
    """A folder of templates and how it is rendered. `filters` names the plain filters (no
    context passed) the renderer adds: compiling needs their names, not their code."""

    folder: str  # under the asb package
    compiled: str  # where the layer's build puts them compiled, under the asb package
    autoescape: bool | Callable[[str | None], bool]
    filters: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=lambda: {"trim_blocks": True,
                                                             "lstrip_blocks": True})

    def environment(self, filters: Mapping[str, Callable[..., Any]] | None = None,
                    package: Path = PACKAGE) -> Environment:
        """The set's environment: its compiled templates if the layer was built with them."""
        filters = filters or {}
        if set(filters) != set(self.filters):
            raise ValueError(f"{self.folder} is rendered with the filters {self.filters}")
        compiled = package / self.compiled
        loader: BaseLoader = (ModuleLoader(compiled) if compiled.is_dir()
                              else FileSystemLoader(package / self.folder))
        environment = self._environment(loader)
        environment.filters.update(filters)
        return environment

    def compile(self, package: Path) -> int:
        """Every template of the set compiled into `package`'s compiled folder; how many."""
        environment = self._environment(FileSystemLoader(package / self.folder))
        # Compiled code names a plain filter and calls it when rendering: a stand-in that
        # refuses to run does (Jinja2 would fold a filter of a constant into the code).
        environment.filters.update({name: _plain_filter for name in self.filters})
        names = environment.list_templates()
        shutil.rmtree(package / self.compiled, ignore_errors=True)  # none left from before
        environment.compile_templates(package / self.compiled, zip=None, ignore_errors=False,
                                      log_function=lambda _: None)
        return len(names)

    def _environment(self, loader: BaseLoader) -> Environment:
        # The messages' plain-text set is not HTML: escaping it would print "&amp;".
        return Environment(loader=loader, autoescape=self.autoescape,  # noqa: S701
                           **self.options)


def _plain_filter(value: Any) -> Any:
    raise TypeError("a filter's stand-in: compiled, never run")


# The public pages (web.pages, web.journey_pages).
PAGES = TemplateSet("web/templates", "web/templates_compiled", select_autoescape(default=True))
# Messages: each template renders plain text (email text, SMS, letters) and, escaped, the
# email's HTML part (notifications.render).
_MESSAGE_OPTIONS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False}
MESSAGES_TEXT = TemplateSet("notifications/templates", "notifications/templates_compiled_text",
                            False, ("when_day", "when_due"), _MESSAGE_OPTIONS)
MESSAGES_HTML = TemplateSet("notifications/templates", "notifications/templates_compiled_html",
                            True, ("when_day", "when_due"), _MESSAGE_OPTIONS)
TEMPLATE_SETS = (PAGES, MESSAGES_TEXT, MESSAGES_HTML)


def compile_all(package: Path) -> int:
    return sum(template_set.compile(package) for template_set in TEMPLATE_SETS)


if __name__ == "__main__":  # the layer's Makefile: python -m asb.kernel.templates <built asb>
    sys.stdout.write(f"compiled {compile_all(Path(sys.argv[1]))} templates\n")
