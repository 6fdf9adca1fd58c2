"""Read your alerts: the monitor's checks, where alerts go, the thresholds, the links and the playbook.

From ``[monitor]`` (the same plan ``launchready monitor`` runs) and the latest saved monitor run. Alert
URLs carry tokens (Slack webhooks, SMTP passwords), so only their scheme and host are shown.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from launchready.findings import Stage
from launchready.handover.data import pack_text
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section, Table

UNROUTED = "handover.alerts.unrouted"
CITE = Evidence("launchready.toml [monitor]")


def channel(url: str) -> str:
    """``slack://…`` / ``mailto://mail.example…``: the scheme, and the host only when it is a real host
    name (Apprise puts tokens where the host goes: ``slack://TokenA/TokenB/TokenC``), never a secret."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown = host if "." in host else ""
    return f"{parts.scheme or '?'}://{shown}…"


def alerts_section(inputs: HandoverInputs, monitor_href: str | None) -> Section:
    from launchready.monitor.plan import monitor_plan

    config = inputs.config
    monitor = config.monitor
    plan = monitor_plan(config)
    rows = tuple(
        (check.check_id, check.target, f"every {check.interval_s:g} s", _condition(check.spec))
        for check in plan
    )
    claims = [
        Claim(f"Dashboard and status page: http://{monitor.listen}/ (metrics at /metrics)", (CITE,)),
        Claim(
            "Thresholds: "
            f"alert after {monitor.down_after} failures in a row; route degraded over its latency budget "
            f"(default {config.targets.p95_ms:g} ms); chat degraded over {monitor.chat_total_ms:g} ms; "
            f"certificates warn at {monitor.tls_warn_days} days left; reminders every {monitor.reminder_every_s:g} s "
            f"(at most {monitor.reminder_cap})",
            (CITE,),
        ),
        Claim("Incident playbook", (Evidence("launchready handover playbook"),), pack_text().playbook),
    ]
    missing: list[Missing] = []
    if monitor.alert_urls:
        claims.insert(0, Claim("Alerts go to: " + ", ".join(channel(u) for u in monitor.alert_urls), (CITE,)))
    else:
        missing.append(
            Missing(
                UNROUTED,
                "monitor:alert_urls",
                "no alert channel in [monitor] alert_urls: alerts reach nobody",
            )
        )
    runs = [r for r in (inputs.monitor, inputs.audit) if r is not None]
    seen = [(r, [f for f in r.report.run.findings if f.stage is Stage.MONITORING]) for r in runs]
    seen = [(r, found) for r, found in seen if found]
    if seen:
        saved, found = seen[0]
        down = [f.key for f in found if f.is_problem]
        state = f"{len(found) - len(down)} of {len(found)} checks up" + (
            f"; not up: {', '.join(down[:6])}" if down else ""
        )
        claims.insert(
            0,
            Claim(
                f"Last monitor run {saved.report.run.finished_at:%Y-%m-%d %H:%M} UTC: {state}",
                (Evidence(f"monitor run {saved.path.name}", monitor_href),),
            ),
        )
    else:
        missing.append(
            Missing(
                UNROUTED,
                "monitor:runs",
                "no monitor run on record (run launchready monitor --once -o .launchready/monitor.json)",
            )
        )
    tables = (Table(("Check", "Target", "Interval", "Condition"), rows, "What the monitor checks", (CITE,)),)
    return Section(
        "alerts",
        "Read your alerts",
        tuple(claims),
        tables,
        tuple(missing),
        {"monitor_checks_planned": len(plan)},
        (UNROUTED,),
    )


def _condition(spec: dict[str, object]) -> str:
    keys = ("status", "keyword", "json_path", "json_equals", "budget_ms", "period_s", "grace_s")
    return ", ".join(f"{k}={spec[k]}" for k in keys if spec.get(k) is not None) or "answers"
