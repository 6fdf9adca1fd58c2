"""``--engine locust``: the same scenario on Locust in distributed mode, read back into ``LoadResults``.

Locust is the well-kept tool for many machines and many cores; launchready never imports it (gevent
monkey-patching would break this process's ssl) but runs ``python -m locust`` as one ``--master
--headless --expect-workers N`` and N ``--worker`` processes on loopback, bounded by ``--run-time`` and a
per-user request budget (``StopUser``), and parses ``--json-file`` (per-route response-time buckets) and
``--csv`` (failures) back into the same results model.

Locust is a *closed* model: each user waits for its answer. An arrival rate is approximated by users paced
with ``constant_throughput``; latency runs from the actual send, so a stall is under-counted (coordinated
omission) — the native engine is the one to trust for percentiles, Locust the one to scale past one core.

Names are resolved here (launchready's resolver, so ``--nameserver`` and the lab work) and the URL carries
the address with the real name in ``Host`` — see ``locust_user.py`` for the TLS consequence.

Limits, measured or by construction: ``max_requests`` is split into a per-user budget rounded up, so a run
can overshoot by fewer than ``users`` requests; Locust keeps response times rounded (1 ms under 100 ms,
10 ms under 1 s, 100 ms above), so its percentiles are that coarse; chats are timed whole (no TTFT or
inter-token figures); and spawning plus zeromq start-up cost a few seconds. When to switch from the native
engine: see ``run.SINGLE_PROCESS_CEILING``. On the benchmark machine one native core sustained ~6,700 tiny
requests/s and one Locust FastHttpUser process ~2,200: Locust needs about three workers (three cores) to
match one native core, so it pays off only for rates beyond one core, with more cores or machines to spare.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import importlib.util
import json
import math
import re
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from launchready.config.model import LaunchConfig
from launchready.engine import utc_now
from launchready.load.generator import LoadPlan
from launchready.load.recorder import new_histogram, spectrum, summarize
from launchready.load.results import LoadResults, RouteResult, TimelinePoint
from launchready.load.scenario import Scenario, Step
from launchready.net import DnsResolver, Limits, NetError

if TYPE_CHECKING:
    from launchready.load.run import LoadOptions

_TEMPLATE = Path(__file__).with_name("locust_user.py")
_PACE_PER_USER = 4.0
"""An open rate is spread over enough users that each sends at most 4 requests a second."""
_START_GRACE_S = 30.0
_CAUGHT = re.compile(r"^CatchResponseError\(['\"](.*)['\"]\)$")


class LocustError(RuntimeError):
    """Locust could not run the scenario (not installed, workers did not connect, no results)."""


async def resolve_steps(scenario: Scenario, nameserver: str | None) -> dict[str, str]:
    """Host name → address for every non-IP host of the scenario, through launchready's resolver."""
    hosts = {urlsplit(step.url).hostname or "" for step in _all_steps(scenario)}
    resolver = DnsResolver(Limits(), nameserver=nameserver)
    addresses: dict[str, str] = {}
    for host in sorted(hosts):
        if not host or _is_ip(host):
            continue
        try:
            found = await resolver.addresses(host)
        except NetError as exc:
            raise LocustError(f"cannot resolve {host} for Locust: {exc}") from exc
        if not found:
            raise LocustError(f"{host} has no address for Locust")
        addresses[host] = found[0]
    return addresses


def _is_ip(host: str) -> bool:
    for family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            socket.inet_pton(family, host)
            return True
    return False


def _all_steps(scenario: Scenario) -> Iterator[Step]:
    yield from scenario.steps
    if scenario.login is not None:
        yield scenario.login


