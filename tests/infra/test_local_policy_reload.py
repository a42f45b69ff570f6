"""`make dev` taking up a changed policy (infra.local.policy_watch, infra.local.functions.reload):
a document with mistakes is refused by its path and the functions keep their policy; a right one
gives them fresh modules that decide by it; a reload that fails leaves the previous ones."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from infra.local import functions as local_functions
from infra.local.policy_watch import PolicyWatcher
from infra.local.template import ROOT, FunctionSpec

FENMOOR = ROOT / "shared" / "asb" / "policy" / "landlords" / "fenmoor.yaml"
FENMOOR_NAME = "Fenmoor Homes (a fictional second landlord)"
HANDLER = ("from asb.policy import config\n\n\n"
           "def handler(event, context):\n    return config.POLICY_VERSION\n")


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    copy = tmp_path / "fenmoor.yaml"
    copy.write_text(FENMOOR.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


@pytest.fixture
def asb_modules_kept() -> Iterator[None]:
    """The session's own asb modules back after the test: a reload replaces them in sys.modules."""
    kept = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "asb"}
    yield
    for name in [name for name in sys.modules if local_functions._reloadable(name)]:
        del sys.modules[name]
    sys.modules.update(kept)


def edited(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))


def test_a_changed_document_with_a_mistake_is_refused_by_its_path_and_nothing_reloads(
    policy: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    reloads: list[str] = []
    watcher = PolicyWatcher(policy, lambda: reloads.append("reloaded"))
    watcher.poll_once()
    assert reloads == []  # unchanged since the runtime started with it
    edited(policy, "qualifying_complaints: 2", "qualifying_complaints: 4")
    with caplog.at_level(logging.INFO, logger="asb.local"):
        watcher.poll_once()
    assert reloads == []
    assert f"policy {policy} refused, 1 mistake(s); the previous policy stays" in caplog.text
    assert ("case_review.qualifying_complaints: the ASB Case Review threshold must be 1 to 3"
            in caplog.text)
    assert "loaded" not in caplog.text


def test_a_right_change_reloads_the_functions_once_and_says_which_version(
    policy: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    reloads: list[str] = []
    watcher = PolicyWatcher(policy, lambda: reloads.append("reloaded"))
    edited(policy, "version: fenmoor-2026.1", "version: fenmoor-2026.2")
    with caplog.at_level(logging.INFO, logger="asb.local"):
        watcher.poll_once()
        watcher.poll_once()
    assert reloads == ["reloaded"]
    assert "policy fenmoor-2026.2 loaded" in caplog.text


def test_a_reload_that_fails_keeps_the_previous_policy(
    policy: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    def failing() -> None:
        raise ImportError("a handler did not import")

    watcher = PolicyWatcher(policy, failing)
    edited(policy, "version: fenmoor-2026.1", "version: fenmoor-2026.2")
    with caplog.at_level(logging.INFO, logger="asb.local"):
        watcher.poll_once()
    assert ("policy fenmoor-2026.2 not loaded (a handler did not import); the previous policy "
            "stays") in caplog.text


def probe(folder: Path) -> local_functions.LocalFunction:
    (folder / "app.py").write_text(HANDLER, encoding="utf-8")
    spec = FunctionSpec("PolicyReloadProbe", folder, "app.handler", {},
                        layers=(ROOT / "shared",))
    return local_functions.load(spec)


def config_module() -> ModuleType:
    return sys.modules["asb.policy.config"]


@pytest.mark.usefixtures("asb_modules_kept")
def test_reloaded_functions_decide_by_the_document_and_a_failed_reload_changes_nothing(
    tmp_path: Path, policy: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ASB_POLICY_FILE", raising=False)
    function = probe(tmp_path)
    assert function.invoke({}, "test") == "magna-2026.1"

    monkeypatch.setenv("ASB_POLICY_FILE", str(policy))
    local_functions.reload([function])
    assert function.invoke({}, "test") == "fenmoor-2026.1"
    fenmoor_config = config_module()

    (tmp_path / "app.py").write_text("raise ImportError('broken')\n", encoding="utf-8")
    edited(policy, "version: fenmoor-2026.1", "version: fenmoor-2026.2")
    with pytest.raises(ImportError, match="broken"):
        local_functions.reload([function])
    assert function.invoke({}, "test") == "fenmoor-2026.1"
    assert config_module() is fenmoor_config
    assert not function.lock.locked()


def test_the_watcher_records_the_policy_it_starts_with_and_each_taken_up_not_a_refused_one(
    policy: Path,
) -> None:
    recorded: list[tuple[str, str, str]] = []
    watcher = PolicyWatcher(policy, lambda: None,
                            record=lambda *change: recorded.append(change))
    watcher.record_start()
    edited(policy, "qualifying_complaints: 2", "qualifying_complaints: 4")
    watcher.poll_once()  # refused: nothing recorded
    edited(policy, "qualifying_complaints: 4", "qualifying_complaints: 2")
    edited(policy, "version: fenmoor-2026.1", "version: fenmoor-2026.2")
    watcher.poll_once()
    assert [(landlord, version) for _, landlord, version in recorded] == [
        (FENMOOR_NAME, "fenmoor-2026.1"), (FENMOOR_NAME, "fenmoor-2026.2")]
    assert len({key for key, _, _ in recorded}) == 2  # each its own change


def test_a_change_not_recorded_still_leaves_the_policy_taken_up(
    policy: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    def unrecorded(*_: str) -> None:
        raise OSError("the local AWS is not answering")

    reloads: list[str] = []
    watcher = PolicyWatcher(policy, lambda: reloads.append("reloaded"), record=unrecorded)
    edited(policy, "version: fenmoor-2026.1", "version: fenmoor-2026.2")
    with caplog.at_level(logging.INFO, logger="asb.local"):
        assert watcher.take_up()
    assert reloads == ["reloaded"]
    assert "policy fenmoor-2026.2 taken up but its change not recorded" in caplog.text
