"""The chat send flow behind a small interface, so the monitor can switch to the shared chat client
(``launchready.chat``, being written in parallel) by adding one implementation and changing one line.

Today the implementation is ``SseChatSender``, which uses ``launchready.net.sse.read_chat`` — the same reader
the performance probes and ``launchready smoke`` use — so a chat is judged the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from launchready.config import LaunchConfig
from launchready.config.model import RouteConfig
from launchready.net import HttpClient


@dataclass(frozen=True)
class ChatAnswer:
    """One chat as the monitor needs it: did an answer come, how fast did it start and end."""

    status: int | None
    answer: str
    end: str
    """``done``, ``closed``, ``error-event``, ``budget``, ``too-large`` or ``not-streamed``."""
    ttft_s: float | None
    total_s: float
    error: str | None = None
    excerpt: str = ""

    @property
    def completed(self) -> bool:
        return self.end == "done" and bool(self.answer.strip())


class ChatSender(Protocol):
    async def send(self, route: RouteConfig, url: str, prompt: str, budget_s: float) -> ChatAnswer:
        """Send ``prompt`` and read the whole answer within ``budget_s``; raises ``NetError`` when no
        response could be had at all (DNS, connect, TLS)."""
        ...


class SseChatSender:
    """``ChatSender`` over the run's aiohttp session and the hand-written SSE reader."""

    def __init__(self, http: HttpClient, config: LaunchConfig) -> None:
        self._http = http
        self._config = config

    async def send(self, route: RouteConfig, url: str, prompt: str, budget_s: float) -> ChatAnswer:
        from launchready.deploy.smoke import chat_body
        from launchready.net.sse import read_chat

        answer = self._config.chat.answer
        accept = "text/event-stream" if answer.kind == "sse" else "application/json"
        stream = await read_chat(
            self._http.session, url, method=route.method, body=chat_body(self._config, prompt),
            headers={"Accept": accept, **route.headers}, answer_path=answer.path,
            done_marker=answer.done_marker, budget_s=budget_s,
        )  # fmt: skip
        return ChatAnswer(
            status=stream.status, answer=stream.answer, end=stream.end.value, ttft_s=stream.first_token_s,
            total_s=stream.elapsed_s, error=stream.error, excerpt=stream.excerpt,
        )  # fmt: skip
