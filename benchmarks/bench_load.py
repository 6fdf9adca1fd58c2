"""Benchmark of ``launchready load`` (not a test): rate per core and percentile accuracy, on loopback.

Run: ``.venv/bin/python benchmarks/bench_load.py`` (about three minutes; ``--duration`` shortens it).
Needs nginx and wrk: ``apt-get update && apt-get install -y nginx-light wrk``; Locust comes with the venv
(without it, its rows say "skipped" and the rest still runs). Every server binds a random 127.x.y.z
address (loopback only); every run is bounded in time and count.

1. Highest rate on one core, in the CLOSED model for every tool: nginx (one worker, pinned to CPU 1) serves
   a 13-byte file; each generator is pinned to CPU 0 and keeps 64 connections busy with no wait: wrk
   (``-t1 -c64``), Locust (FastHttpUser, one process, 64 users, ``constant(0)``) and launchready's native
   engine (64 users). That is the like-for-like ceiling. launchready's OPEN model is then stepped down from
   that ceiling until a rate is *sustained* (>= 97 % of the planned rate sent, <= 0.1 % dropped,
   p99 < 100 ms); Locust has no open model, so that row has no Locust counterpart.
2. Percentile accuracy, in the OPEN model: a Python server (pinned to CPU 1) answers with a known latency
   distribution and holds every answer during one 2 s stall. The truth is what an ideal open-model client
   sees on the same schedule (computed, not measured). launchready runs its open model at the rate.
   Locust runs twice with ``constant_throughput`` (a user sends at most ``pace`` requests/s and waits for
   each answer): "open-equivalent" gives each user a period (1/pace = 4 s) longer than the slowest answer
   (2.2 s), and user i first fires i/users of a period after the start (Locust alone spawns users in
   once-a-second batches, which makes bursts), so no user is ever waiting when its turn comes and the
   arrivals follow the schedule like an open model; "closed, paced" is the usual set-up (rate / 4
   users at 4/s each), where users stuck behind the stall stop sending (coordinated omission).

Targets (issue 6): launchready >= 2x Locust's rate per core, >= 25 % of wrk's, p99 within 5 % of the truth.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

GENERATOR_CPU, SERVER_CPU = 0, 1
CONNECTIONS = 64

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen {address}:{port};
        location / {{ root {root}/www; }}
        location = /warm {{ return 200 "ok"; }}
    }}
}}
"""

LOCUSTFILE = """
import itertools, time
import gevent
from locust import FastHttpUser, constant, constant_throughput, task
from locust.exception import StopUser
PACE = {pace!r}
DURATION = {duration!r}
PHASED = {phased!r}
USERS = {users!r}
_index = itertools.count()
_start = []
class Bench(FastHttpUser):
    wait_time = constant_throughput(PACE) if PACE else constant(0)
    network_timeout = 30.0
    def on_start(self):
        # open the connection before the first timed request (the servers answer /warm at once, untimed)
        self.client.get("/warm", name="warm-up")
        if PHASED:
            # user i first fires at start + i/USERS of a period, so the arrivals are evenly spaced
            # (Locust itself spawns users in batches once a second, which would make them bursts)
            _start.append(time.monotonic() + 1.0)
            gevent.sleep(max(0.0, _start[0] + next(_index) / USERS / PACE - time.monotonic()))
            # constant_throughput paces from this clock (set when the user was built): restart it here, or
            # the offset slept above counts as the first task's run time and the second request goes at once
            self._cp_last_run = time.perf_counter()
    @task
    def get(self):
        if PHASED and time.monotonic() >= _start[0] + DURATION:
            raise StopUser()  # the schedule is over: exactly DURATION seconds of arrivals
        self.client.get({path!r})
"""

# --- the accuracy server: a known latency distribution and one stall ------------------------------------
BASE_MS = [10] * 80 + [30] * 15 + [80] * 4 + [200] * 1
STALL_AT_S, STALL_S = 4.0, 2.0


def base_latencies(count: int) -> list[float]:
    """The server's service time for request i (seeded, so the truth can be computed from the schedule)."""
    rng = random.Random(7)
    return [rng.choice(BASE_MS) / 1000 for _ in range(count)]


