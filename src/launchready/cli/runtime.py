"""Run a command's async work on a fresh event loop, and never wait past its deadline.

The engine already cuts each check at the run's deadline; this is the CLI's backstop, so the promise holds
even when something under the engine misbehaves:

- the whole run gets ``deadline + GRACE_S``; then it is cancelled and abandoned (not awaited), and
  ``on_timeout`` builds the partial result (what finished, the rest unverifiable);
- ``asyncio.run`` would then wait (up to 5 minutes) for the default executor's threads — a CPU-bound scan
  handed to ``asyncio.to_thread`` and abandoned at the deadline. Here the executor is shut down without
  waiting, and ``work_abandoned()`` tells ``main()`` to leave with ``os._exit`` once the report is out,
  since the interpreter would otherwise join those threads at exit.

Standard library only: ``main()`` imports it on the way out of every command.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

GRACE_S = 0.5
"""How long past its deadline the run may take to wind down (the engine cuts checks at the deadline itself).

With ``CLEANUP_S`` for cancelled leftovers, the rest of the promised second is the report's to render."""
CLEANUP_S = 0.25
WORKER_PREFIX = "launchready-worker"

_abandoned = False


class DeadlineExceeded(RuntimeError):
    """The run was cut at its deadline and the command has no partial result to show."""

    def __init__(self, deadline_s: float) -> None:
        super().__init__(f"stopped at the deadline ({deadline_s:g}s) before the run finished")
        self.deadline_s = deadline_s


def work_abandoned() -> bool:
    """True when a worker thread was still running when its command ended (``main`` then ``os._exit``s)."""
    return _abandoned


def run_async(
    coroutine: Coroutine[Any, Any, T],
    *,
    deadline_s: float | None = None,
    on_timeout: Callable[[], T] | None = None,
) -> T:
    """Run ``coroutine`` to completion, or for at most ``deadline_s + GRACE_S`` seconds.

    At the deadline, return ``on_timeout()`` (or raise ``DeadlineExceeded`` without one).
    """
    global _abandoned
    loop = asyncio.new_event_loop()
    executor = ThreadPoolExecutor(thread_name_prefix=WORKER_PREFIX)
    loop.set_default_executor(executor)

    async def bounded() -> T:
        work = asyncio.ensure_future(coroutine)
        if deadline_s is None:
            return await work
        # asyncio.wait, not asyncio.timeout: a timeout only *asks* the work to stop, and work that swallows
        # its cancellation (a buggy check) would hold the command past its deadline.
        done, _ = await asyncio.wait({work}, timeout=deadline_s + GRACE_S)
        if work in done:
            return work.result()
        work.cancel()
        if on_timeout is None:
            raise DeadlineExceeded(deadline_s)
        return on_timeout()

    try:
        return loop.run_until_complete(bounded())
    finally:
        _cancel_leftovers(loop)
        executor.shutdown(wait=False, cancel_futures=True)
        if any(t.name.startswith(WORKER_PREFIX) and t.is_alive() for t in threading.enumerate()):
            _abandoned = True
        loop.close()


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel tasks the work left behind and give them a moment (not more) to clean up."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=CLEANUP_S))
    loop.run_until_complete(loop.shutdown_asyncgens())
