"""Run one deploy or rollback command under its own deadline, and keep its output with secrets redacted.

A command is a shell line from the config (``./scripts/deploy.sh``, ``flyctl deploy``), started in its own
process group so that at the deadline the whole tree (the shell, the CLI it started, that CLI's children) is
terminated, then killed if it lingers. Only the tail of the output is kept, and only after the secrets
engine has replaced every key in it by its redacted form: deploy tools print tokens more often than they
should, and this output lands in a history file and a report.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

OUTPUT_TAIL_CHARS = 2000
KILL_GRACE_S = 2.0


@dataclass(frozen=True)
class CommandResult:
    returncode: int | None
    """None when the command was killed at its deadline."""
    duration_s: float
    output: str
    """The redacted tail of stdout and stderr, interleaved."""

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def redact(text: str) -> str:
    from launchready.secrets.logging_filter import RedactingFilter

    return RedactingFilter().redact(text)


def _kill(process: asyncio.subprocess.Process, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone: nothing left to stop
        os.killpg(process.pid, sig)


async def run_command(
    command: str, cwd: Path, deadline_s: float, env: dict[str, str] | None = None
) -> CommandResult:
    started = time.monotonic()
    process = await asyncio.create_subprocess_shell(
        command, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL, start_new_session=True, env={**os.environ, **(env or {})},
    )  # fmt: skip
    chunks: list[bytes] = []

    async def drain() -> None:
        assert process.stdout is not None
        while chunk := await process.stdout.read(65536):
            chunks.append(chunk)
            while sum(len(c) for c in chunks) > 4 * OUTPUT_TAIL_CHARS and len(chunks) > 1:
                chunks.pop(0)

    reader = asyncio.ensure_future(drain())
    returncode: int | None
    try:
        returncode = await asyncio.wait_for(process.wait(), timeout=deadline_s)
    except TimeoutError:
        returncode = None
        _kill(process, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=KILL_GRACE_S)
        except TimeoutError:
            _kill(process, signal.SIGKILL)
            await process.wait()
    try:
        await asyncio.wait_for(reader, timeout=KILL_GRACE_S)
    except TimeoutError:
        reader.cancel()  # a grandchild still holds the pipe open: keep what was read
    text = b"".join(chunks).decode("utf-8", "replace")[-OUTPUT_TAIL_CHARS:]
    return CommandResult(returncode, time.monotonic() - started, await asyncio.to_thread(redact, text))
