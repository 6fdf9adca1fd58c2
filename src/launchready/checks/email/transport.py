"""Inbound mail transport security of the apex: MTA-STS (RFC 8461) and TLS reporting (RFC 8460).

The policy file is fetched over HTTPS through the run's HTTP client, at the URL the config's port mapping
gives for ``mta-sts.<domain>``, without following redirects (RFC 8461 3.3).
"""

from __future__ import annotations

from launchready.checks.email.rules import (
    MTA_STS_INVALID,
    MTA_STS_MISSING,
    MTA_STS_MODE,
    MTA_STS_MX,
    TLSRPT_INVALID,
    TLSRPT_MISSING,
)
from launchready.checks.email.shared import email_posture, not_assessed
from launchready.checks.interface import Check
from launchready.email.errors import MtaStsParseError
from launchready.email.mta_sts import RECOMMENDED_MAX_AGE, mx_matches, parse_mta_sts_record
from launchready.email.observe import MailDomain, tlsrpt_error
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_STS_RULES = (MTA_STS_MISSING, MTA_STS_INVALID, MTA_STS_MODE, MTA_STS_MX)
_FETCHED = {"policies_fetched": 1}
_UNUSABLE = "the MTA-STS policy is not usable: fix it (email.mta-sts.policy-invalid) to assess this"


class MailTransportSecurity(Check):
    name = "email.transport"
    rules = (MTA_STS_MISSING, MTA_STS_INVALID, MTA_STS_MODE, MTA_STS_MX, TLSRPT_MISSING, TLSRPT_INVALID)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        posture = await email_posture(ctx)
        apex = ctx.config.apex
        domain = posture.get(apex)
        if domain is None or domain.role != "sending":
            return not_assessed(
                self.rules,
                apex,
                f"{apex} sends no mail ([email] sends_mail = false): inbound mail TLS does not apply; set "
                "sends_mail = true to assess it",
            )
        return [*_mta_sts(domain), *_tlsrpt(domain)]


def _mta_sts(domain: MailDomain) -> list[Finding]:
    name = domain.domain
    observed = domain.mta_sts
    if "mta_sts" in domain.errors or observed is None:
        reason = f"cannot read _mta-sts.{name}: {domain.errors.get('mta_sts', 'not observed')}"
        return [spec.unverifiable(name, reason) for spec in _STS_RULES]
    if not observed.records:
        return [
            MTA_STS_MISSING.warned(
                name, f"no _mta-sts.{name} record: senders may deliver over plain text or unverified TLS"
            ),
            *not_assessed(
                _STS_RULES[1:],
                name,
                f"no MTA-STS policy to judge: publish _mta-sts.{name} and the policy file to assess this",
            ),
        ]
    findings = [
        MTA_STS_MISSING.passed(name, f"_mta-sts.{name}: {observed.records[0]}", exercised={"dns_answers": 1})
    ]
    try:
        if len(observed.records) > 1:
            raise MtaStsParseError("more than one v=STSv1 record: senders ignore MTA-STS", 0)
        parse_mta_sts_record(observed.records[0])
    except MtaStsParseError as exc:
        return [
            *findings,
            MTA_STS_INVALID.failed(name, f"_mta-sts.{name}: {exc}"),
            *not_assessed(_STS_RULES[2:], name, _UNUSABLE),
        ]
    policy = observed.policy
    if observed.problem or policy is None:
        target = observed.policy_url or name
        return [
            *findings,
            MTA_STS_INVALID.failed(target, observed.problem or "no policy"),
            *not_assessed(_STS_RULES[2:], target, _UNUSABLE),
        ]
    url = observed.policy_url
    findings.append(
        MTA_STS_INVALID.passed(
            url, f"policy served: mode {policy.mode}, max_age {policy.max_age}", exercised=_FETCHED
        )
    )
    details: dict[str, object] = {"mode": policy.mode, "max_age": policy.max_age, "mx": list(policy.mx)}
    if policy.mode != "enforce":
        findings.append(
            MTA_STS_MODE.warned(
                url,
                f"mode: {policy.mode}: senders report but still deliver without verified TLS",
                details=details,
            )
        )
    elif policy.max_age < RECOMMENDED_MAX_AGE:
        findings.append(
            MTA_STS_MODE.warned(
                url,
                f"max_age: {policy.max_age}s, under a week: senders forget the policy quickly",
                details=details,
            )
        )
    else:
        findings.append(
            MTA_STS_MODE.passed(
                url, f"mode: enforce, max_age: {policy.max_age}s", details=details, exercised=_FETCHED
            )
        )
    findings.append(_mx_match(domain, url, policy.mx))
    return findings


def _mx_match(domain: MailDomain, url: str, patterns: tuple[str, ...]) -> Finding:
    if domain.mx is None:
        return MTA_STS_MX.unverifiable(url, "the MX records could not be read")
    hosts = [m.host for m in domain.mx if m.host]
    unmatched = [h for h in hosts if not any(mx_matches(p, h) for p in patterns)]
    details: dict[str, object] = {"patterns": list(patterns), "mx": hosts, "unmatched": unmatched}
    if unmatched:
        return MTA_STS_MX.failed(
            url,
            f"MX host(s) {', '.join(unmatched)} match no mx: pattern ({', '.join(patterns)}): "
            "enforcing senders will refuse to deliver there",
            details=details,
        )
    return MTA_STS_MX.passed(
        url,
        f"every MX matches the policy ({', '.join(patterns)})",
        details=details,
        exercised={"policies_fetched": 1, "mx_records": len(hosts)},
    )


def _tlsrpt(domain: MailDomain) -> list[Finding]:
    name = domain.domain
    target = f"_smtp._tls.{name}"
    if "tlsrpt" in domain.errors or domain.tlsrpt is None:
        reason = f"cannot read {target}: {domain.errors.get('tlsrpt', 'not observed')}"
        return [TLSRPT_MISSING.unverifiable(target, reason), TLSRPT_INVALID.unverifiable(target, reason)]
    if not domain.tlsrpt:
        return [
            TLSRPT_MISSING.warned(target, f"no {target} record: nobody hears about TLS delivery failures"),
            TLSRPT_INVALID.not_assessed(
                target, f"no TLS-RPT record to judge: publish {target} (email.tlsrpt.missing) to assess this"
            ),
        ]
    findings = [TLSRPT_MISSING.passed(target, f"{target}: {domain.tlsrpt[0]}", exercised={"dns_answers": 1})]
    if len(domain.tlsrpt) > 1:
        return [*findings, TLSRPT_INVALID.failed(target, "more than one TLS-RPT record: senders ignore them")]
    error = tlsrpt_error(domain.tlsrpt[0])
    if error is not None:
        return [
            *findings,
            TLSRPT_INVALID.failed(target, f"{error.reason} at position {error.position}: {domain.tlsrpt[0]}"),
        ]
    return [*findings, TLSRPT_INVALID.passed(target, "valid TLS-RPT record", exercised={"records_parsed": 1})]
