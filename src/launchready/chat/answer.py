"""What one chat call gave back, and how each answer shape is read into it.

Two shapes: the product's own API as configured (``[chat.answer]`` kind ``sse`` or ``json``: the answer
text, tool calls and usage at dotted paths) and the OpenAI-compatible chat completions kind (``choices[0]
.delta.content`` streamed or ``choices[0].message`` whole, ``tool_calls``, ``usage``, ``finish_reason``).
Each reader folds events into one ``AnswerState``; the client freezes it into a ``ChatAnswer``.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from launchready.config.model import ChatAnswerConfig
from launchready.net.sse import answer_at


class AnswerEnd(enum.StrEnum):
    DONE = "done"
    """The done marker arrived, or a whole JSON answer was read."""
    CLOSED = "closed"
    """The stream ended without the done marker."""
    ERROR_EVENT = "error-event"
    """An SSE error event (or an ``error`` object) ended the answer."""
    HTTP_ERROR = "http-error"
    """A non-2xx status: the body excerpt is kept."""
    NO_FIRST_BYTE = "no-first-byte"
    """No response headers within the first-byte timeout."""
    TIMEOUT = "timeout"
    """Headers came, but the answer did not end within the total timeout: a hung stream."""
    TOO_LARGE = "too-large"


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str = ""


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class RequestRecord:
    """What was sent, as a report may show it: header *names* only (auth values never leave the client)."""

    method: str
    url: str
    body_excerpt: str
    body_chars: int
    header_names: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "url": self.url,
            "body": self.body_excerpt,
            "body_chars": self.body_chars,
            "headers": list(self.header_names),
        }


@dataclass(frozen=True)
class ChatAnswer:
    request: RequestRecord
    status: int | None
    end: AnswerEnd
    text: str
    elapsed_s: float
    ttfb_s: float | None = None
    ttft_s: float | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    usage: Usage | None = None
    error: str | None = None
    """The error event's data or the error object, as text."""
    excerpt: str = field(default="", repr=False)
    """The first bytes of the raw body or stream, for judging what the user would see."""
    bytes_read: int = 0
    content_type: str = ""
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.end is AnswerEnd.DONE

    @property
    def blank(self) -> bool:
        return not self.text.strip() and not self.tool_calls

    def summary(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no response"
        return f"{status}, {self.end.value} after {self.elapsed_s:.2f}s, {len(self.text)} chars"


class AnswerState:
    """Mutable state of one read, fed by a reader."""

    EXCERPT = 4096

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.tools: dict[int, list[str]] = {}
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.error: str | None = None
        self.excerpt = ""
        self.first_token: bool = False

    def keep(self, raw: str) -> None:
        if len(self.excerpt) < self.EXCERPT:
            self.excerpt += raw[: self.EXCERPT - len(self.excerpt)]

    def tool(self, index: int, name: str | None, arguments: str | None) -> None:
        entry = self.tools.setdefault(index, ["", ""])
        entry[0] += name or ""
        entry[1] += arguments or ""

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(ToolCall(name, args) for name, args in (self.tools[i] for i in sorted(self.tools)))


def _usage(node: Any) -> Usage | None:
    if not isinstance(node, dict):
        return None
    prompt = node.get("prompt_tokens", node.get("input_tokens", 0))
    completion = node.get("completion_tokens", node.get("output_tokens", 0))
    if isinstance(prompt, int) and isinstance(completion, int):
        return Usage(prompt, completion)
    return None


def node_at(data: Any, path: str) -> Any:
    node = data
    for part in path.split(".") if path else ():
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _error_text(payload: Any) -> str | None:
    if isinstance(payload, dict) and "error" in payload:
        return json.dumps(payload, ensure_ascii=False)[:600]
    return None


class AnswerReader:
    """Folds one event's data (or one whole JSON body) into the state: configured paths or OpenAI's."""

    def __init__(self, answer: ChatAnswerConfig) -> None:
        self.answer = answer
        self.openai = answer.kind == "openai"

    def take_event(self, state: AnswerState, event: str, data: Any) -> bool:
        """Returns True when the event ends the answer (an error)."""
        error = _error_text(data)
        if event == "error" or error is not None:
            state.error = error or (data if isinstance(data, str) else json.dumps(data))[:600]
            return True
        if self.openai:
            self._openai_chunk(state, data)
        else:
            self._configured(state, data, self.answer.path)
        return False

    def take_body(self, state: AnswerState, data: Any) -> None:
        error = _error_text(data)
        if error is not None:
            state.error = error
        if self.openai:
            choice = node_at(data, "choices.0")
            message = node_at(choice, "message")
            if isinstance(node_at(message, "content"), str):
                state.parts.append(node_at(message, "content"))
            self._openai_tools(state, node_at(message, "tool_calls"))
            self._finish(state, choice)
            state.usage = _usage(node_at(data, "usage")) or state.usage
            return
        text = answer_at(data, self.answer.path) or answer_at(data, "answer")
        if text:
            state.parts.append(text)
        self._configured_extras(state, data)

    def _configured(self, state: AnswerState, data: Any, path: str) -> None:
        text = answer_at(data, path)
        if text:
            state.parts.append(text)
        self._configured_extras(state, data)

    def _configured_extras(self, state: AnswerState, data: Any) -> None:
        if self.answer.tool_call_path:
            calls = node_at(data, self.answer.tool_call_path)
            for call in calls if isinstance(calls, list) else [calls] if calls is not None else []:
                name = node_at(call, "name") or node_at(call, "function.name") or str(call)[:80]
                arguments = node_at(call, "arguments") or node_at(call, "function.arguments") or ""
                if not isinstance(arguments, str):
                    arguments = json.dumps(arguments)
                state.tool(len(state.tools), str(name), arguments)
        if self.answer.usage_path:
            state.usage = _usage(node_at(data, self.answer.usage_path)) or state.usage

    def _openai_chunk(self, state: AnswerState, data: Any) -> None:
        choice = node_at(data, "choices.0")
        content = node_at(choice, "delta.content")
        if isinstance(content, str) and content:
            state.parts.append(content)
        self._openai_tools(state, node_at(choice, "delta.tool_calls"))
        self._finish(state, choice)
        state.usage = _usage(node_at(data, "usage")) or state.usage

    @staticmethod
    def _openai_tools(state: AnswerState, calls: Any) -> None:
        for position, call in enumerate(calls if isinstance(calls, list) else []):
            index = node_at(call, "index")
            name = node_at(call, "function.name")
            arguments = node_at(call, "function.arguments")
            state.tool(
                index if isinstance(index, int) else position,
                name if isinstance(name, str) else None,
                arguments if isinstance(arguments, str) else None,
            )

    @staticmethod
    def _finish(state: AnswerState, choice: Any) -> None:
        reason = node_at(choice, "finish_reason")
        if isinstance(reason, str):
            state.finish_reason = reason
