"""What every performance probe shares: one lane, the routes it aims at, and how it sends a chat or a request.

The probes run one at a time (the *lane*, one ``asyncio.Lock`` per run): they load the product on purpose,
so running two at once would make each one's measurement the other's noise (the isolation probe's idle
baseline taken during another probe's slow chats would hide the very starvation it looks for). The rate-limit
probes are registered last because their bursts spend the client's quota; any probe that still meets a 429
waits the server's ``Retry-After`` (capped) and tries once more.
"""

from __future__ import annotations

import abc
import asyncio
import codecs
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import aiohttp

from launchready.checks.interface import Check
from launchready.config.model import LaunchConfig, RouteConfig, RouteRole
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import NetError
from launchready.net.http import translate_error
from launchready.net.sse import ChatStream, SseParser, StreamEnd, answer_at, read_chat

MAX_RETRY_AFTER_S = 12.0
"""The longest ``Retry-After`` a probe waits before its one second try."""
NO_CHAT_ROUTE = (
    'no chat route in the config: add a [[routes]] entry with role = "chat" (and [chat] request and '
    "[chat.answer]) to probe the chat"
)
NO_LOGIN_ROUTE = 'no login route in the config: add a [[routes]] entry with role = "login" to probe it'
FAKE_LOGIN = {"email": "launchready-probe@example.invalid", "password": "not-a-real-password"}
"""Sent to a login route that has no ``body`` in the config: wrong on purpose, limits count failures too."""


class PerformanceProbe(Check):
    """A check that sends load on purpose: opt-in with ``--with performance``, run alone in the lane."""

    opt_in = "performance"
    timeout_s: ClassVar[float] = 120.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        lane = await ctx.once("performance:lane", _new_lane)
        async with lane:
            return await self.probe(ctx)

    @abc.abstractmethod
    async def probe(self, ctx: CheckContext) -> list[Finding]:
        """The probe itself, run while this check holds the lane."""


async def _new_lane() -> asyncio.Lock:
    return asyncio.Lock()


def chat_route(config: LaunchConfig) -> RouteConfig | None:
    """The route named by ``[chat] route``, else the first with role ``chat``."""
    named = next((r for r in config.routes if r.name == config.chat.route), None)
    return named or next(iter(config.routes_with_role(RouteRole.CHAT)), None)


def first_route(config: LaunchConfig, role: RouteRole) -> RouteConfig | None:
    return next(iter(config.routes_with_role(role)), None)


def chat_body(config: LaunchConfig, message: str) -> Any:
    """The ``[chat] request`` template with every ``{{message}}`` replaced by ``message``."""

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return node.replace("{{message}}", message)
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        return node

    return fill(config.chat.request)


def chat_headers(config: LaunchConfig, route: RouteConfig) -> dict[str, str]:
    accept = "text/event-stream" if config.chat.answer.kind == "sse" else "application/json"
    return {"Accept": accept, **route.headers}


async def send_chat(
    ctx: CheckContext, message: str, budget_s: float, max_bytes: int = 1024 * 1024
) -> ChatStream:
    """One chat through the configured route and template; a 429 is waited out once (capped)."""
    config = ctx.config
    route = chat_route(config)
    if route is None:
        raise LookupError("no chat route")
    for attempt in range(2):
        stream = await read_chat(
            ctx.http.session,
            config.route_url(route),
            method=route.method,
            body=chat_body(config, message),
            headers=chat_headers(config, route),
            answer_path=config.chat.answer.path,
            done_marker=config.chat.answer.done_marker,
            budget_s=budget_s,
            max_bytes=max_bytes,
        )
        wait = retry_after_s(stream.header("retry-after"))
        if attempt or stream.status != 429 or wait is None or wait > MAX_RETRY_AFTER_S:
            return stream
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")


