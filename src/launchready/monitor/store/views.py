"""Read-only queries for the dashboard, the status page and /metrics — each bounded to one page of checks
or a fixed time window, so a page costs the same with 100 checks or 10,000 (the issue's "fast with 10,000
checks"; Uptime Kuma's dashboard slows to 10-45 s per action past ~1,000 monitors).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from launchready.monitor.store.schema import checks, deploys, incidents, results, rollups
from launchready.monitor.store.store import Store, percentile

PAGE_SIZE = 50
DAY_S = 86_400.0
HOUR_S = 3600.0


@dataclass(frozen=True)
class CheckRow:
    check_id: str
    kind: str
    name: str
    target: str
    state: str
    since: float | None
    last_at: float | None
    last_message: str
    uptime_pct: float | None
    error_rate: float | None
    latency_p50: float | None
    latency_p95: float | None
    ttft_p95: float | None
    trend: list[tuple[float, float]] = field(default_factory=list)
    """(time, latency or TTFT ms) of the last results, oldest first, for the sparkline."""


@dataclass(frozen=True)
class Page:
    rows: list[CheckRow]
    page: int
    pages: int
    total: int
    counts: dict[str, int]


def dashboard_page(store: Store, now: float, page: int = 1, query: str = "", state: str = "") -> Page:
    with store.engine.connect() as conn:
        where = [checks.c.active == 1]
        if query:
            where.append(
                sa.or_(
                    checks.c.id.contains(query, autoescape=True),
                    checks.c.target.contains(query, autoescape=True),
                )
            )
        if state:
            where.append(checks.c.state == state)
        total = int(conn.execute(sa.select(sa.func.count()).select_from(checks).where(*where)).scalar() or 0)
        counts = {
            row.state: int(row.n)
            for row in conn.execute(
                sa.select(checks.c.state, sa.func.count().label("n")).where(checks.c.active == 1).group_by(checks.c.state)
            )
        }  # fmt: skip
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        order = sa.case({"down": 0, "degraded": 1, "unknown": 2}, value=checks.c.state, else_=3)
        found = conn.execute(
            sa.select(checks).where(*where).order_by(order, checks.c.id)
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()  # fmt: skip
        ids = [row.id for row in found]
        recent = _recent(conn, ids, now - HOUR_S)
        hourly = _hourly(conn, ids, now)
    rows = [_row(check, recent.get(check.id, []), hourly.get(check.id)) for check in found]
    return Page(rows, page, pages, total, counts)


def _recent(conn: sa.Connection, ids: list[str], since: float) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    if not ids:
        return out
    query = (
        sa.select(results.c.check_id, results.c.at, results.c.state, results.c.latency_ms, results.c.ttft_ms)
        .where(results.c.check_id.in_(ids), results.c.at >= since)
        .order_by(results.c.check_id, results.c.at)
    )
    for row in conn.execute(query):
        out.setdefault(row.check_id, []).append(row)
    return out


def _hourly(conn: sa.Connection, ids: list[str], now: float) -> dict[str, tuple[int, int]]:
    """(judged, up or degraded) per check over the last 23 finished hours, from the rollups — so a page's
    cost does not grow with a day of minutely results."""
    if not ids:
        return {}
    hour = int(now // HOUR_S)
    query = (
        sa.select(rollups.c.check_id, sa.func.sum(rollups.c.up + rollups.c.degraded + rollups.c.down),
                  sa.func.sum(rollups.c.up + rollups.c.degraded))
        .where(rollups.c.check_id.in_(ids), rollups.c.hour >= hour - 23, rollups.c.hour < hour)
        .group_by(rollups.c.check_id)
    )  # fmt: skip
    return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in conn.execute(query)}


def _row(check: Any, recent: list[Any], hourly: tuple[int, int] | None = None) -> CheckRow:
    """Latency, TTFT and the trend from the last hour's results; uptime and error rate over 24 h (the
    rollups of finished hours plus this hour's results)."""
    this_hour = int(recent[-1].at // HOUR_S) * HOUR_S if recent and hourly else 0.0
    current = [r for r in recent if r.at >= this_hour and r.state != "unknown"]
    judged = len(current) + (hourly[0] if hourly else 0)
    up = sum(r.state in ("up", "degraded") for r in current) + (hourly[1] if hourly else 0)
    latencies = sorted(r.latency_ms for r in recent if r.latency_ms is not None)
    ttfts = sorted(r.ttft_ms for r in recent if r.ttft_ms is not None)
    trend = [(r.at, r.ttft_ms if r.ttft_ms is not None else r.latency_ms) for r in recent[-120:]]
    return CheckRow(
        check.id, check.kind, check.name, check.target, check.state, check.since, check.last_at,
        check.last_message or "", round(100 * up / judged, 2) if judged else None,
        round(1 - up / judged, 4) if judged else None,
        statistics.median(latencies) if latencies else None, percentile(latencies, 95), percentile(ttfts, 95),
        [(at, value) for at, value in trend if value is not None],
    )  # fmt: skip


def check_detail(store: Store, check_id: str, now: float) -> CheckRow | None:
    with store.engine.connect() as conn:
        check = conn.execute(sa.select(checks).where(checks.c.id == check_id)).first()
        if check is None:
            return None
        recent = _recent(conn, [check_id], now - HOUR_S).get(check_id, [])
        hourly = _hourly(conn, [check_id], now).get(check_id)
    return _row(check, recent, hourly)


def posture_checks(store: Store, limit: int = 100) -> list[Any]:
    """Certificate and email-authentication checks, for their own panels: with 10,000 route checks they
    would be lost in the paginated list."""
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(checks.c.id, checks.c.kind, checks.c.target, checks.c.state, checks.c.last_message,
                          checks.c.last_at)
                .where(checks.c.active == 1, checks.c.kind.in_(("tls", "email")))
                .order_by(checks.c.kind, checks.c.id).limit(limit)
            )
        )  # fmt: skip


