"""One root cause, one risk; one problem, one risk: turn problem findings into the ranked risk list.

Two foldings happen before anything is ranked (issue 9, "one cause, many risks"):

- **Root causes.** A finding whose ``blocked_by`` names another finding of the run is not a risk of its
  own: an unresolved host or an untrusted certificate makes every later check on that host unverifiable,
  and ranking those echoes buries the one thing to fix. It is folded under its root (following chains to
  the top-most root: a certificate root on a host that does not resolve folds under the resolution root).
  A root cause is a problem finding that blocks others, or whose rule is marked ``root_cause``. Roots are
  ranked above every other risk, the one that blocked the most first.
- **Groups.** Findings that share ``group`` (the same secret fingerprint in the tree, the history, a bundle
  and an env file) are one risk, ranked as its best member, listing every location.

A ``blocked_by`` naming a finding the run does not have is ignored (the finding is ranked on its own):
folding must never hide a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchready.findings import Finding, RuleSpec, Stage, Status
from launchready.report.ranking import is_must_do_now, rank_key
from launchready.rules import rule

NO_DNS_RULE = "engine.dns.unavailable"


def rule_spec(rule_id: str) -> RuleSpec | None:
    """The rule file's entry for ``rule_id``, or ``None`` for a rule no file declares (a saved run from
    another version, a test rule)."""
    try:
        return rule(rule_id)
    except KeyError:
        return None


@dataclass(frozen=True)
class Risk:
    """One ranked problem: its lead finding, the other places it was seen, and what it blocked."""

    rank: int
    members: tuple[Finding, ...]
    """The lead (best-ranked) finding first, then the other findings of its group."""
    blocked: tuple[Finding, ...] = ()
    """Findings this root cause kept from seeing their target (folded, never ranked)."""
    root_cause: bool = False

    @property
    def finding(self) -> Finding:
        """The lead finding: what the risk is called and ranked by."""
        return self.members[0]

    @property
    def must_do_now(self) -> bool:
        return is_must_do_now(self.finding)

    @property
    def stage(self) -> Stage:
        return self.finding.stage

    @property
    def locations(self) -> tuple[str, ...]:
        """Every target this one problem was seen at, lead first, without repeats."""
        return tuple(dict.fromkeys(m.target for m in self.members))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.members)


RankedRisk = Risk
"""The former name of ``Risk``."""


def _top_root(finding: Finding, by_key: dict[str, Finding]) -> str | None:
    """The key of the top-most problem finding ``finding`` is blocked by, or ``None``."""
    seen = {finding.key}
    current = finding
    root: str | None = None
    while current.blocked_by is not None:
        parent = by_key.get(current.blocked_by)
        if parent is None or not parent.is_problem or parent.key in seen:
            break
        root = parent.key
        seen.add(parent.key)
        current = parent
    return root


def _is_root_rule(finding: Finding) -> bool:
    spec = rule_spec(finding.rule_id)
    return spec is not None and spec.root_cause and finding.status in (Status.FAIL, Status.UNVERIFIABLE)


def build_risks(findings: Sequence[Finding]) -> tuple[Risk, ...]:
    """The ranked risks of a run: roots first, blocked findings folded, groups merged (module docstring)."""
    problems = [f for f in findings if f.is_problem]
    by_key = {f.key: f for f in problems}
    folded: dict[str, list[Finding]] = {}
    standing: list[Finding] = []
    for finding in problems:
        root = _top_root(finding, by_key)
        if root is None:
            standing.append(finding)
        else:
            folded.setdefault(root, []).append(finding)
    roots = [f for f in standing if f.key in folded or _is_root_rule(f)]
    root_keys = {f.key for f in roots}
    units: dict[str, list[Finding]] = {}
    for finding in standing:
        if finding.key in root_keys:
            continue
        units.setdefault(f"group:{finding.group}" if finding.group else f"key:{finding.key}", []).append(
            finding
        )
    root_units = sorted(
        roots,
        key=lambda f: (f.rule_id != NO_DNS_RULE, -len(folded.get(f.key, ())), rank_key(f)),
    )
    others = sorted((sorted(m, key=rank_key) for m in units.values()), key=lambda m: rank_key(m[0]))
    risks: list[Risk] = []
    for top in root_units:
        blocked = tuple(sorted(folded.get(top.key, ()), key=rank_key))
        risks.append(Risk(rank=len(risks) + 1, members=(top,), blocked=blocked, root_cause=True))
    for members in others:
        risks.append(Risk(rank=len(risks) + 1, members=tuple(members)))
    return tuple(risks)
