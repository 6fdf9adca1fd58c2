"""``ChatClient``: one way to talk to the product's chat, for the red team, the eval set and the probes.

It speaks the product's own API as ``[chat]`` describes it (a request template, the answer at a dotted path
in SSE events or a JSON body, a done marker) or, with ``[chat.answer] kind = "openai"``, the OpenAI chat
completions wire format with no template at all. It logs in once when ``[chat.login]`` says how (the
session cookie and/or a token are reused), adds auth headers from environment variables (their values never
reach a report: ``RequestRecord`` keeps header names only), keeps each conversation's history, and bounds
every call: a connect timeout, a first-byte timeout, a total timeout, a size cap, and the command's
``Budget`` of calls, seconds and concurrency.

Built on the run's ``HttpClient`` session (its resolver, pins and CA), like ``net.sse``; errors reaching
the product at all cross as ``NetError``; everything the product *did* is an observation in ``ChatAnswer``.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from launchready.chat.answer import (
    AnswerEnd,
    AnswerReader,
    AnswerState,
    ChatAnswer,
    RequestRecord,
    node_at,
)
from launchready.chat.budget import Budget, Estimate
from launchready.chat.template import Turn, fill_request
from launchready.config.model import ChatConfig, LaunchConfig, RouteConfig, RouteRole
from launchready.net.errors import NetError
from launchready.net.http import HttpClient, translate_error
from launchready.net.sse import SseParser

MAX_RETRY_AFTER_S = 12.0
MAX_RATE_LIMIT_WAIT_S = 40.0
"""A 429 is waited out (its ``Retry-After``, each capped at ``MAX_RETRY_AFTER_S``) for at most this long in
all per call, and never past the budget: the product's rate limit is respected, and what the probes judge
is the chat's answer, not the limiter's. A limiter with a short window answers ``Retry-After: 1`` to a
burst many times over, so a fixed small retry count would give up on a product that is behaving well."""
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
CHARS_PER_TOKEN = 4
"""The usual rough ratio for English text, used only for the up-front estimate."""


class ChatConfigError(Exception):
    """The ``[chat]`` config cannot produce a working call (no route, a missing env var, a bad template)."""

    def __init__(self, message: str, answer: ChatAnswer | None = None) -> None:
        super().__init__(message)
        self.answer = answer
        """The dry call's answer, when the failure is what the product answered."""


@dataclass
class Conversation:
    """One conversation: its session id (``{{session}}``) and the turns so far (``{{history}}``)."""

    session: str = field(default_factory=lambda: secrets.token_hex(8))
    turns: list[Turn] = field(default_factory=list)


def estimate_run(
    chat: ChatConfig, calls: int, input_chars: int, output_tokens_per_call: int = 200
) -> Estimate:
    """Calls, tokens and cost of a planned run, and whether it fits ``[chat] max_calls`` (nothing is sent)."""
    input_tokens = input_chars // CHARS_PER_TOKEN
    output_tokens = calls * output_tokens_per_call
    cost = (input_tokens * chat.input_cost_per_mtok + output_tokens * chat.output_cost_per_mtok) / 1e6
    return Estimate(calls, input_tokens, output_tokens, cost, fits=calls <= chat.max_calls)


def chat_route(config: LaunchConfig) -> RouteConfig | None:
    named = next((r for r in config.routes if r.name == config.chat.route), None)
    return named or next(iter(config.routes_with_role(RouteRole.CHAT)), None)


