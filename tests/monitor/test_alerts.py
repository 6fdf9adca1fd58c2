"""The alert state machine, without a clock or a network: down after N, one alert per incident, recovery,
flap suppression, maintenance windows, reminders with a cap."""

from __future__ import annotations

from launchready.monitor.alerts import AlertPolicy, CheckAlertState, transition
from launchready.monitor.model import CheckKind, CheckResult, CheckState

UP, DOWN = CheckState.UP, CheckState.DOWN


def _result(state: CheckState, at: float, check_id: str = "route:health") -> CheckResult:
    return CheckResult(check_id, CheckKind.ROUTE, "https://api.chatbot.test/health", state, f"{state}", at)


def _play(states: list[CheckState], policy: AlertPolicy, step: float = 60.0) -> list[str]:
    st, kinds = CheckAlertState(), []
    for i, state in enumerate(states):
        move = transition(st, _result(state, 1000.0 + i * step), policy, i + 1)
        st = move.state
        kinds += [a.kind for a in move.alerts]
    return kinds


def test_down_after_n_consecutive_failures_then_one_recovery() -> None:
    policy = AlertPolicy(down_after=3, reminder_cap=0)
    assert _play([DOWN, DOWN, UP, DOWN, DOWN], policy) == []  # never 3 in a row
    assert _play([DOWN, DOWN, DOWN, DOWN, DOWN, UP, UP], policy) == ["down", "recovered"]


def test_alert_keys_are_stable_so_a_replay_queues_nothing_new() -> None:
    policy = AlertPolicy(down_after=1)
    first = transition(CheckAlertState(), _result(DOWN, 10.0), policy, 7)
    replay = transition(CheckAlertState(), _result(DOWN, 10.0), policy, 7)
    assert [a.key for a in first.alerts] == [a.key for a in replay.alerts] == ["route:health:down:7"]


def test_unknown_results_neither_count_nor_alert() -> None:
    st = CheckAlertState(state="down", fails=2)
    move = transition(st, _result(CheckState.UNKNOWN, 5.0), AlertPolicy(down_after=3), 1)
    assert move.alerts == [] and move.state.fails == 2


def test_a_flapping_check_sends_one_flapping_alert_not_a_storm() -> None:
    policy = AlertPolicy(down_after=1, flap_changes=4, flap_window_s=3600, reminder_cap=0)
    kinds = _play([DOWN, UP, DOWN, UP, DOWN, UP, DOWN, UP, DOWN], policy)
    assert kinds.count("flapping") == 1
    assert kinds.count("down") <= 2, kinds  # the first ones, before it counted as flapping


def test_maintenance_holds_alerts_and_alerts_after_the_window() -> None:
    window = (1000.0, 1000.0 + 150, ())
    policy = AlertPolicy(down_after=1, maintenance=(window,), reminder_cap=0)
    assert _play([DOWN, DOWN, DOWN], policy) == []  # 1000, 1060, 1120: inside
    assert _play([DOWN, DOWN, DOWN, DOWN], policy) == ["down"]  # 1180: after it


def test_maintenance_applies_only_to_the_named_checks() -> None:
    policy = AlertPolicy(down_after=1, maintenance=((0.0, 1e12, ("chat",)),))
    move = transition(CheckAlertState(), _result(DOWN, 10.0), policy, 1)
    assert [a.kind for a in move.alerts] == ["down"]


def test_reminders_repeat_while_down_up_to_the_cap() -> None:
    policy = AlertPolicy(down_after=1, reminder_every_s=100, reminder_cap=2)
    kinds = _play([DOWN] * 10, policy, step=60)
    assert kinds == ["down", "reminder", "reminder"]
