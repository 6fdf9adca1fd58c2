"""The contract every check follows.

A check is a small class that declares its rules next to its code and implements one async ``run`` that
takes a ``CheckContext`` and returns typed findings. It never prints and knows nothing of the CLI, so the
audit, CI and the monitor run it unchanged. Network failures are *its* to translate into ``unverifiable``
findings (they are expected); anything else that escapes is a bug, and the engine reports it as an
internal error instead of a pass.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, ClassVar

from launchready.findings import Finding, RuleSpec

if TYPE_CHECKING:
    from launchready.engine.context import CheckContext


class Check(abc.ABC):
    name: ClassVar[str]
    """Short unique name, e.g. ``tls.certificate``."""
    rules: ClassVar[tuple[RuleSpec, ...]]
    timeout_s: ClassVar[float] = 20.0
    needs_network: ClassVar[bool] = True
    """False for checks that read only local files or a database (secrets): they run with no network."""
    opt_in: ClassVar[str | None] = None
    """Group that must be asked for with ``--with GROUP`` (e.g. ``performance``, which sends load)."""

    @abc.abstractmethod
    async def run(self, ctx: CheckContext) -> list[Finding]:
        """Observe the target and return one finding per rule and target."""

    @classmethod
    def rule(cls, rule_id: str) -> RuleSpec:
        for spec in cls.rules:
            if spec.rule_id == rule_id:
                return spec
        raise KeyError(f"{cls.__name__} declares no rule {rule_id}")
