"""Ranking, root causes, groups, the fix plan, readiness scores, not-assessed rules and ``blocking``."""

from __future__ import annotations

from report_sample import (
    BANNER,
    CERT_EXPIRED,
    CHAIN,
    CSP,
    GONE,
    GONE_KEY,
    GROUP,
    HSTS,
    SECRET,
    STAGING,
    TTFT,
    WWW,
    rule,
    sample_run,
)

from launchready.engine.runner import AuditRun
from launchready.findings import Severity, Stage, Status
from launchready.report import FixKind, blocking, build_report, readiness_score
from launchready.report.model import BLOCKER_CAP
from launchready.report.ranking import ranked_problems
from launchready.rules import fill
from launchready.rules import rule as real_rule

OK = {"responses_read": 1}


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


def test_a_root_cause_is_ranked_first_and_what_it_blocked_is_folded_not_ranked(run: AuditRun) -> None:
    report = build_report(run)
    first = report.risks[0]
    assert first.root_cause and first.finding.key == GONE_KEY
    assert {b.rule_id for b in first.blocked} == {CHAIN.rule_id, HSTS.rule_id, CERT_EXPIRED.rule_id}
    ranked_keys = {m.key for r in report.risks for m in r.members}
    assert not any(b.key in ranked_keys for b in first.blocked)
    assert all(f.target != STAGING or f.key == GONE_KEY for r in report.risks for f in r.members)
    # ...and no fix is prescribed for a host nobody reached: only the root's own fix names it
    staging_items = [i for i in report.plan.items if STAGING in i.targets]
    assert [i.rule_id for i in staging_items] == [GONE.rule_id]


def test_chains_fold_under_the_top_most_root() -> None:
    cert_root = CERT_EXPIRED.unverifiable(STAGING, "no address", blocked_by=GONE_KEY)
    echo = HSTS.unverifiable(STAGING, "certificate not trusted", blocked_by=cert_root.key)
    run = sample_run((GONE.failed(STAGING, "NXDOMAIN"), cert_root, echo))
    report = build_report(run)
    assert len(report.risks) == 1
    assert {b.key for b in report.risks[0].blocked} == {cert_root.key, echo.key}


def test_folding_never_hides_a_problem_whose_root_is_not_in_the_run() -> None:
    orphan = HSTS.unverifiable(STAGING, "no address", blocked_by="dns.host.unresolved@elsewhere.test")
    report = build_report(sample_run((orphan,)))
    assert [r.finding for r in report.risks] == [orphan]
    assert report.summary.blockers == 1


def test_one_secret_in_four_places_is_one_risk_and_one_fix(run: AuditRun) -> None:
    report = build_report(run)
    grouped = [r for r in report.risks if r.finding.group == GROUP]
    assert len(grouped) == 1
    assert len(grouped[0].locations) == 4 and "src/app/settings.py:12" in grouped[0].locations
    rotate = [i for i in report.plan.items if i.summary.startswith("Rotate the key")]
    assert len(rotate) == 1 and set(rotate[0].targets) == set(grouped[0].locations)


def test_the_same_fix_on_several_targets_is_one_item_and_no_fix_is_listed_twice(run: AuditRun) -> None:
    plan = build_report(run).plan
    hsts = [i for i in plan.items if i.rule_id == HSTS.rule_id]
    assert len(hsts) == 1
    assert hsts[0].targets == ("api.chatbot.test", "app.chatbot.test")
    assert "api.chatbot.test, app.chatbot.test" in hsts[0].headline
    keys = [(i.kind, i.rule_id, i.summary) for i in plan.items]
    assert len(keys) == len(set(keys))
    assert not {i.rule_id for i in plan.must_do_now} & {i.rule_id for i in plan.can_wait}


def test_snippets_and_steps_use_the_products_own_names(run: AuditRun) -> None:
    item = next(i for i in build_report(run).plan.items if i.rule_id == HSTS.rule_id)
    assert item.fix is not None
    assert "server_name api.chatbot.test;" in item.fix.snippets["nginx"]
    assert "curl -I https://api.chatbot.test/" in item.fix.steps[1]
    assert "{{" not in item.fix.model_dump_json()


def test_an_unverified_finding_gets_how_to_verify_never_a_fix(run: AuditRun) -> None:
    plan = build_report(run).plan
    ttft = next(i for i in plan.items if i.rule_id == TTFT.rule_id)
    assert ttft.kind is FixKind.VERIFY and ttft.fix is None
    assert ttft.reasons == ("https://chatbot.test/api/chat: the chat route answered 403 (bot protection)",)
    for item in plan.items:
        assert (item.kind is FixKind.FIX) == (item.status is not Status.UNVERIFIABLE)


def test_the_verify_command_is_the_rules_own_filled_for_the_product() -> None:
    spec = real_rule("engine.dns.unavailable")
    assert spec.verify, "the engine's rule file gives its manual check"
    root = spec.unverifiable("chatbot.test", "no DNS answers at all from the system resolver")
    item = build_report(sample_run((root,))).plan.must_do_now[0]
    assert item.kind is FixKind.VERIFY
    assert item.verify == (fill(spec.verify, domain="chatbot.test"),)
    assert "chatbot.test" in item.verify[0] and "{{" not in item.verify[0]


