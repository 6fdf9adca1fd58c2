"""DKIM keys of every sending domain: the configured selectors plus the common providers' selectors.

A domain that sends mail but shows no key under any probed selector may still sign with a selector nobody can
guess (Amazon SES uses random tokens): with no selector configured nothing was really assessed, so the rules
are ``not_assessed`` and ask for the selector; with selectors configured and none found here, a warning.
"""

from __future__ import annotations

from launchready.checks.email.rules import DKIM_MISSING, DKIM_REVOKED, DKIM_SYNTAX, DKIM_TESTING, DKIM_WEAK
from launchready.checks.email.shared import NO_SENDING_DOMAIN, email_posture, not_assessed
from launchready.checks.interface import Check
from launchready.email.dkim import RECOMMENDED_RSA_BITS, WEAK_RSA_BITS
from launchready.email.observe import DkimSelector, MailDomain
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_KEY_RULES = (DKIM_WEAK, DKIM_REVOKED, DKIM_TESTING, DKIM_SYNTAX)
_PARSED = {"records_parsed": 1}


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
        if not sending:
            return not_assessed(self.rules, ctx.config.apex, NO_SENDING_DOMAIN)
        for domain in sending:
            findings.append(_presence(domain, unused, configured))
            for selector in domain.dkim:
                findings += _key_findings(domain.domain, selector)
            if not domain.dkim:
                findings += _no_key(domain)
        return findings


def _no_key(domain: MailDomain) -> list[Finding]:
    """No key to judge on this domain: the key rules say which selector would let them run."""
    name = domain.domain
    if domain.dkim_errors:
        reason = f"DNS did not answer for {len(domain.dkim_errors)} selector(s), e.g. {domain.dkim_errors[0]}"
        return [spec.unverifiable(name, reason) for spec in _KEY_RULES]
    reason = (
        f"no DKIM key found under {domain.dkim_probed} probed selectors of {name}: add the selector your mail "
        "provider signs with to [email] dkim_selectors to assess the key"
    )
    return not_assessed(_KEY_RULES, name, reason)


def _presence(domain: MailDomain, absent: list[str], configured: list[str]) -> Finding:
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
            name,
            f"DKIM key(s) found for selector(s) {', '.join(sorted(found))}",
            details=details,
            exercised={"selectors_probed": domain.dkim_probed, "keys_found": len(found)},
        )
    if domain.dkim_errors:
        return DKIM_MISSING.unverifiable(
            name,
            f"DNS did not answer for {len(domain.dkim_errors)} selector(s), e.g. {domain.dkim_errors[0]}",
            details=details,
        )
    if not configured:
        return DKIM_MISSING.not_assessed(
            name,
            f"no DKIM selector configured and no key under the {domain.dkim_probed} common selectors probed: "
            "add the selector your mail provider signs with to [email] dkim_selectors to assess DKIM",
            details=details,
        )
    return DKIM_MISSING.warned(
        name,
        f"no DKIM key under the configured selector(s) {', '.join(configured)} nor {domain.dkim_probed} "
        "common ones: which selector does your mail provider sign with? Add it to [email] dkim_selectors",
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
            ),
            *not_assessed(
                (DKIM_REVOKED, DKIM_WEAK, DKIM_TESTING),
                target,
                f"the key record at {target} does not parse: fix it (email.dkim.syntax) to assess the key",
            ),
        ]
    key = selector.key
    assert key is not None
    findings = [
        DKIM_SYNTAX.passed(target, f"valid {key.key_type} key record ({role} selector)", exercised=_PARSED)
    ]
    if key.revoked:
        if selector.configured:
            findings.append(
                DKIM_REVOKED.failed(
                    target,
                    "empty p=: the key is revoked, yet the config says mail is signed with this selector",
                )
            )
        else:
            findings.append(
                DKIM_REVOKED.passed(
                    target, "revoked key (empty p=) on a selector not in use", exercised=_PARSED
                )
            )
        return [
            *findings,
            *not_assessed(
                (DKIM_WEAK, DKIM_TESTING),
                target,
                f"the key at {target} is revoked (empty p=): no key to judge",
            ),
        ]
    findings.append(DKIM_REVOKED.passed(target, "the key is live", exercised=_PARSED))
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
        findings.append(
            DKIM_WEAK.passed(
                target, f"{key.key_type} {key.bits} bits", details=details, exercised={"keys_parsed": 1}
            )
        )
    if key.testing:
        findings.append(DKIM_TESTING.warned(target, "t=y: receivers treat signatures as tests"))
    else:
        findings.append(DKIM_TESTING.passed(target, "not in testing mode", exercised=_PARSED))
    return findings
