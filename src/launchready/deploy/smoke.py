"""Post-deploy smoke tests (issue 14; roadmap automation: "a deploy pipeline with build checks and smoke
tests"): the config's routes, one real chat, and the version endpoint, right after a deploy.

What is tested comes from the config, Gatus-style: each ``[[deploy.smoke]]`` entry names a route and its
conditions (status, keyword, JSON value, latency). With none, every safe route is tested with defaults — the
GET routes that need no sign-in (login, webhooks and auth callbacks change state and are left alone) must
answer 2xx within ``targets.p95_ms`` — plus one chat through ``[chat]`` (an answer, first token within
``targets.ttft_p95_ms``) and, with ``--expect-version``, the version at ``[deploy] version_url``.

Concurrent and bounded (``smoke_concurrency`` at once, the whole run under one deadline). A *transient*
failure — connection refused or reset, a timeout, 429/502/503/504 — is retried once after a short backoff,
because a fresh deploy often drops one request while instances swap; anything else (a 500, a 404, a wrong
body, a certificate error) is the deploy's answer and is not retried.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from launchready.checks.deploy import rules as R
from launchready.config import LaunchConfig
from launchready.config.model import RouteConfig, RouteRole, SmokeCheckConfig
from launchready.engine import AuditRun
from launchready.findings import Finding, Status
from launchready.net import ConnectError, DnsResolver, HttpClient, HttpResponse, HttpTimeout, Limits, NetError
from launchready.net.sse import ChatStream, StreamEnd, read_chat

TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
BACKOFF_S = 0.5
UNSAFE_ROLES = frozenset({RouteRole.LOGIN, RouteRole.WEBHOOK, RouteRole.AUTH_CALLBACK, RouteRole.CHAT})
T = TypeVar("T")


@dataclass(frozen=True)
class SmokeSettings:
    nameserver: str | None = None
    ca_bundle: str | None = None
    expect_version: str | None = None
    deadline_s: float = 120.0
    backoff_s: float = BACKOFF_S


def smoke_plan(config: LaunchConfig) -> list[tuple[RouteConfig, SmokeCheckConfig]]:
    """The routes to test and their conditions: ``[[deploy.smoke]]``, else every safe GET route."""
    by_name = {route.name: route for route in config.routes}
    if config.deploy.smoke:
        return [(by_name[entry.route], entry) for entry in config.deploy.smoke if entry.route in by_name]
    return [
        (route, SmokeCheckConfig(route=route.name))
        for route in config.routes
        if route.method == "GET" and not route.needs_auth and route.role not in UNSAFE_ROLES
    ]


def unknown_smoke_routes(config: LaunchConfig) -> list[str]:
    names = {route.name for route in config.routes}
    return [entry.route for entry in config.deploy.smoke if entry.route not in names]


def json_value(body: bytes, path: str) -> tuple[bool, str]:
    """(found, value as text) at a dotted path; JSON scalars other than strings as JSON (``true``, ``3``)."""
    try:
        node: Any = json.loads(body)
    except ValueError:
        return False, ""
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, ""
    return True, node if isinstance(node, str) else json.dumps(node)


def judge_route(response: HttpResponse, check: SmokeCheckConfig, budget_ms: float) -> list[str]:
    """What is wrong with this answer (empty when every condition holds)."""
    problems: list[str] = []
    if check.status is not None and response.status != check.status:
        problems.append(f"status {response.status}, expected {check.status}")
    elif check.status is None and not 200 <= response.status < 300:
        problems.append(f"status {response.status}, expected 2xx")
    if check.keyword is not None and check.keyword not in response.text:
        problems.append(f"keyword {check.keyword!r} not in the body")
    if check.json_path is not None:
        found, value = json_value(response.body, check.json_path)
        if not found:
            problems.append(f"no JSON value at {check.json_path}")
        elif check.json_equals is not None and value != check.json_equals:
            problems.append(f"{check.json_path} is {value[:60]!r}, expected {check.json_equals!r}")
    elapsed_ms = response.elapsed_s * 1000
    if elapsed_ms > budget_ms:
        problems.append(f"{elapsed_ms:.0f} ms, over the {budget_ms:.0f} ms target")
    return problems


async def with_retry(
    attempt: Callable[[], Awaitable[T]],
    transient: Callable[[T | None, NetError | None], bool],
    backoff_s: float,
) -> tuple[T | None, NetError | None, int]:
    """Run ``attempt``; once more after ``backoff_s`` when the first result or error is transient."""
    tries = 0
    result: T | None = None
    error: NetError | None = None
    for _ in range(2):
        tries += 1
        result, error = None, None
        try:
            result = await attempt()
        except NetError as exc:
            error = exc
        if not transient(result, error):
            break
        await asyncio.sleep(backoff_s)
    return result, error, tries


def _transient_response(response: HttpResponse | None, error: NetError | None) -> bool:
    if error is not None:
        return isinstance(error, (ConnectError, HttpTimeout))
    return response is not None and response.status in TRANSIENT_STATUS


def _retried(tries: int) -> str:
    return " (after one retry)" if tries > 1 else ""


async def smoke_route(
    http: HttpClient, config: LaunchConfig, route: RouteConfig, check: SmokeCheckConfig, backoff_s: float
) -> Finding:
    url = config.route_url(route)
    budget_ms = check.latency_ms or config.targets.p95_ms

    async def once() -> HttpResponse:
        body = route.body if isinstance(route.body, str) else None
        payload = route.body if isinstance(route.body, dict) else None
        return await http.fetch(
            url, method=route.method, headers=route.headers, body=body, json=payload, follow_redirects=True
        )

    response, error, tries = await with_retry(once, _transient_response, backoff_s)
    details = {"route": route.name, "attempts": tries}
    if response is None:
        return R.SMOKE_ROUTE.failed(url, f"{route.name}: {error}{_retried(tries)}", details=details)
    problems = judge_route(response, check, budget_ms)
    seen = f"{response.status} in {response.elapsed_s * 1000:.0f} ms"
    details |= {"status": response.status, "elapsed_ms": round(response.elapsed_s * 1000, 1)}
    if problems:
        return R.SMOKE_ROUTE.failed(
            url, f"{route.name}: {'; '.join(problems)}{_retried(tries)}", details=details
        )
    return R.SMOKE_ROUTE.passed(
        url, f"{route.name}: {seen}{_retried(tries)}", details=details, exercised={"requests": tries}
    )


def chat_route(config: LaunchConfig) -> RouteConfig | None:
    named = next((r for r in config.routes if r.name == config.chat.route), None)
    return named or next(iter(config.routes_with_role(RouteRole.CHAT)), None)


def chat_body(config: LaunchConfig, message: str) -> Any:
    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return node.replace("{{message}}", message)
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        return node

    return fill(config.chat.request)


def _transient_chat(stream: ChatStream | None, error: NetError | None) -> bool:
    if error is not None:
        return isinstance(error, (ConnectError, HttpTimeout))
    return stream is not None and stream.status in TRANSIENT_STATUS


async def smoke_chat(http: HttpClient, config: LaunchConfig, backoff_s: float) -> Finding:
    route = chat_route(config)
    if route is None:
        return R.SMOKE_CHAT.not_assessed(
            config.apex, "no chat route ([chat] route or a route with role chat)"
        )
    url = config.route_url(route)
    accept = "text/event-stream" if config.chat.answer.kind == "sse" else "application/json"

    async def once() -> ChatStream:
        return await read_chat(
            http.session, url, method=route.method,
            body=chat_body(config, config.performance.probe_prompt),
            headers={"Accept": accept, **route.headers}, answer_path=config.chat.answer.path,
            done_marker=config.chat.answer.done_marker, budget_s=config.targets.chat_timeout_s,
        )  # fmt: skip

    stream, error, tries = await with_retry(once, _transient_chat, backoff_s)
    if stream is None:
        return R.SMOKE_CHAT.failed(url, f"chat: {error}{_retried(tries)}", details={"attempts": tries})
    details: dict[str, object] = {"status": stream.status, "end": stream.end.value, "attempts": tries}
    ttft_ms = stream.first_token_s * 1000 if stream.first_token_s is not None else None
    budget = config.targets.ttft_p95_ms
    if stream.end is StreamEnd.NOT_STREAMED:
        problem = f"status {stream.status}: {stream.excerpt[:120]}"
    elif not stream.answer.strip():
        problem = f"no answer ({stream.end.value}{': ' + stream.error if stream.error else ''})"
    elif stream.end is not StreamEnd.DONE:
        problem = f"the answer stopped: {stream.end.value}"
    elif ttft_ms is not None and ttft_ms > budget:
        problem = f"first token after {ttft_ms:.0f} ms, over the {budget:.0f} ms target"
    else:
        details["ttft_ms"] = round(ttft_ms or 0.0, 1)
        return R.SMOKE_CHAT.passed(
            url, f"chat answered {len(stream.answer)} chars, first token in {ttft_ms:.0f} ms{_retried(tries)}",
            details=details, exercised={"chats_streamed": 1},
        )  # fmt: skip
    return R.SMOKE_CHAT.failed(url, f"chat: {problem}{_retried(tries)}", details=details)


def version_url(config: LaunchConfig) -> str | None:
    if config.deploy.version_url:
        return config.deploy.version_url
    route = next((r for r in config.routes if r.name == "version"), None)
    return config.route_url(route) if route else None


def read_version(response: HttpResponse, path: str) -> str | None:
    found, value = json_value(response.body, path)
    if found:
        return value
    text = response.text.strip().splitlines()
    return text[0][:100] if text and not text[0].startswith(("{", "[", "<")) else None


async def running_version(http: HttpClient, url: str, path: str) -> tuple[str | None, str]:
    """(version, what was seen): the version the endpoint answers now, or None with the reason."""
    try:
        response = await http.fetch(url, follow_redirects=True)
    except NetError as exc:
        return None, str(exc)
    if response.status != 200:
        return None, f"status {response.status}"
    version = read_version(response, path)
    return version, (f"version {version}" if version else f"no version at {path} in {response.text[:80]!r}")


async def smoke_version(http: HttpClient, config: LaunchConfig, expected: str | None) -> Finding:
    url = version_url(config)
    if expected is None:
        return R.SMOKE_VERSION.not_assessed(url or config.apex, "no --expect-version given")
    if url is None:
        return R.SMOKE_VERSION.not_assessed(config.apex, "no [deploy] version_url (or route named version)")
    version, seen = await running_version(http, url, config.deploy.version_path)
    if version == expected:
        return R.SMOKE_VERSION.passed(url, f"running {version}, as expected", exercised={"requests": 1})
    return R.SMOKE_VERSION.failed(url, f"expected {expected}, saw {seen}", details={"running": version})


async def run_smoke(config: LaunchConfig, settings: SmokeSettings) -> AuditRun:
    """Every smoke test of the config, at most ``smoke_concurrency`` at once, within ``deadline_s``."""
    started = datetime.now(UTC)
    limits = Limits(request_timeout=config.deploy.smoke_timeout_s)
    resolver = DnsResolver(limits, nameserver=settings.nameserver)
    gate = asyncio.Semaphore(config.deploy.smoke_concurrency)
    plan = smoke_plan(config)
    async with HttpClient(resolver, limits, ca_bundle=settings.ca_bundle) as http:

        async def bounded(make: Callable[[], Awaitable[Finding]]) -> Finding:
            async with gate:
                return await make()

        labelled: list[tuple[str, str, Callable[[], Awaitable[Finding]]]] = [
            (R.SMOKE_ROUTE.rule_id, config.route_url(route),
             lambda r=route, c=check: smoke_route(http, config, r, c, settings.backoff_s))  # type: ignore[misc]
            for route, check in plan
        ]  # fmt: skip
        labelled.append(
            (R.SMOKE_CHAT.rule_id, config.apex, lambda: smoke_chat(http, config, settings.backoff_s))
        )
        labelled.append(
            (
                R.SMOKE_VERSION.rule_id,
                config.apex,
                lambda: smoke_version(http, config, settings.expect_version),
            )
        )
        tasks = [asyncio.ensure_future(bounded(make)) for _, _, make in labelled]
        done, pending = await asyncio.wait(tasks, timeout=settings.deadline_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    findings: list[Finding] = []
    for (rule_id, target, _), task in zip(labelled, tasks, strict=True):
        if task in done and task.exception() is None:
            findings.append(task.result())
        else:
            spec = {s.rule_id: s for s in R.SMOKE_RULES}[rule_id]
            why = f"not finished within the {settings.deadline_s:.0f} s deadline" if task not in done else (
                f"{type(task.exception()).__name__}: {task.exception()}"
            )  # fmt: skip
            findings.append(spec.unverifiable(target, why))
    if not plan:
        findings.append(R.SMOKE_ROUTE.not_assessed(config.apex, "no route to smoke-test (no safe GET route)"))
    return AuditRun(
        product=config.product.name, domain=config.product.domain, started_at=started,
        finished_at=datetime.now(UTC), deadline_s=settings.deadline_s, findings=tuple(findings), attempts=(),
    )  # fmt: skip


def smoke_hook(config: LaunchConfig, settings: SmokeSettings) -> Callable[[], Awaitable[tuple[bool, str]]]:
    """The smoke tests as one drill phase: (every test passed or was not applicable, what failed)."""

    async def hook() -> tuple[bool, str]:
        run = await run_smoke(config, settings)
        problems = [f for f in run.findings if f.status in (Status.FAIL, Status.UNVERIFIABLE)]
        if problems:
            return False, "; ".join(f"{f.target}: {f.evidence}" for f in problems[:3])
        passed = sum(f.status is Status.PASS for f in run.findings)
        return True, f"{passed} smoke tests passed"

    return hook
