"""The certificate each host presents is trusted, matches the name, and is not expired or about to be.

Trust comes from OpenSSL's verdict (what browsers' is closest to). Expiry and name matching are read from
the certificate itself with ``cryptography``, so each rule gets its own verdict even when OpenSSL stops at
the first error. Trust passes only on a handshake OpenSSL verified: any verify error, worded in a way
this code has never seen or not (revoked, invalid CA, unsuitable purpose), is a failure. "Expiring" weighs the share of the lifetime left as well as days, so short-lived certs
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
from launchready.findings import Finding
from launchready.net import NetError, TlsObservation
from launchready.rules import rule

UNTRUSTED = rule("tls.cert.untrusted")
HOSTNAME_MISMATCH = rule("tls.cert.hostname-mismatch")
EXPIRED = rule("tls.cert.expired")
EXPIRING = rule("tls.cert.expiring")
_ONE_HANDSHAKE = {"handshakes": 1}


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
    """Only a handshake OpenSSL verified is a pass; any verification failure, whatever its wording (revoked,
    invalid CA, unknown purpose...), is a failure: browsers refuse them all."""
    where = f"{observation.address}:{observation.port}"
    if observation.verified:
        return UNTRUSTED.passed(
            host,
            f"chain verified at {where} ({observation.version}, {observation.cipher})",
            exercised=_ONE_HANDSHAKE,
        )
    if observation.verify_error:
        return UNTRUSTED.failed(
            host,
            f"certificate rejected by the TLS client at {where}: {observation.verify_error} (browsers refuse "
            "the connection)",
            details={"verify_error": observation.verify_error},
            exercised=_ONE_HANDSHAKE,
            group=certificate_group(host),
        )
    return UNTRUSTED.unverifiable(
        host, f"the handshake at {where} was not verified and no verification error was given"
    )


def certificate_group(host: str) -> str:
    """One certificate problem is one risk: a rejected certificate and the expiry or name fault that made
    OpenSSL reject it share this group."""
    return f"tls-certificate:{host}"


def _name(host: str, cert: x509.Certificate) -> Finding:
    names = certificate_names(cert)
    if matches_host(host, names):
        return HOSTNAME_MISMATCH.passed(
            host, f"{host} is covered by {', '.join(names[:6])}", exercised={"certificates_read": 1}
        )
    return HOSTNAME_MISMATCH.failed(
        host,
        f"the certificate is for {', '.join(names[:6]) or '(no names)'}, not {host}",
        details={"names": names},
        group=certificate_group(host),
    )


def _validity(host: str, cert: x509.Certificate, now: datetime) -> list[Finding]:
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    window = f"valid {not_before:%Y-%m-%d %H:%M} to {not_after:%Y-%m-%d %H:%M} UTC"
    if now > not_after:
        days = (now - not_after).days
        expired = EXPIRED.failed(host, f"expired {days} day(s) ago ({window})", group=certificate_group(host))
        return [expired, EXPIRING.unverifiable(host, "the certificate has already expired", evidence=window)]
    if now < not_before:
        return [
            EXPIRED.failed(
                host, f"not valid yet ({window}); check the server clock", group=certificate_group(host)
            ),
            EXPIRING.unverifiable(host, "the certificate is not valid yet", evidence=window),
        ]
    left = not_after - now
    lifetime = not_after - not_before
    share = left / lifetime if lifetime.total_seconds() > 0 else 0.0
    days_left = left.total_seconds() / 86400
    evidence = f"{days_left:.1f} days left, {share:.0%} of its lifetime ({window})"
    details: dict[str, object] = {"days_left": round(days_left, 2), "lifetime_share_left": round(share, 4)}
    read = {"certificates_read": 1}
    expired = EXPIRED.passed(host, window, exercised=read)
    if days_left < 7 and share < 1 / 3:
        return [expired, EXPIRING.failed(host, evidence, details=details)]
    if days_left < 21 and share < 1 / 3:
        return [expired, EXPIRING.warned(host, evidence, details=details)]
    return [expired, EXPIRING.passed(host, evidence, details=details, exercised=read)]


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
