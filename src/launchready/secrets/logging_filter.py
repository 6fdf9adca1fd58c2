"""A ``logging.Filter`` for your app: redact tokens and cut prompt bodies before a record is written.

The fix the log findings point to (roadmap: "logs that help debug failures without leaking prompts or
tokens")::

    import logging
    from launchready.secrets.logging_filter import RedactingFilter

    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())          # on the handler: covers every logger that uses it
    logging.basicConfig(handlers=[handler], level=logging.INFO)

Secrets are found with the same rules as ``launchready secrets`` and replaced by the same redacted form as
every report: provider, the provider's prefix and the last four (``[REDACTED OpenAI sk-proj-…Qz9A]``), so two
log lines about the same key can still be correlated. No fingerprint is written: a log line is no place for
anything that could confirm a guessed key.
Prompt and answer fields — in ``extra=``, in a JSON message, or as ``prompt=...`` in text — become
``[prompt: 412 chars]`` (optionally keeping the first ``keep_prompt_chars``). Tracebacks are redacted too.
"""

from __future__ import annotations

import json
import logging
import re
import threading

from launchready.secrets.logs import PROMPT_FIELDS
from launchready.secrets.matcher import Matcher

_PLAIN_PROMPT = re.compile(
    r"(?i)\b(prompt|completion|answer|messages|question|user_message|system_prompt|reply)(\s*[=:]\s*)"
    r"(\"[^\"]*\"|'[^']*'|.+?)(?=\s+[\w.-]+=|$)"
)


class RedactingFilter(logging.Filter):
    def __init__(self, name: str = "", *, keep_prompt_chars: int = 0) -> None:
        super().__init__(name)
        self.keep_prompt_chars = keep_prompt_chars
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()  # a Hyperscan scratch serves one scan at a time

    def redact(self, text: str) -> str:
        """Replace every secret in ``text`` with its redacted display."""
        data = text.encode("utf-8", "surrogateescape")
        with self._lock:
            if self._matcher is None:
                self._matcher = Matcher()
            matches = self._matcher.scan(data)
        for match in sorted(matches, key=lambda m: m.start, reverse=True):
            end = match.start + (match.raw_length or match.secret.length)
            shown = f"[REDACTED {match.secret.provider} {match.secret.masked}]"
            data = data[: match.start] + shown.encode() + data[end:]
        return data.decode("utf-8", "surrogateescape")

    def summarize(self, field: str, value: object) -> str:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        kept = text[: self.keep_prompt_chars]
        return f"[{field}: {len(text)} chars]" if not kept else f"{kept}… [{field}: {len(text)} chars]"

    def _cut_prompts(self, message: str) -> str:
        stripped = message.strip()
        if stripped.startswith("{"):
            try:
                record = json.loads(stripped)
            except ValueError:
                record = None
            if isinstance(record, dict):
                return json.dumps(self._cut_fields(record))
        return _PLAIN_PROMPT.sub(
            lambda m: f"{m.group(1)}{m.group(2)}{self.summarize(m.group(1), m.group(3))}", message
        )

    def _cut_fields(self, record: dict[str, object]) -> dict[str, object]:
        return {
            k: self.summarize(k, v)
            if k.lower() in PROMPT_FIELDS
            else (self._cut_fields(v) if isinstance(v, dict) else v)
            for k, v in record.items()
        }

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(self._cut_prompts(record.getMessage()))
        record.args = None
        for field in PROMPT_FIELDS:
            if field in record.__dict__:
                record.__dict__[field] = self.summarize(field, record.__dict__[field])
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True
