"""What a check receives: the config and every I/O seam, so tests and the monitor can pass their own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from launchready.config import LaunchConfig
from launchready.net import DnsResolver, HttpClient, Limits, TlsProber

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CheckContext:
    config: LaunchConfig
    resolver: DnsResolver
    http: HttpClient
    tls: TlsProber
    limits: Limits
    clock: Callable[[], datetime] = utc_now
    ca_bundle: str | None = None
    artifacts: dict[str, Any] = field(default_factory=dict)
    """Structured by-products a report shows beside the findings (the DNS map, load results...)."""
    _memo: dict[str, asyncio.Future[Any]] = field(default_factory=dict, repr=False)

    async def once(self, key: str, factory: Callable[[], Awaitable[T]]) -> T:
        """Run ``factory`` once per run for ``key`` and share the result (or its error) with every caller.

        Checks that look at the same response (headers, cookies, caching of one homepage) fetch it once.
        """
        future = self._memo.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._memo[key] = future
            try:
                future.set_result(await factory())
            except asyncio.CancelledError:
                # The first caller was cancelled: forget the key so a later caller starts afresh, and
                # cancel (not fail) the future so no "exception was never retrieved" is left behind.
                del self._memo[key]
                future.cancel()
                raise
            except BaseException as exc:
                future.set_exception(exc)
        return await asyncio.shield(future)

    async def fetch_once(self, url: str, **kw: Any) -> Any:
        """A GET (by default) shared by every check in the run that asks for the same URL and options."""
        key = "fetch:" + url + ":" + repr(sorted(kw.items()))
        return await self.once(key, lambda: self.http.fetch(url, **kw))
