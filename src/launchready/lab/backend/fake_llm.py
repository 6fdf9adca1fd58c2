"""A deterministic stand-in for an upstream LLM API, so the lab's chat behaves like a real one offline.

It has the two phases of a streaming LLM call: ``open`` (the provider accepts the request, or fails fast
with a transient error or a context-length error) and iterating the returned ``TokenStream`` (a first-token
wait, then tokens at a steady pace). Prompt markers let the performance probes drive it on the lab:

- ``[[stall]]``: the model accepts the request and then produces nothing for ``stall_s`` (default 120 s).
- ``[[model-error]]``: the provider refuses the call with an error body (``ProviderError``); a blank prompt
  is refused the same way, as real providers do.
- ``[[model-timeout]]``: the provider call times out (``ProviderTimeout``).
- ``[[silent]]``: the model accepts the request and streams nothing at all.
- ``[[flaky]]``: the first attempt of a request fails with ``UpstreamUnavailable`` (a provider 503);
  the next attempt succeeds, so a backend that retries answers. The app acknowledges the fault with an
  ``X-Fault-Injected`` response header (``fault_headers``): an answer alone would not prove a fault happened.

Every wait is an ``await`` unless ``blocking=True``, which imitates calling a synchronous SDK from
``async def``: reading the prompt, the wait for the first token and each token then freeze the event loop
— the flawed lab's isolation risk (slow chats starve health and login). A stall always awaits, even
then: a real sync SDK would freeze the server for the whole stall, and the lab must stay usable and
cancellable.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from launchready.lab.backend.persona import reply

STALL_MARKER = "[[stall]]"
FLAKY_MARKER = "[[flaky]]"
MODEL_ERROR_MARKER = "[[model-error]]"
MODEL_TIMEOUT_MARKER = "[[model-timeout]]"
SILENT_MARKER = "[[silent]]"
FAULT_HEADER = "X-Fault-Injected"


def fault_headers(prompt: str) -> dict[str, str]:
    """The fault hook's acknowledgement: ``[[flaky]]`` always fails the first upstream attempt."""
    return {FAULT_HEADER: "upstream-503; attempt=1"} if FLAKY_MARKER in prompt else {}


_WORDS = (
    "Sure", "here", "is", "a", "short", "answer", "from", "the", "lab", "assistant", "about", "your",
    "question", "with", "a", "few", "more", "words", "to", "stream", "back", "one", "by", "one",
)  # fmt: skip


@dataclass(frozen=True)
class FakeLlmSettings:
    first_token_s: float = 0.1
    """Wait before the first token (the provider's queue and prompt processing)."""
    inter_token_s: float = 0.05
    tokens: int = 12
    failure_rate: float = 0.0
    """Share of calls that fail transiently, drawn from a seeded generator (0 keeps the lab deterministic)."""
    seed: int = 0
    stall_s: float = 120.0
    context_chars: int = 32_000
    """Longest prompt the model accepts; longer ones fail with ``ContextTooLong`` after being read."""
    read_s_per_char: float = 10e-6
    """Time the provider spends reading the prompt before it can refuse it (100,000 chars ≈ 1 s)."""
    prompt_version: int = 1
    """The product's system prompt version: 2 is the lab's prompt change (``persona.PROMPT_VERSIONS``)."""


class UpstreamError(Exception):
    """The upstream LLM call failed."""


class UpstreamUnavailable(UpstreamError):
    """A transient failure (HTTP 503 from the provider): retrying is the right answer."""


class ContextTooLong(UpstreamError):
    """The prompt is longer than the model's context: a permanent failure."""


class ProviderError(UpstreamError):
    """The provider refused the call; ``body`` is its error body, which must never reach a user."""

    def __init__(self, message: str) -> None:
        super().__init__("the model provider refused the request")
        self.body = {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": "messages",
                "code": "model_error",
            }
        }


class ProviderTimeout(UpstreamError):
    """The provider call timed out (the SDK's own timeout fired)."""


