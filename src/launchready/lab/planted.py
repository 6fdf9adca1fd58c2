"""Every launch risk planted in the flawed lab, in one place, with the rule id that must find it.

Tests assert that each entry is reported as ``fail`` (or its ``status``) by the audit of the flawed lab, and
that the hardened lab reports zero ``fail``. Add an entry here with every planted risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from launchready.findings import Status


@dataclass(frozen=True)
class PlantedRisk:
    rule_id: str
    target: str
    """The host, URL or file where it is planted (a substring of the finding's target)."""
    description: str
    status: Status = Status.FAIL
    needs: str | None = None
    """The ``--with`` group whose checks find it (e.g. ``performance``), or None for the default audit."""


# One section per area; each area appends its own entries to its own tuple.

SPINE: tuple[PlantedRisk, ...] = ()

SURFACE: tuple[PlantedRisk, ...] = ()

EMAIL: tuple[PlantedRisk, ...] = ()

SECRETS: tuple[PlantedRisk, ...] = ()

PERFORMANCE: tuple[PlantedRisk, ...] = ()

PLANTED: tuple[PlantedRisk, ...] = (*SPINE, *SURFACE, *EMAIL, *SECRETS, *PERFORMANCE)
