"""How strong each host's HSTS policy is: max-age of a year, includeSubDomains, preload (RFC 6797,
hstspreload.org).

The spine's ``headers.hsts.missing`` says whether HSTS is there at all; these rules grade the policy so a
``max-age=300`` left over from testing does not pass as protection. Preload eligibility only means something
at the apex (the preload list is keyed by registrable domain), so it is judged there alone.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.fixes import header_fix
from launchready.checks.secure_delivery.header_policy import ONE_YEAR_S, SIX_MONTHS_S, parse_hsts
from launchready.checks.secure_delivery.page_probe import homepage
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Impact, RuleSpec, Severity, Stage

_VALUE = "max-age=63072000; includeSubDomains; preload"
_FIX = header_fix(
    "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains; preload` on every HTTPS response.",
    "Strict-Transport-Security",
    _VALUE,
    "Make sure every subdomain serves HTTPS before adding includeSubDomains.",
    "Then submit the apex at https://hstspreload.org.",
    references=("https://www.rfc-editor.org/rfc/rfc6797#section-6.1", "https://hstspreload.org/"),
)

HSTS_SHORT = RuleSpec(
    rule_id="headers.hsts.short",
    title="HSTS max-age under one year",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.MEDIUM,
    description="HSTS max-age is at least one year (fails under six months, warns under a year).",
    impact=Impact(launch_delay=0, support_load=0, customer_trust=2),
    fix=_FIX,
)
HSTS_SUBDOMAINS = RuleSpec(
    rule_id="headers.hsts.subdomains",
    title="HSTS at the apex without includeSubDomains",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.LOW,
    description="The apex's HSTS policy covers subdomains (includeSubDomains), so no subdomain is "
    "reachable over HTTP.",
    impact=Impact(launch_delay=0, support_load=0, customer_trust=1),
    fix=_FIX,
)
HSTS_PRELOAD = RuleSpec(
    rule_id="headers.hsts.preload",
    title="Apex not eligible for the HSTS preload list",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.INFO,
    description="The apex sends max-age ≥ 1 year, includeSubDomains and preload, so it can join browsers' "
    "preload list and even the first visit is HTTPS.",
    impact=Impact(launch_delay=0, support_load=0, customer_trust=1),
    fix=_FIX,
)


class HstsPolicyStrength(Check):
    name = "headers.hsts-policy"
    rules = (HSTS_SHORT, HSTS_SUBDOMAINS, HSTS_PRELOAD)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        results = await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        apex = host == ctx.config.apex
        rules = (HSTS_SHORT, HSTS_SUBDOMAINS, HSTS_PRELOAD) if apex else (HSTS_SHORT,)
        probe = await homepage(ctx, host)
        if not probe.usable or probe.response is None:
            return [rule.unverifiable(host, probe.reason or "no response", probe.evidence) for rule in rules]
        value = probe.response.header("strict-transport-security")
        if value is None:
            note = "no Strict-Transport-Security header (reported by headers.hsts.missing)"
            return [rule.warned(host, note) for rule in rules]
        policy = parse_hsts(value)
        details: dict[str, object] = {
            "value": value,
            "max_age": policy.max_age,
            "include_subdomains": policy.include_subdomains,
            "preload": policy.preload,
        }
        age = policy.max_age or 0
        evidence = f"Strict-Transport-Security: {value}"
        if age < SIX_MONTHS_S:
            found = [
                HSTS_SHORT.failed(host, f"{evidence} (max-age {age}s is under six months)", details=details)
            ]
        elif age < ONE_YEAR_S:
            found = [HSTS_SHORT.warned(host, f"{evidence} (max-age {age}s is under a year)", details=details)]
        else:
            found = [HSTS_SHORT.passed(host, evidence, details=details)]
        if not apex:
            return found
        if policy.include_subdomains:
            found.append(HSTS_SUBDOMAINS.passed(host, evidence, details=details))
        else:
            found.append(HSTS_SUBDOMAINS.warned(host, f"{evidence} (no includeSubDomains)", details=details))
        if policy.preload_eligible:
            found.append(
                HSTS_PRELOAD.passed(host, f"{evidence}: eligible for hstspreload.org", details=details)
            )
        else:
            missing = [
                name
                for name, ok in (
                    ("max-age ≥ 31536000", age >= ONE_YEAR_S),
                    ("includeSubDomains", policy.include_subdomains),
                    ("preload", policy.preload),
                )
                if not ok
            ]
            found.append(
                HSTS_PRELOAD.warned(
                    host, f"{evidence}; missing for preload: {', '.join(missing)}", details=details
                )
            )
        return found
