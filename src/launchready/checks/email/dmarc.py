"""DMARC per RFC 9989 for every sending domain: discovery by tree walk, policy strength, tags, reports.

The policy rule is reported per sending domain (a subdomain gets its parent's ``sp=``); the rules about the
record's own tags are reported once, at the name where the record lives.
"""

from __future__ import annotations

from launchready.checks.email.rules import (
    DMARC_ALIGNMENT,
    DMARC_MISSING,
    DMARC_POLICY,
    DMARC_REMOVED,
    DMARC_REPORT_AUTH,
    DMARC_REPORTING,
    DMARC_SUBDOMAINS,
    DMARC_SYNTAX,
)
from launchready.checks.email.shared import NO_SENDING_DOMAIN, email_posture, not_assessed
from launchready.checks.interface import Check
from launchready.email.dmarc import DmarcRecord, Policy
from launchready.email.observe import EmailPosture, MailDomain
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_PARSED = {"records_parsed": 1}
"""A verdict read off a DMARC record that was fetched and parsed."""
_RECORD_RULES = (
    DMARC_SYNTAX,
    DMARC_SUBDOMAINS,
    DMARC_REMOVED,
    DMARC_REPORTING,
    DMARC_REPORT_AUTH,
    DMARC_ALIGNMENT,
)


class DmarcPolicy(Check):
    name = "email.dmarc"
    rules = (DMARC_MISSING, DMARC_POLICY, *_RECORD_RULES)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        posture = await email_posture(ctx)
        findings: list[Finding] = []
        judged: set[str] = set()
        sending = [d for d in posture.domains if d.role == "sending"]
        if not sending:
            return not_assessed(self.rules, ctx.config.apex, NO_SENDING_DOMAIN)
        for domain in sending:
            findings += _policy_findings(domain)
            dmarc = domain.dmarc
            if dmarc is not None and dmarc.found_at and dmarc.found_at not in judged:
                judged.add(dmarc.found_at)
                findings += _record_findings(domain, posture)
        if not judged:
            first = sending[0]
            if "dmarc" in first.errors or first.dmarc is None:
                reason = f"cannot read DMARC for {first.domain}: {first.errors.get('dmarc', 'not observed')}"
                findings += [spec.unverifiable(f"_dmarc.{first.domain}", reason) for spec in _RECORD_RULES]
            else:
                findings += not_assessed(
                    _RECORD_RULES,
                    f"_dmarc.{first.domain}",
                    "no DMARC record to judge: publish one (email.dmarc.missing) to assess this",
                )
        return findings


def _policy_findings(domain: MailDomain) -> list[Finding]:
    name = domain.domain
    dmarc = domain.dmarc
    if "dmarc" in domain.errors or dmarc is None:
        reason = f"cannot read DMARC for {name}: {domain.errors.get('dmarc', 'not observed')}"
        return [DMARC_MISSING.unverifiable(name, reason), DMARC_POLICY.unverifiable(name, reason)]
    walked = ", ".join(f"_dmarc.{n}" for n in dmarc.queried)
    if dmarc.found_at is None:
        return [
            DMARC_MISSING.failed(
                name,
                f"no DMARC record (tree walk queried {walked})",
                details={"queried": list(dmarc.queried)},
            ),
            DMARC_POLICY.not_assessed(
                name, f"{name} has no DMARC policy to judge: publish one (email.dmarc.missing) to assess this"
            ),
        ]
    where = f"_dmarc.{dmarc.found_at}" + (" (inherited by tree walk)" if dmarc.inherited else "")
    found = DMARC_MISSING.passed(
        name, f"DMARC record at {where}: {dmarc.record_text}", exercised={"dns_answers": len(dmarc.queried)}
    )
    record = dmarc.record
    if record is None:
        why = "several DMARC records" if dmarc.multiple else "a record with a syntax error"
        return [found, DMARC_POLICY.failed(name, f"{where} holds {why}: receivers apply no policy")]
    if dmarc.inherited and record.psd == "y":
        where += " (a public suffix domain's policy, psd=y: your organizational domain publishes none)"
    return [found, _policy(name, record, dmarc.inherited, where)]


def _policy(name: str, record: DmarcRecord, inherited: bool, where: str) -> Finding:
    policy = record.effective_subdomain_policy if inherited else record.effective_policy
    which = "sp" if inherited and record.subdomain_policy else "p"
    details: dict[str, object] = {"policy": policy.value, "testing": record.testing, "found_at": where}
    pct = record.tag("pct")
    legacy = ""
    if pct is not None and pct.value != "100":
        legacy = (
            f" RFC 7489-only receivers still honour pct={pct.value}: they apply the policy to only "
            f"{pct.value}% of failing mail."
        )
    if policy is Policy.NONE:
        return DMARC_POLICY.failed(
            name,
            f"{which}=none at {where}: failing mail is delivered as usual, anyone "
            f"can send as {name}.{legacy}",
            details=details,
        )
    if record.testing:
        return DMARC_POLICY.warned(
            name,
            f"{which}={policy.value} with t=y at {where}: RFC 9989 receivers apply "
            "one step less (quarantine becomes none, reject becomes quarantine); RFC "
            f"7489-only receivers ignore t=.{legacy}",
            details=details,
        )
    if legacy:
        return DMARC_POLICY.warned(name, f"{which}={policy.value} at {where}.{legacy}", details=details)
    return DMARC_POLICY.passed(
        name, f"{which}={policy.value} at {where}", details=details, exercised={"records_parsed": 1}
    )


