"""The performance probes against the whole lab (edge, DNS, TLS): flawed fails them, hardened passes them."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("launchready.lab.orchestrator")

from launchready.checks.registry import all_checks
from launchready.engine.runner import AuditRun, Selection, run_audit
from launchready.findings import Status

PERFORMANCE = Selection(with_groups=frozenset({"performance"}), only=("performance",))
PROBED = ("perf.ratelimit.login-missing", "perf.ratelimit.chat-missing", "perf.chat.timeout-missing",
          "perf.isolation.degraded")  # fmt: skip


async def _audit(lab: Any, selection: Selection = PERFORMANCE) -> AuditRun:
    return await run_audit(lab.config, all_checks(), lab.run_options(selection=selection))


def _statuses(run: AuditRun, rule_id: str) -> set[Status]:
    return {f.status for f in run.findings if f.rule_id == rule_id}


async def test_flawed_lab_fails_the_performance_probes(flawed_lab: Any) -> None:
    # only the probes this test is about: the others' planted risks are asserted by test_roadmap_audit
    run = await _audit(flawed_lab, Selection(with_groups=PERFORMANCE.with_groups, only=PROBED))
    for rule_id in PROBED:
        assert _statuses(run, rule_id) == {Status.FAIL}, [
            f.evidence for f in run.findings if f.rule_id == rule_id
        ]


async def test_hardened_lab_passes_the_performance_probes(hardened_lab: Any) -> None:
    run = await _audit(hardened_lab)
    for rule_id in PROBED:
        assert _statuses(run, rule_id) == {Status.PASS}, [
            f.evidence for f in run.findings if f.rule_id == rule_id
        ]
    assert [f.evidence for f in run.findings if f.status is Status.FAIL] == []
