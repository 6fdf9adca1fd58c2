"""Read one chat answer — a Server-Sent Events stream or a JSON body — bounded in time and bytes.

Hand-written because the run's HTTP seam is aiohttp and no maintained SSE client fits it (``httpx-sse`` is
httpx-only; ``aiohttp-sse-client`` is unmaintained). The parser follows the WHATWG HTML "event stream
interpretation" (§9.2.6): lines end in LF, CR or CRLF; ``data:`` lines of one event are joined with LF;
a blank line dispatches the event; lines starting with ``:`` are comments (keep-alives).

The reader never raises for what the server *did* (a stall, an error event, a cut stream): those are
observations the performance probes judge, returned in ``ChatStream``. Only a failure to get an answer at
all (DNS, connect, TLS) raises, as ``NetError``.
"""

from __future__ import annotations

import asyncio
import codecs
import enum
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from launchready.net.errors import NetError
from launchready.net.http import translate_error


class StreamEnd(enum.StrEnum):
    DONE = "done"
    """The done marker arrived (or the JSON body was read)."""
    CLOSED = "closed"
    """The server closed the stream without the done marker."""
    ERROR_EVENT = "error-event"
    """The server sent an ``event: error`` (or a data object with an ``error`` key) and stopped."""
    BUDGET = "budget"
    """Still open when the time budget ran out: the reader hung up."""
    TOO_LARGE = "too-large"
    """More bytes than the cap: the reader hung up."""
    NOT_STREAMED = "not-streamed"
    """The response was not a 2xx answer (its body excerpt is kept)."""


@dataclass(frozen=True)
class ChatStream:
    status: int | None
    """None when no response headers arrived within the budget."""
    headers: tuple[tuple[str, str], ...]
    end: StreamEnd
    elapsed_s: float
    answer: str = ""
    first_byte_s: float | None = None
    first_token_s: float | None = None
    """Time to the first non-empty answer fragment, not to the first byte (keep-alives don't count)."""
    events: int = 0
    error: str | None = None
    excerpt: str = field(default="", repr=False)

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


def answer_at(data: Any, path: str) -> str | None:
    """Follow a dotted path (``delta``, ``choices.0.delta.content``) through JSON; None where it stops."""
    node = data
    for part in path.split(".") if path else ():
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node if isinstance(node, str) else None


class SseParser:
    """Incremental WHATWG event-stream parser: feed bytes, get (event type, data) pairs."""

    def __init__(self) -> None:
        self._buffer = ""
        self._data: list[str] = []
        self._event = ""

    def feed(self, chunk: str) -> list[tuple[str, str]]:
        text = self._buffer + chunk
        held = ""
        if text.endswith("\r"):  # maybe the first half of a CRLF split across chunks: decide on the next one
            text, held = text[:-1], "\r"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._buffer = lines.pop() + held
        return self._lines(lines)

    def close(self) -> list[tuple[str, str]]:
        """At the end of the stream a held CR is a line end after all."""
        if not self._buffer.endswith("\r"):
            return []
        partial, self._buffer = self._buffer[:-1], ""
        return self._lines([partial])

    def _lines(self, lines: list[str]) -> list[tuple[str, str]]:
        events: list[tuple[str, str]] = []
        for line in lines:
            if not line:
                if self._data:
                    events.append((self._event or "message", "\n".join(self._data)))
                self._data, self._event = [], ""
            elif line.startswith(":"):
                continue
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    self._data.append(value)
                elif name == "event":
                    self._event = value
        return events


