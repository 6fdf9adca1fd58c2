"""TLS beyond the certificate's validity: legacy protocols, weak keys and signatures, chain completeness,
TLS 1.3 support, on each address of each host (roadmap stage 3; RFC 8996 deprecates TLS 1.0 and 1.1).

Unlisted hosts the inventory finds answering (a forgotten ``staging``) are checked too: they are public
and carry the product's name. Few handshakes by default: the verifying handshake of each address is shared
with the spine's certificate check (same ``ctx.once`` key), plus one short handshake pinned to TLS 1.1 on
the first address (TLS 1.0 is tried only when 1.1 is not refused). ``surface.tls_full_scan = true`` tests
both legacy versions on every address (opt-in, slower).

A pass needs the server's own refusal: when this machine's OpenSSL cannot offer a legacy version (a common
distribution policy), nothing was asked and the rule is unverifiable with the ``openssl s_client`` command
to run from elsewhere. Chain completeness passes only on a chain OpenSSL built to a trusted root.
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
from launchready.findings import Finding
from launchready.net import NetError, TlsObservation
from launchready.net.tls import VersionOffer, VersionOutcome
from launchready.rules import rule

_MAX_ADDRESSES = 4

LEGACY = rule("tls.protocol.legacy")
WEAK_KEY = rule("tls.key.weak")
CHAIN_INCOMPLETE = rule("tls.chain.incomplete")
NO_TLS13 = rule("tls.version.no-tls13")

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
        return [
            _legacy_finding(host, port, legacy),
            _key(host, seen),
            _chain(host, seen),
            _tls13(host, seen),
        ]


async def _observe(ctx: CheckContext, host: str, port: int, address: str) -> TlsObservation | str:
    try:
        return await ctx.once(f"tls:{host}:{address}:{port}", lambda: ctx.tls.observe(host, port, address))
    except NetError as exc:
        return str(exc)


_LEGACY_NAMES = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1"}
_OPENSSL_FLAGS = {"TLSv1": "-tls1", "TLSv1.1": "-tls1_1"}

LegacyResult = tuple[str, list[VersionOffer]] | str
"""What the legacy probes of one address showed (address, offers), or the network error that stopped them."""


async def _legacy(ctx: CheckContext, host: str, port: int, address: str, both: bool) -> LegacyResult:
    """TLS 1.1 first; TLS 1.0 when 1.1 is accepted (for the evidence), when this machine could not offer 1.1
    (then 1.1's refusal cannot stand for both), or when ``both`` is asked.

    A server that still takes TLS 1.0 takes 1.1 in practice (OpenSSL and every CDN drop 1.0 first), so one
    refused 1.1 handshake answers the rule for a server that refuses both; enumeration mode tests each.
    """
    try:
        offers = [await ctx.tls.offer_version(host, "TLSv1.1", port, address)]
        if both or offers[0].outcome is not VersionOutcome.REFUSED:
            offers.insert(0, await ctx.tls.offer_version(host, "TLSv1", port, address))
    except NetError as exc:
        return str(exc)
    return address, offers


def _legacy_finding(host: str, port: int, results: list[LegacyResult]) -> Finding:
    """Pass only on refusals the server itself sent: a version this machine could not offer, or a probe
    the network cut short, leaves the question open (unverifiable, with the manual command)."""
    probed = [r for r in results if not isinstance(r, str)]
    errors = [r for r in results if isinstance(r, str)]
    offered = sum(1 for _, offers in probed for o in offers if o.outcome is not VersionOutcome.NOT_OFFERED)
    accepted = {addr: [_LEGACY_NAMES[o.version] for o in offers if o.accepted] for addr, offers in probed}
    accepted = {addr: names for addr, names in accepted.items() if names}
    if accepted:
        text = "; ".join(f"{addr} completes a {' and '.join(v)} handshake" for addr, v in accepted.items())
        return LEGACY.failed(
            host, text, details={"accepted": accepted}, exercised={"handshakes_offered": offered}
        )
    if errors:
        return LEGACY.unverifiable(host, errors[0])
    not_offered = [o for _, offers in probed for o in offers if o.outcome is VersionOutcome.NOT_OFFERED]
    if not_offered:
        versions = sorted({o.version for o in not_offered}, key=list(_LEGACY_NAMES).index)
        commands = " and ".join(
            f"`openssl s_client {_OPENSSL_FLAGS[v]} -connect {host}:{port} -servername {host}`"
            for v in versions
        )
        return LEGACY.unverifiable(
            host,
            f"this machine's OpenSSL cannot offer {' or '.join(_LEGACY_NAMES[v] for v in versions)} "
            f"({not_offered[0].detail}), so the server was never asked; verify with {commands}",
            details={"not_offered": versions},
        )
    refusals = "; ".join(
        f"{addr}: {', '.join(_LEGACY_NAMES[o.version] for o in offers)} refused" for addr, offers in probed
    )
    inferred = "" if all(len(offers) == 2 for _, offers in probed) else " (TLS 1.0 is dropped before 1.1)"
    return LEGACY.passed(
        host,
        f"handshakes pinned to legacy versions were refused by the server: {refusals}{inferred}",
        details={"refused": {addr: [o.detail for o in offers] for addr, offers in probed}},
        exercised={"handshakes_offered": offered},
    )


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
        return WEAK_KEY.failed(host, "; ".join(dict.fromkeys(problems)), exercised={"handshakes": len(seen)})
    leaf = seen[0].leaf()
    key = leaf.public_key()
    size = getattr(key, "key_size", None) or getattr(getattr(key, "curve", None), "key_size", "?")
    algorithm = leaf.signature_hash_algorithm
    return WEAK_KEY.passed(
        host,
        f"{type(key).__name__.removeprefix('_')} {size}-bit key, "
        f"{algorithm.name if algorithm else 'no-hash'} signature",
        exercised={"handshakes": len(seen), "certificates_read": sum(len(o.chain()) for o in seen)},
    )


_BUILT_CHAIN_ERRORS = (
    "hostname mismatch",
    "ip address mismatch",
    "has expired",
    "not yet valid",
    "too weak",
    "unsuitable certificate purpose",
    "certificate revoked",
    "invalid ca certificate",
)
"""OpenSSL reports these only after it built the chain to a trusted root (X509_verify_cert builds the chain
first, then checks extensions, key strength, names, revocation and times), so the chain itself is complete."""


def _chain(host: str, seen: list[TlsObservation]) -> Finding:
    handshakes = {"handshakes": len(seen)}
    gaps = [f"{o.address}: {gap}" for o in seen if (gap := chain_gap(o))]
    if gaps:
        return CHAIN_INCOMPLETE.failed(host, "; ".join(gaps), exercised=handshakes)
    sizes = ", ".join(f"{o.address}: {len(o.chain_der) or 1} certificate(s)" for o in seen)
    unbuilt = [
        o
        for o in seen
        if not o.verified and not any(e in (o.verify_error or "").lower() for e in _BUILT_CHAIN_ERRORS)
    ]
    if any(o.leaf().issuer == o.leaf().subject for o in unbuilt):
        return CHAIN_INCOMPLETE.not_assessed(
            host, "the certificate is self-signed: there is no chain to complete (see tls.cert.untrusted)"
        )
    if unbuilt:
        return CHAIN_INCOMPLETE.unverifiable(
            host,
            f"the chain did not verify ({unbuilt[0].verify_error}), so whether an intermediate is missing "
            f"cannot be told; verify with `openssl s_client -showcerts -connect {host}:443 -servername {host}`",
            evidence=f"chain presented ({sizes})",
        )
    return CHAIN_INCOMPLETE.passed(host, f"chain built to a trusted root ({sizes})", exercised=handshakes)


def _tls13(host: str, seen: list[TlsObservation]) -> Finding:
    without = [o.address for o in seen if o.version != "TLSv1.3"]
    versions = ", ".join(f"{o.address}: {o.version}" for o in seen)
    if without:
        return NO_TLS13.warned(
            host, f"best negotiated version: {versions}", exercised={"handshakes": len(seen)}
        )
    return NO_TLS13.passed(host, f"TLS 1.3 negotiated ({versions})", exercised={"handshakes": len(seen)})
