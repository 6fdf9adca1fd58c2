"""TLS handshakes that report what a server presents, trusted or not.

The stdlib ``ssl`` module does the handshake (it is OpenSSL, which is what browsers' verdicts are closest
to); ``cryptography`` parses what comes back. A verifying handshake is tried first; when the certificate is
rejected, a second, non-verifying handshake still collects the certificate so the check can say *why*.
The presented chain comes from ``get_unverified_chain`` (public from Python 3.13, present as a private
method since 3.10) and falls back to the leaf alone.

A legacy-version probe has three answers, not two (``VersionOffer``): the server took the version, the server
refused it after seeing our ClientHello, or *this machine* could not offer it (a distribution's OpenSSL
policy often forbids TLS 1.0/1.1 client-side). The last one is found before any packet is sent, by building
the ClientHello against memory buffers, so a local limitation can never read as "the server refused".

Handshakes are where an audit's CPU goes (about 2 ms each with OpenSSL 3.0), so nothing is built per
handshake: the verifying contexts come from ``make_ssl_context`` and the version-pinned ones from
``_version_context``, both built once; a certificate is parsed once per process (``parse_certificate``),
however many rules read it.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import ssl
import warnings
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from launchready.net.dns import DnsResolver
from launchready.net.errors import ConnectError, DnsError, NetError, TlsError
from launchready.net.http import make_ssl_context
from launchready.net.limits import Limits


@dataclass(frozen=True)
class TlsObservation:
    host: str
    address: str
    port: int
    version: str
    cipher: str
    verified: bool
    verify_error: str | None
    leaf_der: bytes = field(repr=False)
    chain_der: tuple[bytes, ...] = field(default=(), repr=False)
    """Certificates as the server sent them, leaf first (may be just the leaf)."""

    def leaf(self) -> x509.Certificate:
        """The leaf, parsed (once per process). Raises ``ValueError`` when it is not a certificate."""
        return parse_certificate(self.leaf_der)

    def chain(self) -> tuple[x509.Certificate, ...]:
        """The presented chain (or the leaf alone when the chain was not available), parsed."""
        return tuple(parse_certificate(der) for der in self.chain_der or (self.leaf_der,))


@functools.lru_cache(maxsize=256)
def parse_certificate(der: bytes) -> x509.Certificate:
    """``x509.load_der_x509_certificate``, memoised: the certificate, depth and origin rules read the same
    few certificates, and a ``Certificate`` is immutable."""
    return x509.load_der_x509_certificate(der)


_VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}


@functools.lru_cache(maxsize=len(_VERSIONS))
def _version_context(version: str) -> ssl.SSLContext | None:
    """A bare context (no CA store to load) pinned to exactly ``version``, built once and shared; None when
    this OpenSSL cannot offer that version at all."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with warnings.catch_warnings():  # offering TLS 1.0/1.1 is the point of this probe
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = _VERSIONS[version]
            context.maximum_version = _VERSIONS[version]
        if version in ("TLSv1", "TLSv1.1"):
            context.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return None
    return context


class VersionOutcome(enum.StrEnum):
    """What a handshake pinned to one protocol version showed."""

    ACCEPTED = "accepted"
    """The server completed the handshake at that version."""
    REFUSED = "refused"
    """Our ClientHello went out and the server answered with an alert (or closed the handshake)."""
    NOT_OFFERED = "not_offered"
    """This machine's OpenSSL could not even build a ClientHello for the version: nothing was asked."""


@dataclass(frozen=True)
class VersionOffer:
    """The result of offering exactly one protocol version to a server, and why."""

    version: str
    outcome: VersionOutcome
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome is VersionOutcome.ACCEPTED


def client_hello_problem(context: ssl.SSLContext) -> str | None:
    """Why this context cannot produce a ClientHello (e.g. ``NO_PROTOCOLS_AVAILABLE``), or None when it can.

    The handshake is started against memory buffers, so nothing touches the network: OpenSSL builds the
    ClientHello and then waits for the server. An ``SSLError`` *here* is the client's own inability (a
    system policy such as ``MinProtocol = TLSv1.2``, a build without the version), which a server could
    never have caused, so it must not be read as "the server refused".
    """
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    ssl_object = context.wrap_bio(incoming, outgoing, server_hostname="client-hello.invalid")
    try:
        ssl_object.do_handshake()
    except ssl.SSLWantReadError:
        return None if outgoing.pending else "no ClientHello was produced"
    except ssl.SSLError as exc:
        return str(exc.reason or exc)
    return None


