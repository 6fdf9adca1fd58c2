"""Verify email authentication yourself: the exact ``dig`` commands for this domain's SPF, each DKIM
selector and DMARC, beside what a good answer looks like and what the audit saw (RFC 7208 SPF, RFC 6376
DKIM, RFC 7489 DMARC)."""

from __future__ import annotations

from typing import Any

from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section

EMAIL_UNVERIFIABLE = "handover.email.unverifiable"


def _domain_claims(domain: str, info: dict[str, Any], cite: Evidence) -> tuple[list[Claim], list[Missing]]:
    spf = info.get("spf") or {}
    dmarc = info.get("dmarc") or {}
    dkim = info.get("dkim") or {}
    claims = [
        Claim(
            f"SPF of {domain}",
            (cite,),
            (
                "Good: exactly one TXT record starting v=spf1, ending in -all (or ~all while you test), under 10 DNS lookups.",
                f"Seen: {'; '.join(spf.get('records') or []) or 'no SPF record'}",
            ),
            (f"dig +short TXT {domain} | grep -i 'v=spf1'",),
        ),
        Claim(
            f"DMARC of {domain}",
            (cite,),
            (
                "Good: one record v=DMARC1; p=quarantine or p=reject; rua=mailto:<a mailbox someone reads>.",
                f"Seen: {dmarc.get('record') or 'no DMARC record'}"
                + (
                    f" (found at {dmarc.get('found_at')})"
                    if dmarc.get("found_at") not in (None, domain)
                    else ""
                ),
            ),
            (f"dig +short TXT _dmarc.{domain}",),
        ),
    ]
    missing = []
    for selector, key in sorted(dkim.items()):
        bits = key.get("bits") if isinstance(key, dict) else None
        claims.append(
            Claim(
                f"DKIM selector {selector} of {domain}",
                (cite,),
                (
                    "Good: v=DKIM1; k=rsa; p=<a long base64 key> (2048-bit RSA or Ed25519; an empty p= means revoked).",
                    f"Seen: {bits}-bit {key.get('type', '') if isinstance(key, dict) else ''} key".strip(),
                ),
                (f"dig +short TXT {selector}._domainkey.{domain}",),
            )
        )
    if not dkim and info.get("role") == "sending":
        missing.append(
            Missing(
                EMAIL_UNVERIFIABLE,
                f"dkim:{domain}",
                f"no DKIM selector known for {domain}: list it in [email] dkim_selectors",
            )
        )
    return claims, missing


def email_section(inputs: HandoverInputs, audit_href: str | None) -> Section:
    title = "Verify email authentication yourself"
    if inputs.audit is None:
        return Section("email", title, rules=(EMAIL_UNVERIFIABLE,))
    email = inputs.audit.report.run.artifacts.get("email")
    domains = email.get("domains") if isinstance(email, dict) else None
    if not isinstance(domains, dict) or not domains:
        missing = (
            Missing(
                EMAIL_UNVERIFIABLE,
                inputs.config.apex,
                "the saved audit has no email results (run the email checks)",
            ),
        )
        return Section("email", title, missing=missing, rules=(EMAIL_UNVERIFIABLE,))
    cite = Evidence(f"audit {inputs.audit.path.name}: email", audit_href)
    claims: list[Claim] = []
    missing_items: list[Missing] = []
    for domain, info in domains.items():
        if isinstance(info, dict):
            more, gaps = _domain_claims(str(domain), info, cite)
            claims += more
            missing_items += gaps
    return Section(
        "email",
        title,
        tuple(claims),
        (),
        tuple(missing_items),
        {"mail_domains_read": len(domains)},
        (EMAIL_UNVERIFIABLE,),
    )
