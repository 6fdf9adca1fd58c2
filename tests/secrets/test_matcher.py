"""Confirm-and-filter behaviour on top of the Hyperscan prefilter."""

from __future__ import annotations

from launchready.secrets.matcher import (
    Matcher,
    core_pattern,
    is_placeholder,
    jwt_role,
    prefilter_pattern,
    shannon_entropy,
)
from launchready.secrets.rules import fake_value

MATCHER = Matcher()


def test_inline_allow_comment_silences_only_its_line() -> None:
    key = fake_value("secrets.groq.api-key", seed="allow")
    other = fake_value("secrets.groq.api-key", seed="other")
    text = f'TEST_KEY = "{key}"  # launchready:allow\nREAL = "{other}"\n'
    found = MATCHER.scan(text.encode())
    assert [m.line for m in found] == [2]


def test_specific_rule_wins_over_generic_on_the_same_value() -> None:
    key = fake_value("secrets.openai.project-key", seed="prio")
    found = MATCHER.scan(f"OPENAI_API_KEY={key}\n".encode())
    assert [m.rule.rule_id for m in found] == ["secrets.openai.project-key"]
    assert found[0].assigned_to == "OPENAI_API_KEY"


def test_supabase_jwt_is_classified_by_its_role_claim() -> None:
    service = fake_value("secrets.supabase.service-role-key", seed="j")
    anon = fake_value("secrets.supabase.anon-key", seed="j")
    assert jwt_role(service) == "service_role" and jwt_role(anon) == "anon"
    ids = {m.rule.rule_id for m in MATCHER.scan(f"a={service}\nb={anon}\n".encode())}
    assert ids == {"secrets.supabase.service-role-key", "secrets.supabase.anon-key"}


def test_generic_rule_needs_randomness() -> None:
    assert MATCHER.scan(b"FEATURE_TOKEN=aaaaaaaaaaaaaaaaaaaaaaaa\n") == []
    assert MATCHER.scan(b"PAGE_TOKEN=thisisjustalongwordwithnodigits\n") == []
    assert shannon_entropy(b"aaaa") == 0.0
    assert is_placeholder("${OPENAI_API_KEY}") and is_placeholder("your-key-here")


def test_keyword_prefilter_gates_context_rules() -> None:
    hex_key = "sk-" + "0123456789abcdef" * 2
    assert not any(m.rule.rule_id == "secrets.deepseek.api-key" for m in MATCHER.scan(hex_key.encode()))
    found = MATCHER.scan(f"DEEPSEEK_API_KEY={fake_value('secrets.deepseek.api-key')}".encode())
    assert any(m.rule.rule_id == "secrets.deepseek.api-key" for m in found)


def test_line_numbers_and_wide_repeats_in_prefilter() -> None:
    key = fake_value("secrets.github.token")
    found = MATCHER.scan(f"a\nb\n\nx = '{key}'\n".encode())
    assert found[0].line == 4
    assert prefilter_pattern("a{64,8192}b{2,5}") == "a{64,}b{2,5}"


def test_core_pattern_drops_leading_assertions_and_captures_only() -> None:
    assert core_pattern(r"\b(sk-[a-z]{3})(?![a-z])") == r"(?:sk-[a-z]{3})(?![a-z])"
    assert core_pattern(r"(?<![A-Z])(AKIA[A-Z]{4})") == r"(?:AKIA[A-Z]{4})"
    assert core_pattern(r"x\(y\)(?:z)") == r"x\(y\)(?:z)"
    # the boundary still applies: the full rule confirms at each core match
    key = fake_value("secrets.aws.access-key-id", seed="core")
    assert MATCHER.scan(f"X{key}".encode()) == []
    assert len(MATCHER.scan(f" {key}".encode())) == 1
