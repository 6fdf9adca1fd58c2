"""The ``launchready`` command: a thin shell over config, engine and report."""

from launchready.cli.app import app, main

__all__ = ["app", "main"]
