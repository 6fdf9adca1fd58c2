"""The engine owns failure and time: timeouts, crashes and the deadline never turn into a pass."""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar

import pytest

from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine import AttemptOutcome, CheckContext, RunOptions, Selection, run_audit
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage, Status

CONFIG = LaunchConfig.model_validate({"product": {"name": "Bot", "domain": "bot.test"}})


def _rule(rule_id: str, stage: Stage = Stage.SECURE_DELIVERY) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=rule_id,
        stage=stage,
        severity=Severity.HIGH,
        description="test rule",
        impact=Impact(customer_trust=1),
        fix=Fix(summary="fix it"),
    )


class Local(Check):
    """A check that reads nothing from the network: the preflight's "no DNS at all" does not stop it."""

    name = "local"
    rules: ClassVar[tuple[RuleSpec, ...]] = ()
    needs_network = False

    async def run(self, ctx: CheckContext) -> list[Finding]:
        raise NotImplementedError


class Quick(Local):
    name = "quick"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.quick"),)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return [self.rules[0].passed("bot.test", "fine", exercised={"looks": 1})]


class Slow(Local):
    name = "slow"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.slow.one"), _rule("test.slow.two"))
    timeout_s = 0.3

    async def run(self, ctx: CheckContext) -> list[Finding]:
        await asyncio.sleep(30)
        return [self.rules[0].passed("bot.test", "too late", exercised={"looks": 1})]


class Crashing(Local):
    name = "crashing"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.crash", Stage.DNS_EDGE),)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        raise ZeroDivisionError("boom")


class Forever(Local):
    name = "forever"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.forever"),)
    timeout_s = 600

    async def run(self, ctx: CheckContext) -> list[Finding]:
        await asyncio.sleep(600)
        return []


class OptIn(Local):
    name = "opt-in"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.load", Stage.PERFORMANCE),)
    opt_in = "performance"

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return [self.rules[0].failed("bot.test", "slow")]


def _options(**kw: object) -> RunOptions:
    return RunOptions(nameserver="127.0.0.1:9", **kw)  # type: ignore[arg-type]


async def test_timeout_and_crash_become_unverifiable_not_pass() -> None:
    run = await run_audit(CONFIG, [Quick(), Slow(), Crashing()], _options(deadline_s=10))
    by_rule = {f.rule_id: f for f in run.findings}
    assert by_rule["test.quick"].status is Status.PASS
    for rule_id in ("test.slow.one", "test.slow.two", "test.crash"):
        assert by_rule[rule_id].status is Status.UNVERIFIABLE
    assert "0.3s time limit" in (by_rule["test.slow.one"].reason or "")
    internal = by_rule["engine.check.error"]
    assert internal.status is Status.UNVERIFIABLE and "ZeroDivisionError: boom" in (internal.reason or "")
    outcomes = {a.check: a.outcome for a in run.attempts}
    assert outcomes == {
        "quick": AttemptOutcome.COMPLETED,
        "slow": AttemptOutcome.TIMED_OUT,
        "crashing": AttemptOutcome.ERROR,
    }
    crashed = next(a for a in run.attempts if a.check == "crashing")
    assert crashed.traceback is not None and "ZeroDivisionError" in crashed.traceback


async def test_global_deadline_stops_the_run() -> None:
    started = time.monotonic()
    run = await run_audit(CONFIG, [Quick(), Forever()], _options(deadline_s=1.0))
    assert time.monotonic() - started < 5
    forever = next(f for f in run.findings if f.rule_id == "test.forever")
    assert forever.status is Status.UNVERIFIABLE
    assert "deadline" in (forever.reason or "")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), {"test.quick", "test.crash", "engine.check.error"}),
        (Selection(only=("test.quick",)), {"test.quick"}),
        (Selection(only=("dns-edge",)), {"test.crash", "engine.check.error"}),
        (Selection(skip=("test.crash",)), {"test.quick"}),
        (
            Selection(only=("test",), with_groups=frozenset({"performance"})),
            {"test.quick", "test.crash", "test.load", "engine.check.error"},
        ),
    ],
)
async def test_selection_by_id_prefix_and_stage(selection: Selection, expected: set[str]) -> None:
    run = await run_audit(CONFIG, [Quick(), Crashing(), OptIn()], _options(selection=selection))
    assert {f.rule_id for f in run.findings} == expected


