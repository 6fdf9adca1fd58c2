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
from launchready.findings import Stage
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


def _report_kind(report: Report) -> str:
    stages = {f.stage for f in report.run.findings}
    return "monitor" if stages and stages <= {Stage.MONITORING} else "audit"


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
    candidates = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path in candidates:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            skipped.append(path.name)
            continue
        kind = _kind(document)
        if kind == "report":
            try:
                parsed = load_report(json.dumps(document))
            except ValueError:
                skipped.append(path.name)
                continue
            kind, document = _report_kind(parsed), parsed
        if kind is None:
            skipped.append(path.name)
            continue
        mtime = path.stat().st_mtime
        if kind not in found or mtime >= found[kind][0]:
            found[kind] = (mtime, path, document)
    for kind, given in (("audit", audit), ("monitor", monitor), ("load", load), ("cost", cost)):
        if given is None:
            continue
        try:
            text = given.read_text(encoding="utf-8")
            document = load_report(text) if kind in ("audit", "monitor") else json.loads(text)
        except (OSError, ValueError) as exc:
            raise ValueError(f"{given}: not a launchready {kind} file: {str(exc)[:200]}") from None
        if kind in ("load", "cost") and _kind(document) != kind:
            raise ValueError(f"{given}: not a launchready {kind} file")
        found[kind] = (0.0, given, document)

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
