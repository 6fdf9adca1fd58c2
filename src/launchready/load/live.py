"""The live view while a load runs: rate, in flight, p95 so far, errors, dropped — on stderr, TTY only.

Refreshed from an asyncio task (not Rich's refresh thread) so reading the histograms never races the
generator, and hidden entirely when stderr is not a terminal (CI logs stay clean).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from rich.console import Console
from rich.live import Live
from rich.table import Table

from launchready.load.recorder import Recorder

_REFRESH_S = 0.5


def _table(recorder: Recorder, planned_s: float, target: str) -> Table:
    elapsed = max(1e-9, time.monotonic() - recorder.started)
    overall = recorder.overall
    p95 = overall.get_value_at_percentile(95) / 1000 if overall.get_total_count() else 0.0
    table = Table(title=f"launchready load — {target}", show_header=True, expand=False)
    for column in ("elapsed", "rate", "in flight", "p95 so far", "errors", "dropped"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{min(elapsed, planned_s):.0f}/{planned_s:.0f}s",
        f"{recorder.completed / elapsed:.1f}/s",
        str(recorder.in_flight),
        f"{p95:.0f} ms",
        f"{recorder.errors}",
        f"{recorder.dropped}",
    )
    return table


@contextlib.asynccontextmanager
async def live_view(
    recorder: Recorder, planned_s: float, target: str, console: Console
) -> AsyncIterator[None]:
    if not console.is_terminal:
        yield
        return
    with Live(console=console, auto_refresh=False, transient=True) as live:

        async def refresh() -> None:
            while True:
                if recorder.started:
                    live.update(_table(recorder, planned_s, target), refresh=True)
                await asyncio.sleep(_REFRESH_S)

        task = asyncio.create_task(refresh())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
