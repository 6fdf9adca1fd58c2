"""The header parsers and judges, on the values real sites send."""

from __future__ import annotations

from launchready.checks.secure_delivery.cookie_policy import parse_set_cookie
from launchready.checks.secure_delivery.header_policy import (
    csp_weaknesses,
    effective_referrer_policy,
    framing_protection,
    parse_csp,
    parse_hsts,
    version_banner,
)


def test_hsts_directives_are_case_insensitive_and_max_age_may_be_quoted() -> None:
    policy = parse_hsts('MAX-AGE="63072000"; includeSubdomains; Preload')
    assert (policy.max_age, policy.include_subdomains, policy.preload) == (63072000, True, True)
    assert policy.preload_eligible
    short = parse_hsts("max-age=300")
    assert short.max_age == 300 and not short.preload_eligible


def test_csp_first_directive_wins_and_names_are_lowercased() -> None:
    policy = parse_csp("Script-Src 'self'; script-src *; img-src data:")
    assert policy["script-src"] == ("'self'",)
    assert policy["img-src"] == ("data:",)


def test_csp_weaknesses_are_named_by_directive() -> None:
    weak = csp_weaknesses(
        parse_csp("default-src 'self' http://cdn.example; script-src 'self' 'unsafe-inline' 'unsafe-eval' *")
    )
    described = {(w.directive, w.problem) for w in weak}
    assert ("script-src", "unsafe-inline") in described
    assert ("script-src", "unsafe-eval") in described
    assert ("script-src", "wildcard") in described
    assert ("default-src", "insecure-scheme") in described


def test_unsafe_inline_with_a_nonce_is_ignored_by_browsers_so_not_flagged() -> None:
    assert csp_weaknesses(parse_csp("script-src 'self' 'nonce-abc' 'unsafe-inline'; object-src 'none'")) == []


def test_a_policy_without_script_control_is_weak() -> None:
    assert [w.problem for w in csp_weaknesses(parse_csp("img-src 'self'"))] == ["no-script-policy"]


def test_framing_from_csp_or_xfo() -> None:
    assert framing_protection(parse_csp("frame-ancestors 'none'"), None) is not None
    assert framing_protection(None, "SAMEORIGIN") is not None
    assert framing_protection(parse_csp("frame-ancestors *"), None) is None
    assert framing_protection(None, "ALLOW-FROM https://x.example") is None


def test_referrer_policy_last_known_token_wins() -> None:
    assert (
        effective_referrer_policy("no-referrer, strict-origin-when-cross-origin")
        == "strict-origin-when-cross-origin"
    )
    assert effective_referrer_policy("unsafe-url") == "unsafe-url"
    assert effective_referrer_policy("bogus") is None


def test_version_banners() -> None:
    assert version_banner("nginx/1.18.0", None) == ["Server: nginx/1.18.0"]
    assert version_banner("cloudflare", None) == []
    assert version_banner(None, "Express") == ["X-Powered-By: Express"]


def test_set_cookie_flags_without_keeping_the_value() -> None:
    cookie = parse_set_cookie("session=s3cr3t-value; Path=/; HttpOnly; SameSite=Lax")
    assert cookie.name == "session" and cookie.looks_like_session
    assert cookie.problems() == ["Secure"]
    assert "s3cr3t" not in repr(cookie)
    good = parse_set_cookie("__Host-sid=x; Secure; HttpOnly; SameSite=Strict; Path=/")
    assert good.problems() == []
    none_without_secure = parse_set_cookie("auth=x; HttpOnly; SameSite=None")
    assert "Secure (required by SameSite=None)" in none_without_secure.problems()
    assert not parse_set_cookie("theme=dark; Path=/").looks_like_session
