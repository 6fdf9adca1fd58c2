"""A probe whose config is missing says so, per rule, with the config to add: its rules never vanish."""

from __future__ import annotations

import pytest

from launchready.checks.performance import (
    CacheHitRate,
    ChatRateLimit,
    ChatTimeout,
    Isolation,
    LoginRateLimit,
    OversizedInput,
    RetryOnTransientFailure,
    TimeToFirstToken,
)
from launchready.checks.performance.probe import PerformanceProbe
from launchready.findings import Status
from launchready.lab.variant import LabVariant

PROBES = (
    CacheHitRate,
    ChatRateLimit,
    ChatTimeout,
    Isolation,
    LoginRateLimit,
    OversizedInput,
    RetryOnTransientFailure,
    TimeToFirstToken,
)


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
async def test_no_routes_is_not_assessed_with_the_config_to_add(
    probe: type[PerformanceProbe], backend, probe_context
) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, routes=[]) as ctx:
        findings = await probe().run(ctx)
    assert {f.rule_id for f in findings} == {spec.rule_id for spec in probe.rules}
    for finding in findings:
        assert finding.status is Status.NOT_ASSESSED, finding.evidence
        assert "[[routes]]" in (finding.reason or "") or "[routes]" in (finding.reason or ""), finding.reason
