"""Aggregation and retention: a year of minutely checks kept small and fast to chart.

Finished hours of raw results become one ``rollups`` row per check and hour (count, up, degraded, down,
p50/p95 latency, p95 TTFT); raw results are dropped after ``retention_days`` and rollups after a year.
"""

from __future__ import annotations

import statistics
from typing import Any

import sqlalchemy as sa

from launchready.monitor.store.schema import results, rollups
from launchready.monitor.store.store import Store, percentile


def roll_up(store: Store, now: float, retention_days: int) -> int:
    """Fold finished hours of raw results into ``rollups``; drop raw results past retention and
    rollups past a year. Returns how many hourly rows were written."""
    current_hour = int(now // 3600)
    written = 0
    with store.tx() as conn:
        last = conn.execute(sa.select(sa.func.max(rollups.c.hour))).scalar()
        start = (int(last) + 1) * 3600 if last is not None else 0.0
        rows = conn.execute(
            sa.select(results.c.check_id, results.c.at, results.c.state, results.c.latency_ms, results.c.ttft_ms)
            .where(results.c.at >= start, results.c.at < current_hour * 3600)
        ).all()  # fmt: skip
        groups: dict[tuple[str, int], list[Any]] = {}
        for row in rows:
            groups.setdefault((row.check_id, int(row.at // 3600)), []).append(row)
        for (check_id, hour), items in groups.items():
            latencies = sorted(r.latency_ms for r in items if r.latency_ms is not None)
            ttfts = sorted(r.ttft_ms for r in items if r.ttft_ms is not None)
            values = {
                "check_id": check_id, "hour": hour, "total": len(items),
                "up": sum(r.state == "up" for r in items), "degraded": sum(r.state == "degraded" for r in items),
                "down": sum(r.state == "down" for r in items),
                "latency_p50": statistics.median(latencies) if latencies else None,
                "latency_p95": percentile(latencies, 95), "ttft_p95": percentile(ttfts, 95),
            }  # fmt: skip
            written += store._insert_ignore(conn, rollups, values)
        conn.execute(results.delete().where(results.c.at < now - retention_days * 86_400))
        conn.execute(rollups.delete().where(rollups.c.hour < current_hour - 366 * 24))
    return written
