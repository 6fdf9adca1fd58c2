"""Run an asyncio server on its own event loop in a daemon thread, until told to stop.

The lab's servers must keep answering while the code under test blocks its own loop (tests call the CLI
and ``asyncio.run`` synchronously), so each lives on a loop of its own. This is the one place that
starts such a thread, waits until the server is listening, carries a start-up error back to the caller,
and stops it cleanly.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

Serve = Callable[[asyncio.Event, Callable[[], None]], Awaitable[None]]
"""``serve(stopping, ready)``: bind, call ``ready()``, wait for ``stopping``, clean up."""


class BackgroundLoop:
    def __init__(self, name: str, serve: Serve) -> None:
        self.name = name
        self._serve = serve
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout_s: float = 10.0) -> None:
        """Start the thread and return once ``serve`` called ``ready()``; re-raise its start-up error."""
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise RuntimeError(f"{self.name} did not start within {timeout_s:g} s")
        if self._error is not None:
            raise self._error

    def stop(self, timeout_s: float = 10.0) -> None:
        if self._loop is not None and self._stopping is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        await self._serve(self._stopping, self._ready.set)
