"""Selective rendering of details: credential-named text is hidden at any depth, flags stay readable."""

from __future__ import annotations

from launchready.report.details import HIDDEN, detail_rows, masked, pretty_json


def test_sensitive_text_is_hidden_at_any_depth() -> None:
    data = {"client_secret": "s3cr3t-value", "items": [{"Authorization": "Bearer abc.def"}], "host": "a.test"}
    shown = masked(data)
    assert shown == {"client_secret": HIDDEN, "items": [{"Authorization": HIDDEN}], "host": "a.test"}
    assert "s3cr3t-value" not in pretty_json(data) and "abc.def" not in pretty_json(data)


def test_flags_and_numbers_under_sensitive_names_stay_readable() -> None:
    rows = dict(detail_rows({"allow_credentials": True, "token_count": 3, "password": "hunter2"}))
    assert rows == {"allow_credentials": "true", "token_count": "3", "password": HIDDEN}


def test_long_values_are_cut() -> None:
    rows = dict(detail_rows({"body": "x" * 1_000}, limit=50))
    assert len(rows["body"]) == 50 and rows["body"].endswith("…")
