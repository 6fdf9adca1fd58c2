"""Benchmark: ``launchready monitor`` with 1,000 and 10,000 HTTP checks at a 60 s interval (issue 13).

Each size starts a fresh loopback target server (aiohttp, in its own process so its CPU is not counted)
answering ``/r<N>``, writes a config with N routes, and runs the real ``launchready monitor`` process
(SQLite in WAL mode, the default) with its dashboard. After a warm-up it measures over one window:

- CPU share of the monitor process (user + system CPU seconds / wall seconds; 1.0 = one whole core),
- peak RSS of the monitor process,
- scheduling lateness p99 (a run's start minus its due time, from the ``results`` table),
- checks completed per minute,
- dashboard p95: a signed-in ``GET /`` (page 1 of N/50), timed from this process, while the monitor works.

Targets (issue 13): 10,000 checks/min on one core under 300 MB, lateness p99 < 1 s, dashboard p95 < 200 ms.
Peer: Gatus (a Go module) needs a Go toolchain; this machine has none (``go`` is not installed; Debian's
``golang-go`` here is 1.19 while Gatus v5's go.mod declares go 1.24.1), so no side-by-side run — the script
says so and prints no peer figure.

    .venv/bin/python benchmarks/bench_monitor.py [--sizes 1000 10000] [--window 60] [--warmup 20]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import sqlalchemy as sa

from launchready.monitor.auth import hash_password
from launchready.monitor.store import Store
from launchready.monitor.store.schema import results

SERVER = """
import sys
from aiohttp import web
async def answer(request):
    return web.Response(text="ok")
app = web.Application()
app.router.add_get("/{tail:.*}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
LAUNCH = "from launchready.cli.app import main; main()"
PASSWORD = "benchmark password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def write_config(folder: Path, target_port: int, web_port: int, size: int) -> Path:
    lines = ['[product]\nname = "Bench"\ndomain = "chatbot.test"\n',
             f'[network]\nhttp_port = {target_port}\nscheme = "http"\n']  # fmt: skip
    lines += [f'[[routes]]\nname = "r{i}"\nhost = "127.0.0.1"\npath = "/r{i}"\n' for i in range(size)]
    lines.append(
        f'[monitor]\ndatabase = "sqlite:///{folder}/monitor.db"\ninterval_s = 60\nconcurrency = 100\n'
        f'timeout_s = 5\nlisten = "127.0.0.1:{web_port}"\n'
    )
    path = folder / "launchready.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def dashboard_times(web_port: int, samples: int) -> list[float]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{web_port}"
    form = opener.open(base + "/login", timeout=10).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    for cookie in jar:  # the cookies are Secure; this plain-HTTP loopback client must be told to send them
        cookie.secure = False
    data = urllib.parse.urlencode({"csrf": csrf.group(1), "name": "bench", "password": PASSWORD}).encode()
    opener.open(base + "/login", data=data, timeout=10).read()
    for cookie in jar:
        cookie.secure = False
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        page = opener.open(base + "/", timeout=10).read().decode()
        times.append(time.perf_counter() - started)
        if "data-check=" not in page:
            raise SystemExit("the dashboard did not list checks (login failed?)")
        time.sleep(0.5)
    return times


def run_size(size: int, window_s: float, warmup_s: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-monitor-{size}-"))
    target_port, web_port = free_port(), free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(target_port)])
    monitor = None
    try:
        wait_port(target_port)
        config = write_config(folder, target_port, web_port, size)
        store = Store(f"sqlite:///{folder}/monitor.db")
        store.migrate()
        store.set_user("bench", hash_password(PASSWORD))
        env = {**os.environ, "NO_COLOR": "1"}
        monitor = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "monitor", "--config", str(config), "--only", "monitor.route"],
            env=env, stdout=subprocess.DEVNULL, stderr=(folder / "monitor.log").open("wb"),
        )  # fmt: skip
        wait_port(web_port)
        time.sleep(warmup_s)
        started, cpu0 = time.time(), cpu_seconds(monitor.pid)
        peak = 0.0
        dash: list[float] = []
        while time.time() - started < window_s:
            peak = max(peak, rss_mb(monitor.pid))
            if len(dash) < 40 and time.time() - started > 5:
                dash += dashboard_times(web_port, 10)
            time.sleep(1)
        wall, cpu = time.time() - started, cpu_seconds(monitor.pid) - cpu0
        peak = max(peak, rss_mb(monitor.pid))
        time.sleep(1.5)  # let the last batch be written
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(results.c.at, results.c.due, results.c.state).where(results.c.at >= started, results.c.at < started + wall)
            ).all()  # fmt: skip
        lateness = sorted(max(0.0, r.at - r.due) for r in rows if r.due is not None)
        down = sum(r.state != "up" for r in rows)
        return {
            "checks": size, "per_min": len(rows) / wall * 60, "cpu_share": cpu / wall, "rss_mb": peak,
            "late_p99_s": lateness[int(0.99 * (len(lateness) - 1))] if lateness else float("nan"),
            "dash_p95_ms": sorted(dash)[int(0.95 * (len(dash) - 1))] * 1000 if dash else float("nan"),
            "dash_p50_ms": statistics.median(dash) * 1000 if dash else float("nan"), "not_up": down,
        }  # fmt: skip
    finally:
        if monitor is not None:
            monitor.terminate()
            monitor.wait(30)
        server.terminate()
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument(
        "--window", type=float, default=60.0, help="Measured seconds (one interval by default)"
    )
    parser.add_argument("--warmup", type=float, default=20.0)
    args = parser.parse_args()
    print(
        f"{'checks':>7} {'done/min':>9} {'CPU share':>9} {'RSS MB':>7} {'late p99':>9} {'dash p50':>9} {'dash p95':>9} {'not up':>6}"
    )
    for size in args.sizes:
        r = run_size(size, args.window, args.warmup)
        print(f"{r['checks']:>7.0f} {r['per_min']:>9.0f} {r['cpu_share']:>9.2f} {r['rss_mb']:>7.0f} "
              f"{r['late_p99_s']:>8.2f}s {r['dash_p50_ms']:>7.0f}ms {r['dash_p95_ms']:>7.0f}ms {r['not_up']:>6.0f}")  # fmt: skip
    print(
        "Gatus: not run — no Go toolchain here (`go` is not installed); compare with its published figures."
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other processes share them)")


if __name__ == "__main__":
    main()
