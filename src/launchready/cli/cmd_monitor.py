"""``launchready monitor``: uptime and synthetic chat checks from launchready.toml, alerts, a dashboard.

``--once`` runs every check one time and reports in the usual formats (cron, CI), exit 1 when a check is
down at or above ``--fail-on``; without it the monitor runs in the foreground until SIGINT/SIGTERM (a
systemd unit and a container file are in docs/monitor.md). ``monitor test-alert`` sends one alert through
every configured channel; ``monitor user`` sets a dashboard login.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt

monitor_app = typer.Typer(
    help="Watch the product: uptime, chat, TLS, email-auth drift, heartbeats; alerts and a dashboard.",
    rich_markup_mode=None,
    invoke_without_command=True,
)

NoStoreOption = Annotated[
    bool, typer.Option("--no-store", help="Keep nothing: no database (email drift has no baseline then).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(monitor_app, name="monitor")


def require_monitor_extra() -> None:
    """The monitor's storage and alert libraries are an extra: say how to get them, exit 2."""
    import importlib.util

    from launchready.cli import common

    missing = [
        name for name in ("sqlalchemy", "alembic", "apprise") if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise common.fail_usage(
            f"launchready monitor needs {', '.join(missing)}: pip install 'launchready[monitor]'"
        )


def _store(config_path: Path, database: str, policy: object | None = None, instance: str = "") -> object:
    from launchready.cli import common
    from launchready.monitor.alerts import AlertPolicy
    from launchready.monitor.store import Store, engine_url

    try:
        store = Store(engine_url(database, config_path.resolve().parent), instance, policy=policy)  # type: ignore[arg-type]
        store.migrate()
    except Exception as exc:  # a wrong DSN, an unreachable server: one line, exit 2
        raise common.fail_usage(f"monitor database {database!r}: {type(exc).__name__}: {exc}") from None
    assert isinstance(store.policy, AlertPolicy)
    return store


@monitor_app.callback()
def monitor(
    ctx: typer.Context,
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run every check once, report, exit.")] = False,
    no_store: NoStoreOption = False,
    instance: Annotated[
        str | None,
        typer.Option("--instance", help="This instance's name for check leases (default: the host name)."),
    ] = None,
    deadline: opt.DeadlineOption = 120.0,
    only: opt.OnlyOption = None,
    skip: opt.SkipOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    debug: opt.DebugOption = False,
) -> None:
    """Run the monitor in the foreground, or with --once run every check one time and report."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"config": config, "nameserver": nameserver, "ca_bundle": ca_bundle}
        return
    from launchready.cli import common

    require_monitor_extra()
    from launchready.monitor.alerts import AlertPolicy
    from launchready.monitor.plan import unknown_routes
    from launchready.monitor.store import Store

    launch_config = common.load_config_or_exit(config)
    unknown = unknown_routes(launch_config)
    if unknown:
        raise common.fail_usage(f"[[monitor.routes]] names routes that do not exist: {', '.join(unknown)}")
    options = common.run_options(
        deadline=deadline, nameserver=nameserver, ca_bundle=ca_bundle, only=only, skip=skip, with_groups=None
    )
    policy = AlertPolicy.from_config(launch_config.monitor)
    import socket

    name = (instance or socket.gethostname()).strip()[:100] or "monitor"
    store = None if no_store else _store(config, launch_config.monitor.database, policy, name)
    assert store is None or isinstance(store, Store)
    if once:
        from launchready.monitor.once import monitor_once

        run, results = common.run_async(
            monitor_once(launch_config, options, store, store), deadline_s=deadline
        )
        if store is not None:
            store.record([(result, None) for result in results])
            store.close()
        common.emit(run, fmt, output)
        raise typer.Exit(common.exit_status(run, fail_on))
    from launchready.monitor.service import run_service

    if store is None:
        raise common.fail_usage("the foreground monitor needs its database (drop --no-store)")
    raise typer.Exit(run_service(launch_config, options, store))


@monitor_app.command("test-alert")
def test_alert(config: opt.ConfigOption = Path("launchready.toml")) -> None:
    """Send one test alert through every [monitor] alert_urls channel; exit 1 when one refuses it."""
    from launchready.cli import common
    from launchready.cli.exit_status import ExitStatus

    require_monitor_extra()
    from launchready.monitor.notify import AppriseNotifier

    launch_config = common.load_config_or_exit(config)
    urls = launch_config.monitor.alert_urls
    if not urls:
        raise common.fail_usage("no [monitor] alert_urls configured: nothing to send to")
    notifier = AppriseNotifier(urls)
    title = f"TEST launchready monitor for {launch_config.product.name}"
    body = "If you can read this, monitor alerts reach this channel."
    results = common.run_async(notifier.send_each(title, body), deadline_s=60)
    for index, result in enumerate(results, 1):
        typer.echo(f"channel {index}: {'sent' if result.ok else 'FAILED: ' + result.error}")
    raise typer.Exit(ExitStatus.READY if all(r.ok for r in results) else ExitStatus.BLOCKERS)


@monitor_app.command("user")
def user(
    name: Annotated[str, typer.Option("--name", help="Login name.")],
    config: opt.ConfigOption = Path("launchready.toml"),
) -> None:
    """Create or reset a dashboard login; the password is read from stdin (one line), never an argument."""
    import sys

    from launchready.cli import common

    require_monitor_extra()
    from launchready.monitor.auth import hash_password
    from launchready.monitor.store import Store

    launch_config = common.load_config_or_exit(config)
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        raise common.fail_usage("the password must have at least 12 characters (read from stdin)")
    if not name.strip() or len(name) > 200:
        raise common.fail_usage("--name must be 1-200 characters")
    store = _store(config, launch_config.monitor.database)
    assert isinstance(store, Store)
    store.set_user(name.strip(), hash_password(password))
    store.close()
    typer.echo(f"dashboard login {name.strip()!r} saved")
