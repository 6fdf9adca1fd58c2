"""Ignore file keyed by fingerprint with a reason; baseline from an earlier JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launchready.secrets.suppress import SuppressionError, load_baseline, load_ignore_file, load_suppressions


def test_ignore_entries_need_a_fingerprint_and_a_reason(tmp_path: Path) -> None:
    good = tmp_path / "ok.toml"
    good.write_text('[[ignore]]\nfingerprint = "fp:0123456789abcdef"\nreason = "test fixture"\n')
    assert load_ignore_file(good) == {"fp:0123456789abcdef": "test fixture"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[[ignore]]\nfingerprint = "fp:0123456789abcdef"\n')
    with pytest.raises(SuppressionError, match="needs a reason"):
        load_ignore_file(bad)
    assert load_ignore_file(tmp_path / "missing.toml") == {}


def test_baseline_collects_every_fingerprint(tmp_path: Path) -> None:
    report = tmp_path / "old.json"
    report.write_text(json.dumps({"findings": [{"details": {"fingerprint": "fp:aaaaaaaaaaaaaaaa"}}]}))
    assert load_baseline(report) == {"fp:aaaaaaaaaaaaaaaa"}
    supp = load_suppressions(None, report)
    assert supp.suppresses("fp:aaaaaaaaaaaaaaaa") and not supp.suppresses("fp:bbbbbbbbbbbbbbbb")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(SuppressionError):
        load_baseline(tmp_path / "broken.json")


def test_old_unkeyed_ignore_entries_and_baselines_still_match(tmp_path: Path) -> None:
    """Migration: an ignore file or baseline written before fingerprints were keyed keeps working."""
    from launchready.secrets.redaction import RedactedSecret, legacy_fingerprint

    value = "gsk_" + "Ab3" * 17 + "x"
    secret = RedactedSecret.of(value, "Groq", key=b"repo key", prefix="gsk_")
    old = tmp_path / "old.toml"
    old.write_text(f'[[ignore]]\nfingerprint = "{legacy_fingerprint(value)}"\nreason = "fixture"\n')
    assert load_suppressions(old).suppresses_secret(secret)
    new = tmp_path / "new.toml"
    new.write_text(f'[[ignore]]\nfingerprint = "{secret.fingerprint}"\nreason = "fixture"\n')
    assert secret.fingerprint.startswith("fp2:") and load_suppressions(new).suppresses_secret(secret)
    report = tmp_path / "baseline.json"
    report.write_text(json.dumps({"findings": [{"details": {"fingerprint": legacy_fingerprint(value)}}]}))
    assert load_suppressions(None, report).suppresses_secret(secret)
    other = RedactedSecret.of(value + "y", "Groq", key=b"repo key", prefix="gsk_")
    assert not load_suppressions(old).suppresses_secret(other)
