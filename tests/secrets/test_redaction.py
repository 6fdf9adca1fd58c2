"""A redacted secret shows provider, a short prefix, the last four and a stable fingerprint — never more."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from launchready.secrets.redaction import RedactedSecret, fingerprint, mask


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=300))
def test_redacted_forms_never_contain_the_value(value: str) -> None:
    redacted = RedactedSecret.of(value, "Test")
    shown = redacted.display + redacted.model_dump_json() + mask(value)
    if len(value) >= 8:
        assert value not in shown
    assert len(redacted.prefix) <= max(8, len(value) // 4) and len(redacted.prefix) <= len(value) // 4 + 1


def test_fingerprint_is_stable_and_short() -> None:
    assert fingerprint("abc") == fingerprint(b"abc") == "fp:ba7816bf8f01cfea"
    assert RedactedSecret.of("sk-proj-" + "A" * 60 + "wxyz", "OpenAI").display.startswith(
        "OpenAI sk-proj-…wxyz"
    )
    assert mask("short") == "…"
