"""The register import: a source's rows checked and merged with the register now; any refused
line refuses the whole source and leaves the register as it was; otherwise the register after
is switched in whole (asb.homes.store), and each import's report kept.

A source is anything that gives the rows: `CsvExport` reads the export files; a landlord whose
housing management system has an API plugs in an adapter of its own (docs/homes-import.md).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from asb.homes.export_files import RegisterRows, Rejection, read_export
from asb.homes.register_import import ImportSummary, Register, merge
from asb.kernel.clock import Clock
from asb.kernel.errors import VersionConflict
from asb.policy.config import LOCAL_TIMEZONE

_LONDON = ZoneInfo(LOCAL_TIMEZONE)  # the import's day is the landlord's
ATTEMPTS = 3  # another import switching the register first: read it again and merge again


class RegisterSource(Protocol):
    """What a file or an API adapter gives the import: homes rows or tenancy rows (or both),
    each with where it came from (a line of the file, an API's record number), and every row
    it could not take with its reason."""

    @property
    def name(self) -> str:
        """Where it came from, as the report names it: a file's key, an API's name and time."""
        ...

    def rows(self) -> RegisterRows: ...


@dataclass(frozen=True)
class CsvExport:
    """An export file (docs/homes-import.md): homes or tenancies, by its header."""

    name: str
    data: bytes

    def rows(self) -> RegisterRows:
        return read_export(self.data)


@dataclass(frozen=True)
class StoredRegister:
    register: Register
    generation: int  # 0: nothing loaded yet


class RegisterStore(Protocol):
    def current(self) -> StoredRegister: ...

    def replace(self, read: StoredRegister, register: Register, at: datetime) -> None:
        """The register after, in whole, or VersionConflict if another import switched it since
        `read` was read (nothing of this one is then left to read)."""
        ...

    def record_import(self, report: ImportReport) -> None: ...


Outcome = Literal["loaded", "no change", "refused"]


@dataclass(frozen=True)
class ImportReport:
    import_id: str
    source: str
    at: datetime
    outcome: Outcome
    homes_accepted: int  # lines of homes taken (or that would have been, had none been refused)
    tenancy_lines_accepted: int
    summary: ImportSummary = field(default_factory=ImportSummary)
    rejections: tuple[Rejection, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON keeps it (beside the file, and in the IMPORT item)."""
        return {"import_id": self.import_id, "source": self.source,
                "at": self.at.isoformat(), "outcome": self.outcome,
                "summary": self.summary.in_words(),
                "accepted": {"homes": self.homes_accepted,
                             "tenancy_lines": self.tenancy_lines_accepted},
                "changes": vars(self.summary),
                "rejections": [{"line": r.line, "reason": r.reason} for r in self.rejections]}


class RegisterImport:
    def __init__(self, store: RegisterStore, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id

    def load(self, source: RegisterSource) -> ImportReport:
        rows = source.rows()
        report = self._loaded(source.name, rows)
        self._store.record_import(report)
        return report

    def _loaded(self, name: str, rows: RegisterRows) -> ImportReport:
        for attempt in range(1, ATTEMPTS + 1):
            now = self._clock.now()
            current = self._store.current()
            merged = merge(current.register, rows, _day_of(now))
            rejections = tuple(sorted(rows.rejections + merged.rejections, key=lambda r: r.line))
            refused = {r.line for r in rejections}
            accepted = (sum(1 for r in rows.homes or () if r.line not in refused),
                        sum(1 for r in rows.tenancies or () if r.line not in refused))
            if rejections:
                return ImportReport(self._new_id(), name, now, "refused", *accepted,
                                    rejections=rejections)
            if merged.summary.no_change:
                return ImportReport(self._new_id(), name, now, "no change", *accepted)
            try:
                self._store.replace(current, merged.register, now)
            except VersionConflict:
                if attempt == ATTEMPTS:
                    raise
                continue
            return ImportReport(self._new_id(), name, now, "loaded", *accepted, merged.summary)
        raise AssertionError("unreachable")


class ImportFiles(Protocol):
    def read(self, bucket: str, key: str) -> bytes: ...

    def write_report(self, bucket: str, key: str, report: str) -> str:
        """The report as JSON beside the file; its key."""
        ...


class FileImports:
    """A file arriving in the import bucket, loaded, and its report written beside it."""

    def __init__(self, imports: RegisterImport, files: ImportFiles) -> None:
        self._imports = imports
        self._files = files

    def load(self, bucket: str, key: str) -> tuple[ImportReport, str]:
        report = self._imports.load(CsvExport(key, self._files.read(bucket, key)))
        text = json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
        return report, self._files.write_report(bucket, key, text)


def _day_of(moment: datetime) -> date:
    return moment.astimezone(_LONDON).date()
