"""The fast path's bounded, pre-opened pool: connections counted on the server, TLS resumed, set-up apart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from load_server import LoadServer, running_load_server

from launchready.load import LoadOptions, run_load
from launchready.load.pool import pool_size


def test_a_fast_open_model_opens_at_most_the_pool(load_server: LoadServer) -> None:
    """At 2,000/s the old fast path opened a connection per arrival while the first answers were out
    (hundreds in the first second); the pool opens its size before t=0 and no more."""
    config = load_server.config(routes=["steady"], max_in_flight=2000)
    results = asyncio.run(
        run_load(
            config, LoadOptions(rate=2000, duration_s=0.5, connections=12, ca_bundle=load_server.ca_bundle)
        )
    )
    stats = results.connections
    assert stats is not None
    assert load_server.connections <= 12, load_server.connections
    assert stats.pool_size == 12 and stats.pre_opened == 12 and stats.opened <= 12
    assert stats.connect.count == stats.opened and stats.connect.p50_ms > 0  # set-up timed apart
    assert stats.tls_resumed >= 1  # later connections resumed the first one's TLS session
    steady = results.route("steady")
    assert steady.requests + steady.dropped == 1000 and steady.ok == steady.requests
    assert any("pre-opened before the run" in note for note in results.notes)


def test_the_computed_pool_bounds_the_connections(load_server: LoadServer) -> None:
    config = load_server.config(routes=["steady"], max_in_flight=2000)
    results = asyncio.run(
        run_load(config, LoadOptions(rate=1500, duration_s=0.4, ca_bundle=load_server.ca_bundle))
    )
    assert results.connections is not None
    size = results.connections.pool_size
    assert size == pool_size(1500, None, 0.05, 2000)
    assert load_server.connections <= size


def test_pool_size_follows_rate_latency_and_the_cap() -> None:
    assert pool_size(1000, None, 0.01, 512) == 24  # 1000/s x 10 ms x 2 + 4
    assert pool_size(100_000, None, 0.05, 512) == 512
    assert pool_size(None, 30, 0.05, 512) == 30  # closed model: one per user


def test_a_stall_opens_more_connections_by_default_and_waits_on_a_hard_bound(load_server: LoadServer) -> None:
    """The default pool grows past its pre-opened size when a stalled server holds every connection, so
    each request still reaches the server on schedule; ``--connections`` keeps a hard bound instead."""
    config = load_server.config(routes=["fast"])
    elastic = asyncio.run(
        run_load(config, LoadOptions(rate=100, duration_s=2.5, ca_bundle=load_server.ca_bundle))
    )
    stats = elastic.connections
    assert stats is not None and stats.opened > stats.pre_opened == stats.pool_size
    assert stats.ceiling == 512 and any("opened during it" in note for note in elastic.notes)
    assert elastic.route("fast").latency.p99_ms > 850  # the 1 s stall, charged from the intended send


def test_a_hard_bound_queues_instead_of_opening(tmp_path: Path) -> None:
    with running_load_server(tmp_path) as server:
        config = server.config(routes=["fast"])
        options = LoadOptions(rate=100, duration_s=2.5, connections=8, ca_bundle=server.ca_bundle)
        bounded = asyncio.run(run_load(config, options))
        stats = bounded.connections
        assert stats is not None and stats.opened == 8 and server.connections == 8
        assert stats.waited_for_connection > 0
