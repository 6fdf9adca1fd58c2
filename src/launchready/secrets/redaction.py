"""Show a secret without showing it: the provider's prefix, the last four characters, a keyed fingerprint.

Redaction is absolute (issue 5, issue 9): the full value never leaves the matcher, so every finding, report,
log line and exception carries a ``RedactedSecret`` instead of the value. One display rule everywhere
(terminal, JSON, SARIF, Markdown, HTML, the logging filter): **the provider's published prefix plus the last
four characters** (``sk-proj-…Qz9A``, ``hf_…wxyz``, ``…k3Lm`` for a password). The prefix is the literal head
of the rule's format (the same for every key of that provider), so it tells nothing about *this* key; the last
four are shown only when the rest of the value is at least 16 characters, so at most a quarter of the random
part is ever visible. The first characters after the prefix are never shown: "prefix + first four" and
"last four" together would be eight.

The fingerprint is ``fp2:`` + 16 hex digits of **HMAC-SHA256(key, value)**, not a bare hash: with a bare
SHA-256 anyone holding a published report (a SARIF upload, a CI artifact, a pasted issue) could confirm a
guessed or leaked candidate key offline. Where the key comes from is ``fingerprint_key`` (below). Reports of
launchready < 0.x carried ``fp:`` + bare SHA-256; those are still *matched* (an ignore file or baseline
keeps working) through ``legacy_fingerprint``, which is kept in memory only and never serialised.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets as _random
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

FINGERPRINT_PREFIX = "fp2:"
LEGACY_PREFIX = "fp:"
_FINGERPRINT_HEX = 16
_SHOWN = 4
_MIN_HIDDEN = 12
"""The last four are shown only when at least this many other characters of the random part stay hidden."""
KEY_ENV = "LAUNCHREADY_FINGERPRINT_KEY"
KEY_FILE = Path(".launchready/fingerprint.key")


def fingerprint(value: str | bytes, key: bytes) -> str:
    """``fp2:`` + 16 hex digits of HMAC-SHA256(key, value): tells secrets apart, confirms nothing offline."""
    raw = value.encode() if isinstance(value, str) else value
    return FINGERPRINT_PREFIX + hmac.new(key, raw, hashlib.sha256).hexdigest()[:_FINGERPRINT_HEX]


def legacy_fingerprint(value: str | bytes) -> str:
    """The unkeyed ``fp:`` form of older reports: only ever compared in memory, never shown or written."""
    raw = value.encode() if isinstance(value, str) else value
    return LEGACY_PREFIX + hashlib.sha256(raw).hexdigest()[:_FINGERPRINT_HEX]


def mask(value: str, prefix: str = "") -> str:
    """``sk-proj-…Qz9A``: the provider prefix and the last four, or the prefix and ``…`` for short values."""
    prefix = prefix if value.startswith(prefix) else ""
    rest = value[len(prefix) :]
    if len(rest) < _MIN_HIDDEN + _SHOWN:
        return f"{prefix}…"
    return f"{prefix}…{rest[-_SHOWN:]}"


class RedactedSecret(BaseModel):
    """Everything launchready ever says about a secret value."""

    model_config = ConfigDict(frozen=True)

    provider: str
    prefix: str
    """The provider's published format prefix (``sk-proj-``, ``hf_``, ``AKIA``), empty for generic values."""
    last4: str
    fingerprint: str
    length: int
    legacy_fingerprint: str = Field(default="", exclude=True, repr=False)
    """The unkeyed ``fp:`` form, to match ignore files and baselines of older versions; never serialised."""

    @classmethod
    def of(cls, value: str, provider: str, *, key: bytes, prefix: str = "") -> RedactedSecret:
        prefix = prefix if value.startswith(prefix) else ""
        shown = mask(value, prefix)
        return cls(
            provider=provider,
            prefix=prefix,
            last4=shown.rpartition("…")[2],
            fingerprint=fingerprint(value, key),
            length=len(value),
            legacy_fingerprint=legacy_fingerprint(value),
        )

    @property
    def masked(self) -> str:
        return f"{self.prefix}…{self.last4}"

    @property
    def display(self) -> str:
        return f"{self.provider} {self.masked} ({self.fingerprint})"


# --- where the fingerprint key lives ------------------------------------------------------------------