async def read_chat(
    session: aiohttp.ClientSession,
    url: str,
    *,
    body: Any,
    headers: Mapping[str, str] | None = None,
    method: str = "POST",
    answer_path: str = "delta",
    done_marker: str = "[DONE]",
    budget_s: float = 30.0,
    max_bytes: int = 1024 * 1024,
) -> ChatStream:
    """Send one chat request and read its answer until done, closed, an error, the budget or the cap."""
    started = time.perf_counter()
    state = _Reading(answer_path, done_marker, started)
    try:
        async with asyncio.timeout(budget_s):
            # the budget, not the session's read timeout, decides how long a silent stream may stay open
            timeout = aiohttp.ClientTimeout(
                total=None, connect=session.timeout.connect, sock_connect=session.timeout.sock_connect
            )
            async with session.request(
                method, url, json=body, headers=dict(headers or {}), timeout=timeout
            ) as resp:
                state.status = resp.status
                state.headers = tuple(resp.headers.items())
                state.first_byte_s = time.perf_counter() - started
                if not 200 <= resp.status < 300:
                    state.excerpt = (await resp.content.read(2048)).decode("utf-8", "replace")
                    return state.result(StreamEnd.NOT_STREAMED)
                if "text/event-stream" not in resp.headers.get("content-type", ""):
                    raw = await resp.content.read(max_bytes + 1)
                    return state.from_json(raw, max_bytes)
                return await state.read_events(resp, max_bytes)
    except TimeoutError as exc:
        if isinstance(exc, aiohttp.ClientError):  # a connect timeout: the server was never reached
            raise translate_error(exc, f"{method} {url}") from exc
        return state.result(StreamEnd.BUDGET)
    except NetError:
        raise
    except Exception as exc:
        cut_mid_stream = isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError)
        if cut_mid_stream and state.status is not None:
            return state.result(StreamEnd.CLOSED)
        raise translate_error(exc, f"{method} {url}") from exc


class _Reading:
    """Mutable state of one read, frozen into a ``ChatStream`` at the end."""

    def __init__(self, answer_path: str, done_marker: str, started: float) -> None:
        self.answer_path = answer_path
        self.done_marker = done_marker
        self.started = started
        self.status: int | None = None
        self.headers: tuple[tuple[str, str], ...] = ()
        self.first_byte_s: float | None = None
        self.first_token_s: float | None = None
        self.parts: list[str] = []
        self.events = 0
        self.error: str | None = None
        self.excerpt = ""

    def result(self, end: StreamEnd) -> ChatStream:
        return ChatStream(
            status=self.status,
            headers=self.headers,
            end=end,
            elapsed_s=time.perf_counter() - self.started,
            answer="".join(self.parts),
            first_byte_s=self.first_byte_s,
            first_token_s=self.first_token_s,
            events=self.events,
            error=self.error,
            excerpt=self.excerpt,
        )

    def from_json(self, raw: bytes, max_bytes: int) -> ChatStream:
        if len(raw) > max_bytes:
            return self.result(StreamEnd.TOO_LARGE)
        self.excerpt = raw[:2048].decode("utf-8", "replace")
        try:
            data = json.loads(raw)
        except ValueError:
            return self.result(StreamEnd.CLOSED)
        text = answer_at(data, self.answer_path) or answer_at(data, "answer")
        if text:
            self.parts.append(text)
            self.first_token_s = time.perf_counter() - self.started
        return self.result(StreamEnd.DONE)

    async def read_events(self, resp: aiohttp.ClientResponse, max_bytes: int) -> ChatStream:
        parser = SseParser()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        size = 0
        async for chunk in resp.content.iter_any():
            size += len(chunk)
            if size > max_bytes:
                return self.result(StreamEnd.TOO_LARGE)
            for event, data in parser.feed(decoder.decode(chunk)):
                self.events += 1
                end = self._take(event, data)
                if end is not None:
                    return self.result(end)
        for event, data in parser.close():
            self.events += 1
            end = self._take(event, data)
            if end is not None:
                return self.result(end)
        return self.result(StreamEnd.CLOSED)

    def _take(self, event: str, data: str) -> StreamEnd | None:
        if data.strip() == self.done_marker:
            return StreamEnd.DONE
        try:
            payload = json.loads(data)
        except ValueError:
            payload = data
        if event == "error" or (isinstance(payload, dict) and "error" in payload):
            self.error = data[:300]
            return StreamEnd.ERROR_EVENT
        text = answer_at(payload, self.answer_path)
        if text:
            if self.first_token_s is None:
                self.first_token_s = time.perf_counter() - self.started
            self.parts.append(text)
        return None
