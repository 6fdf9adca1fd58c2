"""Send one scenario step and time it: status or error, and for chat every answer fragment's arrival.

The chat reader is separate from ``launchready.net.sse.read_chat`` because load needs the time of *every*
fragment (inter-token latency, tokens/s), not only the first; it reuses that module's event-stream parser
and answer-path lookup so both read a stream the same way. ``send`` never raises for what the server did:
a status, a timeout or a cut connection is an observation, recorded by kind (``launchready.net`` error
class names, or ``timeout``).
"""

from __future__ import annotations

import asyncio
import codecs
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiohttp

from launchready.load.scenario import Scenario, Step
from launchready.net.errors import NetError
from launchready.net.http import translate_error
from launchready.net.sse import SseParser, answer_at

if TYPE_CHECKING:
    from launchready.load.fastpath import FastPath

CHAT_GRACE_S = 5.0
EMPTY_ANSWER = "empty-answer"
"""The error kind of a chat that answered 2xx with no text at [chat.answer] path: a user saw nothing."""
OVER_CHAT_TIMEOUT = "over-chat-timeout"
"""The error kind of a chat that ended, but only after targets.chat_timeout_s: the user had given up."""
"""How long past targets.chat_timeout_s a chat is read, so an over-time chat is seen ending (or not)."""


@dataclass(slots=True)
class Outcome:
    """What one request observed. Times are ``time.monotonic()`` seconds."""

    sent: float
    ended: float = 0.0
    status: int | None = None
    error: str | None = None
    first_byte: float | None = None
    token_times: list[float] = field(default_factory=list)
    chat_done: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


class Sender:
    """Sends steps over one aiohttp session (launchready's resolver, CA bundle and connection cap)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        scenario: Scenario,
        request_timeout_s: float,
        max_body_bytes: int = 1024 * 1024,
    ) -> None:
        self._session = session
        self._scenario = scenario
        self._timeout = request_timeout_s
        self._chat_budget = scenario.chat_timeout_s + CHAT_GRACE_S
        self._cap = max_body_bytes
        self._headers: dict[tuple[str, bool], dict[str, str]] = {}
        self.token: str | None = None
        self.fast_path: FastPath | None = None
        """Set to send plain (non-chat) requests on the lean HTTP/1.1 client instead of aiohttp."""

    async def login(self, timeout_s: float = 15.0) -> str | None:
        """Log in once with the login route; the token (JSON ``token``/``access_token``) is reused."""
        step = self._scenario.login
        if step is None:
            return None
        try:
            async with asyncio.timeout(timeout_s):
                async with self._session.request(
                    step.method, step.url, headers=dict(step.headers), data=step.body, json=step.json_body
                ) as resp:
                    if resp.status >= 400:
                        return None
                    data = json.loads(await resp.content.read(64 * 1024))
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError):
            return None
        if isinstance(data, dict):
            for key in ("token", "access_token", "jwt"):
                if isinstance(data.get(key), str):
                    self.token = data[key]
                    return self.token
        return None

    def _headers_for(self, step: Step) -> dict[str, str]:
        key = (step.name, step.needs_auth)
        headers = self._headers.get(key)
        if headers is None:
            headers = dict(step.headers)
            if step.needs_auth and self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            self._headers[key] = headers
        return headers

    async def send(self, step: Step) -> Outcome:
        if self.fast_path is not None and not step.is_chat:
            return await self.fast_path.send(step, self.token)
        outcome = Outcome(sent=time.monotonic())
        budget = self._chat_budget if step.is_chat else self._timeout
        try:
            async with asyncio.timeout(budget):
                async with self._session.request(
                    step.method,
                    step.url,
                    headers=self._headers_for(step),
                    data=step.body,
                    json=step.json_body,
                    allow_redirects=False,
                ) as resp:
                    outcome.status = resp.status
                    outcome.first_byte = time.monotonic()
                    if step.is_chat and resp.status < 400:
                        await self._read_chat(resp, outcome)
                        if outcome.error is None and not outcome.token_times:
                            outcome.error = EMPTY_ANSWER  # a 2xx with no answer text is a failed chat
                    else:
                        await self._drain(resp)
        except TimeoutError:
            outcome.error = "timeout"
        except (aiohttp.ClientError, OSError, ValueError, NetError) as exc:
            error = exc if isinstance(exc, NetError) else translate_error(exc, step.name)
            outcome.error = type(error).__name__
        outcome.ended = time.monotonic()
        return outcome

    async def _drain(self, resp: aiohttp.ClientResponse) -> None:
        size = 0
        async for chunk in resp.content.iter_any():
            size += len(chunk)
            if size > self._cap:
                resp.close()  # a huge body is not read to its end: the connection is dropped instead
                return

    async def _read_chat(self, resp: aiohttp.ClientResponse, outcome: Outcome) -> None:
        scenario = self._scenario
        if "text/event-stream" not in resp.headers.get("content-type", ""):
            raw = await resp.content.read(self._cap)
            try:
                data = json.loads(raw)
            except ValueError:
                outcome.error = "bad-json"
                return
            if answer_at(data, scenario.answer_path) or answer_at(data, "answer"):
                outcome.token_times.append(time.monotonic())
            outcome.chat_done = True
            return
        parser = SseParser()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        size = 0
        async for chunk in resp.content.iter_any():
            size += len(chunk)
            if size > self._cap:
                outcome.error = "too-large"
                return
            now = time.monotonic()
            for event, data in parser.feed(decoder.decode(chunk)):
                if data.strip() == scenario.done_marker:
                    outcome.chat_done = True
                    return
                try:
                    payload: object = json.loads(data)
                except ValueError:
                    payload = data
                if event == "error" or (isinstance(payload, dict) and "error" in payload):
                    outcome.error = "error-event"
                    return
                if answer_at(payload, scenario.answer_path):
                    outcome.token_times.append(now)
        outcome.error = "stream-cut"
