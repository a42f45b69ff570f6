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
    _plain_filter,
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
def test_the_filters_stand_ins_compile_to_the_same_code(template_set: TemplateSet,
                                                        built: Path) -> None:
    """Compiling needs a filter's name and how it is called: each module the build wrote is the
    code the set's environment, the filters themselves in it, compiles from the template."""
    with_filters = template_set.environment(_filters(template_set), package=PACKAGE_SOURCE)
    loader = FileSystemLoader(PACKAGE_SOURCE / template_set.folder)
    for name in loader.list_templates():
        source, filename, _ = loader.get_source(with_filters, name)
        written = built / template_set.compiled / ModuleLoader.get_module_filename(name)
        assert written.read_text() == with_filters.compile(source, name, filename, raw=True,
                                                           defer_init=True), name


def test_a_filter_is_never_run_while_a_template_compiles() -> None:
    """Jinja2 folds a filter of a constant into the compiled code: the stand-in refuses, so a
    literal passed to a filter is filtered when rendered, as from source."""
    environment = MESSAGES_TEXT.environment(_filters(MESSAGES_TEXT), package=PACKAGE_SOURCE)
    environment.filters.update({name: _plain_filter for name in MESSAGES_TEXT.filters})
    code = environment.compile('{{ "2026-12-08" | when_day }}', raw=True)
    assert "when_day" in code and "'2026-12-08'" in code
    with pytest.raises(TypeError):
        _plain_filter("2026-12-08")


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


def _reporters_pages() -> tuple[list[str], set[str]]:
    """Every page a reporter can meet, rendered through asb.web.pages: the report form's
    journey page by page (start, each question, a page with a problem, help elsewhere, the check
    page), the confirmation, the tracking page open and closed, the upload page and the problem
    pages; and the names of the templates they used."""
    from asb.case.models import CaseStatus
    from asb.intake.next_steps import Confirmation
    from asb.kernel.validation import FieldError
    from asb.policy.config import EVIDENCE_KINDS
    from asb.web import pages
    from asb.web.journey_pages import render_form
    from asb.web.report_journey import CHECK, HELP, START, JourneyPage
    from tests.unit import test_report_journey as journey
    from tests.unit import test_tracking_view as tracking

    shown = [journey.shown(JourneyPage(START, {"idempotency_key": ["k-1"]}))]
    page = journey.post(shown[0], "start")
    while page.name != CHECK:
        shown.append(journey.shown(page))
        page = journey.post(shown[-1], "continue", journey.NAMED.get(page.name, {}))
    shown += [journey.shown(page), journey.shown(JourneyPage(HELP, {"idempotency_key": ["k-1"]})),
              render_form(journey.SAMPLE, not_saved="We could not save your report just now.")]
    refused = journey.post(shown[1], "continue", {})
    shown.append(journey.shown(refused))
    plan = {**tracking.PLAN, "agreed_with": "report-1"}
    kinds = {kind: (name, size) for kind, (name, size, _) in EVIDENCE_KINDS.items()}
    for status in (CaseStatus.OPEN, CaseStatus.CLOSED):
        shown.append(pages.render_tracking(
            tracking.view(tracking.case(status, plan=plan), tracking.FIRST), "secret", "/v1",
            kinds, notice="Added to your diary.", values={"what_happened": "Music <loud>"},
            errors=[FieldError("occurred_on", "Enter the date it happened")]))
    shown += [
        pages.render_confirmation("ASB-2026-000042", Confirmation(
            "An officer will read it & call you.", "We will email you.", True, False), False,
            "https://example.test/v1/track/ASB-2026-000042?secret=a&b"),
        pages.render_upload("a photo", "image", 10 * 1024 * 1024, "image/*",
                            {"url": "https://bucket.example/", "fields": {"key": "k&1"}}, "/v1"),
        pages.render_problem("Page not found", "Check the address & try again <now>."),
        pages.render_link_problem("This link has stopped working", ["Call us <today>."]),
    ]
    used = {name for _, name in pages._environment().cache or {}}
    return shown, used


def test_every_page_a_reporter_meets_renders_the_same_compiled(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asb.web import pages

    from_source, used = _reporters_pages()
    page_templates = set(FileSystemLoader(PACKAGE_SOURCE / PAGES.folder).list_templates())
    # each page template, its layouts and partials with it (reached through them, not by name)
    assert used | {"base.html", "_journey.html", "_fields.html", "intro/sharing.html"} \
        == page_templates
    compiled = PAGES.environment(package=built)
    compiled.globals.update(pages._environment().globals)
    monkeypatch.setattr(pages, "_environment", lambda: compiled)
    from_compiled, used_compiled = _reporters_pages()
    assert isinstance(compiled.loader, ModuleLoader) and used_compiled == used
    assert from_compiled == from_source
    assert not any("<now>" in page or "<today>" in page for page in from_compiled)  # escaped


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
