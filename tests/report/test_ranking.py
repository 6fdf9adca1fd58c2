"""Risk ranking, the fix plan split, readiness scores and ``blocking`` (``--fail-on``)."""

from __future__ import annotations

from report_sample import CERT_EXPIRED, HSTS, RUNBOOK, TTFT, UPTIME, WWW, rule, sample_run

from launchready.engine.runner import AuditRun
from launchready.findings import Severity, Stage, Status
from launchready.report import blocking, build_report, readiness_score
from launchready.report.model import BLOCKER_CAP
from launchready.report.ranking import ranked_problems


def test_critical_fail_outranks_medium_warn_even_with_less_impact() -> None:
    quiet_critical = rule("tls.cert.quiet", Stage.SECURE_DELIVERY, Severity.CRITICAL, (0, 0, 0))
    loud_medium = rule("dns.loud.warn", Stage.DNS_EDGE, Severity.MEDIUM, (3, 3, 3))
    warn = loud_medium.warned("a.test", "loud")
    fail = quiet_critical.failed("b.test", "quiet")
    assert warn.risk_score > fail.risk_score  # the raw score alone would get this wrong
    assert ranked_problems([warn, fail]) == [fail, warn]


def test_higher_impact_ranks_first_within_a_severity() -> None:
    mild = rule("perf.mild.slow", Stage.PERFORMANCE, Severity.MEDIUM, (0, 0, 1)).failed("a.test", "x")
    severe = rule("perf.severe.slow", Stage.PERFORMANCE, Severity.MEDIUM, (3, 2, 1)).failed("a.test", "x")
    assert ranked_problems([mild, severe]) == [severe, mild]


def test_passes_are_not_risks_and_unverifiable_is_never_counted_as_pass(run: AuditRun) -> None:
    report = build_report(run)
    assert all(r.finding.status is not Status.PASS for r in report.risks)
    assert report.counts[Status.PASS] == 2
    assert report.counts[Status.UNVERIFIABLE] == 2
    assert all(f.status is Status.PASS for f in report.passes)
    performance = next(s for s in report.stages if s.stage is Stage.PERFORMANCE)
    assert performance.counts[Status.PASS] == 0 and performance.counts[Status.UNVERIFIABLE] == 1
    assert performance.score == 0


def test_plan_splits_blockers_from_what_can_wait(run: AuditRun) -> None:
    plan = build_report(run).plan
    must = {g.rule_id for g in plan.must_do_now}
    wait = {g.rule_id for g in plan.can_wait}
    assert must == {"tls.cert.expired", "secrets.source.found", "headers.hsts.missing", "perf.ttft.slow",
                    "engine.check.error"}  # fmt: skip
    assert wait == {
        "dns.www.inconsistent",
        "deploy.rollback.missing",
        "headers.banner.leak",
        "monitoring.uptime.none",
    }
    assert not must & wait
    assert "headers.csp.weak" not in must | wait and "handover.runbook.present" not in must | wait


def test_same_rule_and_fix_are_grouped_across_targets(run: AuditRun) -> None:
    plan = build_report(run).plan
    hsts = [g for g in plan.must_do_now if g.rule_id == HSTS.rule_id]
    assert len(hsts) == 1
    assert hsts[0].targets == ("api.chatbot.test", "app.chatbot.test")
    assert "api.chatbot.test, app.chatbot.test" in hsts[0].headline


def test_a_high_warning_can_wait_but_a_high_unverifiable_cannot() -> None:
    warned = HSTS.warned("a.test", "short max-age")
    unknown = TTFT.unverifiable("https://a.test/chat", "blocked by bot protection")
    run = sample_run().model_copy(update={"findings": (warned, unknown)})
    plan = build_report(run).plan
    assert [g.rule_id for g in plan.must_do_now] == [TTFT.rule_id]
    assert [g.rule_id for g in plan.can_wait] == [HSTS.rule_id]


def test_blocking_counts_fail_and_unverifiable_at_or_above_level_but_never_warn(run: AuditRun) -> None:
    critical = {(f.rule_id, f.target) for f in blocking(run, Severity.CRITICAL)}
    assert critical == {
        ("tls.cert.expired", "api.chatbot.test"),
        ("secrets.source.found", "src/app/settings.py:12"),
    }
    high = blocking(run, Severity.HIGH)
    assert {f.rule_id for f in high} >= {"perf.ttft.slow", "engine.check.error", "headers.hsts.missing"}
    everything = blocking(build_report(run), Severity.INFO)
    assert all(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in everything)
    assert "dns.www.inconsistent" not in {f.rule_id for f in everything}  # a medium warn never blocks
    assert len(everything) == 7
    assert blocking(list(run.findings), Severity.CRITICAL) == blocking(run, Severity.CRITICAL)


def test_readiness_score_weights_and_caps() -> None:
    assert readiness_score([]) is None
    assert readiness_score([RUNBOOK.passed("repo", "ok")]) == 100
    assert readiness_score([UPTIME.warned("a.test", "none")]) == 50
    assert readiness_score([WWW.unverifiable("a.test", "timeout")]) == 0
    many_passes = [RUNBOOK.passed(f"r{i}", "ok") for i in range(50)]
    with_blocker = [*many_passes, CERT_EXPIRED.failed("a.test", "expired")]
    score = readiness_score(with_blocker)
    assert score is not None and score <= BLOCKER_CAP
    assert readiness_score([*many_passes, WWW.failed("a.test", "x")]) > BLOCKER_CAP  # type: ignore[operator]


def test_unassessed_stage_has_no_score() -> None:
    run = sample_run().model_copy(update={"findings": (RUNBOOK.passed("repo", "ok"),)})
    report = build_report(run)
    scores = {s.stage: s.score for s in report.stages}
    assert scores[Stage.HANDOVER] == 100
    assert scores[Stage.DNS_EDGE] is None
    assert report.overall == 100
    assert report.verdict.startswith("READY")


def test_verdict_names_blockers(run: AuditRun) -> None:
    assert build_report(run).verdict.startswith("NOT READY: 5 blockers")
    empty = build_report(sample_run().model_copy(update={"findings": ()}))
    assert empty.overall == 0 and empty.verdict.startswith("NOTHING ASSESSED")
