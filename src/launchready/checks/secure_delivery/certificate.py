"""The certificate each host presents is trusted, matches the name, and is not expired or about to be.

Trust comes from OpenSSL's verdict (what browsers' is closest to). Expiry and name matching are read from
the certificate itself with ``cryptography``, so each rule gets its own verdict even when OpenSSL stops at
the first error. "Expiring" weighs the share of the lifetime left as well as days, so short-lived certs
(6-day or 90-day ACME certs renewed on schedule) do not raise false alarms.
"""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError, TlsObservation

_ACME_FIX = Fix(
    summary="Serve a certificate from a public CA, renewed automatically (ACME / your platform's managed TLS).",
    steps=(
        "Use your platform's managed certificates, or certbot / Caddy's automatic HTTPS with Let's Encrypt.",
        "Monitor expiry: `launchready audit --only tls` in CI or the monitor.",
    ),
    snippets={
        "certbot": "sudo certbot --nginx -d example.com -d www.example.com\nsudo systemctl enable --now certbot.timer",
        "caddy": "example.com, www.example.com {\n    reverse_proxy localhost:8000\n}",
    },
)

UNTRUSTED = RuleSpec(
    rule_id="tls.cert.untrusted",
    title="Certificate is not trusted",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description="The certificate chains to a trusted CA (self-signed, unknown issuer or missing chain fail).",
    impact=Impact(launch_delay=3, support_load=3, customer_trust=3),
    fix=_ACME_FIX,
)
HOSTNAME_MISMATCH = RuleSpec(
    rule_id="tls.cert.hostname-mismatch",
    title="Certificate does not match the host name",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description="The certificate's subjectAltName covers the host name (RFC 6125).",
    impact=Impact(launch_delay=3, support_load=3, customer_trust=3),
    fix=Fix(
        summary="Issue a certificate whose SAN list includes this host (or a wildcard covering it).",
        snippets={"certbot": "sudo certbot --nginx -d example.com -d www.example.com -d app.example.com"},
    ),
)
EXPIRED = RuleSpec(
    rule_id="tls.cert.expired",
    title="Certificate has expired (or is not yet valid)",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description="The current time is inside the certificate's validity period.",
    impact=Impact(launch_delay=3, support_load=3, customer_trust=3),
    fix=_ACME_FIX,
)
EXPIRING = RuleSpec(
    rule_id="tls.cert.expiring",
    title="Certificate expires soon",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description=(
        "Fails with under 7 days and under a third of the lifetime left; warns with under 21 days and under "
        "a third left (ACME clients renew at a third)."
    ),
    impact=Impact(launch_delay=1, support_load=2, customer_trust=3),
    fix=Fix(
        summary="Renew now and make renewal automatic; check why the automatic renewal has not happened.",
        steps=("Run the renewal (e.g. `certbot renew`) and check its timer/cron and logs.",),
        snippets={"certbot": "sudo certbot renew --dry-run && sudo systemctl enable --now certbot.timer"},
    ),
)

_UNTRUSTED_MARKERS = (
    "self-signed",
    "self signed",
    "issuer",
    "unable to verify",
    "signature failure",
    "untrusted",
)


class CertificateValid(Check):
    name = "tls.certificate"
    rules = (UNTRUSTED, HOSTNAME_MISMATCH, EXPIRED, EXPIRING)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        results = await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts))
        return [finding for findings in results for finding in findings]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        port = ctx.config.network.https_port
        try:
            addresses = await require_addresses(ctx, host)
            observation = await ctx.once(
                f"tls:{host}:{addresses[0]}:{port}", lambda: ctx.tls.observe(host, port, addresses[0])
            )
        except NetError as exc:
            return [rule.unverifiable(host, str(exc)) for rule in self.rules]
        try:
            cert = x509.load_der_x509_certificate(observation.leaf_der)
        except ValueError as exc:
            return [
                rule.unverifiable(host, f"the certificate could not be parsed: {exc}") for rule in self.rules
            ]
        return [
            _trust(host, observation),
            _name(host, cert),
            *_validity(host, cert, ctx.clock()),
        ]


def _trust(host: str, observation: TlsObservation) -> Finding:
    error = observation.verify_error or ""
    if observation.verified:
        return UNTRUSTED.passed(host, f"chain verified ({observation.version}, {observation.cipher})")
    if any(marker in error.lower() for marker in _UNTRUSTED_MARKERS):
        return UNTRUSTED.failed(host, f"certificate rejected by the TLS client: {error}")
    return UNTRUSTED.passed(host, f"chain builds to a trusted CA; verification stopped at: {error}")


def _name(host: str, cert: x509.Certificate) -> Finding:
    names = certificate_names(cert)
    if matches_host(host, names):
        return HOSTNAME_MISMATCH.passed(host, f"{host} is covered by {', '.join(names[:6])}")
    return HOSTNAME_MISMATCH.failed(
        host,
        f"the certificate is for {', '.join(names[:6]) or '(no names)'}, not {host}",
        details={"names": names},
    )


def _validity(host: str, cert: x509.Certificate, now: datetime) -> list[Finding]:
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    window = f"valid {not_before:%Y-%m-%d %H:%M} to {not_after:%Y-%m-%d %H:%M} UTC"
    if now > not_after:
        days = (now - not_after).days
        expired = EXPIRED.failed(host, f"expired {days} day(s) ago ({window})")
        return [expired, EXPIRING.unverifiable(host, "the certificate has already expired", evidence=window)]
    if now < not_before:
        return [
            EXPIRED.failed(host, f"not valid yet ({window}); check the server clock"),
            EXPIRING.unverifiable(host, "the certificate is not valid yet", evidence=window),
        ]
    left = not_after - now
    lifetime = not_after - not_before
    share = left / lifetime if lifetime.total_seconds() > 0 else 0.0
    days_left = left.total_seconds() / 86400
    evidence = f"{days_left:.1f} days left, {share:.0%} of its lifetime ({window})"
    details: dict[str, object] = {"days_left": round(days_left, 2), "lifetime_share_left": round(share, 4)}
    expired = EXPIRED.passed(host, window)
    if days_left < 7 and share < 1 / 3:
        return [expired, EXPIRING.failed(host, evidence, details=details)]
    if days_left < 21 and share < 1 / 3:
        return [expired, EXPIRING.warned(host, evidence, details=details)]
    return [expired, EXPIRING.passed(host, evidence, details=details)]


def certificate_names(cert: x509.Certificate) -> list[str]:
    """DNS names and IP addresses in the SAN, or the CN when there is no SAN (legacy)."""
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    except x509.ExtensionNotFound:
        return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    names: list[str] = list(san.get_values_for_type(x509.DNSName))  # type: ignore[attr-defined]
    names += [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]  # type: ignore[attr-defined]
    return names


def matches_host(host: str, names: list[str]) -> bool:
    """RFC 6125 section 6.4: exact match, or a wildcard standing for exactly the leftmost label."""
    host = host.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
        return any(name == str(ip) for name in names)
    except ValueError:
        pass
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            _, _, rest = host.partition(".")
            if rest == name[2:] and rest.count(".") >= 1:
                return True
    return False