def test_unverifiable_requires_a_reason() -> None:
    with pytest.raises(ValueError, match="must say why"):
        Finding(
            rule_id="a.b",
            title="t",
            stage=Stage.AUDIT,
            severity=Severity.LOW,
            impact=Impact(),
            status=Status.UNVERIFIABLE,
            target="x",
            evidence="e",
            fix=Fix(summary="s"),
        )


def test_risk_score_ranks_fail_above_warn_and_pass_at_zero() -> None:
    rule = _rule("test.rank")
    assert rule.failed("x", "e").risk_score > rule.warned("x", "e").risk_score > 0
    assert rule.passed("x", "e", exercised={"looks": 1}).risk_score == 0
    assert rule.not_assessed("x", "nothing here").risk_score == 0
    assert rule.unverifiable("x", "why").risk_score > rule.warned("x", "e").risk_score


@pytest.mark.parametrize("exercised", [{}, {"handshakes": 0}])
def test_a_pass_with_an_empty_evidence_record_is_refused(exercised: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="empty evidence record"):
        _rule("test.evidence").passed("x", "looked fine", exercised=exercised)


class PassesOnNothing(Local):
    """The bug class of issue 9: a check that says pass without having looked at anything."""

    name = "passes-on-nothing"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.nothing"),)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return [self.rules[0].passed("bot.test", "0 files scanned", exercised={"files_scanned": 0})]


async def test_a_check_passing_without_evidence_is_reported_as_a_bug_not_a_pass() -> None:
    run = await run_audit(CONFIG, [PassesOnNothing()], _options())
    statuses = {f.rule_id: f.status for f in run.findings}
    assert statuses == {"test.nothing": Status.UNVERIFIABLE, "engine.check.error": Status.UNVERIFIABLE}


class Forgetful(Local):
    """Declares three rules, reports one twice and forgets one."""

    name = "forgetful"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.one"), _rule("test.two"), _rule("test.three"))

    async def run(self, ctx: CheckContext) -> list[Finding]:
        one, two, _ = self.rules
        return [
            one.passed("bot.test", "fine", exercised={"looks": 1}),
            one.failed("bot.test", "broken after all"),
            two.passed("a.bot.test", "fine", exercised={"looks": 1}),
            two.warned("b.bot.test", "meh"),
        ]


async def test_every_declared_rule_appears_exactly_once_per_target() -> None:
    run = await run_audit(CONFIG, [Forgetful()], _options())
    keys = [(f.rule_id, f.target) for f in run.findings]
    assert sorted(keys) == [
        ("test.one", "bot.test"),
        ("test.three", "bot.test"),
        ("test.two", "a.bot.test"),
        ("test.two", "b.bot.test"),
    ]
    by_rule = {f.rule_id: f for f in run.findings}
    assert by_rule["test.one"].status is Status.FAIL  # the worst of a duplicate is kept
    forgotten = by_rule["test.three"]
    assert forgotten.status is Status.NOT_ASSESSED and "gave no verdict" in (forgotten.reason or "")


class NeedsNetwork(Check):
    name = "needs-network"
    rules: ClassVar[tuple[RuleSpec, ...]] = (_rule("test.net.one"), _rule("test.net.two"))

    async def run(self, ctx: CheckContext) -> list[Finding]:
        raise AssertionError("must not run when there is no DNS at all")


async def test_no_dns_at_all_is_one_root_cause_and_network_checks_do_not_run() -> None:
    started = time.monotonic()
    run = await run_audit(CONFIG, [NeedsNetwork(), Quick()], _options(deadline_s=30))
    assert time.monotonic() - started < 5
    roots = [f for f in run.findings if f.rule_id == "engine.dns.unavailable"]
    assert len(roots) == 1 and roots[0].status is Status.UNVERIFIABLE
    blocked = [f for f in run.findings if f.rule_id.startswith("test.net.")]
    assert len(blocked) == 2
    assert all(f.status is Status.UNVERIFIABLE and f.blocked_by == roots[0].key for f in blocked)
    assert {f.rule_id: f.status for f in run.findings}["test.quick"] is Status.PASS
    assert {a.check: a.outcome for a in run.attempts}["needs-network"] is AttemptOutcome.SKIPPED
