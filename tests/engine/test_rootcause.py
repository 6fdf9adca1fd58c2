"""One root cause, one risk: what a broken host keeps from being seen is folded under it."""

from __future__ import annotations

import pytest

from launchready.engine.rootcause import attach_root_causes, target_host
from launchready.findings import Fix, Impact, RuleSpec, Severity, Stage, Status
from launchready.rules import rule

HSTS = RuleSpec(
    rule_id="test.hsts",
    title="t",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="d",
    impact=Impact(customer_trust=2),
    fix=Fix(summary="send HSTS"),
)


@pytest.mark.parametrize(
    ("target", "host"),
    [
        ("https://App.Bot.test/login?x=1", "app.bot.test"),
        ("app.bot.test:443", "app.bot.test"),
        ("app.bot.test.", "app.bot.test"),
        ("bot.test (MX)", "bot.test"),
        ("api.bot.test/v1/chat", "api.bot.test"),
    ],
)
def test_target_host(target: str, host: str) -> None:
    assert target_host(target) == host


def test_unverifiable_findings_fold_under_the_strongest_root_of_their_host() -> None:
    unresolved = rule("dns.host.unresolved").failed("app.bot.test", "NXDOMAIN")
    untrusted = rule("tls.cert.untrusted").unverifiable("app.bot.test", "no address")
    echo = HSTS.unverifiable("https://app.bot.test/", "could not connect")
    seen_failure = HSTS.failed("https://www.bot.test/", "no HSTS header")
    other_host = HSTS.unverifiable("https://api.bot.test/", "timed out")
    out = {f.key: f for f in attach_root_causes([unresolved, untrusted, echo, seen_failure, other_host])}
    assert out[echo.key].blocked_by == unresolved.key
    assert out[untrusted.key].blocked_by == unresolved.key  # a root blocked by a stronger root
    assert out[unresolved.key].blocked_by is None
    assert out[seen_failure.key].blocked_by is None  # an observed failure is its own risk
    assert out[other_host.key].blocked_by is None  # nothing explains it: it stays a risk
    assert out[echo.key].status is Status.UNVERIFIABLE


def test_an_untrusted_certificate_is_the_root_of_what_could_not_be_read_past_it() -> None:
    untrusted = rule("tls.cert.untrusted").failed("app.bot.test", "self-signed")
    echo = HSTS.unverifiable("https://app.bot.test/", "certificate rejected")
    out = attach_root_causes([untrusted, echo])
    assert out[1].blocked_by == untrusted.key
