from launchready.checks.performance import ChatTimeout, RetryOnTransientFailure
from launchready.findings import Status
from launchready.lab.variant import LabVariant


async def test_flawed_chat_stays_open_when_the_model_stalls(backend, probe_context) -> None:
    server = backend(LabVariant.FLAWED)
    async with probe_context(server) as ctx:
        [finding] = await ChatTimeout().run(ctx)
    assert finding.status is Status.FAIL, finding.evidence
    assert finding.details["end"] == "budget"
    assert finding.details["elapsed_s"] >= 2.5  # target 1.5 s + margin 1 s


async def test_hardened_chat_ends_with_an_error_event(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server) as ctx:
        [finding] = await ChatTimeout().run(ctx)
    assert finding.status is Status.PASS, finding.evidence
    assert finding.details["end"] == "error-event"
    assert "timeout" in finding.evidence


async def test_no_stall_prompt_is_unverifiable(backend, probe_context) -> None:
    server = backend(LabVariant.HARDENED)
    async with probe_context(server, stall_prompt=None, flaky_prompt=None) as ctx:
        [timeout] = await ChatTimeout().run(ctx)
        [retry] = await RetryOnTransientFailure().run(ctx)
    assert timeout.status is Status.UNVERIFIABLE and "stall_prompt" in (timeout.reason or "")
    assert retry.status is Status.UNVERIFIABLE and "flaky_prompt" in (retry.reason or "")


async def test_retry_on_a_transient_upstream_failure(backend, probe_context) -> None:
    flawed, hardened = backend(LabVariant.FLAWED), backend(LabVariant.HARDENED)
    async with probe_context(flawed) as ctx:
        [bad] = await RetryOnTransientFailure().run(ctx)
    async with probe_context(hardened) as ctx:
        [good] = await RetryOnTransientFailure().run(ctx)
    assert bad.status is Status.FAIL and "HTTP 500" in bad.evidence, bad.evidence
    assert good.status is Status.PASS, good.evidence
    assert good.details["answer_chars"] > 0
