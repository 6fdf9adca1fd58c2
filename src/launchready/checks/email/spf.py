"""SPF of every sending domain (the apex and each sending subdomain), per RFC 7208.

Rules that need a record (syntax, limits, ``all``, ``ptr``) are only reported where there is exactly one
record to judge; a missing or duplicated record is its own finding.
"""

from __future__ import annotations

from launchready.checks.email.rules import (
    SPF_ALL,
    SPF_LOOKUPS,
    SPF_MISSING,
    SPF_MULTIPLE,
    SPF_PTR,
    SPF_SYNTAX,
)
from launchready.checks.email.shared import NO_SENDING_DOMAIN, email_posture, not_assessed
from launchready.checks.interface import Check
from launchready.email.observe import MailDomain
from launchready.email.spf_audit import SpfAnalysis
from launchready.email.spf_eval import MAX_LOOKUPS, MAX_VOID_LOOKUPS
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class SpfPolicy(Check):
    name = "email.spf"
    rules = (SPF_MISSING, SPF_MULTIPLE, SPF_SYNTAX, SPF_LOOKUPS, SPF_ALL, SPF_PTR)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        posture = await email_posture(ctx)
        findings: list[Finding] = []
        for domain in posture.domains:
            if domain.role == "sending":
                findings += spf_findings(domain)
        if not findings:
            return not_assessed(self.rules, ctx.config.apex, NO_SENDING_DOMAIN)
        return findings


def spf_findings(domain: MailDomain) -> list[Finding]:
    name = domain.domain
    if "spf" in domain.errors or domain.spf is None:
        reason = domain.errors.get("spf", "SPF was not observed")
        return [
            rule.unverifiable(name, f"cannot read the SPF record of {name}: {reason}")
            for rule in SpfPolicy.rules
        ]
    spf = domain.spf
    if not spf.records:
        return [
            SPF_MISSING.failed(
                name,
                f"{name} publishes no v=spf1 TXT record: receivers cannot tell your mail from a spoofer's",
            ),
            *not_assessed(
                (SPF_MULTIPLE, SPF_SYNTAX, SPF_LOOKUPS, SPF_ALL, SPF_PTR),
                name,
                f"{name} has no SPF record to judge: publish one (email.spf.missing) to assess this",
            ),
        ]
    read = {"dns_answers": 1, "spf_records": len(spf.records)}
    found = [SPF_MISSING.passed(name, f"{name} publishes an SPF record", exercised=read)]
    if len(spf.records) > 1:
        listing = " | ".join(spf.records)
        return [
            *found,
            SPF_MULTIPLE.failed(
                name,
                f"{len(spf.records)} SPF records (every check is a permerror): {listing}",
                details={"records": list(spf.records)},
            ),
            *not_assessed(
                (SPF_SYNTAX, SPF_LOOKUPS, SPF_ALL, SPF_PTR),
                name,
                f"{name} has {len(spf.records)} SPF records and receivers use none: merge them into one "
                "(email.spf.multiple) to assess this",
            ),
        ]
    found.append(SPF_MULTIPLE.passed(name, "exactly one SPF record", exercised=read))
    record = spf.records[0]
    if spf.parse_error is not None:
        error = spf.parse_error
        pointer = record + "\n" + " " * error.position + "^"
        return [
            *found,
            SPF_SYNTAX.failed(
                name,
                f"{error.reason} at position {error.position}:\n{pointer}",
                details={"record": record, "position": error.position},
            ),
            *not_assessed(
                (SPF_LOOKUPS, SPF_ALL, SPF_PTR),
                name,
                f"the SPF record of {name} does not parse: fix its syntax (email.spf.syntax) to assess this",
            ),
        ]
    parsed = {"records_parsed": 1}
    found.append(SPF_SYNTAX.passed(name, f"valid SPF record: {record}", exercised=parsed))
    return [*found, _limits(name, spf), _all(name, spf), _ptr(name, spf)]


