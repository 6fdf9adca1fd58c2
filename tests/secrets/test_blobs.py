"""Bounded memory: windows with overlap, binaries skipped by content."""

from __future__ import annotations

import io

import pytest

from launchready.secrets import blobs
from launchready.secrets.matcher import Matcher
from launchready.secrets.rules import fake_value

MATCHER = Matcher()


def test_secret_across_a_window_boundary_is_found_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blobs, "WINDOW", 4096)
    monkeypatch.setattr(blobs, "OVERLAP", 1024)
    key = fake_value("secrets.stripe.secret-key", seed="window")
    filler = b"x = 1\n" * 680  # 4080 bytes: the key straddles the first window's end
    data = filler + f"STRIPE = '{key}'\n".encode() + b"y = 2\n" * 2000
    found = blobs.scan_stream(MATCHER, io.BytesIO(data).read, len(data))
    assert [m.rule.rule_id for m in found] == ["secrets.stripe.secret-key"]
    assert found[0].line == 681
    assert found[0].start == len(filler) + len("STRIPE = '")


def test_binary_content_is_skipped() -> None:
    key = fake_value("secrets.github.token", seed="bin").encode()
    data = b"\x89PNG\r\n\x1a\n\0\0" + key
    assert blobs.scan_stream(MATCHER, io.BytesIO(data).read, len(data)) == []
    text = b"token=" + key
    assert len(blobs.scan_stream(MATCHER, io.BytesIO(text).read, len(text))) == 1
