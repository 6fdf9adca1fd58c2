"""``launchready lab up``: run the lab product in the foreground, to audit it by hand or try the CLI on it.

Prints where everything is and the ready-to-paste audit command, then waits for Ctrl-C (or SIGTERM) and stops
every server before exiting.
"""

from __future__ import annotations

import shlex
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate

lab_app = typer.Typer(
    help="Run the built-in lab product (a chatbot on loopback, flawed or hardened); needs the lab extra.",
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")


@lab_app.command("up")
def up(
    hardened: Annotated[bool, typer.Option("--hardened", help="Run the hardened twin instead.")] = False,
    workdir: Annotated[
        Path | None,
        typer.Option(
            "--workdir",
            help="Keep the lab's files here (default: a temporary dir).",
            callback=opt.checked(lambda path: validate.folder(path, what="workdir")),
        ),
    ] = None,
) -> None:
    """Start the lab and keep it running until Ctrl-C."""
    from launchready.cli.lab_extra import require_lab

    require_lab()
    from launchready.lab import Lab, LabVariant  # the lab pulls in servers: load it only when asked

    variant = LabVariant.HARDENED if hardened else LabVariant.FLAWED
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with Lab(variant, workdir=workdir) as lab:
            typer.echo(f"The {variant.value} lab is up: https://{lab.domain}/ (loopback only)")
            typer.echo(f"  config:     {lab.config_path}")
            typer.echo(f"  nameserver: {lab.nameserver}")
            typer.echo(f"  CA bundle:  {lab.ca_bundle}")
            typer.echo("Audit it with:")
            command = ["launchready", "audit", "--config", str(lab.config_path)]
            command += ["--nameserver", lab.nameserver, "--ca-bundle", lab.ca_bundle]
            typer.echo("  " + shlex.join(command))
            typer.echo("Press Ctrl-C to stop.")
            while not stop.wait(0.5):
                pass
            typer.echo("Stopping the lab…", err=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