def recent_deploys(store: Store, now: float, days: float = 7) -> list[Any]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(deploys)
                .where(deploys.c.at >= now - days * DAY_S)
                .order_by(deploys.c.at.desc())
                .limit(50)
            )
        )


def recent_incidents(store: Store, limit: int = 20, offset: int = 0) -> list[Any]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(incidents).order_by(incidents.c.started_at.desc()).limit(limit).offset(offset)
            )
        )


def metrics_text(store: Store, now: float) -> str:
    """Prometheus exposition: one gauge per check state, last latency and TTFT; counters of results."""
    lines = [
        "# HELP launchready_check_up 1 when the check is up or degraded, 0 when down (unknown: absent).",
        "# TYPE launchready_check_up gauge",
    ]
    latency = [
        "# HELP launchready_check_latency_ms Latency of the last result.",
        "# TYPE launchready_check_latency_ms gauge",
    ]
    degraded = [
        "# HELP launchready_check_degraded 1 when the check is up but slow.",
        "# TYPE launchready_check_degraded gauge",
    ]
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                checks.c.id, checks.c.kind, checks.c.state, checks.c.last_latency_ms, checks.c.last_ttft_ms
            ).where(checks.c.active == 1)
        ).all()
        open_incidents = conn.execute(
            sa.select(sa.func.count()).select_from(incidents).where(incidents.c.ended_at.is_(None))
        ).scalar()
    for row in rows:
        labels = f'check="{_label(row.id)}",kind="{row.kind}"'
        if row.state in ("up", "degraded", "down"):
            lines.append(f"launchready_check_up{{{labels}}} {0 if row.state == 'down' else 1}")
            degraded.append(f"launchready_check_degraded{{{labels}}} {1 if row.state == 'degraded' else 0}")
        if row.last_latency_ms is not None:
            latency.append(f"launchready_check_latency_ms{{{labels}}} {row.last_latency_ms}")
        if row.last_ttft_ms is not None:
            latency.append(f"launchready_check_ttft_ms{{{labels}}} {row.last_ttft_ms}")
    ttft = [line for line in latency if line.startswith("launchready_check_ttft_ms")]
    latency = [line for line in latency if not line.startswith("launchready_check_ttft_ms")]
    ttft_head = ["# HELP launchready_check_ttft_ms Chat time to first token of the last result.",
                 "# TYPE launchready_check_ttft_ms gauge"]  # fmt: skip
    lines += degraded + latency + (ttft_head + ttft if ttft else [])
    lines += [
        "# HELP launchready_open_incidents Incidents not yet resolved.",
        "# TYPE launchready_open_incidents gauge",
    ]
    lines.append(f"launchready_open_incidents {open_incidents or 0}")
    return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