class TokenStream:
    """The tokens of one answer; iterate with ``async for``."""

    def __init__(self, llm: FakeLlm, prompt: str) -> None:
        self._llm = llm
        self._prompt = prompt

    def __aiter__(self) -> AsyncIterator[str]:
        return self._tokens()

    async def _tokens(self) -> AsyncIterator[str]:
        settings = self._llm.settings
        self._llm.active_streams += 1
        try:
            if STALL_MARKER in self._prompt:
                await asyncio.sleep(settings.stall_s)  # a stall is the provider's silence: always cancellable
            await self._llm.work(settings.first_token_s)
            if SILENT_MARKER in self._prompt:
                return
            for index, word in enumerate(self._llm.answer_words(self._prompt)):
                if index:
                    await self._llm.work(settings.inter_token_s)
                yield word if index == 0 else " " + word
        finally:
            self._llm.active_streams -= 1


class FakeLlm:
    def __init__(
        self, settings: FakeLlmSettings | None = None, *, blocking: bool = False, guarded: bool = False
    ) -> None:
        self.settings = settings or FakeLlmSettings()
        self.blocking = blocking
        self.guarded = guarded
        """The hardened product's guard around the model (``persona.reply``): no obeying, leaking or tools."""
        self._random = random.Random(self.settings.seed)
        self.active_streams = 0
        """Generations running now: a client that went away must bring this back down."""
        self.faults_injected = 0
        """Transient failures raised on purpose (``[[flaky]]``): what the retry probe's evidence rests on."""

    async def open(self, prompt: str, attempt: int = 0) -> TokenStream:
        """Start a completion; raises ``UpstreamError`` the way a provider's API would."""
        if len(prompt) > self.settings.context_chars:
            await self.work(len(prompt) * self.settings.read_s_per_char)
            raise ContextTooLong(
                f"prompt of {len(prompt)} chars exceeds the {self.settings.context_chars} context"
            )
        if MODEL_ERROR_MARKER in prompt or (not prompt.strip() and not self.guarded):
            raise ProviderError(
                "messages[0].content must be a non-empty string"
                if not prompt.strip()
                else "The model `lab-chat-1` is overloaded. Request id req_7Hq2 (org-lab), key sk-...q7Wm"
            )
        if MODEL_TIMEOUT_MARKER in prompt:
            raise ProviderTimeout("the model provider did not answer within the SDK timeout")
        if FLAKY_MARKER in prompt and attempt == 0:
            self.faults_injected += 1
            raise UpstreamUnavailable("upstream returned 503 (transient)")
        if self.settings.failure_rate and self._random.random() < self.settings.failure_rate:
            raise UpstreamUnavailable("upstream returned 503 (random failure)")
        return TokenStream(self, prompt)

    def answer_words(self, prompt: str) -> list[str]:
        """The same prompt always gets the same answer: the persona's, else words picked by its hash."""
        said = reply(prompt, guarded=self.guarded, version=self.settings.prompt_version).text
        if said is not None:  # the persona's words, in at most ``tokens`` pieces: same pace as any answer
            words = said.split(" ")
            size = -(-len(words) // max(1, self.settings.tokens))
            return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
        offset = hashlib.sha256(prompt.encode("utf-8", "replace")).digest()[0] % len(_WORDS)
        return [_WORDS[(offset + i) % len(_WORDS)] for i in range(self.settings.tokens)]

    def tool_calls(self, prompt: str) -> tuple[tuple[str, str], ...]:
        """The tool calls the model makes for ``prompt`` (none when guarded)."""
        return reply(prompt, guarded=self.guarded).tool_calls

    async def work(self, seconds: float) -> None:
        """Time the SDK call takes (reading the prompt, waiting for a token): blocking in the flawed lab."""
        if seconds <= 0:
            return
        if self.blocking:
            time.sleep(seconds)  # deliberate: a sync SDK call inside async def (the flawed lab)
            await asyncio.sleep(0)
        else:
            await asyncio.sleep(seconds)
