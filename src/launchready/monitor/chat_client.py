"""The chat send flow behind a small interface: ``SharedChatSender`` (the default) goes through the shared
chat client, ``launchready.chat.ChatClient`` — the product's own API or OpenAI-compatible, ``[chat.login]``,
auth headers from the environment — so the monitor, the red team and the evals talk to the chat the same
way. ``SseChatSender`` reads the stream with ``launchready.net.sse`` (the reader of ``launchready smoke`` and
the performance probes); it stays for comparison and for products whose config predates ``[chat]``'s
newer keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from launchready.config import LaunchConfig
from launchready.config.model import RouteConfig
from launchready.net import HttpClient

CALLS_PER_CHECK = 4
"""One chat, and up to three more sends when the product's rate limit says to wait (429 + Retry-After)."""


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


class ChatUnavailable(Exception):
    """The config cannot make a chat call (no chat route, a missing auth variable, a failed login):
    a setup problem to fix, not an outage of the product."""


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


_END = {
    "done": "done", "closed": "closed", "error-event": "error-event", "http-error": "not-streamed",
    "no-first-byte": "budget", "timeout": "budget", "too-large": "too-large",
}  # fmt: skip


class SharedChatSender:
    """``ChatSender`` over the shared ``ChatClient`` (one per monitor process: the login is reused)."""

    def __init__(self, http: HttpClient, config: LaunchConfig) -> None:
        self._http = http
        self._config = config
        self._client: object | None = None

    async def send(self, route: RouteConfig, url: str, prompt: str, budget_s: float) -> ChatAnswer:
        from launchready.chat import Budget, ChatClient, ChatConfigError

        try:
            if not isinstance(self._client, ChatClient):
                self._client = ChatClient(self._config, self._http)
            client = self._client
            # a monitor lives for months: each check gets its own small budget, not the red team's total
            client.budget = Budget(CALLS_PER_CHECK, budget_s + 30, 1)
            answer = await client.send(prompt, timeout_s=budget_s, remember=False)
        except ChatConfigError as exc:
            self._client = None  # a failed login is tried again next time
            raise ChatUnavailable(str(exc)) from None
        return ChatAnswer(
            status=answer.status, answer=answer.text, end=_END.get(answer.end.value, answer.end.value),
            ttft_s=answer.ttft_s, total_s=answer.elapsed_s, error=answer.error, excerpt=answer.excerpt,
        )  # fmt: skip
