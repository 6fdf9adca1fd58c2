"""Checks, one folder per roadmap stage, one module per check."""

from launchready.checks.interface import Check

__all__ = ["Check"]
