"""`make test` runs the serial tests in a process of their own and the rest on the workers, who
leave the serial modules out rather than collect them: a serial test in a module the Makefile
does not name would run nowhere. Each test process collects garbage seldom (tests/conftest.py)."""

from __future__ import annotations

import gc
import re

from infra.local.template import ROOT
from tests.conftest import TEST_PROCESS_GC_THRESHOLD

MAKEFILE = (ROOT / "Makefile").read_text()
SERIAL_MARK = re.compile(r"pytest\.mark\.serial\b")


def serial_tests_named() -> set[str]:
    (line,) = re.findall(r"^SERIAL_TESTS\s*:=\s*(.*)$", MAKEFILE, flags=re.MULTILINE)
    return set(line.split())


def test_every_module_with_serial_tests_is_one_the_makefile_runs_alone() -> None:
    marked = {str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py")
              if SERIAL_MARK.search(path.read_text())}
    assert marked, "the schemathesis module marks its tests serial"
    assert marked == serial_tests_named()
    for module in marked:  # the whole module: the workers never see any test of it
        assert re.search(r"^pytestmark = pytest\.mark\.serial$", (ROOT / module).read_text(),
                         flags=re.MULTILINE), module


def test_the_serial_process_runs_those_modules_and_the_workers_leave_them_out() -> None:
    recipe = MAKEFILE.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-n 0 -m serial -p no:cacheprovider $(SERIAL_TESTS)" in recipe
    assert '-m "not serial" $(addprefix --ignore=,$(SERIAL_TESTS))' in recipe


def test_a_test_process_collects_garbage_seldom_and_not_the_session_long_objects() -> None:
    assert gc.get_threshold() == TEST_PROCESS_GC_THRESHOLD
    assert gc.get_freeze_count() > 10_000  # the modules and the tests collected