async def stream_chat(ctx: CheckContext, budget_s: float, on_token: Callable[[], None]) -> str:
    """One probe chat read as it streams, calling ``on_token`` at each answer fragment; returns how it ended.

    Not ``read_chat``: that one reports the first token only once the chat is over, and the isolation probe's
    slow chats are cancelled mid-stream, which is exactly when the load must be known to be real.
    """
    config = ctx.config
    route = chat_route(config)
    if route is None:
        raise LookupError("no chat route")
    url = config.route_url(route)
    answer = config.chat.answer
    session = ctx.http.session
    timeout = aiohttp.ClientTimeout(
        total=None, connect=session.timeout.connect, sock_connect=session.timeout.sock_connect
    )
    try:
        async with asyncio.timeout(budget_s):
            async with session.request(
                route.method,
                url,
                json=chat_body(config, config.performance.probe_prompt),
                headers=chat_headers(config, route),
                timeout=timeout,
            ) as resp:
                if not 200 <= resp.status < 300:
                    return f"HTTP {resp.status}"
                if "text/event-stream" not in resp.headers.get("content-type", ""):
                    data = _json(await resp.content.read(1024 * 1024))
                    if answer_at(data, answer.path) or answer_at(data, "answer"):
                        on_token()
                    return f"HTTP {resp.status} body"
                parser = SseParser()
                decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
                async for chunk in resp.content.iter_any():
                    for event, data in parser.feed(decoder.decode(chunk)):
                        if data.strip() == answer.done_marker:
                            return "done"
                        payload = _json(data)
                        if event == "error" or (isinstance(payload, dict) and "error" in payload):
                            return "error event"
                        if answer_at(payload, answer.path):
                            on_token()
                return "closed"
    except TimeoutError:
        return "budget"
    except aiohttp.ClientError as exc:
        raise translate_error(exc, f"{route.method} {url}") from exc


def _json(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def retry_after_s(value: str | None) -> float | None:
    """``Retry-After`` in seconds when it is a delay (RFC 9110 §10.2.3); dates are not waited for."""
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def login_body(route: RouteConfig) -> tuple[Any, bytes | None]:
    """(json, raw body) for a login request: the configured body, else a deliberately wrong login."""
    if isinstance(route.body, str):
        return None, route.body.encode()
    return (route.body if route.body is not None else FAKE_LOGIN), None


@dataclass(frozen=True)
class Hit:
    """What one request of a burst or a latency sample saw."""

    status: int | None
    retry_after: str | None
    elapsed_s: float
    error: str | None = None


async def hit(
    ctx: CheckContext,
    route: RouteConfig,
    *,
    json: Any = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout_s: float = 10.0,
) -> Hit:
    """One request that waits for the status and headers only, then hangs up (within ``timeout_s``)."""
    url = ctx.config.route_url(route)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            async with ctx.http.session.request(
                route.method, url, json=json, data=body, headers={**route.headers, **(headers or {})}
            ) as resp:
                result = Hit(resp.status, resp.headers.get("Retry-After"), time.perf_counter() - started)
                resp.close()
                return result
    except TimeoutError:
        return Hit(None, None, time.perf_counter() - started, f"no response within {timeout_s:g}s")
    except Exception as exc:
        error = exc if isinstance(exc, NetError) else translate_error(exc, f"{route.method} {url}")
        return Hit(None, None, time.perf_counter() - started, str(error))


def describe_end(stream: ChatStream) -> str:
    """A short phrase for a finding's evidence: how the chat request ended."""
    status = f"HTTP {stream.status}" if stream.status is not None else "no response headers"
    ends = {
        StreamEnd.DONE: "answered",
        StreamEnd.CLOSED: "closed by the server",
        StreamEnd.ERROR_EVENT: f"error event {stream.error or ''}".strip(),
        StreamEnd.BUDGET: "still open when the probe hung up",
        StreamEnd.TOO_LARGE: "answer larger than the probe's cap",
        StreamEnd.NOT_STREAMED: f"refused: {stream.excerpt[:120]!r}",
    }
    return f"{status}, {ends[stream.end]} after {stream.elapsed_s:.2f}s"
