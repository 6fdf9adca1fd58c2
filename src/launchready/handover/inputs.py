"""What the pack is built from: the config, and the latest saved reports found beside it.

Saved reports are found by *reading* them, not by their names: every ``*.json`` in the reports folder
(``.launchready/`` beside the config by default) is sniffed — an audit-schema report (an audit, or a
monitor run: one with monitoring findings), a load run (``engine`` + ``routes``), a cost estimate
(``kind = launchready.cost``) — and the newest of each kind wins. Files given on the command line win over
found ones. The drill history is ``[deploy] drill_history``. Nothing here touches the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready.config import LaunchConfig
from launchready.deploy.history import DrillRecord, history_path, read_history
from launchready.report import Report, load_report


@dataclass(frozen=True)
class Saved:
    path: Path
    document: dict[str, Any]


@dataclass(frozen=True)
class SavedReport:
    path: Path
    report: Report


@dataclass(frozen=True)
class HandoverInputs:
    config: LaunchConfig
    config_path: Path
    audit: SavedReport | None = None
    monitor: SavedReport | None = None
    load: Saved | None = None
    cost: Saved | None = None
    drills: tuple[DrillRecord, ...] = ()
    drills_path: Path | None = None
    drills_unreadable: int = 0
    skipped: tuple[str, ...] = field(default=())
    """Files in the reports folder that were not a launchready output (named in the sources list)."""


def _kind(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    if document.get("kind") == "launchready.cost":
        return "cost"
    if "engine" in document and isinstance(document.get("routes"), list):
        return "load"
    if "schema_version" in document and isinstance(document.get("findings"), list):
        return "report"
    return None


_COMMAND_RULES = (
    ("monitor.", "monitor"),
    ("load.", "load"),
    ("redteam.", "redteam"),
    ("deploy.smoke", "smoke"),
    ("deploy.rollback.drill", "drill"),
)
"""Reports written by one command hold only that command's rules: they are not the audit."""


def _report_kind(report: Report) -> str | None:
    if any(f.rule_id.startswith("handover.") for f in report.run.findings):
        return "handover"  # an earlier pack's JSON: rebuilt from its sources, never read back
    kinds = {
        next((kind for prefix, kind in _COMMAND_RULES if f.rule_id.startswith(prefix)), "audit")
        for f in report.run.findings
    }
    if not kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else "audit"


USED = ("audit", "monitor", "load", "cost")


def _read(text: str) -> tuple[str | None, Any]:
    """What a saved file is, and its content (a ``Report`` for reports, the results for a load run).

    Raises ``ValueError`` when the text is not JSON or a report does not load."""
    document = json.loads(text)
    kind = _kind(document)
    if kind != "report":
        return kind, document
    parsed = load_report(text)
    kind = _report_kind(parsed)
    if kind == "load":  # launchready load -o: the results are the report's artifact
        artifact = parsed.run.artifacts.get("load")
        return ("load", artifact) if isinstance(artifact, dict) else (None, None)
    return kind, parsed


def gather(
    config: LaunchConfig,
    config_path: Path,
    *,
    reports_dir: Path | None = None,
    audit: Path | None = None,
    load: Path | None = None,
    monitor: Path | None = None,
    cost: Path | None = None,
) -> HandoverInputs:
    """Raises ``ValueError`` naming the file when an explicitly given file is not what it should be."""
    folder = reports_dir if reports_dir is not None else config_path.parent / ".launchready"
    found: dict[str, tuple[float, Path, Any]] = {}
    skipped = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            kind, document = _read(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            skipped.append(f"{path.name}: not a launchready output")
            continue
        if kind not in USED:
            skipped.append(f"{path.name}: a {kind or 'non-launchready'} file, not used by the handover")
            continue
        mtime = path.stat().st_mtime
        if kind not in found or mtime >= found[kind][0]:
            found[kind] = (mtime, path, document)
    for wanted, given in (("audit", audit), ("monitor", monitor), ("load", load), ("cost", cost)):
        if given is None:
            continue
        try:
            kind, document = _read(given.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{given}: not a launchready {wanted} file: {str(exc)[:200]}") from None
        if kind != wanted:
            raise ValueError(
                f"{given}: not a launchready {wanted} file (it reads as {kind or 'something else'})"
            )
        found[wanted] = (0.0, given, document)

    def report(kind: str) -> SavedReport | None:
        return SavedReport(found[kind][1], found[kind][2]) if kind in found else None

    def saved(kind: str) -> Saved | None:
        return Saved(found[kind][1], found[kind][2]) if kind in found else None

    drills_file = history_path(config)
    records, unreadable = read_history(drills_file) if drills_file.is_file() else ([], 0)
    return HandoverInputs(
        config=config,
        config_path=config_path,
        audit=report("audit"),
        monitor=report("monitor"),
        load=saved("load"),
        cost=saved("cost"),
        drills=tuple(records),
        drills_path=drills_file,
        drills_unreadable=unreadable,
        skipped=tuple(skipped),
    )