def _step_json(step: Step, addresses: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(step.url)
    host = parts.hostname or ""
    headers = dict(step.headers)
    url = step.url
    if host in addresses:
        address = addresses[host]
        netloc = (f"[{address}]" if ":" in address else address) + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
        headers.setdefault("Host", parts.netloc)
    return {
        "name": step.name,
        "method": step.method,
        "url": url,
        "headers": headers,
        "json": step.json_body,
        "body": step.body.decode() if step.body is not None else None,
        "needs_auth": step.needs_auth,
        "is_chat": step.is_chat,
        "weight": step.weight,
    }


def locust_users(plan: LoadPlan, workers: int) -> int:
    if plan.users is not None:
        return max(plan.users, 1)
    wanted = math.ceil(plan.peak_rate / _PACE_PER_USER)
    return max(workers, min(plan.max_in_flight, wanted))


def write_locustfile(
    scenario: Scenario, plan: LoadPlan, addresses: dict[str, str], users: int, timeout_s: float, folder: Path
) -> Path:
    """The generated, self-contained locustfile (the template with the scenario embedded)."""
    first = urlsplit(scenario.steps[0].url)
    data = {
        "base_url": f"{first.scheme}://{first.netloc}",
        "steps": [_step_json(step, addresses) for step in scenario.steps],
        "login": _step_json(scenario.login, addresses) if scenario.login is not None else None,
        "pace_per_user": (plan.peak_rate / users) if plan.is_open else 0.0,
        "think_s": plan.think_time_s,
        "requests_per_user": math.ceil(plan.max_requests / users),
        "timeout_s": timeout_s,
        "done_marker": scenario.done_marker if scenario.answer_kind == "sse" else "",
    }
    text = _TEMPLATE.read_text(encoding="utf-8").replace("__SCENARIO_JSON__", json.dumps(data))
    path = folder / "locustfile.py"
    path.write_text(text, encoding="utf-8")
    return path


async def run_locust(
    config: LaunchConfig, scenario: Scenario, plan: LoadPlan, options: LoadOptions
) -> LoadResults:
    """Run master + workers as subprocesses; parse their files into ``LoadResults``."""
    if importlib.util.find_spec("locust") is None:  # found, never imported: gevent would patch this process
        raise LocustError("Locust is not installed: pip install 'launchready[locust]'")
    workers = max(1, options.workers)
    users = locust_users(plan, workers)
    addresses = await resolve_steps(scenario, options.nameserver)
    with contextlib.ExitStack() as stack:
        folder = options.work_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="launchready-locust-"))
        )
        folder.mkdir(parents=True, exist_ok=True)
        locustfile = write_locustfile(scenario, plan, addresses, users, config.load.request_timeout_s, folder)
        started_at = utc_now()
        began = time.monotonic()
        await _run_processes(locustfile, folder, plan, users, workers)
        elapsed = time.monotonic() - began
        return parse_results(folder / "stats", scenario, plan, users, workers, started_at, elapsed, addresses)


