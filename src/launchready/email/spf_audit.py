"""What the audit wants to know about a domain's SPF: its records, the full include tree, the total number
of DNS-querying terms (the RFC 7208 4.6.4 limit is 10), void lookups, ``ptr`` use and the final ``all``.

``check_host`` stops at the first match, so the *worst case* a receiver can hit is measured two ways: a static
walk of every include/redirect (the total a founder must bring under 10) and a real evaluation for an
address no record lists (192.0.2.1, TEST-NET-1), which walks every term the way a receiver would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from launchready.email.errors import SpfParseError
from launchready.email.spf_eval import check_host
from launchready.email.spf_record import SpfRecord, is_spf_record, parse_spf
from launchready.email.spf_result import SpfEvaluation, SpfNode, SpfResult
from launchready.net import DnsResolver
from launchready.net.errors import DnsError

PROBE_ADDRESS = "192.0.2.1"
MAX_DEPTH = 12


@dataclass
class SpfAnalysis:
    domain: str
    records: tuple[str, ...]
    record: SpfRecord | None = None
    parse_error: SpfParseError | None = None
    lookups: int = 0
    """Static total of DNS-querying terms through every include and redirect."""
    ptr_at: list[str] = field(default_factory=list)
    """Domains whose record uses the deprecated ``ptr`` mechanism (RFC 7208 5.5)."""
    tree: SpfNode | None = None
    evaluation: SpfEvaluation | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def all_qualifier(self) -> str | None:
        if self.record is None:
            return None
        qualifier = self.record.all_qualifier
        return qualifier.value if qualifier else None

    def as_dict(self) -> dict[str, object]:
        return {
            "records": list(self.records),
            "all": self.all_qualifier,
            "lookups": self.lookups,
            "void_lookups": self.evaluation.void_lookups if self.evaluation else None,
            "probe_result": self.evaluation.result.value if self.evaluation else None,
            "ptr_at": list(self.ptr_at),
            "include_tree": self.tree.as_dict() if self.tree else None,
            "parse_error": str(self.parse_error) if self.parse_error else None,
        }


async def analyze_spf(resolver: DnsResolver, domain: str) -> SpfAnalysis:
    """Raises ``DnsError`` when the domain's own TXT records cannot be read (the finding is unverifiable)."""
    answer = await resolver.query(domain, "TXT")
    records = tuple(t for t in answer.texts if is_spf_record(t))
    analysis = SpfAnalysis(domain, records)
    if len(records) != 1:
        return analysis
    try:
        analysis.record = parse_spf(records[0])
    except SpfParseError as exc:
        analysis.parse_error = exc
        return analysis
    analysis.tree = SpfNode(domain, record=records[0])
    await _walk(resolver, analysis, analysis.record, analysis.tree, {domain.lower()}, 0)
    analysis.evaluation = await check_host(resolver, PROBE_ADDRESS, domain, f"postmaster@{domain}", domain)
    return analysis


async def _walk(
    resolver: DnsResolver, analysis: SpfAnalysis, record: SpfRecord, node: SpfNode, seen: set[str], depth: int
) -> None:
    targets: list[tuple[str, str]] = []
    for mechanism in record.mechanisms:
        if mechanism.costs_lookup:
            analysis.lookups += 1
        if mechanism.name == "ptr":
            analysis.ptr_at.append(node.domain)
        if mechanism.name == "include" and mechanism.domain is not None and not mechanism.domain.letters:
            targets.append(("include", mechanism.domain.text.rstrip(".").lower()))
    if record.redirect is not None and not record.has_all:
        analysis.lookups += 1
        if not record.redirect.value.letters:
            targets.append(("redirect", record.redirect.value.text.rstrip(".").lower()))
    for via, target in targets:
        child = SpfNode(target, via=via)
        node.children.append(child)
        if target in seen or depth >= MAX_DEPTH:
            child.reason = "loop: already visited" if target in seen else "too deep"
            analysis.problems.append(f"{via}:{target} {child.reason}")
            continue
        try:
            texts = [t for t in (await resolver.query(target, "TXT")).texts if is_spf_record(t)]
        except DnsError as exc:
            child.result, child.reason = SpfResult.TEMPERROR, str(exc)
            analysis.problems.append(f"{via}:{target}: {exc}")
            continue
        if len(texts) != 1:
            child.result = SpfResult.PERMERROR
            child.reason = "no SPF record" if not texts else f"{len(texts)} SPF records"
            analysis.problems.append(f"{via}:{target} has {child.reason}")
            continue
        child.record = texts[0]
        try:
            parsed = parse_spf(texts[0])
        except SpfParseError as exc:
            child.result, child.reason = SpfResult.PERMERROR, str(exc)
            analysis.problems.append(f"{via}:{target}: {exc}")
            continue
        await _walk(resolver, analysis, parsed, child, seen | {target}, depth + 1)