class ChatClient:
    def __init__(
        self,
        config: LaunchConfig,
        http: HttpClient,
        *,
        env: Mapping[str, str] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.config = config
        self.chat = config.chat
        self.http = http
        self._env = os.environ if env is None else env
        route = chat_route(config)
        if route is None:
            raise ChatConfigError(
                'no chat route in the config: add a [[routes]] entry with role = "chat" and a [chat] section'
            )
        self.route = route
        self.url = config.route_url(route)
        self.budget = budget or Budget(self.chat.max_calls, self.chat.max_seconds, self.chat.concurrency)
        self.reader = AnswerReader(self.chat.answer)
        self.timeout_s = self.chat.timeout_s or config.targets.chat_timeout_s
        self._secret_headers = self._env_headers()
        self._session_headers: dict[str, str] = {}
        self._login_lock = asyncio.Lock()
        self._logged_in = self.chat.login is None
        self._quiet_until = 0.0
        """Monotonic time before which no call is sent: one 429 pauses every concurrent caller, so they
        don't all spend their retries on a limiter that already said to wait."""

    # --- configuration ------------------------------------------------------------------------------

    def _env_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, template in self.chat.headers_from_env.items():
            missing = [var for var in _ENV.findall(template) if var not in self._env]
            if missing:
                raise ChatConfigError(
                    f"[chat] headers_from_env {name}: environment variable {', '.join(missing)} is not set"
                )
            headers[name] = _ENV.sub(lambda m: self._env[m.group(1)], template)
        return headers

    @property
    def streamed(self) -> bool:
        answer = self.chat.answer
        return answer.kind == "sse" or (answer.kind == "openai" and answer.stream)

    def body(self, message: str, conversation: Conversation) -> Any:
        if self.chat.answer.kind == "openai":
            messages = [{"role": t.role, "content": t.content} for t in conversation.turns]
            body: dict[str, Any] = {
                "model": self.chat.model or "default",
                "messages": [*messages, {"role": "user", "content": message}],
                "stream": self.chat.answer.stream,
            }
            if self.chat.answer.stream:
                body["stream_options"] = {"include_usage": True}
            return body
        return fill_request(self.chat.request, message, conversation.turns, conversation.session)

    def headers(self) -> dict[str, str]:
        accept = "text/event-stream" if self.streamed else "application/json"
        return {"Accept": accept, **self.route.headers, **self._secret_headers, **self._session_headers}

    def estimate(self, calls: int, input_chars: int, output_tokens_per_call: int = 200) -> Estimate:
        """Calls, tokens and cost of a planned run, and whether it fits the budget (before sending)."""
        return estimate_run(self.chat, calls, input_chars, output_tokens_per_call)

    def cost(self, answer: ChatAnswer) -> float:
        if answer.usage is None:
            return 0.0
        return (
            answer.usage.prompt_tokens * self.chat.input_cost_per_mtok
            + answer.usage.completion_tokens * self.chat.output_cost_per_mtok
        ) / 1e6

    # --- login --------------------------------------------------------------------------------------

    async def login(self) -> None:
        """Log in once (the first chat waits for it); a failed login is a ``ChatConfigError``."""
        async with self._login_lock:
            if self._logged_in or self.chat.login is None:
                return
            login = self.chat.login
            route = next((r for r in self.config.routes if r.name == login.route), None)
            if route is None:
                raise ChatConfigError(f"[chat.login] route {login.route!r} is not a configured route")
            body = route.body
            response = await self.http.fetch(
                self.config.route_url(route),
                method=route.method,
                headers={**route.headers, **self._secret_headers},
                json=body if isinstance(body, dict) else None,
                body=body if isinstance(body, str) else None,
            )
            if not 200 <= response.status < 300:
                raise ChatConfigError(f"[chat.login] {route.path} answered HTTP {response.status}")
            cookies = [c.split(";", 1)[0].strip() for c in response.header_all("set-cookie")]
            if cookies:
                self._session_headers["Cookie"] = "; ".join(c for c in cookies if "=" in c)
            if login.token_path:
                try:
                    token = node_at(json.loads(response.body), login.token_path)
                except ValueError:
                    token = None
                if not isinstance(token, str) or not token:
                    raise ChatConfigError(
                        f"[chat.login] no token at {login.token_path!r} in the login answer"
                    )
                self._session_headers[login.token_header] = login.token_prefix + token
            self._logged_in = True

    # --- calls --------------------------------------------------------------------------------------

    async def dry_call(self) -> ChatAnswer:
        """One ordinary chat: a config that cannot give a non-empty 2xx answer is a ``ChatConfigError``."""
        answer = await self.send("Hello! Please answer in one short sentence.")
        if not answer.ok or answer.blank:
            raise ChatConfigError(
                f"the dry call to {self.url} did not give an answer ({answer.summary()}"
                f"{': ' + answer.excerpt[:200] if answer.excerpt else ''}); check [chat] request and "
                "[chat.answer]",
                answer,
            )
        return answer

    async def send(
        self,
        message: str,
        conversation: Conversation | None = None,
        *,
        raw_body: bytes | None = None,
        timeout_s: float | None = None,
        remember: bool = True,
    ) -> ChatAnswer:
        """One chat turn within the budget; a 429 is waited out (``MAX_RATE_LIMIT_WAIT_S``, ``MAX_RETRY_AFTER_S``)."""
        await self.login()
        conversation = conversation or Conversation()
        body = None if raw_body is not None else self.body(message, conversation)
        waited = 0.0
        while True:
            waited += await self._respect_rate_limit()
            async with self.budget.slots:
                self.budget.take()
                answer = await self._call(body, raw_body, timeout_s or self.timeout_s)
            wait = _retry_after(answer)
            if answer.status != 429 or wait is None or wait > MAX_RETRY_AFTER_S:
                break
            if waited + wait > MAX_RATE_LIMIT_WAIT_S or wait >= self.budget.remaining_s:
                break
            self._quiet_until = max(self._quiet_until, time.monotonic() + wait)
        if remember and raw_body is None:
            conversation.turns += [Turn("user", message), Turn("assistant", answer.text)]
        return answer

    async def _respect_rate_limit(self) -> float:
        """Wait while a 429 told every caller to; returns the seconds waited."""
        delay = min(self._quiet_until - time.monotonic(), MAX_RETRY_AFTER_S)
        if delay <= 0:
            return 0.0
        await asyncio.sleep(delay)
        return delay

    async def _call(self, body: Any, raw_body: bytes | None, timeout_s: float) -> ChatAnswer:
        data = raw_body if raw_body is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = self.headers()
        record = RequestRecord(
            method=self.route.method,
            url=self.url,
            body_excerpt=data[:600].decode("utf-8", "replace"),
            body_chars=len(data),
            header_names=tuple(sorted(headers)),
        )
        headers["Content-Type"] = "application/json"
        reading = _Reading(record, self.reader, self.chat.answer.done_marker, self.chat.max_answer_bytes)
        session = self.http.session
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self.chat.connect_timeout_s, sock_connect=self.chat.connect_timeout_s
        )
        try:
            async with asyncio.timeout(timeout_s):
                async with asyncio.timeout(self.chat.first_byte_timeout_s):
                    request = session.request(
                        self.route.method, self.url, data=data, headers=headers, timeout=timeout
                    )
                    resp = await request.__aenter__()
                try:
                    return await reading.read(resp)
                finally:
                    await request.__aexit__(None, None, None)
        except TimeoutError as exc:
            if isinstance(exc, aiohttp.ClientError):  # a connect timeout: never reached
                raise translate_error(exc, f"{self.route.method} {self.url}") from exc
            if reading.status is None:
                return reading.result(AnswerEnd.NO_FIRST_BYTE)
            return reading.result(AnswerEnd.TIMEOUT)
        except NetError:
            raise
        except Exception as exc:
            cut = isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError)
            if cut and reading.status is not None:
                return reading.result(AnswerEnd.CLOSED)
            raise translate_error(exc, f"{self.route.method} {self.url}") from exc


