"""The CLI rows of ``bench_load.py``: ``launchready load --format json`` as a founder runs it, on loopback.

Run: ``.venv/bin/python benchmarks/bench_load.py --part cli`` (``--part all``, the default, adds the
Python-API rows, wrk and Locust in the same run). Every row drives the real command in a child process
pinned to CPU 0 (the server on CPU 1) and reads the JSON report it wrote (``artifacts.load``):

A. Closed model, 64 users, against nginx (one worker) serving a 13-byte file over HTTP and over HTTPS,
   beside wrk ``-t1 -c64`` on the same server and URL (target: >= 60 % of wrk on both).
B. Open model over HTTP on 64 pre-opened connections (wrk2's -c64), stepped down from the CLI's
   closed-model rate until it is *sustained*: sent >= 97 % of the intended rate, nothing dropped, no errors,
   not generator-bound (target: >= 80 % of closed).
C. p99 under one 2 s stall (bench_load's known-latency server) against the truth measured at the *server*:
   each request's own arrival-to-answer time, logged by the server (target: within 5 %).
D. SSE: N concurrent streams (default 1,000) held on one core, TTFT measured per stream, against the
   server's own delay before the first token (the server logs when it sent each first token).
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_load import (
    CONNECTIONS,
    GENERATOR_CPU,
    NGINX_CONF,
    SERVER_CPU,
    free_port,
    known_latency_server,
    percentile,
    pinned,
    random_loopback,
    run_locust,
    run_wrk,
    wait_for_port,
)

SSE_FIRST_TOKEN_S = 0.5
SSE_TOKENS, SSE_GAP_S = 12, 0.5
"""Each stream: first token after 0.5 s, then 12 more 0.5 s apart: ~6.5 s open, so streams overlap."""


def launchready() -> str:
    found = Path(sys.executable).with_name("launchready")
    return str(found) if found.exists() else (shutil.which("launchready") or "launchready")


@contextlib.contextmanager
def nginx_server(tls: bool) -> Iterator[tuple[str, int, str | None]]:
    """nginx (one worker, CPU 1) on a random 127.x address; with TLS, a trustme certificate for that IP."""
    import trustme

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    root = Path(tempfile.mkdtemp(prefix="bench-nginx-cli-"))
    root.chmod(0o755)
    (root / "www").mkdir()
    (root / "www" / "small.txt").write_text("hello, load!\n")
    address = random_loopback()
    port = free_port(address)
    conf = NGINX_CONF.format(root=root, address=address, port=port)
    ca_path: str | None = None
    if tls:
        ca = trustme.CA()
        cert = ca.issue_cert(address)
        cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        for extra in cert.cert_chain_pems[1:]:
            extra.write_to_path(str(root / "cert.pem"), append=True)
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        ca_path = str(root / "ca.pem")
        conf = conf.replace(
            f"listen {address}:{port};",
            f"listen {address}:{port} ssl; ssl_certificate {root}/cert.pem; "
            f"ssl_certificate_key {root}/key.pem; ssl_session_cache shared:SSL:10m;",
        )
    (root / "nginx.conf").write_text(conf)
    command = pinned(SERVER_CPU, [binary, "-p", str(root), "-c", str(root / "nginx.conf")])
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(address, port)
        yield address, port, ca_path
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(root, ignore_errors=True)


def config_text(address: str, port: int, scheme: str, path: str, *, chat: bool = False) -> str:
    port_key = "https_port" if scheme == "https" else "http_port"
    route = (
        f'[[routes]]\nname = "chat"\nrole = "chat"\nmethod = "POST"\nhost = "{address}"\npath = "{path}"\n'
        if chat
        else f'[[routes]]\nname = "bench"\nhost = "{address}"\npath = "{path}"\n'
    )
    return (
        f'[product]\nname = "Bench"\ndomain = "bench.test"\n\n[network]\n{port_key} = {port}\n'
        f'scheme = "{scheme}"\n\n{route}\n[targets]\np95_ms = 800\nchat_timeout_s = 30\n\n'
        "[load]\nmax_in_flight = 4000\nmax_requests = 10000000\nrequest_timeout_s = 30\n"
    )


def cli_load(config: str, args: list[str], timeout_s: float) -> dict[str, Any]:
    """One ``launchready load --format json`` in a pinned child; the results the report carries."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        path, report = Path(folder) / "launchready.toml", Path(folder) / "report.json"
        path.write_text(config)
        command = [launchready(), "load", "--config", str(path), "--format", "json", "--output", str(report)]
        done = subprocess.run(
            pinned(GENERATOR_CPU, [*command, *args]),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin:/usr/sbin", "HOME": folder},
        )
        if not report.exists():
            raise RuntimeError(
                f"launchready load wrote no report (exit {done.returncode}): {done.stderr[-800:]}"
            )
        results: dict[str, Any] = json.loads(report.read_text())["artifacts"]["load"]
    route = results["routes"][0]
    return {
        "exit": done.returncode,
        "intended": results.get("intended_rate"),
        "sent": results["sent_rate"],
        "completed": results["completed_rate"],
        "generator_bound": results["generator_bound"],
        "dropped": results["dropped"],
        "errors": route["errors"],
        "requests": route["requests"],
        "p50": route["latency"]["p50_ms"],
        "p99": route["latency"]["p99_ms"],
        "peak_in_flight": results["peak_in_flight"],
        "connections": results.get("connections"),
        "chat": route.get("chat"),
        "notes": results["notes"],
    }


