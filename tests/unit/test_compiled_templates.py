"""The Jinja2 templates the domain layer ships compiled (asb.kernel.templates): compiled with the
filters' names alone, they are the same code as compiled with the filters themselves, and a
package built with them renders every page and message exactly as from source."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jinja2 import FileSystemLoader, ModuleLoader

from asb.kernel.templates import (
    MESSAGES_HTML,
    MESSAGES_TEXT,
    PAGES,
    TEMPLATE_SETS,
    TemplateSet,
    compile_all,
)
from asb.notifications import render

FILTERS = {"when_day": render.when_day, "when_due": render.when_due}
PACKAGE_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "asb"


def _filters(template_set: TemplateSet) -> dict[str, Any]:
    return {name: FILTERS[name] for name in template_set.filters}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the asb package with every template set compiled, as the layer's build makes it."""
    package = tmp_path_factory.mktemp("layer") / "asb"
    shutil.copytree(PACKAGE_SOURCE, package, ignore=shutil.ignore_patterns("__pycache__"))
    assert compile_all(package) == sum(
        len([f for f in (PACKAGE_SOURCE / s.folder).rglob("*") if f.is_file()])
        for s in TEMPLATE_SETS)
    return package


@pytest.mark.parametrize("template_set", TEMPLATE_SETS, ids=lambda s: s.compiled)
def test_the_filters_stand_ins_compile_to_the_same_code(template_set: TemplateSet) -> None:
    """Compiling needs a filter's name and how it is called: the stand-in gives the same code as
    the filter itself, for every template of the set."""
    with_filters = template_set.environment(_filters(template_set), package=PACKAGE_SOURCE)
    stand_ins = template_set.environment({name: str for name in template_set.filters},
                                         package=PACKAGE_SOURCE)
    loader = FileSystemLoader(PACKAGE_SOURCE / template_set.folder)
    for name in loader.list_templates():
        source = loader.get_source(with_filters, name)[0]
        assert (with_filters.compile(source, name, raw=True)
                == stand_ins.compile(source, name, raw=True)), name


def test_a_checkout_renders_from_source_and_a_built_layer_from_its_compiled_modules(
        built: Path) -> None:
    assert isinstance(PAGES.environment().loader, FileSystemLoader)  # no compiled folder here
    for template_set in TEMPLATE_SETS:
        loader = template_set.environment(_filters(template_set), package=built).loader
        assert isinstance(loader, ModuleLoader), template_set.compiled


def test_a_set_is_rendered_with_its_own_filters_only() -> None:
    with pytest.raises(ValueError, match="when_day"):
        MESSAGES_TEXT.environment({"when_day": render.when_day})
    with pytest.raises(ValueError):
        PAGES.environment({"when_day": render.when_day})


_PAGE_CONTEXT: dict[str, Any] = {
    "title": "Page not found", "message": "Check the address & try again <now>.",
    "paragraphs": ["The link has stopped working.", "Call us <today>."], "phone": "0300 123 4567",
    "team_phone": "0300 123 4567",
}


def test_every_page_renders_the_same_compiled(built: Path) -> None:
    source = PAGES.environment(package=PACKAGE_SOURCE)
    compiled = PAGES.environment(package=built)
    for environment in (source, compiled):
        environment.globals["team_phone"] = "0300 123 4567"
    for name in ("problem.html", "link_problem.html"):
        page = compiled.get_template(name).render(**_PAGE_CONTEXT)
        assert page == source.get_template(name).render(**_PAGE_CONTEXT)
        assert "<now>" not in page and "<today>" not in page  # escaped, as from source
    for name in FileSystemLoader(PACKAGE_SOURCE / PAGES.folder).list_templates():
        assert compiled.get_template(name).name == name  # every page is there compiled


def test_every_message_renders_the_same_compiled(built: Path) -> None:
    context = {"reference": "ASB-2026-000001", "officer": "Olivia & Sam", "first_name": "Ann",
               "due": "2026-12-08T17:00:00+00:00", "reported_on": "2026-12-03",
               "tracking_url": "https://example.test/track?secret=a&b"}
    for template_set in (MESSAGES_TEXT, MESSAGES_HTML):
        source = template_set.environment(_filters(template_set), package=PACKAGE_SOURCE)
        compiled = template_set.environment(_filters(template_set), package=built)
        for name in render.template_names():
            assert (compiled.get_template(name).render(**context)
                    == source.get_template(name).render(**context)), (template_set.compiled, name)
