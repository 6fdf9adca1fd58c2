"""Turn a ``SecretsScan`` into findings: shared by the audit checks and ``launchready secrets``.

Three rules of evidence (issue 9):

- **No pass without something scanned.** Each rule's pass records what it read (``files_scanned``,
  ``blobs_scanned``, ``environments_compared``); with nothing to read — no bundle directory, no log, no env
  file, no ``[environments]``, not a git repository — the rule is ``not_assessed`` with a reason that says
  what to configure. Missing inputs never block and never earn credit.
- **One secret, one risk.** Every finding about one value carries ``group = "secret:<fingerprint>"``, so the
  same key in the tree, the history, a bundle and an env file is one risk with its locations and one
  "rotate the key" fix.
- **Examples are not leaks.** A match under ``tests/``, ``docs/``, ``examples/``, ``fixtures/``… or equal to a
  published sample value (AWS's ``AKIAIOSFODNN7EXAMPLE``, jwt.io's token) is kept as a low-severity warning
  with the reason in the evidence, so a framework's docs do not fail CI.

Every finding carries only the redacted secret (provider prefix, last four, keyed fingerprint) and names the
provider's rotation page in its fix. Public-by-design keys are reported as ``pass`` at ``info`` severity, so
a publishable Stripe key in a bundle is visible but never counted as a leak.
"""

from __future__ import annotations

from collections.abc import Iterable

from launchready.checks.secrets import rules as R
from launchready.checks.secrets.verdict import (
    EXAMPLE_SEVERITY,
    match_details,
    rotation_fix,
    secret_finding,
    secret_group,
    verdict,
)
from launchready.findings import Finding
from launchready.secrets.history import HistorySecret
from launchready.secrets.scan import SecretsScan
from launchready.secrets.suppress import Suppressions
from launchready.secrets.tree import FileRole, FileSecret

__all__ = [
    "EXAMPLE_SEVERITY",
    "all_findings",
    "match_details",
    "rotation_fix",
    "secret_group",
]

REMOVED_BUT_ALIVE = "removed from the tree but alive in history — rotate it"


def _kept(items: Iterable[FileSecret], role: FileRole, supp: Suppressions) -> list[FileSecret]:
    return [i for i in items if i.role is role and not supp.suppresses_secret(i.match.secret)]


def _bundle_dirs(scan: SecretsScan) -> str:
    return ", ".join(f"{d.as_posix()}/" for d in scan.options.bundle_dirs) or "(none configured)"


def source_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found = [
        secret_finding(
            R.IN_SOURCE, s.path, s.match, f"at {s.path}:{s.match.line}", path=s.path, source="tree"
        )
        for s in _kept(scan.tree.secrets, FileRole.SOURCE, supp)
    ]
    n = scan.tree.count(FileRole.SOURCE)
    return verdict(
        R.IN_SOURCE,
        found,
        str(scan.options.root),
        scanned={"files_scanned": n},
        evidence=f"{n} source files scanned, no server-side secret",
        nothing=f"no source file to scan under {scan.options.root}: point [repo] path at the repository",
    )


def bundle_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found = [
        secret_finding(
            R.IN_BUNDLE, s.path, s.match, f"shipped to browsers in {s.path}", path=s.path, source="bundle"
        )
        for s in _kept(scan.tree.secrets, FileRole.BUNDLE, supp)
    ]
    n = scan.tree.count(FileRole.BUNDLE)
    return verdict(
        R.IN_BUNDLE,
        found,
        str(scan.options.root),
        scanned={"files_scanned": n},
        evidence=f"{n} bundle files scanned, no server-side secret",
        nothing=(
            f"no client bundle to scan: none of {_bundle_dirs(scan)} exists and no source map was found; "
            "build the app before the audit, or set [repo] bundle_dirs to your build output"
        ),
    )


def public_env_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    found: list[Finding] = []
    for s in scan.tree.secrets:
        name = s.match.assigned_to or ""
        if s.role is FileRole.LOG or supp.suppresses_secret(s.match.secret):
            continue
        if s.match.rule.is_secret and name.upper().startswith(R.PUBLIC_PREFIXES):
            where = (
                f"in {name} at {s.path}:{s.match.line}, which the framework inlines into the browser bundle"
            )
            found.append(
                secret_finding(R.PUBLIC_ENV, f"{s.path}:{name}", s.match, where, path=s.path, variable=name)
            )
    n = scan.tree.count(FileRole.SOURCE, FileRole.BUNDLE, FileRole.ENV)
    return verdict(
        R.PUBLIC_ENV,
        found,
        str(scan.options.root),
        scanned={"files_scanned": n},
        evidence=f"{n} source, bundle and env files scanned: no public-prefixed variable holds a server secret",
        nothing=f"no source, bundle or env file to scan under {scan.options.root}",
    )


_NO_LOGS = (
    'no log file to scan: set [repo] logs = ["logs/app.log"] in launchready.toml '
    "(files ending in .log under the repository are found on their own)"
)


