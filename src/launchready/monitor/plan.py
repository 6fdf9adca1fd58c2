"""Turn ``launchready.toml`` into the monitor's checks — config as code, the request Uptime Kuma never met.

Every check id is stable across restarts (``route:<name>``, ``chat``, ``tls:<host>``, ``email``,
``heartbeat:<name>``), so stored history, leases and alert state follow the check, not the process. Routes:
``[[monitor.routes]]`` when given, else every GET route that needs no sign-in and changes no state (the same
safe set ``launchready smoke`` uses: login, webhooks, auth callbacks and the chat are left alone).
"""

from __future__ import annotations

from launchready.config import LaunchConfig
from launchready.config.model import MonitorRouteConfig
from launchready.deploy.smoke import UNSAFE_ROLES, chat_route
from launchready.monitor.model import CheckKind, MonitorCheck


def route_conditions(config: LaunchConfig) -> list[MonitorRouteConfig]:
    if config.monitor.routes:
        return list(config.monitor.routes)
    return [
        MonitorRouteConfig(route=route.name)
        for route in config.routes
        if route.method == "GET" and not route.needs_auth and route.role not in UNSAFE_ROLES
    ]


def unknown_routes(config: LaunchConfig) -> list[str]:
    names = {route.name for route in config.routes}
    return [entry.route for entry in config.monitor.routes if entry.route not in names]


def monitor_plan(config: LaunchConfig) -> list[MonitorCheck]:
    """Every check of the config, in a stable order."""
    interval = config.monitor.interval_s
    by_name = {route.name: route for route in config.routes}
    checks: list[MonitorCheck] = []
    for cond in route_conditions(config):
        route = by_name.get(cond.route)
        if route is None:
            continue
        spec = cond.model_dump(mode="json") | {"budget_ms": cond.latency_ms or config.targets.p95_ms}
        checks.append(
            MonitorCheck(
                f"route:{route.name}", CheckKind.ROUTE, route.name, config.route_url(route), interval, spec
            )
        )
    chat = chat_route(config)
    if chat is not None:
        checks.append(MonitorCheck("chat", CheckKind.CHAT, chat.name, config.route_url(chat), interval))
    https = [r for r in config.routes if (r.scheme or config.network.scheme) == "https"]
    hosts = sorted({config.host_for(r.host) for r in https} if config.routes else {config.canonical_host})
    for host in hosts:
        checks.append(MonitorCheck(f"tls:{host}", CheckKind.TLS, host, host, interval))
    checks.append(
        MonitorCheck("email", CheckKind.EMAIL, config.apex, config.apex, config.monitor.email_interval_s)
    )
    for beat in config.monitor.heartbeats:
        spec = {"period_s": beat.period_s, "grace_s": beat.grace_s}
        checks.append(
            MonitorCheck(
                f"heartbeat:{beat.name}", CheckKind.HEARTBEAT, beat.name, beat.name, beat.period_s, spec
            )
        )
    logs = config.monitor.logs
    if logs.enabled or logs.file is not None:
        spec = logs.model_dump(mode="json")
        for name in ("errors", "llm"):
            checks.append(MonitorCheck(f"logs:{name}", CheckKind.LOGS, name, config.apex, interval, spec))
    return checks
