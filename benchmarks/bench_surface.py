"""Benchmark: the public-surface audit of the lab with 1 host and with 10 hosts (issue 3, "Speed").

Runs the checks of ``checks/dns_edge`` and ``checks/secure_delivery`` (the spine's and the surface's)
against the running lab, first with a config naming only the apex (plus www, which launchready always
checks), then with ten hosts: apex, www, the lab's app/api/docs/status/help and three extra subdomains served
like ``app``. Prints the median wall time of each over several runs and their ratio. Target: ten hosts at
most 1.5 times one host, because hosts are audited concurrently, each response and handshake is shared
between checks, and the full per-address protocol scan is off (``surface.tls_full_scan``).

    .venv/bin/python benchmarks/bench_surface.py [--runs 5] [--variant hardened|flawed]

All traffic stays on loopback (the lab's 127.x block); nothing resolves a public name.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from unittest import mock

from launchready.checks.interface import Check
from launchready.checks.registry import all_checks
from launchready.config import LaunchConfig, load_config
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.lab import Lab, LabVariant, orchestrator
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


def serve_lab(variant: str, connection: Connection) -> None:
    """Child process: run the lab (with the bench hosts) until the parent says stop.

    The lab's servers live in their own process so they do not share the audit's GIL: on a real launch the
    servers are remote, and the benchmark measures launchready, not the lab competing with it for one core.
    """
    with (
        mock.patch.object(orchestrator, "apply_surface_flaws", with_bench_hosts),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variant", choices=[v.value for v in LabVariant], default=LabVariant.HARDENED.value)
    args = parser.parse_args()
    parent, child = multiprocessing.get_context("spawn").Pipe()
    lab = multiprocessing.get_context("spawn").Process(
        target=serve_lab, args=(args.variant, child), daemon=True
    )
    lab.start()
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
        walls: dict[str, list[float]] = {"1 host": [], "10 hosts": []}
        cpus: dict[str, list[float]] = {"1 host": [], "10 hosts": []}
        counts: dict[str, int] = {}
        for _ in range(args.runs):
            for label, config in (("1 host", one), ("10 hosts", ten)):
                wall, cpu, run = asyncio.run(audit(config, options))
                walls[label].append(wall)
                cpus[label].append(cpu)
                counts[label] = len(run.findings)
    finally:
        parent.send("stop")
        lab.join(30)
    wall_median = {label: statistics.median(values) for label, values in walls.items()}
    print(
        f"lab variant: {args.variant} (separate process); {len(surface_checks())} dns-edge/secure-delivery "
        f"checks; {args.runs} runs, medians"
    )
    for label, value in wall_median.items():
        spread = ", ".join(f"{v:.2f}" for v in walls[label])
        cpu = statistics.median(cpus[label])
        print(f"{label:>9}: {value:.2f} s wall, {cpu:.2f} s CPU ({counts[label]} findings; runs: {spread})")
    ratio = wall_median["10 hosts"] / wall_median["1 host"]
    print(f"    ratio: {ratio:.2f} (target <= 1.5) {'OK' if ratio <= 1.5 else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