def _limits(name: str, spf: SpfAnalysis) -> Finding:
    evaluation = spf.evaluation
    void = evaluation.void_lookups if evaluation else 0
    details: dict[str, object] = {
        "lookups": spf.lookups,
        "void_lookups": void,
        "include_tree": spf.tree.as_dict() if spf.tree else None,
        "problems": list(spf.problems),
    }
    tree = _tree_text(spf)
    if spf.lookups > MAX_LOOKUPS:
        return SPF_LOOKUPS.failed(
            name,
            f"{spf.lookups} DNS-querying terms through the include tree (limit {MAX_LOOKUPS}): receivers "
            f"return permerror\n{tree}",
            details=details,
        )
    if void > MAX_VOID_LOOKUPS or (evaluation and "void" in evaluation.reason):
        return SPF_LOOKUPS.failed(
            name,
            f"{void} void lookups (limit {MAX_VOID_LOOKUPS}): receivers return permerror\n{tree}",
            details=details,
        )
    if evaluation is not None and evaluation.result.value == "permerror":
        return SPF_LOOKUPS.failed(
            name, f"evaluation gives permerror: {evaluation.reason}\n{tree}", details=details
        )
    return SPF_LOOKUPS.passed(
        name,
        f"{spf.lookups} DNS lookups of {MAX_LOOKUPS}, {void} void\n{tree}",
        details=details,
        exercised={"records_evaluated": _tree_size(spf), "dns_lookups": spf.lookups},
    )


def _all(name: str, spf: SpfAnalysis) -> Finding:
    qualifier = spf.all_qualifier
    details: dict[str, object] = {"all": qualifier}
    if qualifier == "-":
        return SPF_ALL.passed(
            name, "the record ends in -all", details=details, exercised={"records_parsed": 1}
        )
    if qualifier in ("+", "?"):
        return SPF_ALL.failed(
            name,
            f"the record ends in {qualifier}all: any server on the internet may send as {name}",
            details=details,
        )
    if qualifier == "~":
        return SPF_ALL.warned(
            name,
            "the record ends in ~all (softfail): spoofed mail is only marked suspicious",
            details=details,
        )
    redirect = spf.record.redirect if spf.record else None
    if redirect is not None:
        return SPF_ALL.passed(
            name,
            f"no all; the policy comes from redirect={redirect.value.text}",
            details=details,
            exercised={"records_parsed": 1, "records_evaluated": _tree_size(spf)},
        )
    return SPF_ALL.warned(
        name, "the record has no all mechanism: unlisted senders get neutral", details=details
    )


def _ptr(name: str, spf: SpfAnalysis) -> Finding:
    if spf.ptr_at:
        return SPF_PTR.warned(name, f"ptr used in the SPF record of {', '.join(dict.fromkeys(spf.ptr_at))}")
    return SPF_PTR.passed(
        name, "no ptr mechanism in the include tree", exercised={"records_evaluated": _tree_size(spf)}
    )


def _tree_size(spf: SpfAnalysis) -> int:
    """How many SPF records the include tree read (at least the domain's own)."""
    if spf.tree is None:
        return 1
    from launchready.email.spf_result import SpfNode

    def count(node: SpfNode) -> int:
        return 1 + sum(count(child) for child in node.children)

    return count(spf.tree)


def _tree_text(spf: SpfAnalysis) -> str:
    if spf.tree is None:
        return ""
    lines: list[str] = []

    def walk(node: object, depth: int) -> None:
        from launchready.email.spf_result import SpfNode

        assert isinstance(node, SpfNode)
        label = node.domain if depth == 0 else f"{node.via}:{node.domain}"
        note = f"  ({node.reason})" if node.reason and depth else ""
        lines.append("  " * depth + label + note)
        for child in node.children:
            walk(child, depth + 1)

    walk(spf.tree, 0)
    return "include tree:\n" + "\n".join(lines)
