"""The drill history: one JSON line per ``launchready drill``, kept beside the config (``[deploy]
drill_history``), so the audit can say "last drill 2026-11-12: rollback in 3 m 40 s" without re-running it.

JSON lines because a drill appends one record and never rewrites the others: two drills at once, or a drill
killed half-way, can never corrupt the earlier history. A line that does not parse is skipped and counted.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from launchready.config import LaunchConfig


class PhaseRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    duration_s: float
    deadline_s: float
    detail: str = ""
    output: str = ""
    """The command's last output lines, secrets redacted."""


class DrillRecord(BaseModel):
    """What one drill did: when, whether it passed, each phase's time, and the rollback's total time."""

    model_config = ConfigDict(frozen=True)

    started_at: datetime
    ok: bool
    previous_version: str | None = None
    new_version: str | None = None
    rollback_s: float | None = None
    """Rollback command start to the previous version serving again (the roadmap's 10-minute figure)."""
    total_s: float
    deadline_s: float
    phases: tuple[PhaseRecord, ...] = ()
    failure: str | None = None


def history_path(config: LaunchConfig) -> Path:
    path = config.deploy.drill_history
    return path if path.is_absolute() else config.repo.path / path


def append_record(path: Path, record: DrillRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(record.model_dump_json() + "\n")


def read_history(path: Path) -> tuple[list[DrillRecord], int]:
    """Every readable record, oldest first, and how many lines could not be read."""
    records: list[DrillRecord] = []
    bad = 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], 0
    for line in lines:
        if not line.strip():
            continue
        try:
            records.append(DrillRecord.model_validate(json.loads(line)))
        except (ValueError, ValidationError):
            bad += 1
    return records, bad


def minutes(seconds: float) -> str:
    """``3 m 40 s`` (or ``42 s``): how the report says a duration."""
    whole = round(seconds)
    return f"{whole // 60} m {whole % 60} s" if whole >= 60 else f"{seconds:.1f} s"


def describe(record: DrillRecord) -> str:
    day = record.started_at.date().isoformat()
    if record.ok and record.rollback_s is not None:
        return f"last drill {day}: rollback in {minutes(record.rollback_s)}"
    return f"last drill {day} failed: {record.failure or 'see its phases'}"
