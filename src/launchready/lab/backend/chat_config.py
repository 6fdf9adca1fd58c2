"""The lab's chat as a user would configure it, for a backend started on its own (tests, benchmarks).

``launchready lab up`` writes the whole product's config; the chat client, red-team and eval tests and
``benchmarks/bench_redteam.py`` start only the backend (``BackendServer``) and need just the chat part:
the product's own API (SSE or JSON) or the OpenAI-compatible route, with the lab's canary, system prompt
and failure hooks in ``[redteam]``.
"""

from __future__ import annotations

from typing import Any

from launchready.config.model import LaunchConfig
from launchready.lab.backend.fake_llm import MODEL_ERROR_MARKER, MODEL_TIMEOUT_MARKER, SILENT_MARKER
from launchready.lab.backend.persona import LAB_CANARY, SYSTEM_PROMPT_PUBLIC

API_HOST = "api.chatbot.test"
REDTEAM_HOOKS: dict[str, Any] = {
    "canary": LAB_CANARY,
    "system_prompt": SYSTEM_PROMPT_PUBLIC,
    "model_error_prompt": f"{MODEL_ERROR_MARKER} hello",
    "model_timeout_prompt": f"{MODEL_TIMEOUT_MARKER} hello",
    "silent_prompt": f"{SILENT_MARKER} hello",
}


def lab_chat_config(
    port: int,
    *,
    kind: str = "sse",
    stream: bool = True,
    chat: dict[str, Any] | None = None,
    redteam: dict[str, Any] | None = None,
    path: str | None = None,
    chat_timeout_s: float = 4.0,
) -> LaunchConfig:
    """A config whose chat route is the lab backend on ``https://api.chatbot.test:<port>``."""
    openai = kind == "openai"
    answer: dict[str, Any] = {"kind": kind, "stream": stream}
    if not openai:
        answer.update(
            path="delta" if kind == "sse" else "answer",
            tool_call_path="tool_call" if kind == "sse" else "tool_calls",
        )
    return LaunchConfig.model_validate(
        {
            "product": {"name": "Chatbot", "domain": "chatbot.test"},
            "routes": [
                {
                    "name": "login",
                    "role": "login",
                    "host": "api",
                    "method": "POST",
                    "path": "/auth/login",
                    "body": {"email": "demo@chatbot.test", "password": "demo-password"},
                },
                {
                    "name": "chat",
                    "role": "chat",
                    "host": "api",
                    "method": "POST",
                    "path": path or ("/v1/chat/completions" if openai else "/v1/chat"),
                },
            ],
            "network": {"https_port": port},
            "targets": {"chat_timeout_s": chat_timeout_s},
            "chat": {
                "route": "chat",
                "answer": answer,
                "model": "lab-chat-1" if openai else "",
                **(chat or {}),
            },
            "redteam": {**REDTEAM_HOOKS, "long_input_chars": [10_000, 100_000], **(redteam or {})},
        }
    )
