"""Per-client rate limits for the hardened lab, on the ``limits`` library (the engine behind slowapi).

``limits`` is used directly rather than through slowapi: slowapi's decorators need a ``request`` argument on
every endpoint and a global ``Limiter``, while the lab builds one app per test and needs the limiter to live
and die with it. The moving window counts each client's hits in the last ``per_s`` seconds; a client over
the limit gets 429 with ``Retry-After`` (RFC 9110 §10.2.3, RFC 6585 §4) in whole seconds, rounded up.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class RateLimit:
    hits: int
    per_s: int


class ClientRateLimiter:
    """One limiter per app, used as a FastAPI dependency: ``Depends(limiter.dependency("login", limit))``."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def retry_after(self, client: str, scope: str, limit: RateLimit) -> int | None:
        """Count one hit; None when it is allowed, else the seconds until the client may try again."""
        item = RateLimitItemPerSecond(limit.hits, limit.per_s)
        if await self._limiter.hit(item, scope, client):
            return None
        stats = await self._limiter.get_window_stats(item, scope, client)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def dependency(self, scope: str, limit: RateLimit) -> Callable[[Request], Awaitable[None]]:
        """A dependency that answers 429 before the endpoint (and its body validation) runs."""

        async def enforce(request: Request) -> None:
            client = request.client.host if request.client else "unknown"
            retry_after = await self.retry_after(client, scope, limit)
            if retry_after is not None:
                raise HTTPException(
                    status_code=429,
                    detail=f"rate limited: at most {limit.hits} requests per {limit.per_s}s",
                    headers={
                        "Retry-After": str(retry_after),
                        "RateLimit-Policy": f"{limit.hits};w={limit.per_s}",
                    },
                )

        return enforce
