"""``launchready deploy mark --version v1.2.3``: record a deploy marker in the monitor's database, so every
chart shows it and a down alert says "errors started 2 minutes after deploy v1.2.3" (issue 13).

From a pipeline without database access, POST to a running monitor instead:
``curl -X POST -H "Authorization: Bearer $LAUNCHREADY_MONITOR_TOKEN" -d '{"version": "v1.2.3"}' https://monitor/api/deploys``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt

deploy_app = typer.Typer(help="Deploy markers for the monitor's charts and alerts.", rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(deploy_app, name="deploy")


@deploy_app.command("mark")
def mark(
    version: Annotated[str, typer.Option("--version", help="The version just deployed, e.g. v1.2.3.")],
    note: Annotated[str, typer.Option("--note", help="A short note shown beside the marker.")] = "",
    config: opt.ConfigOption = Path("launchready.toml"),
) -> None:
    """Mark a deploy now (the monitor's database from [monitor] database)."""
    import time

    from launchready.cli import common
    from launchready.cli.cmd_monitor import _store, require_monitor_extra

    require_monitor_extra()
    from launchready.monitor.store import Store

    version = version.strip()
    if not version or len(version) > 200:
        raise common.fail_usage("--version must be 1-200 characters")
    launch_config = common.load_config_or_exit(config)
    store = _store(config, launch_config.monitor.database)
    assert isinstance(store, Store)
    deploy_id = store.mark_deploy(version, time.time(), note[:1000])
    store.close()
    typer.echo(f"deploy {version} marked (#{deploy_id})")