def true_latencies(rate: float, duration_s: float) -> list[float]:
    """What an ideal open-model client sees: arrival i (at i/rate) waits out the stall, then is served."""
    count = math.ceil(rate * duration_s)
    services = base_latencies(count)
    truth = []
    for i in range(count):
        t = i / rate
        wait = STALL_AT_S + STALL_S - t if STALL_AT_S <= t < STALL_AT_S + STALL_S else 0.0
        truth.append(wait + services[i])
    return truth


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (HdrHistogram's definition)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def serve_known_latency(address: str, port: int, count: int) -> None:
    from aiohttp import web

    services = base_latencies(count)
    state = {"index": 0, "start": 0.0}

    async def handle(request: web.Request) -> web.Response:
        now = time.monotonic()
        if not state["start"]:
            state["start"] = now
        index = int(state["index"])
        state["index"] = index + 1
        stall_from = state["start"] + STALL_AT_S
        if stall_from <= now < stall_from + STALL_S:
            await asyncio.sleep(stall_from + STALL_S - now)
        await asyncio.sleep(services[index % len(services)])
        served.append(time.monotonic() - now)  # the server's own view: arrival to answer
        return web.Response(text="ok")

    served: list[float] = []
    app = web.Application()

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(served)

    app.router.add_get("/stats", stats)

    async def warm(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/known", handle)
    app.router.add_get("/warm", warm)
    web.run_app(app, host=address, port=port, print=None, access_log=None, backlog=2048)


# --- helpers ------------------------------------------------------------------------------------------
def random_loopback() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def free_port(address: str) -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def wait_for_port(address: str, port: int, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((address, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {address}:{port}")


def pinned(cpu: int, command: list[str]) -> list[str]:
    """Pin to one CPU (generator and server apart) when there are two and taskset exists."""
    return (
        ["taskset", "-c", str(cpu), *command]
        if shutil.which("taskset") and (os.cpu_count() or 1) >= 2
        else command
    )


@contextlib.contextmanager
def nginx() -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    root = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    root.chmod(0o755)
    (root / "www").mkdir()
    (root / "www" / "small.txt").write_text("hello, load!\n")
    address = random_loopback()
    port = free_port(address)
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, address=address, port=port))
    command = pinned(SERVER_CPU, [binary, "-p", str(root), "-c", str(root / "nginx.conf")])
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(address, port)
        yield f"http://{address}:{port}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def known_latency_server(count: int) -> Iterator[str]:
    address = random_loopback()
    port = free_port(address)
    command = [sys.executable, __file__, "--child-server", address, str(port), str(count)]
    process = subprocess.Popen(pinned(SERVER_CPU, command))
    try:
        wait_for_port(address, port)
        yield f"http://{address}:{port}"
    finally:
        process.terminate()
        process.wait(10)


def run_child(args: list[str], timeout_s: float) -> dict[str, Any]:
    command = pinned(GENERATOR_CPU, [sys.executable, __file__, *args])
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- generators ---------------------------------------------------------------------------------------
def native_child(url: str, rate: float, users: int, duration_s: float, max_in_flight: int) -> dict[str, Any]:
    """One native run in this (pinned) process; prints its summary as JSON."""
    from launchready.config.model import LoadStage
    from launchready.load.generator import LoadPlan
    from launchready.load.run import LoadOptions, run_native
    from launchready.load.scenario import Scenario, Step

    step = Step(name="bench", method="GET", url=url, host="", path="/")
    plan = LoadPlan(
        duration_s=duration_s,
        max_requests=10_000_000,
        max_in_flight=max_in_flight,
        start_rate=rate,
        stages=(LoadStage(duration_s=duration_s, target_rate=rate),),
        users=users or None,
    )
    results = asyncio.run(run_native(Scenario(steps=(step,)), plan, LoadOptions(), request_timeout_s=30))
    route = results.routes[0]
    return {
        "achieved": results.achieved_rate,
        "scheduled": results.scheduled,
        "dropped": results.dropped,
        "errors": route.errors,
        "p50": route.latency.p50_ms,
        "p95": route.latency.p95_ms,
        "p99": route.latency.p99_ms,
        "max": route.latency.max_ms,
    }


def run_wrk(url: str, duration_s: float) -> float:
    command = pinned(GENERATOR_CPU, ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration_s:g}s", url])
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 30, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("Requests/sec:"))
    return float(line.split()[1])


def locust_missing() -> str:
    """Why Locust cannot run here ("" when it can)."""
    if importlib.util.find_spec("locust") is None:
        return "Locust is not installed in this interpreter (pip install locust)"
    return ""


def run_locust(
    url: str, path: str, users: int, pace: float, duration_s: float, phased: bool = False
) -> dict[str, Any] | None:
    """One headless Locust run; None (with the reason printed) when it produced no statistics."""
    missing = locust_missing()
    if missing:
        print(f"Locust skipped: {missing}", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as folder:
        locustfile = Path(folder) / "locustfile.py"
        locustfile.write_text(
            LOCUSTFILE.format(pace=pace, path=path, phased=phased, users=users, duration=duration_s)
        )
        stats = Path(folder) / "stats"
        command = pinned(
            GENERATOR_CPU,
            [
                sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-H", url,
                "-u", str(users), "-r", str(users), "-t", f"{duration_s + (2 if phased else 0):g}s",
                "--stop-timeout", "5", "--only-summary", "--loglevel", "ERROR", "--json-file", str(stats),
            ],
        )  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 90, check=False)
        report = stats.with_suffix(".json")
        entries = json.loads(report.read_text()) if report.exists() else []
        if not any(e["name"] == path for e in entries):
            print(
                f"Locust skipped: no statistics (exit {done.returncode}): {done.stderr[-300:]}",
                file=sys.stderr,
            )
            return None
        entry = next(e for e in entries if e["name"] == path)
    times: list[float] = []
    for rounded_ms, count in entry["response_times"].items():
        times += [float(rounded_ms)] * int(count)
    if not times:
        return None
    return {
        "rate": entry["num_requests"] / duration_s,
        "requests": entry["num_requests"],
        "failures": entry.get("num_failures", 0),
        "users": users,
        "pace": pace,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
    }


# --- the two parts --------------------------------------------------------------------------------------
def throughput(duration_s: float) -> dict[str, Any]:
    with nginx() as base:
        url = base + "/small.txt"
        wrk = run_wrk(url, duration_s)
        locust = run_locust(base, "/small.txt", CONNECTIONS, 0.0, duration_s)
        args = [url, "0", str(CONNECTIONS), str(duration_s), "512"]
        closed = run_child(["--child-native", *args], duration_s + 60)
        sustained, tried = None, []
        for factor in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2):
            rate = round(closed["achieved"] * factor, -1)
            run = run_child(["--child-native", url, str(rate), "0", str(duration_s), "512"], duration_s + 60)
            tried.append({"rate": rate, **run})
            ok = (
                run["achieved"] >= 0.97 * rate
                and run["dropped"] <= 0.001 * run["scheduled"]
                and run["p99"] < 100
                and run["errors"] == 0
            )
            if ok:
                sustained = rate
                break
    return {
        "wrk": wrk,
        "locust": locust["rate"] if locust else None,
        "native_closed": closed["achieved"],
        "native_open": sustained,
        "open_attempts": tried,
    }


LOCUST_OPEN_PERIOD_S = 4.0
"""Each open-equivalent Locust user sends once per period; it must exceed the slowest answer (stall + 200 ms)."""


def accuracy(rate: float, duration_s: float) -> dict[str, Any]:
    truth = true_latencies(rate, duration_s)
    true_p = {p: percentile(truth, p) * 1000 for p in (50, 95, 99)}
    count = len(truth) * 3
    with known_latency_server(count) as base:
        native = run_child(
            ["--child-native", base + "/known", str(rate), "0", str(duration_s), "2000"], duration_s + 90
        )
    assert STALL_S + max(BASE_MS) / 1000 < LOCUST_OPEN_PERIOD_S
    open_users = math.ceil(rate * LOCUST_OPEN_PERIOD_S)
    with known_latency_server(count) as base:
        locust_open = run_locust(
            base, "/known", open_users, 1 / LOCUST_OPEN_PERIOD_S, duration_s, phased=True
        )
    paced_users = max(1, int(rate // 4))
    with known_latency_server(count) as base:
        locust_paced = run_locust(base, "/known", paced_users, rate / paced_users, duration_s)
    return {
        "rate": rate,
        "duration_s": duration_s,
        "truth": true_p,
        "native": native,
        "locust_open": locust_open,
        "locust_paced": locust_paced,
    }


def report(t: dict[str, Any], a: dict[str, Any]) -> None:
    best_native = max(t["native_closed"], t["native_open"] or 0)
    print(
        "\n== 1. Highest rate on one core, nginx small file (loopback), closed model: 64 connections, no wait =="
    )
    print(f"wrk (1 thread, {CONNECTIONS} conns)            {t['wrk']:10.0f} req/s")
    if t["locust"]:
        print(f"Locust FastHttpUser (1 proc, {CONNECTIONS} users)   {t['locust']:10.0f} req/s")
    else:
        print("Locust FastHttpUser                     skipped (Locust did not run: see above)")
    print(f"launchready closed ({CONNECTIONS} users)           {t['native_closed']:10.0f} req/s")
    print(
        f"launchready open model, sustained       {t['native_open'] or 0:10.0f} req/s  (no Locust counterpart)"
    )
    for attempt in t["open_attempts"]:
        print(f"   tried {attempt['rate']:8.0f}/s: sent {attempt['achieved']:8.0f}/s, "
              f"dropped {attempt['dropped']}, "
              f"p99 {attempt['p99']:.1f} ms")  # fmt: skip
    if t["locust"]:
        print(
            f"ratio launchready closed / Locust closed (same model): {t['native_closed'] / t['locust']:.2f}x"
        )
        print(f"ratio best launchready / Locust:  {best_native / t['locust']:.2f}x  (target >= 2)")
        print(
            f"ratio launchready open sustained / Locust closed: {(t['native_open'] or 0) / t['locust']:.2f}x"
        )
    print(f"ratio best launchready / wrk:     {best_native / t['wrk']:.0%}  (target >= 25 %)")
    print(
        f"\n== 2. Percentiles vs truth, open model: {a['rate']:g} req/s for {a['duration_s']:g}s, "
        f"one {STALL_S:g}s stall =="
    )
    print(f"{'':34}{'sent':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  p95/truth  p99/truth")
    truth, native = a["truth"], a["native"]
    print(
        f"{'truth (computed from the schedule)':34}{'':>7}{truth[50]:10.1f}{truth[95]:10.1f}{truth[99]:10.1f}"
    )
    open_users = math.ceil(a["rate"] * LOCUST_OPEN_PERIOD_S)
    rows = (
        ("launchready open model", native, native.get("scheduled", 0) - native.get("dropped", 0)),
        (f"Locust open-equiv. {open_users}u x {1 / LOCUST_OPEN_PERIOD_S:g}/s", a["locust_open"], None),
        (f"Locust closed, {max(1, int(a['rate'] // 4))}u x 4/s", a["locust_paced"], None),
    )
    for name, row, sent in rows:
        if row is None:
            print(f"{name:34}skipped (Locust did not run: see above)")
            continue
        sent = row.get("requests", 0) if sent is None else sent
        print(
            f"{name:34}{sent:>7}{row['p50']:10.1f}{row['p95']:10.1f}{row['p99']:10.1f}"
            f"  {row['p95'] / truth[95]:9.3f}  {row['p99'] / truth[99]:9.3f}"
        )
    print(f"launchready dropped {native['dropped']}, errors {native['errors']}; the truth has "
          f"{math.ceil(a['rate'] * a['duration_s'])} requests")  # fmt: skip
    print(
        "Locust open-equivalent: every user's period is longer than the slowest answer, so no user waits and\n"
        "the arrivals follow the schedule; Locust closed, paced: a user stuck behind the stall stops sending\n"
        "and the requests queued behind it are timed from when they were finally sent (coordinated omission).\n"
        "Locust stores response times rounded to two significant digits above 100 ms (1,940 ms -> 1,900),\n"
        "so its p95/p99 near 2 s move in steps of 100 ms (about 5 %)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per throughput run")
    parser.add_argument("--accuracy-rate", type=float, default=200.0)
    parser.add_argument("--accuracy-duration", type=float, default=12.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--part", choices=("all", "api", "cli"), default="all", help="api: Python API rows; cli: CLI rows"
    )
    parser.add_argument("--streams", type=int, default=1000, help="concurrent SSE streams (CLI rows)")
    parser.add_argument("--child-native", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--child-server", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_server:
        address, port, count = args.child_server
        serve_known_latency(address, int(port), int(count))
        return
    if args.child_native:
        url, rate, users, duration, in_flight = args.child_native
        print(json.dumps(native_child(url, float(rate), int(users), float(duration), int(in_flight))))
        return
    missing = [
        tool for tool in ("nginx", "wrk") if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists())
    ]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: run  apt-get update && apt-get install -y nginx-light wrk")
    if (os.cpu_count() or 1) < 2:
        print("warning: one CPU only; generator and server will share it", file=sys.stderr)
    print(f"load average before the run: {os.getloadavg()[0]:.1f} (2 cores shared with other jobs)")
    from bench_load_cli import cli_rows, report_cli

    figures: dict[str, Any] = {}
    if args.part in ("all", "api"):
        figures["throughput"] = t = throughput(args.duration)
        figures["accuracy"] = a = accuracy(args.accuracy_rate, args.accuracy_duration)
        report(t, a)
    if args.part in ("all", "cli"):
        figures["cli"] = c = cli_rows(args.duration, args.accuracy_rate, args.accuracy_duration, args.streams)
        report_cli(c)
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