def closed_rows(duration_s: float, repeat: int = 3) -> dict[str, Any]:
    """wrk, Locust and the CLI take turns ``repeat`` times on one server; the medians are compared (the box
    is shared, so one run of each, minutes apart, would compare two different machines)."""
    rows: dict[str, Any] = {}
    for scheme in ("http", "https"):
        with nginx_server(tls=scheme == "https") as (address, port, ca):
            url = f"{scheme}://{address}:{port}/small.txt"
            config = config_text(address, port, scheme, "/small.txt")
            extra = ["--ca-bundle", ca] if ca else []
            wrk, cli, locust = [], [], []
            for _ in range(repeat):
                wrk.append(run_wrk(url, duration_s))
                args = ["--users", str(CONNECTIONS), "--duration", f"{duration_s:g}", *extra]
                cli.append(cli_load(config, args, duration_s + 90))
                found = run_locust(f"{scheme}://{address}:{port}", "/small.txt", CONNECTIONS, 0.0, duration_s)
                if found:
                    locust.append(found["rate"])
            middle = sorted(cli, key=lambda run: float(run["completed"]))[len(cli) // 2]
            rows[scheme] = {
                "wrk": statistics.median(wrk),
                "wrk_runs": wrk,
                "cli": middle,
                "cli_runs": [run["completed"] for run in cli],
                "locust": statistics.median(locust) if locust else None,
                "locust_runs": locust,
            }
    return rows


def open_rows(duration_s: float, closed_rate: float) -> dict[str, Any]:
    """Step the open model down from the closed rate until a rate is sustained."""
    tried: list[dict[str, Any]] = []
    sustained = None
    with nginx_server(tls=False) as (address, port, _):
        config = config_text(address, port, "http", "/small.txt")
        for factor in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2):
            rate = round(closed_rate * factor, -1)
            args = ["--rate", f"{rate:g}", "--duration", f"{duration_s:g}", "--connections", str(CONNECTIONS)]
            run = cli_load(config, args, duration_s + 90)
            tried.append({"rate": rate, **{k: v for k, v in run.items() if k != "chat"}})
            if (
                run["sent"] >= 0.97 * rate
                and not run["dropped"]
                and not run["errors"]
                and not run["generator_bound"]
            ):
                sustained = rate
                break
    return {"sustained": sustained, "tried": tried}


def stall_row(rate: float, duration_s: float) -> dict[str, Any]:
    count = math.ceil(rate * duration_s) * 3
    with known_latency_server(count) as base:
        address, port = base.removeprefix("http://").split(":")
        config = config_text(address, int(port), "http", "/known")
        cli = cli_load(config, ["--rate", f"{rate:g}", "--duration", f"{duration_s:g}"], duration_s + 90)
        with urllib.request.urlopen(base + "/stats", timeout=10) as answer:  # loopback only
            served = [float(x) for x in json.loads(answer.read())]
    truth = {p: percentile(served, p) * 1000 for p in (50, 95, 99)}
    return {"rate": rate, "cli": cli, "server": truth, "server_requests": len(served)}


def serve_sse(address: str, port: int, log_path: str) -> None:
    """A tiny SSE chat: a keep-alive at once, the first token after SSE_FIRST_TOKEN_S, then the rest."""
    import asyncio

    from aiohttp import web

    first_token_delays: list[float] = []

    async def chat(request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b": keep-alive\n\n")
        await asyncio.sleep(max(0.0, arrived + SSE_FIRST_TOKEN_S - time.monotonic()))
        for index in range(SSE_TOKENS + 1):
            await response.write(f'data: {{"delta": "tok{index} "}}\n\n'.encode())
            if index == 0:
                first_token_delays.append(time.monotonic() - arrived)
            await asyncio.sleep(SSE_GAP_S)
        await response.write(b"data: [DONE]\n\n")
        return response

    async def stats(request: web.Request) -> web.Response:
        Path(log_path).write_text(json.dumps(first_token_delays))
        return web.json_response(len(first_token_delays))

    app = web.Application()
    app.router.add_post("/chat", chat)
    app.router.add_get("/stats", stats)
    web.run_app(app, host=address, port=port, print=None, access_log=None, backlog=4096)


