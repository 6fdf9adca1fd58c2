"""One secret at one place becomes one finding, and a rule's verdict needs something scanned (issue 9).

Shared by every secrets source (tree, history, bundles, logs) and by the deploy checks that find secrets in
images and deploy configs: the same redacted details, the same rotation fix, the same ``secret:<fingerprint>``
group (one value, one risk wherever it is seen), the same example classing (tests/docs paths and published
sample values are low warnings, not leaks), and the same rule for a pass: only with a non-zero record of what
was scanned, otherwise ``not_assessed`` with what to configure.
"""

from __future__ import annotations

from launchready.findings import Finding, Fix, RuleSpec, Severity
from launchready.secrets.context import example_reason
from launchready.secrets.matcher import SecretMatch

EXAMPLE_SEVERITY = Severity.LOW


def secret_group(match: SecretMatch) -> str:
    """The group shared by every finding about this one value (``Finding.group``)."""
    return f"secret:{match.secret.fingerprint}"


def rotation_fix(rule: RuleSpec, match: SecretMatch) -> Fix:
    detector = match.rule
    # The summary stays the rule's own, so the fix plan makes one "rotate" item for every leaked key;
    # each provider's rotation page is a step of its own, which the plan keeps for every key it merges.
    return Fix(
        summary=rule.fix.summary,
        steps=(f"Rotate the {detector.provider} key at {detector.rotate}", *rule.fix.steps),
        snippets=rule.fix.snippets,
        references=(detector.rotate, *rule.fix.references),
    )


def match_details(match: SecretMatch, **extra: object) -> dict[str, object]:
    secret = match.secret
    return {
        "detector": match.rule.rule_id,
        "provider": secret.provider,
        "exposure": match.rule.exposure.value,
        "fingerprint": secret.fingerprint,
        "prefix": secret.prefix,
        "last4": secret.last4,
        "line": match.line,
        "column": match.column,
        **extra,
    }


def secret_finding(
    rule: RuleSpec, target: str, match: SecretMatch, where: str, *, path: str, **extra: object
) -> Finding:
    """One secret at one place: public (pass, info), an example (low warning) or a leak (fail)."""
    display = match.secret.display
    details = match_details(match, **extra)
    if not match.rule.is_secret:
        return rule.passed(
            target,
            f"{match.rule.title}: {display} {where} (public by design)",
            severity=Severity.INFO,
            details=details,
            exercised={"secrets_matched": 1},
        )
    group = secret_group(match)
    example = example_reason(path, match.sample)
    if example is not None:
        return rule.warned(
            target,
            f"{match.rule.title}: {display} {where} — classed as an example: {example}; rotate it if it is real",
            severity=EXAMPLE_SEVERITY,
            fix=rotation_fix(rule, match),
            details={**details, "example": example},
            group=group,
        )
    return rule.failed(
        target,
        f"{match.rule.title}: {display} {where}",
        fix=rotation_fix(rule, match),
        details=details,
        group=group,
    )


def distinct_targets(found: list[Finding]) -> list[Finding]:
    """Two secrets in one file stay two findings: the runner keeps one finding per (rule, target), so
    targets that collide get the line (``app.js:1``), then the column (``app.js:1:464``: a minified bundle is
    one line), the ``path:line:column`` form editors and SARIF understand."""
    for key in ("line", "column"):
        counts: dict[str, int] = {}
        for finding in found:
            counts[finding.target] = counts.get(finding.target, 0) + 1
        found = [
            f.model_copy(update={"target": f"{f.target}:{f.details[key]}"})
            if counts[f.target] > 1 and key in f.details
            else f
            for f in found
        ]
    return found


def verdict(
    rule: RuleSpec,
    findings: list[Finding],
    target: str,
    *,
    scanned: dict[str, int],
    evidence: str,
    nothing: str,
) -> list[Finding]:
    """The rule's overall verdict beside its findings: a pass only when something was really scanned."""
    findings = distinct_targets(findings)
    if any(f.is_problem for f in findings):
        return findings
    if not any(count > 0 for count in scanned.values()):
        return [*findings, rule.not_assessed(target, nothing)]
    return [*findings, rule.passed(target, evidence, exercised=scanned)]
