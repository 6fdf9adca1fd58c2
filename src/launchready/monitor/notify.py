"""Alert channels through Apprise (Slack, email, Discord, Teams, Telegram, webhooks... one URL each), and
the outbox dispatcher that sends what the store queued, with retries and backoff when a channel fails.

Delivery is at-least-once per channel set: an alert is marked sent only after every channel took it, and a
claimed-but-unsent alert (an instance killed mid-send) is retried when its claim lapses. Duplicates are
bounded to that one window; an alert is never dropped because a channel was down — it waits in the outbox.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from launchready.monitor.store import Store

BACKOFF_BASE_S = 5.0
BACKOFF_MAX_S = 300.0
CLAIM_S = 60.0


class NotifyError(Exception):
    """A channel did not accept the alert."""


class Notifier(Protocol):
    async def send(self, title: str, body: str) -> None: ...


@dataclass(frozen=True)
class ChannelResult:
    url: str
    ok: bool
    error: str = ""


class AppriseNotifier:
    """Every configured Apprise URL; ``send`` fails unless all of them accepted the alert."""

    def __init__(self, urls: Sequence[str], timeout_s: float = 20.0) -> None:
        self.urls = tuple(urls)
        self.timeout_s = timeout_s

    async def send(self, title: str, body: str) -> None:
        failed = [r for r in await self.send_each(title, body) if not r.ok]
        if failed:
            raise NotifyError("; ".join(f"{_redacted(r.url)}: {r.error}" for r in failed))

    async def send_each(self, title: str, body: str) -> list[ChannelResult]:
        return list(await asyncio.gather(*(self._one(url, title, body) for url in self.urls)))

    async def _one(self, url: str, title: str, body: str) -> ChannelResult:
        import apprise

        channel = apprise.Apprise()
        if not channel.add(url):
            return ChannelResult(url, False, "not a valid Apprise URL")
        try:
            async with asyncio.timeout(self.timeout_s):
                ok = await asyncio.to_thread(channel.notify, body=body, title=title)
        except TimeoutError:
            return ChannelResult(url, False, f"no answer within {self.timeout_s:g} s")
        return ChannelResult(url, bool(ok), "" if ok else "the channel refused or could not be reached")


def _redacted(url: str) -> str:
    """Channel URLs carry tokens (slack://T/B/secret): show the scheme and host only."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('@')[-1]}/…"


def backoff_s(attempts: int) -> float:
    return float(min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1)))


async def dispatch_once(
    store: Store,
    notifier: Notifier,
    clock: Callable[[], float] = time.time,
    limit: int = 50,
    link: Callable[[str], str] | None = None,
) -> tuple[int, int]:
    """Send what is due in the outbox: (sent, failed). ``link`` gives a check's playbook URL ('' for none)."""
    rows: list[Any] = await asyncio.to_thread(store.claim_outbox, clock(), limit, CLAIM_S)
    sent = failed = 0
    for row in rows:
        try:
            url = link(row.check_id or "") if link else ""
            await notifier.send(row.title, f"{row.body}\nPlaybook: {url}" if url else row.body)
        except NotifyError as exc:
            attempts = row.attempts + 1
            await asyncio.to_thread(
                store.mark_failed, row.id, attempts, clock() + backoff_s(attempts), str(exc)
            )
            failed += 1
        else:
            await asyncio.to_thread(store.mark_sent, row.id, clock())
            sent += 1
    return sent, failed