def sse_row(streams: int) -> dict[str, Any]:
    address = random_loopback()
    port = free_port(address)
    with tempfile.TemporaryDirectory(prefix="bench-sse-") as folder:
        log = Path(folder) / "ttft.json"
        command = [sys.executable, __file__, "--child-sse", address, str(port), str(log)]
        process = subprocess.Popen(pinned(SERVER_CPU, command))
        try:
            wait_for_port(address, port)
            spread_s = 4.0  # all streams start within 4 s and each stays open ~6.5 s: all overlap
            config = config_text(address, port, "http", "/chat", chat=True)
            args = ["--rate", f"{streams / spread_s:g}", "--duration", f"{spread_s:g}"]
            cli = cli_load(config, args, 120)
            with urllib.request.urlopen(f"http://{address}:{port}/stats", timeout=10):
                pass
            delays = [float(x) for x in json.loads(log.read_text())]
        finally:
            process.terminate()
            process.wait(10)
    server = {p: percentile(delays, p) * 1000 for p in (50, 99)} if delays else {}
    return {"streams": streams, "cli": cli, "server_ttft": server}


def cli_rows(duration_s: float, stall_rate: float, stall_duration_s: float, streams: int) -> dict[str, Any]:
    closed = closed_rows(duration_s)
    return {
        "closed": closed,
        "open": open_rows(duration_s, closed["http"]["cli"]["completed"]),
        "stall": stall_row(stall_rate, stall_duration_s),
        "sse": sse_row(streams),
    }


def report_cli(c: dict[str, Any]) -> None:
    print("\n== CLI rows: launchready load --format json (one core: generator CPU 0, server CPU 1) ==")
    print(
        f"{'closed model, 64 conns':28}{'wrk':>10}{'Locust':>10}{'launchready':>13}{'lr/wrk':>8}{'lr/Locust':>11}"
    )
    for scheme in ("http", "https"):
        row = c["closed"][scheme]
        cli = row["cli"]["completed"]
        locust = row["locust"]
        print(
            f"{'nginx 13 B over ' + scheme.upper():28}{row['wrk']:10.0f}"
            f"{(f'{locust:10.0f}' if locust else '   skipped')}{cli:13.0f}{cli / row['wrk']:8.0%}"
            f"{(f'{cli / locust:10.2f}x' if locust else '')}"
        )
        c_row = row["cli"]
        print(f"   runs: wrk {[round(x) for x in row['wrk_runs']]}, launchready {[round(x) for x in row['cli_runs']]}, "
              f"Locust {[round(x) for x in row['locust_runs']]} (medians above)")  # fmt: skip
        print(f"   launchready: {c_row['requests']} requests, {c_row['errors']} errors, p50 {c_row['p50']:.2f} ms, "
              f"p99 {c_row['p99']:.2f} ms; {(c_row['connections'] or {}).get('tls_resumed', 0)} TLS resumed")  # fmt: skip
    closed_rate = c["closed"]["http"]["cli"]["completed"]
    sustained = c["open"]["sustained"]
    print(f"\nopen model over HTTP, sustained: {sustained or 0:.0f} req/s = {(sustained or 0) / closed_rate:.0%} "
          "of the CLI's closed-model rate (target >= 80 %)")  # fmt: skip
    for attempt in c["open"]["tried"]:
        cause = "generator-bound (sends late)" if attempt["generator_bound"] else "kept the schedule"
        print(
            f"   intended {attempt['rate']:8.0f}/s: sent {attempt['sent']:8.0f}/s, completed "
            f"{attempt['completed']:8.0f}/s, dropped {attempt['dropped']}, p99 {attempt['p99']:.1f} ms: {cause}"
        )
    stall = c["stall"]
    cli, server = stall["cli"], stall["server"]
    print(f"\np99 under a 2 s stall, open model {stall['rate']:g}/s: launchready vs the server's own times")
    print(f"   launchready p50 {cli['p50']:.1f} ms, p99 {cli['p99']:.1f} ms ({cli['requests']} requests)")
    print(
        f"   server      p50 {server[50]:.1f} ms, p99 {server[99]:.1f} ms ({stall['server_requests']} requests)"
    )
    print(f"   p99 ratio launchready/server: {cli['p99'] / server[99]:.3f} (target within 5 %)")
    sse = c["sse"]
    chat = sse["cli"]["chat"] or {}
    ttft = chat.get("ttft", {})
    print(f"\nSSE: {sse['streams']} streams, peak {sse['cli']['peak_in_flight']} open at once on one core")
    print(
        f"   TTFT per stream: p50 {ttft.get('p50_ms', 0):.0f} ms, p99 {ttft.get('p99_ms', 0):.0f} ms over "
        f"{ttft.get('count', 0)} streams; errors {sse['cli']['errors']}, dropped {sse['cli']['dropped']}"
    )
    if sse["server_ttft"]:
        print(
            f"   server's own first-token delay: p50 {sse['server_ttft'][50]:.0f} ms, p99 "
            f"{sse['server_ttft'][99]:.0f} ms (planned {SSE_FIRST_TOKEN_S * 1000:.0f} ms)"
        )


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child-sse":
    serve_sse(sys.argv[2], int(sys.argv[3]), sys.argv[4])