def log_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    n = scan.tree.count(FileRole.LOG)
    root = str(scan.options.root)
    found = [
        secret_finding(
            R.IN_LOGS, s.path, s.match, f"written to {s.path}:{s.match.line}", path=s.path, source="log"
        )
        for s in _kept(scan.tree.secrets, FileRole.LOG, supp)
    ]
    found = verdict(
        R.IN_LOGS,
        found,
        root,
        scanned={"files_scanned": n},
        evidence=f"{n} log files hold no secret or token",
        nothing=_NO_LOGS,
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
    return found + verdict(
        R.PROMPTS_IN_LOGS,
        prompts,
        root,
        scanned={"files_scanned": n},
        evidence=f"{n} log files hold no whole prompt or answer",
        nothing=_NO_LOGS,
    )


def envfile_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    root = str(scan.options.root)
    n = len(scan.env_files)
    if n == 0:
        reason = f"no .env file in {root} or in git's index: nothing that could be committed by mistake"
        return [R.ENV_COMMITTED.not_assessed(root, reason), R.ENV_UNIGNORED.not_assessed(root, reason)]
    if not any(status.in_repository for status in scan.env_files):
        reason = f"not a git repository: {root} (env files can only be committed to a repository)"
        return [R.ENV_COMMITTED.not_assessed(root, reason), R.ENV_UNIGNORED.not_assessed(root, reason)]
    secrets_in: dict[str, int] = {}
    for s in _kept(scan.tree.secrets, FileRole.ENV, supp):
        if s.match.rule.is_secret:
            secrets_in[s.path] = secrets_in.get(s.path, 0) + 1
    committed: list[Finding] = []
    unignored: list[Finding] = []
    for status in scan.env_files:
        count = secrets_in.get(status.path, 0)
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
    scanned = {"env_files_checked": n}
    return verdict(
        R.ENV_COMMITTED,
        committed,
        root,
        scanned=scanned,
        evidence=f"{n} env files, none committed",
        nothing="",
    ) + verdict(
        R.ENV_UNIGNORED,
        unignored,
        root,
        scanned=scanned,
        evidence=f"{n} env files, all covered by .gitignore",
        nothing="",
    )


_NO_ENVIRONMENTS = (
    "no environments to compare: add [environments] to launchready.toml, e.g. "
    'development = ".env.development" and production = ".env.production"'
)


def environment_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    comparison = scan.environments
    if comparison is None:
        return [
            R.ENV_SHARED.not_assessed("environments", _NO_ENVIRONMENTS),
            R.ENV_DRIFT.not_assessed("environments", _NO_ENVIRONMENTS),
        ]
    found: list[Finding] = [
        R.ENV_SHARED.unverifiable(env, f"cannot read its env file: {why}")
        for env, why in sorted(comparison.unreadable.items())
    ]
    compared = comparison.compared
    if compared < 2:
        absent = ", ".join(f"{env} ({path})" for env, path in sorted(comparison.absent.items()))
        reason = f"{compared} environment file(s) to compare, two are needed" + (
            f"; missing: {absent} — create them or remove them from [environments]" if absent else ""
        )
        return [
            *found,
            R.ENV_SHARED.not_assessed("environments", reason),
            R.ENV_DRIFT.not_assessed("environments", reason),
        ]
    for shared in comparison.shared:
        if supp.suppresses_secret(shared.secret):
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
                group=f"secret:{shared.fingerprint}",
            )
        )
    scanned = {"environments_compared": compared}
    found = verdict(
        R.ENV_SHARED,
        found,
        "environments",
        scanned=scanned,
        evidence=f"{compared} environments compared, no secret shared between two",
        nothing="",
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
                R.ENV_DRIFT.passed(
                    missing.environment,
                    f"{missing.environment} defines every variable of the {compared} environments compared",
                    exercised=scanned,
                )
            )
    return found


def history_findings(scan: SecretsScan, supp: Suppressions) -> list[Finding]:
    history = scan.history
    root = str(scan.options.root)
    if history is None:
        return [R.IN_HISTORY.not_assessed(root, "history not scanned (run with --history)")]
    if history.skipped is not None:
        return [
            R.IN_HISTORY.not_assessed(
                root, f"{history.skipped}; set [repo] path to the repository's root to scan its history"
            )
        ]
    found = [_history_finding(s) for s in history.secrets if not supp.suppresses_secret(s.match.secret)]
    return verdict(
        R.IN_HISTORY,
        found,
        root,
        scanned={"blobs_scanned": history.blobs_scanned, "bytes_scanned": history.bytes_scanned},
        evidence=f"{history.blobs_scanned} unique blobs ({history.bytes_scanned} bytes) hold no server-side secret",
        nothing=f"the history of {root} holds no file",
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
    return secret_finding(R.IN_HISTORY, secret.path, secret.match, where, path=secret.path, **extra)


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