class TlsProber:
    def __init__(
        self, resolver: DnsResolver, limits: Limits | None = None, ca_bundle: str | None = None
    ) -> None:
        self.resolver = resolver
        self.limits = limits or Limits()
        self.ca_bundle = ca_bundle

    async def observe(self, host: str, port: int = 443, address: str | None = None) -> TlsObservation:
        """Handshake with ``host`` (SNI) at ``address`` (resolved when None) and report what it presented."""
        address = address or await self._first_address(host)
        try:
            return await self._handshake(host, address, port, verify=True)
        except _VerifyFailed as failed:
            observation = await self._handshake(host, address, port, verify=False)
            return TlsObservation(
                host,
                address,
                port,
                observation.version,
                observation.cipher,
                False,
                failed.message,
                observation.leaf_der,
                observation.chain_der,
            )

    async def offer_version(
        self, host: str, version: str, port: int = 443, address: str | None = None
    ) -> VersionOffer:
        """Offer exactly ``version`` (e.g. "TLSv1.1") and say whether the server took it, refused it, or
        whether this machine could not offer it at all. A network failure (no TCP connection, no answer in
        time) raises ``NetError``: it says nothing about the server's protocol policy.
        """
        address = address or await self._first_address(host)
        context = _version_context(version)
        problem = (
            "this OpenSSL build has no such version" if context is None else client_hello_problem(context)
        )
        if context is None or problem is not None:
            return VersionOffer(version, VersionOutcome.NOT_OFFERED, problem or "")
        try:
            negotiated, _, _ = await self._connect(host, address, port, context)
        except TlsError as exc:  # the ClientHello went out; an alert or a closed handshake came back
            return VersionOffer(version, VersionOutcome.REFUSED, str(exc))
        return VersionOffer(version, VersionOutcome.ACCEPTED, negotiated)

    async def accepts_version(
        self, host: str, version: str, port: int = 443, address: str | None = None
    ) -> bool:
        """True only when the server completes a handshake pinned to ``version`` (see ``offer_version``,
        which also says *why* not: a check must use that one)."""
        return (await self.offer_version(host, version, port, address)).accepted

    async def _first_address(self, host: str) -> str:
        addresses = await self.resolver.addresses(host)
        if not addresses:
            raise DnsError(f"{host} does not resolve (no A or AAAA record)")
        return addresses[0]

    async def _handshake(self, host: str, address: str, port: int, verify: bool) -> TlsObservation:
        context = make_ssl_context(self.ca_bundle, verify=verify)
        version, cipher, chain = await self._connect(host, address, port, context)
        return TlsObservation(host, address, port, version, cipher, verify, None, chain[0], chain)

    async def _connect(
        self, host: str, address: str, port: int, context: ssl.SSLContext
    ) -> tuple[str, str, tuple[bytes, ...]]:
        """Handshake, read what the server presented, close. Returns (version, cipher, chain leaf-first)."""
        what = f"TLS {host} at {address}:{port}"
        writer = None
        try:
            async with asyncio.timeout(self.limits.connect_timeout + self.limits.tls_timeout):
                _, writer = await asyncio.open_connection(
                    address,
                    port,
                    ssl=context,
                    server_hostname=host,
                    ssl_handshake_timeout=self.limits.tls_timeout,
                )
            ssl_object = writer.get_extra_info("ssl_object")
            if ssl_object is None:
                raise TlsError(f"{what}: no TLS session")
            cipher = ssl_object.cipher()
            return ssl_object.version() or "", cipher[0] if cipher else "", _presented_chain(ssl_object)
        except ssl.SSLCertVerificationError as exc:
            raise _VerifyFailed(exc.verify_message or str(exc)) from exc
        except ssl.SSLError as exc:
            raise TlsError(f"{what}: handshake failed: {exc.reason or exc}") from exc
        except TimeoutError as exc:
            raise ConnectError(f"{what}: no TLS handshake within the time limit") from exc
        except ConnectionResetError as exc:
            raise TlsError(f"{what}: connection reset during handshake") from exc
        except OSError as exc:
            raise ConnectError(f"{what}: cannot connect: {exc.strerror or exc}") from exc
        finally:
            if writer is not None:
                writer.close()


_DER: Any = getattr(ssl, "ENCODING_DER", 2)  # _ssl.ENCODING_DER; public in ssl only from Python 3.13


def _presented_chain(ssl_object: ssl.SSLObject) -> tuple[bytes, ...]:
    leaf = ssl_object.getpeercert(binary_form=True) or b""
    get_chain = getattr(ssl_object, "get_unverified_chain", None) or getattr(
        getattr(ssl_object, "_sslobj", None), "get_unverified_chain", None
    )
    if get_chain is None:
        return (leaf,)
    try:
        certs = get_chain() or []
        chain = tuple(c if isinstance(c, bytes) else c.public_bytes(_DER) for c in certs)
    except (ssl.SSLError, ValueError, AttributeError):
        return (leaf,)
    return chain or (leaf,)


class _VerifyFailed(NetError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
