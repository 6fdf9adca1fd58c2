"""The red-team pass (issue 12) as an opt-in audit check: ``--with redteam`` or ``launchready redteam``."""

from launchready.checks.redteam.chat import RedTeamPass

__all__ = ["RedTeamPass"]