def _retry_after(answer: ChatAnswer) -> float | None:
    value = answer.retry_after
    return float(value) if value and value.strip().isdigit() else None


class _Reading:
    def __init__(self, record: RequestRecord, reader: AnswerReader, done_marker: str, cap: int) -> None:
        self.record = record
        self.reader = reader
        self.done_marker = done_marker
        self.cap = cap
        self.started = time.perf_counter()
        self.state = AnswerState()
        self.status: int | None = None
        self.ttfb_s: float | None = None
        self.ttft_s: float | None = None
        self.bytes_read = 0
        self.content_type = ""
        self.retry_after: str | None = None

    def result(self, end: AnswerEnd) -> ChatAnswer:
        state = self.state
        return ChatAnswer(
            request=self.record,
            status=self.status,
            end=end,
            text="".join(state.parts),
            elapsed_s=time.perf_counter() - self.started,
            ttfb_s=self.ttfb_s,
            ttft_s=self.ttft_s,
            tool_calls=state.tool_calls,
            finish_reason=state.finish_reason,
            usage=state.usage,
            error=state.error,
            excerpt=state.excerpt,
            bytes_read=self.bytes_read,
            content_type=self.content_type,
            retry_after=self.retry_after,
        )

    def _token(self, before: int) -> None:
        if self.ttft_s is None and len(self.state.parts) > before:
            self.ttft_s = time.perf_counter() - self.started

    async def read(self, resp: aiohttp.ClientResponse) -> ChatAnswer:
        self.status = resp.status
        self.ttfb_s = time.perf_counter() - self.started
        self.content_type = resp.headers.get("content-type", "")
        self.retry_after = resp.headers.get("retry-after")
        if "text/event-stream" in self.content_type and 200 <= resp.status < 300:
            return await self._events(resp)
        raw = await resp.content.read(self.cap + 1)
        self.bytes_read = len(raw)
        self.state.keep(raw.decode("utf-8", "replace"))
        if len(raw) > self.cap:
            return self.result(AnswerEnd.TOO_LARGE)
        if not 200 <= resp.status < 300:
            return self.result(AnswerEnd.HTTP_ERROR)
        try:
            data = json.loads(raw)
        except ValueError:
            if raw.strip():
                self.state.parts.append(raw.decode("utf-8", "replace"))  # a plain-text answer is an answer
            self._token(0)
            return self.result(AnswerEnd.DONE)
        self.reader.take_body(self.state, data)
        self._token(0)
        return self.result(AnswerEnd.ERROR_EVENT if self.state.error else AnswerEnd.DONE)

    async def _events(self, resp: aiohttp.ClientResponse) -> ChatAnswer:
        parser = SseParser()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        async for chunk in resp.content.iter_any():
            self.bytes_read += len(chunk)
            if self.bytes_read > self.cap:
                return self.result(AnswerEnd.TOO_LARGE)
            text = decoder.decode(chunk)
            self.state.keep(text)
            events = parser.feed(text)
            end = self._take(events)
            if end is not None:
                return self.result(end)
        end = self._take(parser.close())
        return self.result(end or AnswerEnd.CLOSED)

    def _take(self, events: list[tuple[str, str]]) -> AnswerEnd | None:
        for event, data in events:
            if data.strip() == self.done_marker:
                return AnswerEnd.DONE
            try:
                payload: Any = json.loads(data)
            except ValueError:
                payload = data
            before = len(self.state.parts)
            if self.reader.take_event(self.state, event, payload):
                return AnswerEnd.ERROR_EVENT
            self._token(before)
        return None
