"""``launchready load`` against the lab product: its DNS, its CA, its real routes and its streamed chat."""

from __future__ import annotations

from launchready.findings import Status
from launchready.lab import Lab
from launchready.load import LoadOptions, audit_run_of, run_load


async def test_load_reaches_every_lab_route_and_reads_the_chat_stream(flawed_lab: Lab) -> None:
    config = flawed_lab.config.model_copy(
        update={"load": flawed_lab.config.load.model_copy(update={"rate": 12.0, "duration_s": 2.0})}
    )
    options = LoadOptions(nameserver=flawed_lab.nameserver, ca_bundle=flawed_lab.ca_bundle)
    results = await run_load(config, options)
    names = {route.route for route in results.routes}
    assert names == {"homepage", "health", "chat", "models"}  # login, webhook, callback are not loaded
    assert results.sent == results.scheduled == 24
    for route in results.routes:
        assert route.errors_by_exception == {}, route  # resolved via the lab DNS, verified with the lab CA
    chat = results.route("chat")
    if chat.requests:
        assert chat.chat is not None and chat.chat.ttft.count > 0
        assert chat.chat.ttft.p50_ms >= chat.chat.ttfb.p50_ms
    run = audit_run_of(config, results)
    assert run.artifacts["load"]["engine"] == "native"
    by_rule = {(f.rule_id, f.details["route"]) for f in run.findings if f.status is not Status.UNVERIFIABLE}
    assert ("load.p95.over-target", "health") in by_rule


async def test_locust_reaches_lab_names_by_address_with_the_host_header(flawed_lab: Lab) -> None:
    """Locust cannot use the lab's DNS: launchready resolves, Locust connects to the address (locust_user)."""
    from launchready.load import LoadEngine

    config = flawed_lab.config.model_copy(
        update={
            "load": flawed_lab.config.load.model_copy(
                update={"rate": 8.0, "duration_s": 1.0, "routes": ("health",)}
            )
        }
    )
    options = LoadOptions(nameserver=flawed_lab.nameserver, engine=LoadEngine.LOCUST, workers=2)
    results = await run_load(config, options)
    health = results.route("health")
    assert health.requests > 0 and health.errors == 0
    assert health.url == "https://api.chatbot.test/health"
    assert any("api.chatbot.test → 127." in note for note in results.notes)
