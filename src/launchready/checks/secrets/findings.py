"""Turn a ``SecretsScan`` into findings: shared by the audit checks and ``launchready secrets``.

Every finding carries only the redacted secret (provider, prefix, last four, fingerprint) and names the
provider's rotation page in its fix. Public-by-design keys are reported as ``pass`` at ``info`` severity,
so a publishable Stripe key in a bundle is visible but never counted as a leak.
"""

from __future__ import annotations

from collections.abc import Iterable

from launchready.checks.secrets import rules as R
from launchready.findings import Finding, Fix, RuleSpec, Severity
from launchready.secrets.history import HistorySecret
from launchready.secrets.matcher import SecretMatch
from launchready.secrets.scan import SecretsScan
from launchready.secrets.suppress import Suppressions
from launchready.secrets.tree import FileRole, FileSecret

REMOVED_BUT_ALIVE = "removed from the tree but alive in history — rotate it"


def rotation_fix(rule: RuleSpec, match: SecretMatch) -> Fix:
    detector = match.rule
    return Fix(
        summary=f"{rule.fix.summary} {detector.provider} rotation page: {detector.rotate}",
        steps=rule.fix.steps,
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
        **extra,
    }


def _secret_finding(rule: RuleSpec, target: str, match: SecretMatch, where: str, **extra: object) -> Finding:
    display = match.secret.display
    details = match_details(match, **extra)
    if not match.rule.is_secret:
        return rule.passed(
            target,
            f"{match.rule.title}: {display} {where} (public by design)",
            severity=Severity.INFO,
            details=details,
        )
    return rule.failed(
        target, f"{match.rule.title}: {display} {where}", fix=rotation_fix(rule, match), details=details
    )


def _with_pass(rule: RuleSpec, findings: list[Finding], target: str, evidence: str) -> list[Finding]:
    if not any(f.is_problem for f in findings):
        findings.append(rule.passed(target, evidence))
    return findings


def _kept(items: Iterable[FileSecret], role: FileRole, supp: Suppressions) -> list[FileSecret]:
    return [i for i in items if i.role is role and not supp.suppresses(i.match.secret.fingerprint)]


def source_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found = [
        _secret_finding(R.IN_SOURCE, s.path, s.match, f"at {s.path}:{s.match.line}", source="tree")
        for s in _kept(scan.tree.secrets, FileRole.SOURCE, supp)
    ]
    return _with_pass(
        R.IN_SOURCE,
        found,
        str(scan.options.root),
        f"{scan.tree.files_scanned} files scanned, no server-side secret in source files",
    )


def bundle_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found = [
        _secret_finding(R.IN_BUNDLE, s.path, s.match, f"shipped to browsers in {s.path}", source="bundle")
        for s in _kept(scan.tree.secrets, FileRole.BUNDLE, supp)
    ]
    return _with_pass(
        R.IN_BUNDLE,
        found,
        str(scan.options.root),
        f"{len(scan.tree.paths_with(FileRole.BUNDLE))} bundle files scanned, no server-side secret",
    )


def public_env_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found: list[Finding] = []
    for s in scan.tree.secrets:
        name = s.match.assigned_to or ""
        if s.role is FileRole.LOG or supp.suppresses(s.match.secret.fingerprint):
            continue
        if s.match.rule.is_secret and name.upper().startswith(R.PUBLIC_PREFIXES):
            where = (
                f"in {name} at {s.path}:{s.match.line}, which the framework inlines into the browser bundle"
            )
            found.append(_secret_finding(R.PUBLIC_ENV, f"{s.path}:{name}", s.match, where, variable=name))
    return _with_pass(
        R.PUBLIC_ENV, found, str(scan.options.root), "no public-prefixed variable holds a server-side secret"
    )


def log_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    logs = scan.tree.paths_with(FileRole.LOG)
    found = [
        _secret_finding(R.IN_LOGS, s.path, s.match, f"written to {s.path}:{s.match.line}", source="log")
        for s in _kept(scan.tree.secrets, FileRole.LOG, supp)
    ]
    found = _with_pass(
        R.IN_LOGS, found, str(scan.options.root), f"{len(logs)} log files hold no secret or token"
    )
    by_file: dict[str, list[str]] = {}
    for leak in scan.prompt_leaks:
        by_file.setdefault(leak.path, []).append(f"line {leak.line}: {leak.field} ({leak.length} chars)")
    prompts = [
        R.PROMPTS_IN_LOGS.failed(
            path,
            f"{len(lines)} log lines hold whole prompts or answers: {'; '.join(lines[:5])}",
            details={"lines": len(lines)},
        )
        for path, lines in sorted(by_file.items())
    ]
    return found + _with_pass(
        R.PROMPTS_IN_LOGS,
        prompts,
        str(scan.options.root),
        f"{len(logs)} log files hold no whole prompt or answer",
    )


