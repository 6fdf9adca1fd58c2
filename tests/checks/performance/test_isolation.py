from launchready.checks.performance import Isolation
from launchready.checks.performance.isolation import p95
from launchready.findings import Status
from launchready.lab.variant import LabVariant


def test_p95_interpolates_between_the_top_samples() -> None:
    assert p95([0.01] * 19 + [1.0]) < 1.0
    assert p95([0.5]) == 0.5


async def test_flawed_slow_chats_starve_health_and_login(backend, probe_context) -> None:
    server = backend(LabVariant.FLAWED)
    async with probe_context(server, isolation_samples=6) as ctx:
        findings = await Isolation().run(ctx)
    assert [f.target.split(":")[-1].split("/", 1)[1] for f in findings] == ["health", "auth/login"]
    for finding in findings:
        assert finding.status is Status.FAIL, finding.evidence
        assert finding.details["loaded_p95_ms"] > 2 * finding.details["idle_p95_ms"]
        print(finding.evidence)


async def test_hardened_routes_keep_their_latency(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, isolation_samples=6) as ctx:
        findings = await Isolation().run(ctx)
    assert len(findings) == 2
    for finding in findings:
        assert finding.status is Status.PASS, finding.evidence
        assert finding.details["chats_started"] >= 3


async def test_chats_that_never_stream_are_not_load(backend, probe_context) -> None:
    """Negative test: a mistyped chat route (404) used to give "4 chats streaming … pass"."""
    server = backend(LabVariant.HARDENED)
    routes = [
        {"name": "health", "role": "health", "host": "api", "path": "/health"},
        {"name": "chat", "role": "chat", "host": "api", "method": "POST", "path": "/v1/chatt"},
    ]
    async with probe_context(
        server, routes=routes, isolation_samples=3, targets={"chat_timeout_s": 1.0}
    ) as ctx:
        [finding] = await Isolation().run(ctx)
    assert finding.status is Status.UNVERIFIABLE, finding.evidence
    assert "0 of 4 slow chats streamed" in (finding.reason or "")
    assert finding.details["chats_started"] >= 4


async def test_a_pass_records_the_chats_that_streamed(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, isolation_samples=3) as ctx:
        findings = await Isolation().run(ctx)
    for finding in findings:
        assert finding.status is Status.PASS, finding.evidence
        assert finding.exercised["chats_streamed"] >= 4
        assert finding.exercised["samples"] >= 6
