"""TLS beyond the certificate's validity: legacy protocols, weak keys and signatures, chain completeness,
TLS 1.3 support, on each address of each host (roadmap stage 3; RFC 8996 deprecates TLS 1.0 and 1.1).

Unlisted hosts the inventory finds answering (a forgotten ``staging``) are checked too: they are public
and carry the product's name. Few handshakes by default: the verifying handshake of each address is shared
with the spine's certificate check (same ``ctx.once`` key), plus one short handshake pinned to TLS 1.1 on
the first address (TLS 1.0 is tried only when 1.1 is accepted). ``surface.tls_full_scan = true`` tests
both legacy versions on every address (opt-in, slower).
"""

from __future__ import annotations

import asyncio

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from launchready.checks.dns_edge.inventory import inventory
from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.net import NetError, TlsObservation

_MAX_ADDRESSES = 4
_PROTOCOLS = "TLSv1.2 TLSv1.3"


def _rule(
    rule_id: str, title: str, severity: Severity, description: str, fix: Fix, trust: int = 2
) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=title,
        stage=Stage.SECURE_DELIVERY,
        severity=severity,
        description=description,
        impact=Impact(launch_delay=1, support_load=1, customer_trust=trust),
        fix=fix,
    )


LEGACY = _rule(
    "tls.protocol.legacy",
    "TLS 1.0 or 1.1 accepted",
    Severity.HIGH,
    "The server refuses TLS 1.0 and 1.1 (deprecated by RFC 8996; PCI DSS and browsers dropped them).",
    Fix(
        summary="Allow only TLS 1.2 and 1.3.",
        snippets={
            "nginx": f"ssl_protocols {_PROTOCOLS};",
            "caddy": "tls {\n    protocols tls1.2 tls1.3\n}",
            "cloudflare": "SSL/TLS → Edge Certificates → Minimum TLS Version: TLS 1.2",
            "uvicorn": "uvicorn app:app --ssl-version 17  # ssl.PROTOCOL_TLS_SERVER; set minimum_version "
            "in code",
        },
    ),
)
WEAK_KEY = _rule(
    "tls.key.weak",
    "Weak certificate key or signature",
    Severity.HIGH,
    "The leaf key is RSA ≥ 2048 bits or EC ≥ 256 bits (no DSA), and no presented certificate is signed with "
    "SHA-1 or MD5 (CA/Browser Forum Baseline Requirements 6.1.5, 7.1.3).",
    Fix(
        summary="Reissue the certificate with an ECDSA P-256 or RSA 2048+ key and a SHA-256 signature.",
        snippets={
            "certbot": "sudo certbot renew --force-renewal --key-type ecdsa --elliptic-curve secp256r1"
        },
    ),
)
CHAIN_INCOMPLETE = _rule(
    "tls.chain.incomplete",
    "Certificate chain incomplete",
    Severity.HIGH,
    "The server sends the intermediate certificates, so clients that do not fetch them (curl, Android, APIs "
    "clients) can build the chain.",
    Fix(
        summary="Serve the full chain (fullchain.pem), not the leaf alone.",
        snippets={
            "nginx": "ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;",
            "caddy": "# Caddy serves the full chain automatically; with your own files: tls fullchain.pem "
            "key.pem",
        },
    ),
)
NO_TLS13 = _rule(
    "tls.version.no-tls13",
    "TLS 1.3 not supported",
    Severity.LOW,
    "The server negotiates TLS 1.3 (faster handshakes, no legacy cipher suites).",
    Fix(
        summary="Enable TLS 1.3 (OpenSSL ≥ 1.1.1).",
        snippets={
            "nginx": f"ssl_protocols {_PROTOCOLS};",
            "caddy": "tls {\n    protocols tls1.2 tls1.3\n}",
            "cloudflare": "SSL/TLS → Edge Certificates → TLS 1.3: On",
        },
    ),
    trust=1,
)

RULES = (LEGACY, WEAK_KEY, CHAIN_INCOMPLETE, NO_TLS13)
_WEAK_HASHES = (hashes.SHA1, hashes.MD5)


def key_weakness(cert: x509.Certificate) -> str | None:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        return f"RSA {key.key_size}-bit key"
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size < 256:
        return f"EC {key.curve.name} ({key.curve.key_size}-bit) key"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size}-bit key"
    return None


def signature_weakness(cert: x509.Certificate) -> str | None:
    algorithm = cert.signature_hash_algorithm
    if isinstance(algorithm, _WEAK_HASHES):
        return f"signed with {algorithm.name.upper()} ({cert.subject.rfc4514_string()})"
    return None


def chain_gap(observation: TlsObservation) -> str | None:
    """Why the chain is incomplete, or None when it is complete (or the question does not apply)."""
    if observation.verified:
        return None
    certs = observation.chain()
    leaf = certs[0]
    if leaf.issuer == leaf.subject:
        return None  # self-signed: nothing to complete; trust is tls.cert.untrusted's verdict
    error = (observation.verify_error or "").lower()
    presented = {c.subject for c in certs[1:]}
    if "local issuer" in error and leaf.issuer not in presented:
        return f"only the leaf was sent; its issuer ({leaf.issuer.rfc4514_string()}) is missing"
    return None