def envfile_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    secrets_in: dict[str, int] = {}
    for s in _kept(scan.tree.secrets, FileRole.ENV, supp):
        if s.match.rule.is_secret:
            secrets_in[s.path] = secrets_in.get(s.path, 0) + 1
    committed: list[Finding] = []
    unignored: list[Finding] = []
    for status in scan.env_files:
        count = secrets_in.get(status.path, 0)
        if not status.in_repository:
            committed.append(R.ENV_COMMITTED.unverifiable(status.path, "not a git repository"))
            continue
        if status.tracked and (not status.example or count):
            committed.append(
                R.ENV_COMMITTED.failed(
                    status.path, f"{status.path} is tracked by git ({count} server-side secrets in it)"
                )
            )
        elif not status.tracked and not status.ignored and not status.example:
            unignored.append(
                R.ENV_UNIGNORED.failed(
                    status.path,
                    f"{status.path} is not covered by .gitignore ({count} server-side secrets in it)",
                )
            )
    root = str(scan.options.root)
    n = len(scan.env_files)
    return _with_pass(R.ENV_COMMITTED, committed, root, f"{n} env files, none committed") + _with_pass(
        R.ENV_UNIGNORED, unignored, root, f"{n} env files, all covered by .gitignore"
    )


def environment_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    comparison = scan.environments
    if comparison is None:
        reason = "no environments configured ([environments] in launchready.toml, or .env.<name> files)"
        return [
            R.ENV_SHARED.unverifiable("environments", reason),
            R.ENV_DRIFT.unverifiable("environments", reason),
        ]
    found: list[Finding] = [
        R.ENV_SHARED.unverifiable(env, reason) for env, reason in sorted(comparison.unreadable.items())
    ]
    for shared in comparison.shared:
        if supp.suppresses(shared.fingerprint):
            continue
        envs = "+".join(shared.environments)
        names, where = ", ".join(shared.variables), ", ".join(shared.environments)
        found.append(
            R.ENV_SHARED.failed(
                envs,
                f"{names}: the same value {shared.secret.display} in {where}",
                details={
                    "fingerprint": shared.fingerprint,
                    "environments": list(shared.environments),
                    "variables": list(shared.variables),
                },
            )
        )
    found = _with_pass(
        R.ENV_SHARED,
        found,
        "environments",
        f"{len(comparison.environments)} environments, no secret shared between two",
    )
    for missing in comparison.missing:
        if missing.missing:
            found.append(
                R.ENV_DRIFT.warned(
                    missing.environment,
                    f"{missing.environment} lacks {', '.join(missing.missing)}",
                    details={"missing": list(missing.missing)},
                )
            )
        else:
            found.append(
                R.ENV_DRIFT.passed(missing.environment, f"{missing.environment} defines every variable")
            )
    return found


def history_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    history = scan.history
    if history is None:
        return [R.IN_HISTORY.unverifiable(str(scan.options.root), "history not scanned (use --history)")]
    found = [_history_finding(s) for s in history.secrets if not supp.suppresses(s.match.secret.fingerprint)]
    return _with_pass(
        R.IN_HISTORY,
        found,
        str(scan.options.root),
        f"{history.blobs_scanned} unique blobs ({history.bytes_scanned} bytes) hold no server-side secret",
    )


def _history_finding(secret: HistorySecret) -> Finding:
    intro = secret.introduced
    state = "still in HEAD" if secret.in_head else REMOVED_BUT_ALIVE
    origin = (
        f"introduced by {'merge ' if intro.merge else ''}commit {intro.commit[:10]} "
        f"({intro.author}, {intro.date})"
        if intro
        else "reachable only from a tag or ref, no introducing commit"
    )
    extra: dict[str, object] = {"source": "history", "blob": secret.blob, "in_head": secret.in_head}
    if intro:
        extra |= {"commit": intro.commit, "author": intro.author, "date": intro.date, "merge": intro.merge}
    where = f"at {secret.path}:{secret.match.line}, {origin}; {state}"
    return _secret_finding(R.IN_HISTORY, secret.path, secret.match, where, **extra)


def all_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    if scan.options.staged:
        return source_findings(scan, supp) + bundle_findings(scan, supp) + public_env_findings(scan, supp)
    findings = (
        source_findings(scan, supp)
        + bundle_findings(scan, supp)
        + public_env_findings(scan, supp)
        + log_findings(scan, supp)
        + envfile_findings(scan, supp)
    )
    if scan.environments is not None:
        findings += environment_findings(scan, supp)
    if scan.options.history:
        findings += history_findings(scan, supp)
    return findings
