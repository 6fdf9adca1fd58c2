"""Rollback notes: the deploy and rollback commands, the written runbook, and the last drill's timings
(``[deploy] drill_history``, written by ``launchready drill``). A drill older than a month no longer
proves the rollback works: the code, the hosting and the people have changed since."""

from __future__ import annotations

from datetime import UTC, datetime

from launchready.deploy.history import minutes
from launchready.handover.data import pack_text
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section, Table

ROLLBACK_MISSING = "handover.rollback.missing"
CITE = Evidence("launchready.toml [deploy]")


def rollback_section(inputs: HandoverInputs, now: datetime) -> Section:
    deploy = inputs.config.deploy
    claims: list[Claim] = []
    missing: list[Missing] = []
    if deploy.command:
        claims.append(Claim("Deploy", (CITE,), code=(deploy.command,)))
    if deploy.rollback_command:
        claims.append(Claim("Roll back", (CITE,), code=(deploy.rollback_command,)))
    else:
        missing.append(
            Missing(
                ROLLBACK_MISSING,
                "deploy:rollback_command",
                "no [deploy] rollback_command: nobody has written down how to roll back",
            )
        )
    if deploy.runbook:
        claims.append(Claim(f"Written rollback steps: {deploy.runbook}", (CITE,)))
    tables: tuple[Table, ...] = ()
    drills_cite = Evidence(f"drill history {inputs.drills_path}" if inputs.drills_path else "drill history")
    if inputs.drills:
        last = inputs.drills[-1]
        age = (now - last.started_at.astimezone(UTC)).days
        head = f"Last drill {last.started_at:%Y-%m-%d %H:%M} UTC ({age} days ago): " + (
            f"passed, rollback in {minutes(last.rollback_s)}"
            if last.ok and last.rollback_s is not None
            else f"FAILED: {last.failure or 'see its phases'}"
        )
        claims.append(
            Claim(
                head,
                (drills_cite,),
                (
                    f"versions: {last.previous_version or '?'} → {last.new_version or '?'} → back",
                    f"total {minutes(last.total_s)} of a {minutes(last.deadline_s)} budget",
                ),
            )
        )
        tables = (
            Table(
                ("Phase", "Result", "Took", "Budget"),
                tuple(
                    (p.name, "ok" if p.ok else "FAILED", minutes(p.duration_s), minutes(p.deadline_s))
                    for p in last.phases
                ),
                "Last drill, phase by phase",
                (drills_cite,),
            ),
        )
        if not last.ok:
            missing.append(
                Missing(ROLLBACK_MISSING, "drill:last", "the last drill failed: the rollback is not proven")
            )
        elif age > pack_text().drill_max_age_days:
            missing.append(
                Missing(
                    ROLLBACK_MISSING,
                    "drill:last",
                    f"the last drill is {age} days old (older than {pack_text().drill_max_age_days}): run launchready drill again",
                )
            )
    else:
        missing.append(Missing(ROLLBACK_MISSING, "drill:none", "no drill on record (run launchready drill)"))
    if inputs.drills_unreadable:
        claims.append(
            Claim(
                f"{inputs.drills_unreadable} line(s) of the drill history could not be read", (drills_cite,)
            )
        )
    checked = {"deploy_config_read": 1, "drills_read": len(inputs.drills)}
    return Section(
        "rollback", "Rollback notes", tuple(claims), tables, tuple(missing), checked, (ROLLBACK_MISSING,)
    )