def test_not_assessed_never_blocks_never_earns_credit_and_is_listed_by_reason() -> None:
    env = rule("secrets.env.shared", Stage.AUDIT, Severity.CRITICAL, (3, 3, 3))
    logs = rule("secrets.logs.leak", Stage.AUDIT, Severity.HIGH)
    passed = CSP.passed("app.chatbot.test", "ok", exercised=OK)
    skipped = (
        env.not_assessed("chatbot.test", "add [environments] to check env separation"),
        logs.not_assessed("chatbot.test", "add [environments] to check env separation"),
    )
    report = build_report(sample_run((passed, *skipped)))
    assert report.risks == () and report.plan.items == ()
    assert blocking(report, Severity.INFO) == []
    assert report.overall == 100  # the critical not-assessed rule neither earns nor costs anything
    assert report.verdict.startswith("READY: no blocker")
    assert [g.line for g in report.not_assessed] == [
        "not assessed: 2 rules — add [environments] to check env separation"
    ]
    audit = next(s for s in report.stages if s.stage is Stage.AUDIT)
    assert audit.score is None and audit.counts[Status.NOT_ASSESSED] == 2


def test_readiness_score_weights_and_caps() -> None:
    assert readiness_score([]) is None
    assert readiness_score([CSP.passed("a.test", "ok", exercised=OK)]) == 100
    assert readiness_score([BANNER.warned("a.test", "x")]) == 50  # a warning keeps half its weight
    assert readiness_score([WWW.unverifiable("a.test", "timeout")]) == 0
    many_passes = [CSP.passed(f"h{i}.test", "ok", exercised=OK) for i in range(50)]
    score = readiness_score([*many_passes, CERT_EXPIRED.failed("a.test", "expired")])
    assert score is not None and score <= BLOCKER_CAP
    assert readiness_score([*many_passes, WWW.failed("a.test", "x")]) > BLOCKER_CAP  # type: ignore[operator]


def test_stages_without_checks_name_the_command_that_will_cover_them(run: AuditRun) -> None:
    report = build_report(run)
    covered = {s.stage: s.covered_by for s in report.stages if s.covered_by}
    assert set(covered) == {Stage.DEPLOY, Stage.MONITORING, Stage.HANDOVER}
    assert "launchready drill" in (covered[Stage.DEPLOY] or "")
    assert "launchready monitor" in (covered[Stage.MONITORING] or "")
    assert "launchready handover" in (covered[Stage.HANDOVER] or "")
    assert Stage.DEPLOY not in report.covered_stages
    assert "over audit, dns-edge, secure-delivery, performance" in report.verdict


def test_blocking_counts_fail_and_unverifiable_at_or_above_level_but_never_warn(run: AuditRun) -> None:
    critical = {(f.rule_id, f.target) for f in blocking(run, Severity.CRITICAL)}
    assert ("tls.cert.lapsed", "api.chatbot.test") in critical
    assert (SECRET.rule_id, "src/app/settings.py:12") in critical
    everything = blocking(build_report(run), Severity.INFO)
    assert all(f.status in (Status.FAIL, Status.UNVERIFIABLE) for f in everything)
    assert "dns.www.inconsistent" not in {f.rule_id for f in everything}  # a medium warn never blocks
    assert not any(f.status is Status.NOT_ASSESSED for f in everything)
    assert blocking(list(run.findings), Severity.CRITICAL) == blocking(run, Severity.CRITICAL)


def test_verdict_names_blockers_and_fixes(run: AuditRun) -> None:
    report = build_report(run)
    assert report.verdict.startswith(
        f"NOT READY: {report.summary.blockers} blockers, {report.summary.must_do_now} fixes before launch"
    )
    assert report.summary.blockers == sum(1 for r in report.risks if r.must_do_now) == 7
    empty = build_report(sample_run(()))
    assert empty.overall == 0 and empty.verdict.startswith("NOTHING ASSESSED")


def test_two_rules_prescribing_the_same_fix_make_one_item() -> None:
    public_ca = CERT_EXPIRED.fix.model_copy(update={"summary": "Serve a certificate from a public CA."})
    untrusted = rule("tls.sample.untrusted", Stage.SECURE_DELIVERY, Severity.HIGH, (3, 2, 3), public_ca)
    lapsed = rule("tls.sample.lapsed", Stage.SECURE_DELIVERY, Severity.CRITICAL, (3, 3, 3), public_ca)
    run = sample_run(
        (untrusted.failed("help.chatbot.test", "self-signed"), lapsed.failed("help.chatbot.test", "expired"))
    )
    plan = build_report(run).plan
    assert [i.summary for i in plan.must_do_now] == ["Serve a certificate from a public CA."]
    assert set(plan.must_do_now[0].rule_ids) == {"tls.sample.untrusted", "tls.sample.lapsed"}
    assert plan.must_do_now[0].targets == ("help.chatbot.test",)


def test_merged_keys_keep_every_providers_rotation_step() -> None:
    """Several leaked keys are one "rotate" item, and no provider's rotation page is lost in the merge."""
    leak = rule("secrets.sample.leak", Stage.SECURE_DELIVERY, Severity.CRITICAL, (3, 1, 3), SECRET.fix)
    openai = leak.fix.model_copy(update={"steps": ("Rotate the OpenAI key at https://platform.test/keys",)})
    stripe = leak.fix.model_copy(update={"steps": ("Rotate the Stripe key at https://dashboard.test/keys",)})
    run = sample_run(
        (
            leak.failed(".env.production:2", "sk-proj-…Qz9A", fix=openai, group="secret:a"),
            leak.failed("Dockerfile:6", "sk_live_…9fQ2", fix=stripe, group="secret:b"),
        )
    )
    items = build_report(run).plan.must_do_now
    assert len(items) == 1
    assert items[0].targets == (".env.production:2", "Dockerfile:6")
    steps = items[0].fix.steps if items[0].fix else ()
    assert "Rotate the OpenAI key at https://platform.test/keys" in steps
    assert "Rotate the Stripe key at https://dashboard.test/keys" in steps
