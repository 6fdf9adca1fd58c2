from launchready.checks.performance import OversizedInput, TimeToFirstToken
from launchready.findings import Status
from launchready.lab.variant import LabVariant


async def test_ttft_is_measured_to_the_first_token(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [finding] = await TimeToFirstToken().run(ctx)
    assert finding.rule_id == "perf.chat.ttft"
    assert finding.status is Status.PASS, finding.evidence
    assert finding.details["ttft_ms"] >= 100  # the fake model waits 100 ms before its first token
    assert finding.target.endswith("/v1/chat")


async def test_oversized_input(backend, probe_context) -> None:
    flawed, hardened = backend(LabVariant.FLAWED), backend(LabVariant.HARDENED)
    async with probe_context(flawed) as ctx:
        [bad] = await OversizedInput().run(ctx)
    async with probe_context(hardened) as ctx:
        [good] = await OversizedInput().run(ctx)
    assert bad.status is Status.FAIL and "HTTP 500" in bad.evidence, bad.evidence
    assert good.status is Status.PASS and "HTTP 413" in good.evidence, good.evidence
