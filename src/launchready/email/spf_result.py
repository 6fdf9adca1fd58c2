"""What an SPF evaluation returns: the RFC 7208 section 2.6 result, the include tree and the counters.

Kept apart from the evaluator so reports, the CLI and the audit read results without its internals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class SpfResult(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SOFTFAIL = "softfail"
    NEUTRAL = "neutral"
    NONE = "none"
    PERMERROR = "permerror"
    TEMPERROR = "temperror"


@dataclass
class SpfNode:
    """One record visited: the top domain, or an include / redirect target, with what it contributed."""

    domain: str
    via: str = "top"
    record: str | None = None
    result: SpfResult | None = None
    reason: str = ""
    children: list[SpfNode] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "via": self.via,
            "record": self.record,
            "result": self.result.value if self.result else None,
            "reason": self.reason,
            "children": [c.as_dict() for c in self.children],
        }


@dataclass(frozen=True)
class SpfEvaluation:
    result: SpfResult
    domain: str
    reason: str
    explanation: str | None
    lookups: int
    void_lookups: int
    tree: SpfNode
    matched: str | None
    all_qualifier: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "result": self.result.value,
            "domain": self.domain,
            "reason": self.reason,
            "explanation": self.explanation,
            "lookups": self.lookups,
            "void_lookups": self.void_lookups,
            "matched": self.matched,
            "all_qualifier": self.all_qualifier,
            "include_tree": self.tree.as_dict(),
        }
