"""The alert state machine: one pure function from (a check's stored state, a new result) to the new state
and the alerts to queue. Pure so every rule — down after N, recovery, flapping, maintenance, reminders with a
cap — is tested without a clock, a database or a network; the store applies its output in the same
transaction as the result, so a crash can neither lose nor repeat an alert (the outbox key is unique).

Roadmap stage 6: "alerts to email or Slack that someone sees within minutes" — and, from Uptime Kuma's and
Gatus's trackers, what people miss: no alert storm from a flapping check, silence during maintenance, and a
reminder when nobody acted, but not forever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from launchready.config.model import MonitorConfig
from launchready.monitor.model import CheckResult, CheckState


@dataclass(frozen=True)
class AlertPolicy:
    down_after: int = 3
    flap_changes: int = 4
    flap_window_s: float = 900.0
    reminder_every_s: float = 3600.0
    reminder_cap: int = 3
    maintenance: tuple[tuple[float, float, tuple[str, ...]], ...] = ()
    """(start, end, check id prefixes — empty: all) in Unix seconds."""
    quorum: int = 1
    quorum_of: int = 1
    """Several instances: a down alert needs ``quorum`` of the latest results of ``quorum_of`` instances
    to be down (one instance's bad network path does not page anyone)."""

    @classmethod
    def from_config(cls, config: MonitorConfig) -> AlertPolicy:
        windows = tuple(
            (datetime.fromisoformat(w.start).timestamp(), datetime.fromisoformat(w.end).timestamp(), w.checks)
            for w in config.maintenance
        )
        return cls(
            config.down_after, config.flap_changes, config.flap_window_s, config.reminder_every_s,
            config.reminder_cap, windows, config.quorum, max(config.quorum, config.quorum_of),
        )  # fmt: skip

    def in_maintenance(self, check_id: str, now: float) -> bool:
        return any(
            start <= now < end and (not prefixes or any(check_id.startswith(p) for p in prefixes))
            for start, end, prefixes in self.maintenance
        )


@dataclass(frozen=True)
class Alert:
    key: str
    """Unique per alert: the same transition seen twice (a replay after a crash) queues one alert."""
    kind: str
    """``down``, ``recovered``, ``reminder``, ``flapping``."""
    check_id: str
    title: str
    body: str


@dataclass
class CheckAlertState:
    """The columns of ``checks`` the state machine reads and writes."""

    state: str = "unknown"
    since: float | None = None
    fails: int = 0
    alerted: str | None = None
    incident_id: int | None = None
    reminders: int = 0
    last_alert_at: float | None = None
    changes: list[float] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: Any) -> CheckAlertState:
        return cls(
            row.state, row.since, row.fails, row.alerted, row.incident_id, row.reminders, row.last_alert_at,
            list(json.loads(row.changes or "[]")),
        )  # fmt: skip

    def columns(self) -> dict[str, Any]:
        return {
            "state": self.state, "since": self.since, "fails": self.fails, "alerted": self.alerted,
            "incident_id": self.incident_id, "reminders": self.reminders, "last_alert_at": self.last_alert_at,
            "changes": json.dumps(self.changes),
        }  # fmt: skip


@dataclass(frozen=True)
class Transition:
    state: CheckAlertState
    alerts: list[Alert]
    open_incident: bool = False
    close_incident: bool = False


def transition(
    before: CheckAlertState,
    result: CheckResult,
    policy: AlertPolicy,
    incident_hint: int | None = None,
    confirmed: bool = True,
) -> Transition:
    """Apply one result. ``incident_hint`` is the id the store will give a new incident (for alert keys);
    ``confirmed`` is False while fewer instances than the quorum see the check down."""
    now = result.at
    st = CheckAlertState(**{**before.__dict__, "changes": list(before.changes)})
    new = result.state.value
    if result.state is CheckState.UNKNOWN:  # tells nothing: no count, no alert
        return Transition(st, [])
    was_down = st.state == CheckState.DOWN.value
    is_down = result.state is CheckState.DOWN
    if new != st.state:
        if was_down != is_down and st.state != CheckState.UNKNOWN.value:
            st.changes = [t for t in st.changes if now - t < policy.flap_window_s] + [now]
        st.state, st.since = new, now
    st.fails = st.fails + 1 if is_down else 0
    st.changes = [t for t in st.changes if now - t < policy.flap_window_s]
    flapping = len(st.changes) >= policy.flap_changes
    quiet = policy.in_maintenance(result.check_id, now)
    alerts: list[Alert] = []
    opened = closed = False
    cid = result.check_id
    if is_down and st.fails >= policy.down_after and st.alerted != "down" and confirmed:
        opened = st.incident_id is None
        incident = st.incident_id if st.incident_id is not None else incident_hint
        st.incident_id = incident
        if flapping:
            key = f"{cid}:flapping:{int(now // policy.flap_window_s)}"
            if st.alerted != "flapping" and not quiet:
                alerts.append(Alert(key, "flapping", cid, f"FLAPPING {cid}", _flap_body(result, st)))
                st.alerted, st.last_alert_at = "flapping", now
        elif not quiet:
            title = f"DOWN {cid}"
            body = f"{result.target}: {result.message} ({st.fails} failures in a row)"
            alerts.append(Alert(f"{cid}:down:{incident}", "down", cid, title, body))
            st.alerted, st.last_alert_at, st.reminders = "down", now, 0
    elif is_down and not confirmed and st.alerted != "down":
        pass  # counted, not yet agreed by enough instances: no alert, no incident
    elif is_down and st.alerted == "down" and not quiet:
        due = (st.last_alert_at or now) + policy.reminder_every_s
        if now >= due and st.reminders < policy.reminder_cap:
            st.reminders += 1
            key = f"{cid}:reminder:{st.incident_id}:{st.reminders}"
            body = f"{result.target} is still down: {result.message} (reminder {st.reminders} of {policy.reminder_cap})"
            alerts.append(Alert(key, "reminder", cid, f"STILL DOWN {cid}", body))
            st.last_alert_at = now
    elif not is_down:
        if st.alerted == "down":  # good news is sent even in maintenance or while flapping
            body = f"{result.target}: {result.message}"
            alerts.append(
                Alert(f"{cid}:recovered:{st.incident_id}", "recovered", cid, f"RECOVERED {cid}", body)
            )
        closed = st.incident_id is not None
        st.incident_id = None
        # while it keeps flapping, the one flapping alert stands: no recovery/down pair per swing
        st.alerted = "flapping" if flapping and st.alerted in ("flapping", "down") else None
    return Transition(st, alerts, opened, closed)


def _flap_body(result: CheckResult, st: CheckAlertState) -> str:
    return (
        f"{result.target} changed between up and down {len(st.changes)} times recently; "
        f"further up/down alerts are held until it settles. Last: {result.message}"
    )
