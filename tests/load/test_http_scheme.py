"""Load over plain HTTP: a route's ``scheme`` or ``[network] scheme``; an unreachable target fails."""

from __future__ import annotations

import asyncio
import socket

from load_server import LoadServer

from launchready.config.model import LaunchConfig
from launchready.findings import Status
from launchready.load import LoadOptions, audit_run_of, run_load


def _verdicts(config: LaunchConfig) -> dict[str, Status]:
    results = asyncio.run(run_load(config, LoadOptions(rate=40, duration_s=0.5)))
    return {f.rule_id: f.status for f in audit_run_of(config, results).findings}


def test_network_scheme_http_loads_a_plain_http_server(plain_load_server: LoadServer) -> None:
    config = plain_load_server.config(routes=["steady"])
    assert config.route_url(config.routes[2]).startswith("http://")
    results = asyncio.run(run_load(config, LoadOptions(rate=40, duration_s=0.5)))
    steady = results.route("steady")
    assert steady.requests == 20 and steady.ok == 20, steady.errors_by_exception


def test_a_route_scheme_overrides_the_network_scheme(plain_load_server: LoadServer) -> None:
    base = plain_load_server.config(routes=["steady"]).model_dump()
    base["network"] = {"http_port": plain_load_server.port}  # https stays the default for other routes
    for route in base["routes"]:
        route["scheme"] = "http" if route["name"] == "steady" else None
    config = LaunchConfig.model_validate(base)
    assert config.route_url(config.routes[1]).startswith("https://")
    assert _verdicts(config)["load.p95.over-target"] is Status.PASS


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_plain_http_target_fails(plain_load_server: LoadServer) -> None:
    base = plain_load_server.config(routes=["steady"]).model_dump()
    base["network"] = {"http_port": _closed_port(), "scheme": "http"}
    for route in base["routes"]:
        route["host"] = "127.0.0.1"
    verdicts = _verdicts(LaunchConfig.model_validate(base))
    assert verdicts["load.error-rate.over-target"] is Status.FAIL
    assert verdicts["load.p95.over-target"] is not Status.PASS


def test_https_against_a_plain_http_server_fails(plain_load_server: LoadServer) -> None:
    base = plain_load_server.config(routes=["steady"]).model_dump()
    base["network"] = {"https_port": plain_load_server.port}  # the TlsError of the issue
    verdicts = _verdicts(LaunchConfig.model_validate(base))
    assert verdicts["load.error-rate.over-target"] is Status.FAIL
    assert verdicts["load.p95.over-target"] is not Status.PASS
