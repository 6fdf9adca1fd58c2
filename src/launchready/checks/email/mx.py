"""MX of the mail domains: present where mail is received, targets that resolve and are not aliases or IP
literals (RFC 2181 10.3, RFC 5321 5.1); and for domains that send no mail, null MX (RFC 7505) plus
``v=spf1 -all``, so nobody accepts mail that claims to come from them.
"""

from __future__ import annotations

from launchready.checks.email.rules import MX_MISSING, MX_TARGET, NO_MAIL
from launchready.checks.email.shared import email_posture, not_assessed
from launchready.checks.interface import Check
from launchready.email.observe import MailDomain
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class MailExchangers(Check):
    name = "email.mx"
    rules = (MX_MISSING, MX_TARGET, NO_MAIL)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        posture = await email_posture(ctx)
        apex = ctx.config.apex
        findings: list[Finding] = []
        for domain in posture.domains:
            if domain.role == "no-mail":
                findings.append(_no_mail(domain))
            elif domain.domain == apex:
                findings += _receiving(domain)
        if not any(f.rule_id == MX_MISSING.rule_id for f in findings):
            findings += not_assessed(
                (MX_MISSING, MX_TARGET),
                apex,
                f"{apex} sends no mail ([email] sends_mail = false), so it needs no MX; set sends_mail = true "
                "to assess its MX",
            )
        if not any(f.rule_id == NO_MAIL.rule_id for f in findings):
            findings.append(
                NO_MAIL.not_assessed(
                    apex,
                    "every configured mail domain sends mail: list the domains that never send in "
                    "[email] no_mail_domains (or set sends_mail = false) to check they refuse forged mail",
                )
            )
        return findings


def _receiving(domain: MailDomain) -> list[Finding]:
    name = domain.domain
    if "mx" in domain.errors or domain.mx is None:
        reason = f"cannot read the MX records of {name}: {domain.errors.get('mx', 'not observed')}"
        return [MX_MISSING.unverifiable(name, reason), MX_TARGET.unverifiable(name, reason)]
    if not domain.mx or domain.null_mx:
        what = "a null MX (it refuses all mail)" if domain.null_mx else "no MX record"
        return [
            MX_MISSING.failed(name, f"{name} sends mail but has {what}: replies and bounces are lost"),
            MX_TARGET.not_assessed(name, f"{name} has no MX target to check: publish an MX to assess this"),
        ]
    listing = ", ".join(f"{m.priority} {m.host}" for m in domain.mx)
    findings = [MX_MISSING.passed(name, f"MX {listing}", exercised={"mx_records": len(domain.mx)})]
    for mx in domain.mx:
        target = mx.host or "."
        if mx.error:
            findings.append(MX_TARGET.unverifiable(target, f"cannot resolve MX target {target}: {mx.error}"))
        elif mx.is_ip_literal:
            findings.append(
                MX_TARGET.failed(target, f"MX of {name} is an IP literal ({target}); an MX must name a host")
            )
        elif mx.cname_chain:
            findings.append(
                MX_TARGET.failed(
                    target,
                    f"MX target {target} is a CNAME to {' -> '.join(mx.cname_chain)};"
                    " RFC 2181 10.3 forbids it and some senders refuse it",
                    details={"cname_chain": list(mx.cname_chain)},
                )
            )
        elif not mx.addresses:
            findings.append(
                MX_TARGET.failed(target, f"MX target {target} has no A/AAAA record: mail cannot be delivered")
            )
        else:
            findings.append(
                MX_TARGET.passed(
                    target, f"{target} -> {', '.join(mx.addresses)}", exercised={"hosts_resolved": 1}
                )
            )
    return findings


def _no_mail(domain: MailDomain) -> Finding:
    name = domain.domain
    missing_items = [item for item in ("mx", "spf") if item in domain.errors]
    if missing_items:
        return NO_MAIL.unverifiable(
            name,
            f"cannot read {', '.join(missing_items)} of {name}: "
            + "; ".join(domain.errors[i] for i in missing_items),
        )
    problems = []
    if not domain.null_mx:
        problems.append("no null MX (MX 0 .)")
    spf = domain.spf
    if (
        spf is None
        or len(spf.records) != 1
        or spf.all_qualifier != "-"
        or (spf.record and spf.record.mechanisms[:-1])
    ):
        problems.append("SPF is not exactly v=spf1 -all")
    if problems:
        return NO_MAIL.failed(
            name,
            f"{name} sends no mail but has {' and '.join(problems)}: mail forged in its name is accepted",
        )
    return NO_MAIL.passed(name, f"{name}: null MX and v=spf1 -all", exercised={"dns_answers": 2})
