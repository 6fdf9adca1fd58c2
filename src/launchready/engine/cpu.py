"""Run CPU-bound work (scanning a git history, walking a tree) without taking the run's deadline hostage.

Issue 10: ``audit --only secrets --deadline 3`` ended after 9.4 s. The scan ran in ``asyncio.to_thread``: the
deadline did cancel the awaiting coroutine, but nothing told the thread, and ``asyncio.run`` then waited
for the default executor to drain before returning. The deadline is a contract, so:

- the work runs in its own **daemon thread** (not the default executor, which ``asyncio.run`` joins at exit);
- when the awaiting coroutine is cancelled (the check's timeout or the run's deadline), the cooperative
  ``cancel`` flag is set and the coroutine returns at once: the thread is *abandoned*, and stops by itself at
  its next checkpoint (between two blobs or files) by raising ``Cancelled``; subprocesses it owns (git, a
  process pool) are killed on the way out;
- ``Progress`` is shared with the worker, so the check can say how far it got ("deadline reached after
  scanning 1,204 of 88,311 blobs") instead of a bare timeout.

A thread, not a process, because the hot loops (Hyperscan, ``re``, zlib inside git) release the GIL or run
in git subprocesses, results are large Python objects (no pickling), and history scanning already fans out
to worker processes of its own when there are cores to spare.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside a worker at a checkpoint once its cancel flag is set: the result is no longer wanted."""


@dataclass
class Progress:
    """How far a worker got: written by the worker, read by the event loop (ints: atomic under the GIL)."""

    unit: str
    cancel: threading.Event = field(default_factory=threading.Event)
    done: int = 0
    total: int | None = None

    def checkpoint(self) -> None:
        """Call between two units of work: raises ``Cancelled`` once the result is no longer wanted."""
        if self.cancel.is_set():
            raise Cancelled(self.describe())

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.checkpoint()

    def describe(self) -> str:
        if self.total is None:
            return f"{self.done:,} {self.unit} (total not yet known)"
        return f"{self.done:,} of {self.total:,} {self.unit}"


def _settle(future: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


async def run_cpu_bound(fn: Callable[..., T], *args: object, cancel: threading.Event) -> T:
    """``fn(*args)`` in a daemon thread; on cancellation set ``cancel`` and return at once (abandon it).

    ``fn`` should check ``cancel`` between units of work (``Progress.checkpoint``) so it stops soon after;
    it is never joined, so a worker stuck in one long unit cannot hold the event loop or the process exit.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine, which re-raises it
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, future, result, error)

    name = getattr(fn, "__name__", "cpu-bound")
    threading.Thread(target=work, name=f"launchready-{name}", daemon=True).start()
    try:
        return await future
    except asyncio.CancelledError:
        cancel.set()
        raise
