"""The logging filter users install: tokens redacted, prompts cut, tracebacks cleaned."""

from __future__ import annotations

import io
import json
import logging

from launchready.secrets.logging_filter import RedactingFilter
from launchready.secrets.rules import fake_value


def _logger(stream: io.StringIO, **kw: int) -> logging.Logger:
    logger = logging.getLogger(f"lr-test-{id(stream)}")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(keep_prompt_chars=kw.get("keep_prompt_chars", 0)))
    handler.setFormatter(logging.Formatter("%(message)s %(prompt)s", defaults={"prompt": ""}))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger


def test_tokens_in_messages_args_and_tracebacks_are_redacted() -> None:
    stream = io.StringIO()
    logger = _logger(stream)
    key = fake_value("secrets.openai.project-key", seed="log")
    bearer = fake_value("secrets.generic.bearer-token", seed="log")
    logger.warning("calling upstream with key %s and Authorization: Bearer %s", key, bearer)
    try:
        raise RuntimeError(f"bad key {key}")
    except RuntimeError:
        logger.exception("failed")
    out = stream.getvalue()
    assert key not in out and bearer not in out
    assert "[REDACTED OpenAI sk-proj-" in out and "RuntimeError" in out


def test_prompts_are_cut_in_text_json_and_extra() -> None:
    stream = io.StringIO()
    logger = _logger(stream)
    prompt = "my name is Jane and my card number is in this long private message " * 3
    logger.info("chat prompt=%s", prompt)
    logger.info(json.dumps({"event": "chat", "messages": [{"role": "user", "content": prompt}]}))
    logger.info("chat", extra={"prompt": prompt})
    out = stream.getvalue()
    assert "Jane" not in out
    assert f"[prompt: {len(prompt)} chars]" in out and "[messages:" in out


def test_log_lines_show_the_provider_prefix_and_last_four_only() -> None:
    stream = io.StringIO()
    logger = _logger(stream)
    key = fake_value("secrets.anthropic.api-key", seed="log-window")
    logger.warning("upstream rejected key=%s", key)
    out = stream.getvalue()
    assert f"[REDACTED Anthropic sk-ant-…{key[-4:]}]" in out
    rest = key[len("sk-ant-") :]
    assert not [rest[i : i + 5] for i in range(len(rest) - 4) if rest[i : i + 5] in out]
    assert "fp2:" not in out and "fp:" not in out, "no fingerprint in logs"