def fingerprint_key(root: Path) -> tuple[bytes, str]:
    """The HMAC key for a repository and where it came from (shown in the scan's evidence).

    First found wins:

    1. ``$LAUNCHREADY_FINGERPRINT_KEY``: a CI secret, for teams that want fingerprints nobody outside can
       recompute even with the repository in hand.
    2. ``.launchready/fingerprint.key`` in the repository: create it once with a random value and commit it
       (``python -c "import secrets; print(secrets.token_hex(32))" > .launchready/fingerprint.key``); every
       clone, shallow or not, then computes the same fingerprints, so the committed ignore file and baseline
       keep matching.
    3. The repository's ``origin`` remote, normalised (``github.com/acme/app`` whether cloned over SSH or
       HTTPS, credentials stripped): the same on a laptop and in CI, *including shallow CI checkouts*
       (``actions/checkout`` fetches one commit by default), with nothing to commit.
    4. The repository's root commit id(s), when the history is complete (a repository with no remote).
    5. Otherwise (a plain folder, a shallow clone with no remote): a random key created once in the user's
       cache directory (stable on this machine only; commit a key file to share fingerprints).

    3 and 4 are absent from every report, so a report alone confirms nothing; anyone holding the repository
    can derive them, but they can already read the secret itself. A team that publishes reports of a public
    repository should use 1 or 2 with a key kept out of the repository (a CI secret).
    """
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return _derive(b"env", from_env.encode()), f"${KEY_ENV}"
    key_file = root / KEY_FILE
    if key_file.is_file():
        try:
            content = key_file.read_bytes().strip()
        except OSError:
            content = b""
        if content:
            return _derive(b"file", content), KEY_FILE.as_posix()
    origin = _origin(root)
    if origin:
        return _derive(b"origin", origin.encode()), "the repository's origin remote"
    roots = _root_commits(root)
    if roots:
        return _derive(b"root-commit", " ".join(sorted(roots)).encode()), "the repository's root commit"
    return _derive(b"machine", _machine_key()), "a key local to this machine (commit a key file to share)"


def _derive(kind: bytes, material: bytes) -> bytes:
    return hashlib.sha256(b"launchready-fingerprint-v2\0" + kind + b"\0" + material).digest()


_SHA = re.compile(r"^[0-9a-f]{40,64}$")
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$")


def normalize_remote(url: str) -> str:
    """``git@github.com:Acme/App.git``, ``https://token@github.com/Acme/App`` → ``github.com/acme/app``."""
    url = url.strip()
    if "://" in url:
        rest = url.split("://", 1)[1]
        host_part, _, path = rest.partition("/")
        host = host_part.rpartition("@")[2].split(":")[0]
    else:
        scp = _SCP_LIKE.match(url)
        if scp is None:
            return url.rstrip("/").removesuffix(".git").lower()  # a local path
        host, path = scp.group(1), scp.group(2)
    return f"{host}/{path.strip('/').removesuffix('.git')}".lower()


def _origin(root: Path) -> str:
    from launchready.secrets.gitcli import GitError, run_git

    try:
        url = run_git(root, "config", "--get", "remote.origin.url", timeout_s=10).decode("utf-8", "replace")
    except GitError:
        return ""
    return normalize_remote(url) if url.strip() else ""


def _root_commits(root: Path) -> list[str]:
    from launchready.secrets.gitcli import GitError, run_git

    try:
        if run_git(root, "rev-parse", "--is-shallow-repository", timeout_s=10).strip() != b"false":
            return []
        out = run_git(root, "rev-list", "--max-parents=0", "HEAD", timeout_s=30)
    except GitError:
        return []
    return [line for line in out.decode("ascii", "replace").split() if _SHA.match(line)]


def _machine_key() -> bytes:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "launchready"
    path = cache / "fingerprint.key"
    try:
        if path.is_file():
            existing = path.read_bytes().strip()
            if existing:
                return existing
        cache.mkdir(parents=True, exist_ok=True)
        fresh = _random.token_hex(32).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        return fresh
    except FileExistsError:
        return path.read_bytes().strip()
    except OSError:
        return _PROCESS_KEY


_PROCESS_KEY = _random.token_hex(32).encode()
"""Last resort (no writable cache): fingerprints stable within this process only."""
