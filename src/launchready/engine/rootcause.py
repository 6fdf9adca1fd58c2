"""One root cause, one risk: fold the findings a broken host made unverifiable under that host's root cause.

An unresolved host, a refused connection or an untrusted certificate keeps every later check on that host
from seeing anything. Ranking each of those unverifiable findings as a risk of its own buries the one
thing to fix under dozens of echoes, and their fixes ("serve a certificate from a public CA" for a host
nobody reached) are advice about problems nobody saw. The roots are the rules marked ``root_cause`` in the
rule files; the strongest root on a host wins (unresolved over refused over untrusted), and a root blocked
by a stronger one is folded too.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from launchready.findings import Finding, Status
from launchready.rules import rule

_ROOT_ORDER = ("engine.dns.unavailable", "dns.host.unresolved", "dns.host.unreachable", "tls.cert.untrusted")
"""Strongest first: a host that does not resolve cannot refuse a connection or show a certificate."""
_FOLDABLE = frozenset({Status.UNVERIFIABLE})


def target_host(target: str) -> str:
    """The host a finding's target names: ``https://app.x.test/login``, ``app.x.test:443``, ``app.x.test``."""
    text = target.strip()
    if "://" in text:
        return (urlsplit(text).hostname or "").rstrip(".").lower()
    head = text.split()[0] if text.split() else ""
    head = head.split("/")[0]
    if head.count(":") == 1:
        head = head.split(":")[0]
    return head.rstrip(".").lower()


def _is_root(finding: Finding) -> bool:
    if finding.status not in (Status.FAIL, Status.UNVERIFIABLE):
        return False
    try:
        return rule(finding.rule_id).root_cause
    except KeyError:
        return False


def _strength(finding: Finding) -> int:
    try:
        return _ROOT_ORDER.index(finding.rule_id)
    except ValueError:
        return len(_ROOT_ORDER)


def attach_root_causes(findings: Sequence[Finding]) -> list[Finding]:
    """The same findings, with ``blocked_by`` set on each unverifiable one that a host's root cause explains."""
    roots_by_host: dict[str, list[Finding]] = {}
    for finding in findings:
        if _is_root(finding):
            roots_by_host.setdefault(target_host(finding.target), []).append(finding)
    for roots in roots_by_host.values():
        roots.sort(key=_strength)
    out = []
    for finding in findings:
        if finding.blocked_by is not None or finding.status not in _FOLDABLE:
            out.append(finding)
            continue
        roots = roots_by_host.get(target_host(finding.target), [])
        root = next((r for r in roots if r is not finding and _strength(r) < _strength(finding)), None)
        if root is None:
            out.append(finding)
        else:
            out.append(finding.model_copy(update={"blocked_by": root.key}))
    return out