class TlsDepth(Check):
    name = "tls.depth"
    rules = RULES

    async def run(self, ctx: CheckContext) -> list[Finding]:
        found = await inventory(ctx) if ctx.config.surface.probe_subdomains else None
        unlisted = [f.name for f in found.found if f.addresses] if found is not None else []
        hosts = [*ctx.config.public_hosts, *unlisted]
        results = await asyncio.gather(*(self._host(ctx, host) for host in dict.fromkeys(hosts)))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        port = ctx.config.network.https_port
        try:
            addresses = (await require_addresses(ctx, host))[:_MAX_ADDRESSES]
        except NetError as exc:
            return [rule.unverifiable(host, str(exc)) for rule in RULES]
        every = ctx.config.surface.tls_full_scan
        legacy_on = addresses if every else addresses[:1]
        observations, legacy = await asyncio.gather(
            asyncio.gather(*(_observe(ctx, host, port, a) for a in addresses)),
            asyncio.gather(*(_legacy(ctx, host, port, a, every) for a in legacy_on)),
        )
        seen = [o for o in observations if isinstance(o, TlsObservation)]
        if not seen:
            reason = "; ".join(str(o) for o in observations)
            return [rule.unverifiable(host, reason) for rule in RULES]
        return [_legacy_finding(host, legacy), _key(host, seen), _chain(host, seen), _tls13(host, seen)]


async def _observe(ctx: CheckContext, host: str, port: int, address: str) -> TlsObservation | str:
    try:
        return await ctx.once(f"tls:{host}:{address}:{port}", lambda: ctx.tls.observe(host, port, address))
    except NetError as exc:
        return str(exc)


async def _legacy(
    ctx: CheckContext, host: str, port: int, address: str, both: bool
) -> tuple[str, list[str]] | str:
    """TLS 1.1 first; TLS 1.0 only when 1.1 is accepted (for the evidence) or when ``both`` is asked.

    A server that still takes TLS 1.0 takes 1.1 in practice (OpenSSL and every CDN drop 1.0 first), so one
    handshake answers the rule for a server that refuses both; enumeration mode tests each version.
    """
    try:
        accepted = ["TLS 1.1"] if await ctx.tls.accepts_version(host, "TLSv1.1", port, address) else []
        if (accepted or both) and await ctx.tls.accepts_version(host, "TLSv1", port, address):
            accepted.insert(0, "TLS 1.0")
    except NetError as exc:
        return str(exc)
    return address, accepted


def _legacy_finding(host: str, results: list[tuple[str, list[str]] | str]) -> Finding:
    accepted = [
        (addr, versions) for r in results if not isinstance(r, str) for addr, versions in [r] if versions
    ]
    errors = [r for r in results if isinstance(r, str)]
    if accepted:
        text = "; ".join(f"{addr} completes a {' and '.join(v)} handshake" for addr, v in accepted)
        return LEGACY.failed(host, text, details={"accepted": {a: v for a, v in accepted}})
    if errors and len(errors) == len(results):
        return LEGACY.unverifiable(host, errors[0])
    tested = ", ".join(r[0] for r in results if not isinstance(r, str))
    return LEGACY.passed(host, f"TLS 1.1 handshake refused at {tested} (TLS 1.0 is dropped before 1.1)")


def _key(host: str, seen: list[TlsObservation]) -> Finding:
    problems: list[str] = []
    for observation in seen:
        certs = observation.chain()
        weak = key_weakness(certs[0])
        if weak:
            problems.append(f"{observation.address}: {weak}")
        for cert in certs:
            if cert.issuer == cert.subject and cert is not certs[0]:
                continue  # a root's self-signature is not checked by clients
            signature = signature_weakness(cert)
            if signature:
                problems.append(f"{observation.address}: {signature}")
    if problems:
        return WEAK_KEY.failed(host, "; ".join(dict.fromkeys(problems)))
    leaf = seen[0].leaf()
    key = leaf.public_key()
    size = getattr(key, "key_size", None) or getattr(getattr(key, "curve", None), "key_size", "?")
    algorithm = leaf.signature_hash_algorithm
    return WEAK_KEY.passed(
        host,
        f"{type(key).__name__.removeprefix('_')} {size}-bit key, "
        f"{algorithm.name if algorithm else 'no-hash'} signature",
    )


def _chain(host: str, seen: list[TlsObservation]) -> Finding:
    gaps = [f"{o.address}: {gap}" for o in seen if (gap := chain_gap(o))]
    if gaps:
        return CHAIN_INCOMPLETE.failed(host, "; ".join(gaps))
    sizes = ", ".join(f"{o.address}: {len(o.chain_der) or 1} certificate(s)" for o in seen)
    return CHAIN_INCOMPLETE.passed(host, f"chain presented ({sizes})")


def _tls13(host: str, seen: list[TlsObservation]) -> Finding:
    without = [o.address for o in seen if o.version != "TLSv1.3"]
    versions = ", ".join(f"{o.address}: {o.version}" for o in seen)
    if without:
        return NO_TLS13.warned(host, f"best negotiated version: {versions}")
    return NO_TLS13.passed(host, f"TLS 1.3 negotiated ({versions})")