def _record_findings(domain: MailDomain, posture: EmailPosture) -> list[Finding]:
    dmarc = domain.dmarc
    assert dmarc is not None and dmarc.found_at is not None
    target = f"_dmarc.{dmarc.found_at}"
    record = dmarc.record
    if record is None:
        unjudged = not_assessed(
            _RECORD_RULES[1:],
            target,
            f"the DMARC record at {target} is not usable: fix it (email.dmarc.syntax) to assess this",
        )
        if dmarc.multiple:
            return [
                DMARC_SYNTAX.failed(target, f"more than one DMARC record at {target}: receivers ignore all"),
                *unjudged,
            ]
        error = dmarc.error
        assert error is not None
        pointer = f"{dmarc.record_text}\n{' ' * error.position}^"
        return [
            DMARC_SYNTAX.failed(
                target,
                f"{error.reason} at position {error.position}:\n{pointer}",
                details={"record": dmarc.record_text, "position": error.position},
            ),
            *unjudged,
        ]
    findings = [DMARC_SYNTAX.passed(target, f"valid DMARC record: {record.text}", exercised=_PARSED)]
    findings.append(_subdomains(target, record))
    findings.append(_removed(target, record))
    if record.rua:
        findings.append(
            DMARC_REPORTING.passed(
                target, f"aggregate reports go to {', '.join(record.rua)}", exercised=_PARSED
            )
        )
    else:
        findings.append(
            DMARC_REPORTING.warned(
                target,
                "no rua=: nobody receives aggregate reports, so you cannot see who sends as your domain",
            )
        )
    findings.append(_authorization(target, domain))
    findings.append(_alignment(target, record, posture))
    return findings


def _subdomains(target: str, record: DmarcRecord) -> Finding:
    p = record.effective_policy
    weaker = [
        f"{tag}={value.value}"
        for tag, value in (("sp", record.subdomain_policy), ("np", record.nonexistent_policy))
        if value is not None and value.strength < p.strength
    ]
    legacy = ""
    if record.nonexistent_policy is not None:
        fallback = record.effective_subdomain_policy.value
        legacy = f" RFC 7489-only receivers ignore np= and apply {fallback} to non-existent subdomains."
    if weaker:
        return DMARC_SUBDOMAINS.warned(
            target, f"{' and '.join(weaker)} is weaker than p={p.value}: spoofers use a subdomain.{legacy}"
        )
    return DMARC_SUBDOMAINS.passed(target, f"subdomains get at least p={p.value}.{legacy}", exercised=_PARSED)


def _removed(target: str, record: DmarcRecord) -> Finding:
    if not record.removed_tags:
        return DMARC_REMOVED.passed(target, "no tags removed by RFC 9989", exercised=_PARSED)
    tags = ", ".join(f"{t}=" for t in record.removed_tags)
    return DMARC_REMOVED.warned(
        target,
        f"{tags} removed by RFC 9989: current receivers ignore them, RFC 7489-only "
        "receivers still apply them",
        details={"removed": list(record.removed_tags)},
    )


def _authorization(target: str, domain: MailDomain) -> Finding:
    if not domain.report_destinations:
        return DMARC_REPORT_AUTH.passed(target, "no external report destination", exercised=_PARSED)
    refused = [d for d, ok in domain.report_destinations.items() if ok is False]
    unknown = [d for d, ok in domain.report_destinations.items() if ok is None]
    policy_domain = target.removeprefix("_dmarc.")
    details: dict[str, object] = {"destinations": {d: ok for d, ok in domain.report_destinations.items()}}
    if refused:
        names = ", ".join(f"{policy_domain}._report._dmarc.{d}" for d in refused)
        return DMARC_REPORT_AUTH.failed(
            target,
            f"not authorized: {names} has no v=DMARC1 record, so receivers drop those reports",
            details=details,
        )
    if unknown:
        return DMARC_REPORT_AUTH.unverifiable(
            target, f"DNS did not answer for the authorization of {', '.join(unknown)}"
        )
    return DMARC_REPORT_AUTH.passed(
        target,
        f"external destinations authorized: {', '.join(domain.report_destinations)}",
        details=details,
        exercised={"records_parsed": 1, "dns_answers": len(domain.report_destinations)},
    )


def _alignment(target: str, record: DmarcRecord, posture: EmailPosture) -> Finding:
    modes = f"aspf={record.aspf}, adkim={record.adkim}"
    subdomains = [d.domain for d in posture.domains if d.role == "sending" and f"_dmarc.{d.domain}" != target]
    strict = [tag for tag, mode in (("aspf", record.aspf), ("adkim", record.adkim)) if mode == "s"]
    if strict and subdomains:
        return DMARC_ALIGNMENT.warned(
            target,
            f"{modes}: mail authenticated as {', '.join(subdomains)} does not "
            "align with the organizational domain under strict mode",
        )
    return DMARC_ALIGNMENT.passed(target, modes, exercised=_PARSED)
