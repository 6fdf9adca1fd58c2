"""A redacted secret shows the provider's prefix and the last four, and a *keyed* fingerprint — never more."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from launchready.secrets import redaction
from launchready.secrets.redaction import RedactedSecret, fingerprint, fingerprint_key, mask

KEY = b"k" * 32


@given(
    st.sampled_from(["", "sk-proj-", "hf_", "AKIA"]),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=300),
)
def test_redacted_forms_never_show_more_than_prefix_plus_four(prefix: str, rest: str) -> None:
    value = prefix + rest
    redacted = RedactedSecret.of(value, "Test", key=KEY, prefix=prefix)
    dumped = redacted.model_dump()
    assert set(dumped) == {"provider", "prefix", "last4", "fingerprint", "length"}  # no legacy hash
    assert redacted.prefix == prefix and redacted.last4 in ("", value[-4:])
    assert len(redacted.last4) <= 4
    if len(rest) < 16:
        assert redacted.last4 == "", "short values show the prefix only"
    assert redacted.masked == mask(value, prefix) == f"{prefix}…{redacted.last4}"
    assert redacted.display == f"Test {prefix}…{redacted.last4} ({redacted.fingerprint})"
    if len(rest) >= 8:
        assert rest not in redacted.display + redacted.model_dump_json()


def test_display_is_prefix_and_last_four() -> None:
    value = "sk-proj-" + "A" * 60 + "wxyz"
    shown = RedactedSecret.of(value, "OpenAI", key=KEY, prefix="sk-proj-").display
    assert shown.startswith("OpenAI sk-proj-…wxyz (fp2:")
    assert mask("short") == "…" and mask("hf_" + "a" * 10, "hf_") == "hf_…"


def test_fingerprint_is_keyed_not_a_bare_hash() -> None:
    value = "hf_" + "Q" * 34
    bare = hashlib.sha256(value.encode()).hexdigest()
    keyed = fingerprint(value, KEY)
    assert keyed.startswith("fp2:") and bare[:16] not in keyed
    assert keyed != fingerprint(value, b"another key")
    assert keyed == fingerprint(value.encode(), KEY)
    assert RedactedSecret.of(value, "HF", key=KEY).legacy_fingerprint == "fp:" + bare[:16]


def _git(repo: Path, *args: str) -> None:
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *ident, *args], check=True, capture_output=True)


def test_key_comes_from_env_key_file_origin_then_root_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(redaction.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    repo.mkdir()
    plain_key, plain_source = fingerprint_key(repo)
    assert "machine" in plain_source and fingerprint_key(repo)[0] == plain_key  # stable on this machine
    _git(repo, "init", "-q")
    for n in range(2):
        (repo / "a.txt").write_text(f"{n}\n")
        _git(repo, "add", "a.txt")
        _git(repo, "commit", "-qm", f"c{n}")
    root_key, source = fingerprint_key(repo)
    assert source == "the repository's root commit" and root_key != plain_key
    full = tmp_path / "laptop"
    shallow = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", str(repo), str(full)], check=True, capture_output=True)
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    laptop_key, laptop_source = fingerprint_key(full)
    assert laptop_source == "the repository's origin remote"
    assert fingerprint_key(shallow)[0] == laptop_key, (
        "a shallow CI checkout computes the laptop's fingerprints"
    )
    (repo / ".launchready").mkdir()
    (repo / ".launchready/fingerprint.key").write_text("team key\n")
    assert fingerprint_key(repo)[1] == ".launchready/fingerprint.key"
    monkeypatch.setenv(redaction.KEY_ENV, "ci secret")
    assert fingerprint_key(repo)[1] == "$" + redaction.KEY_ENV


def test_remote_urls_normalise_to_host_and_path() -> None:
    same = {
        "git@github.com:Acme/App.git",
        "https://github.com/acme/app",
        "ssh://git@github.com:22/acme/app.git",
        "https://x-access-token:secret@github.com/Acme/App.git/",
    }
    assert {redaction.normalize_remote(url) for url in same} == {"github.com/acme/app"}
    assert "secret" not in redaction.normalize_remote("https://user:secret@gitlab.com/g/p.git")