async def _run_processes(locustfile: Path, folder: Path, plan: LoadPlan, users: int, workers: int) -> None:
    port = _free_port()
    common = ["-f", str(locustfile), "--loglevel", "WARNING", "--skip-log-setup"]
    master_cmd = [
        sys.executable, "-m", "locust", *common, "--master", "--headless",
        "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
        "--expect-workers", str(workers), "--expect-workers-max-wait", str(int(_START_GRACE_S)),
        "-u", str(users), "-r", str(max(users, 1)), "-t", f"{max(1, math.ceil(plan.duration_s))}s",
        "--stop-timeout", "5", "--only-summary",
        "--json-file", str(folder / "stats"), "--csv", str(folder / "stats"),
    ]  # fmt: skip
    worker_cmd = [
        sys.executable, "-m", "locust", *common,
        "--worker", "--master-host", "127.0.0.1", "--master-port", str(port),
    ]  # fmt: skip
    log = (folder / "locust.log").open("wb")
    processes = [await asyncio.create_subprocess_exec(*master_cmd, stdout=log, stderr=log)]
    try:
        for _ in range(workers):
            processes.append(await asyncio.create_subprocess_exec(*worker_cmd, stdout=log, stderr=log))
        budget = plan.duration_s + _START_GRACE_S + 30
        try:
            async with asyncio.timeout(budget):
                await processes[0].wait()
        except TimeoutError as exc:
            raise LocustError(
                f"Locust did not finish within {budget:g}s (see {folder / 'locust.log'})"
            ) from exc
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        for process in processes:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    await process.wait()
            if process.returncode is None:
                process.kill()
                await process.wait()
        log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def parse_results(
    prefix: Path,
    scenario: Scenario,
    plan: LoadPlan,
    users: int,
    workers: int,
    started_at: Any,
    elapsed: float,
    addresses: dict[str, str],
) -> LoadResults:
    json_path = prefix.with_name(prefix.name + ".json")
    if not json_path.exists():
        log = prefix.with_name("locust.log")
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
        raise LocustError(f"Locust wrote no results ({json_path} missing). Log tail:\n{tail}")
    entries = {entry["name"]: entry for entry in json.loads(json_path.read_text())}
    failures = _failures(prefix.with_name(prefix.name + "_failures.csv"))
    window = min(elapsed, plan.duration_s) or 1e-9
    routes = tuple(
        _route(step, entries.get(step.name), failures.get(step.name, Counter()), window)
        for step in scenario.steps
    )
    completed = sum(route.requests for route in routes)
    notes = [f"Locust {workers} workers, {users} users (closed model, latency from the actual send)"]
    if addresses:
        notes.append("resolved for Locust: " + ", ".join(f"{h} → {a}" for h, a in addresses.items()))
    return LoadResults(
        engine="locust",
        model="closed",
        started_at=started_at,
        planned_duration_s=plan.duration_s,
        duration_s=round(elapsed, 3),
        target_rate=plan.peak_rate if plan.is_open else None,
        users=users,
        workers=workers,
        max_requests=plan.max_requests,
        scheduled=completed,
        sent=completed,
        completed=completed,
        dropped=0,
        achieved_rate=round(completed / max(elapsed, 1e-9), 3),
        sent_rate=round(completed / window, 3),  # Locust reports what ended; a closed model sends no more
        completed_rate=round(completed / max(elapsed, 1e-9), 3),
        latency_from="actual-send",
        routes=routes,
        notes=tuple(notes),
    )


def _failures(path: Path) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {}
    if not path.exists():
        return found
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["Name"], Counter())[row["Error"]] += int(row["Occurrences"])
    return found


def _route(step: Step, entry: dict[str, Any] | None, failures: Counter[str], window: float) -> RouteResult:
    histogram = new_histogram()
    timeline: list[TimelinePoint] = []
    requests = errors = 0
    if entry is not None:
        for rounded_ms, count in entry["response_times"].items():
            histogram.record_value(max(1, round(float(rounded_ms) * 1000)), int(count))
        requests = int(entry["num_requests"])
        errors = int(entry["num_failures"])
        per_second = {int(float(k)): int(v) for k, v in entry["num_reqs_per_sec"].items()}
        fails = {int(float(k)): int(v) for k, v in entry["num_fail_per_sec"].items()}
        first = min(per_second, default=0)
        timeline = [
            TimelinePoint(second=second - first, requests=count, errors=fails.get(second, 0))
            for second, count in sorted(per_second.items())
        ]
    by_status: dict[str, int] = {}
    by_exception: dict[str, int] = {}
    for text, count in failures.items():
        message = _CAUGHT.sub(r"\1", text)  # failures marked in the locustfile come wrapped
        if message.startswith("HTTP "):
            status = message.removeprefix("HTTP ").strip()
            by_status[status] = by_status.get(status, 0) + count
        else:
            kind = message.split("(", 1)[0].strip() or "error"
            by_exception[kind] = by_exception.get(kind, 0) + count
    return RouteResult(
        route=step.name,
        method=step.method,
        url=step.url,
        is_chat=step.is_chat,
        requests=requests,
        ok=requests - errors,
        errors=errors,
        error_rate=round(errors / requests, 6) if requests else 0.0,
        errors_by_status=by_status,
        errors_by_exception=by_exception,
        throughput_rps=round(requests / window, 3),
        latency=summarize(histogram),
        spectrum=spectrum(histogram),
        timeline=tuple(timeline),
    )
