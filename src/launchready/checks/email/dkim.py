"""DKIM keys of every sending domain: the configured selectors plus the common providers' selectors.

A domain that sends mail but shows no key under any probed selector may still sign with a selector nobody can
guess (Amazon SES uses random tokens), so that finding is a warning that asks for the selector, not a fail.
"""

from __future__ import annotations

from launchready.checks.email.rules import DKIM_MISSING, DKIM_REVOKED, DKIM_SYNTAX, DKIM_TESTING, DKIM_WEAK
from launchready.checks.email.shared import email_posture
from launchready.checks.interface import Check
from launchready.email.dkim import RECOMMENDED_RSA_BITS, WEAK_RSA_BITS
from launchready.email.observe import DkimSelector, MailDomain
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class DkimKeys(Check):
    name = "email.dkim"
    rules = (DKIM_MISSING, DKIM_WEAK, DKIM_REVOKED, DKIM_TESTING, DKIM_SYNTAX)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        posture = await email_posture(ctx)
        configured = [s.lower() for s in ctx.config.email.dkim_selectors]
        sending = [d for d in posture.domains if d.role == "sending"]
        seen_anywhere = {s.selector for d in sending for s in d.dkim}
        unused = [s for s in configured if s not in seen_anywhere]
        findings: list[Finding] = []
        for domain in posture.domains:
            if domain.role == "sending":
                findings.append(_presence(domain, unused))
                for selector in domain.dkim:
                    findings += _key_findings(domain.domain, selector)
        return findings


def _presence(domain: MailDomain, absent: list[str]) -> Finding:
    """``absent``: configured selectors found on no sending domain at all (a typo or a key never published);
    a selector found on another sending domain is that domain's, so here the usual probe verdict applies."""
    name = domain.domain
    found = {s.selector for s in domain.dkim}
    details: dict[str, object] = {
        "found": sorted(found),
        "probed": domain.dkim_probed,
        "errors": domain.dkim_errors,
    }
    if absent and not domain.dkim_errors:
        return DKIM_MISSING.failed(
            name,
            f"configured selector(s) {', '.join(absent)} have no key at <selector>._domainkey.{name}",
            details=details,
        )
    if found:
        return DKIM_MISSING.passed(
            name, f"DKIM key(s) found for selector(s) {', '.join(sorted(found))}", details=details
        )
    if domain.dkim_errors:
        return DKIM_MISSING.unverifiable(
            name,
            f"DNS did not answer for {len(domain.dkim_errors)} selector(s), e.g. {domain.dkim_errors[0]}",
            details=details,
        )
    return DKIM_MISSING.warned(
        name,
        f"no DKIM key under {domain.dkim_probed} probed selectors: which selector "
        "does your mail provider sign with? Add it to [email] dkim_selectors",
        details=details,
    )


def _key_findings(domain: str, selector: DkimSelector) -> list[Finding]:
    target = f"{selector.selector}._domainkey.{domain}"
    role = "configured" if selector.configured else "found by probing"
    if selector.error is not None:
        error = selector.error
        return [
            DKIM_SYNTAX.failed(
                target,
                f"{error.reason} at position {error.position} ({role} selector)",
                details={"record": selector.text, "position": error.position},
            )
        ]
    key = selector.key
    assert key is not None
    findings = [DKIM_SYNTAX.passed(target, f"valid {key.key_type} key record ({role} selector)")]
    if key.revoked:
        if selector.configured:
            findings.append(
                DKIM_REVOKED.failed(
                    target,
                    "empty p=: the key is revoked, yet the config says mail is signed with this selector",
                )
            )
        else:
            findings.append(DKIM_REVOKED.passed(target, "revoked key (empty p=) on a selector not in use"))
        return findings
    findings.append(DKIM_REVOKED.passed(target, "the key is live"))
    details: dict[str, object] = {"bits": key.bits, "type": key.key_type}
    if key.key_type == "rsa" and key.bits is not None and key.bits < WEAK_RSA_BITS:
        findings.append(
            DKIM_WEAK.failed(
                target,
                f"RSA {key.bits} bits: receivers ignore signatures under {WEAK_RSA_BITS} bits",
                details=details,
            )
        )
    elif key.key_type == "rsa" and key.bits is not None and key.bits < RECOMMENDED_RSA_BITS:
        findings.append(
            DKIM_WEAK.warned(
                target, f"RSA {key.bits} bits: below the recommended {RECOMMENDED_RSA_BITS}", details=details
            )
        )
    else:
        findings.append(DKIM_WEAK.passed(target, f"{key.key_type} {key.bits} bits", details=details))
    if key.testing:
        findings.append(DKIM_TESTING.warned(target, "t=y: receivers treat signatures as tests"))
    else:
        findings.append(DKIM_TESTING.passed(target, "not in testing mode"))
    return findings
