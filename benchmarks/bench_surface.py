"""Benchmark: the public-surface audit of the lab with 1 host and with 10 hosts (issue 3, "Speed").

Runs the checks of ``checks/dns_edge`` and ``checks/secure_delivery`` (the spine's and the surface's)
against the running lab, first with a config naming only the apex (plus www, which launchready always
checks), then with ten hosts: apex, www, the lab's app/api/docs/status/help and three extra subdomains served
like ``app``. Prints the median wall time of each over several runs and their ratio. Target: ten hosts at
most 1.5 times one host, because hosts are audited concurrently, each response and handshake is shared
between checks, and the full per-address protocol scan is off (``surface.tls_full_scan``).

    .venv/bin/python benchmarks/bench_surface.py [--runs 5] [--variant hardened|flawed] [--rtt-ms 30]

What the figures mean. On pure loopback a round trip costs microseconds, so the audit is CPU-bound: the time
measures launchready's own work per host (TLS handshakes, about 2 ms of CPU each with OpenSSL 3.0; DNS
parsing; aiohttp), which grows with the number of hosts whatever the concurrency. That figure is the one to
watch for CPU regressions, and its ratio cannot reach 1.5: ten hosts are ten times the handshakes.

``--rtt-ms N`` adds a second figure with the lab answering as if it were N ms away: every accepted TCP
connection waits N ms before it is served (the TCP handshake), a TLS connection N ms more before the server
takes the ClientHello (the TLS 1.3 handshake), and every HTTP response N ms before its first byte. So a new
HTTPS request costs 3 round trips, a keep-alive one 1, a plain HTTP one on a new connection 2, as across the
internet. The delays are added inside the lab's subprocess only (the audit is unchanged); DNS is not
delayed (it stands for a nearby caching resolver) and there is no bandwidth limit or packet loss. This is
the figure issue 3's target is about: a real audit waits on the network, and concurrency lets ten hosts
wait at the same time.

All traffic stays on loopback (the lab's 127.x block); nothing resolves a public name.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import ssl
import statistics
import time
from asyncio.sslproto import SSLProtocol
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from unittest import mock

import uvicorn

from launchready.checks.interface import Check
from launchready.checks.registry import all_checks
from launchready.config import LaunchConfig, load_config
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.lab import Lab, LabVariant, orchestrator, web
from launchready.lab.site_app import Asgi
from launchready.lab.sites import SiteProfile
from launchready.lab.sites_surface import apply_surface_flaws

EXTRA_LABELS = ("bench1", "bench2", "bench3")
SURFACE_PACKAGES = ("launchready.checks.dns_edge.", "launchready.checks.secure_delivery.")


def surface_checks() -> list[Check]:
    """The spine's and the surface's checks of stages 2-3 (not secrets or performance, which share a "
    "stage)."""
    return [c for c in all_checks() if type(c).__module__.startswith(SURFACE_PACKAGES)]


def with_bench_hosts(
    sites: dict[str, SiteProfile], variant: LabVariant, addresses: dict[str, str]
) -> dict[str, SiteProfile]:
    """The lab's sites plus three more subdomains, each a copy of ``app`` under its own name and cert."""
    out = apply_surface_flaws(sites, variant, addresses)
    app = next(site for host, site in out.items() if host.startswith("app."))
    apex = app.host.removeprefix("app.")
    for label in EXTRA_LABELS:
        host = f"{label}.{apex}"
        out[host] = replace(app, host=host, html=app.html.replace(app.host, host))
    return out


def config_with(config: LaunchConfig, subdomains: tuple[str, ...]) -> LaunchConfig:
    return config.model_copy(update={"product": config.product.model_copy(update={"subdomains": subdomains})})


class _LateConnection(asyncio.Protocol):
    """Serves an accepted connection one round trip late (two with TLS), then hands it to uvicorn's protocol.

    Reading is paused meanwhile, so the client's SYN is answered by the kernel at once but nothing it sends is
    taken before the delay. TLS is set up here (not by ``create_server``) so the handshake can wait: the
    ``SSLProtocol`` is built as asyncio builds it for a TLS server, and calls uvicorn's ``connection_made``
    when the handshake completes.
    """

    def __init__(self, inner: asyncio.Protocol, tls: ssl.SSLContext | None, rtt_s: float) -> None:
        self._inner, self._tls, self._rtt_s = inner, tls, rtt_s
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.pause_reading()
        self._transport = transport
        delay = self._rtt_s * (2 if self._tls is not None else 1)
        self._timer = asyncio.get_running_loop().call_later(delay, self._serve)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _serve(self) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if self._tls is None:
            transport.set_protocol(self._inner)
            self._inner.connection_made(transport)
        else:
            loop = asyncio.get_running_loop()
            waiter = loop.create_future()
            waiter.add_done_callback(lambda done: done.cancelled() or done.exception())  # a refused handshake
            secure = SSLProtocol(loop, self._inner, self._tls, waiter, server_side=True)
            transport.set_protocol(secure)
            secure.connection_made(transport)
        transport.resume_reading()


def _late_app(app: Asgi, rtt_s: float) -> Asgi:
    """The ASGI app with every HTTP response started ``rtt_s`` late (the request's and response's flight)."""

    async def late(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_late(message: Any) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(rtt_s)
            await send(message)

        await app(scope, receive, send_late)

    return late


def _late_server(rtt_s: float, endpoint: web.Endpoint, *, make: Any) -> uvicorn.Server:
    server: uvicorn.Server = make(replace(endpoint, app=_late_app(endpoint.app, rtt_s), tls=None))
    protocol_class = server.config.http_protocol_class

    def late_protocol(**kw: Any) -> asyncio.Protocol:
        return _LateConnection(protocol_class(**kw), endpoint.tls, rtt_s)

    server.config.http_protocol_class = late_protocol  # type: ignore[assignment]
    return server


def serve_lab(variant: str, connection: Connection, rtt_ms: float = 0.0) -> None:
    """Child process: run the lab (with the bench hosts) until the parent says stop.

    The lab's servers live in their own process so they do not share the audit's GIL: on a real launch the
    servers are remote, and the benchmark measures launchready, not the lab competing with it for one core.
    With ``rtt_ms`` every listener answers that much later (see the module docstring).
    """
    late = functools.partial(_late_server, rtt_ms / 1000, make=web._server)
    with (
        mock.patch.object(orchestrator, "apply_surface_flaws", with_bench_hosts),
        mock.patch.object(web, "_server", late if rtt_ms > 0 else web._server),
        Lab(LabVariant(variant)) as lab,
    ):
        connection.send((str(lab.config_path), lab.nameserver, lab.ca_bundle))
        connection.recv()


async def audit(config: LaunchConfig, options: RunOptions) -> tuple[float, float, AuditRun]:
    """Wall and CPU seconds of one audit (CPU: this process only, i.e. launchready's own work)."""
    checks = surface_checks()
    wall, cpu = time.perf_counter(), time.process_time()
    run = await run_audit(config, checks, options)
    return time.perf_counter() - wall, time.process_time() - cpu, run


def measure(variant: str, runs: int, rtt_ms: float) -> dict[str, tuple[list[float], list[float], int]]:
    """Start a lab (``rtt_ms`` late), audit it ``runs`` times with 1 and 10 hosts: walls, CPUs, findings."""
    parent, child = multiprocessing.get_context("spawn").Pipe()
    lab = multiprocessing.get_context("spawn").Process(
        target=serve_lab, args=(variant, child, rtt_ms), daemon=True
    )
    lab.start()
    results: dict[str, tuple[list[float], list[float], int]] = {}
    try:
        if not parent.poll(60):
            raise SystemExit("the lab did not start within 60 s")
        config_path, nameserver, ca_bundle = parent.recv()
        base = load_config(Path(config_path))
        options = RunOptions(deadline_s=60, nameserver=nameserver, ca_bundle=ca_bundle)
        one = config_with(base, ())
        ten = config_with(base, (*base.product.subdomains, *EXTRA_LABELS))
        assert len(one.public_hosts) == 2 and len(ten.public_hosts) == 10, ten.public_hosts
        asyncio.run(audit(ten, options))  # warm-up: imports, the lab servers' first handshakes
        for label in ("1 host", "10 hosts"):
            results[label] = ([], [], 0)
        for _ in range(runs):
            for label, config in (("1 host", one), ("10 hosts", ten)):
                wall, cpu, run = asyncio.run(audit(config, options))
                walls, cpus, _ = results[label]
                walls.append(wall)
                cpus.append(cpu)
                results[label] = (walls, cpus, len(run.findings))
    finally:
        parent.send("stop")
        lab.join(30)
    return results


def report(title: str, results: dict[str, tuple[list[float], list[float], int]]) -> None:
    print(title)
    wall_median = {label: statistics.median(walls) for label, (walls, _, _) in results.items()}
    for label, (walls, cpus, findings) in results.items():
        spread = ", ".join(f"{v:.2f}" for v in walls)
        cpu = statistics.median(cpus)
        print(
            f"{label:>11}: {wall_median[label]:.2f} s wall, {cpu:.2f} s CPU ({findings} findings; "
            f"runs: {spread})"
        )
    ratio = wall_median["10 hosts"] / wall_median["1 host"]
    print(f"      ratio: {ratio:.2f} (target <= 1.5) {'OK' if ratio <= 1.5 else 'ABOVE TARGET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variant", choices=[v.value for v in LabVariant], default=LabVariant.HARDENED.value)
    parser.add_argument(
        "--rtt-ms",
        type=float,
        default=0.0,
        help="also measure with the lab answering this many ms late (a simulated network round trip)",
    )
    args = parser.parse_args()
    print(
        f"lab variant: {args.variant} (separate process); {len(surface_checks())} dns-edge/secure-delivery "
        f"checks; {args.runs} runs, medians"
    )
    report("pure loopback (CPU-bound: launchready's own work per host)", measure(args.variant, args.runs, 0))
    if args.rtt_ms > 0:
        report(
            f"with {args.rtt_ms:g} ms simulated round trip (TCP, TLS and each HTTP response)",
            measure(args.variant, args.runs, args.rtt_ms),
        )


if __name__ == "__main__":
    main()
