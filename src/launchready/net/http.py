"""One HTTP client for a run, on aiohttp, resolving through launchready's own resolver.

aiohttp is chosen over httpx because it takes a custom resolver through a public interface: every host is
resolved by the run's ``DnsResolver`` (so ``--nameserver`` and the lab work) and a host can be pinned to an
address (origin-bypass checks) while SNI and ``Host`` keep the real name. Redirects are followed here, not by
aiohttp, so each hop is recorded. The whole request, body included, runs under ``request_timeout``: a read
timeout alone never stops a server that trickles a byte a second.

A run's connections are kept alive and reused: the pinned siblings (``pinned_to``) are made once per pin set
and closed with their parent, and each host is resolved once per ``ADDRESS_TTL_S`` however many connections
go to it (concurrent connections share one lookup), instead of two DNS questions per connection.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from launchready.net.dns import DnsResolver
from launchready.net.errors import (
    ConnectError,
    DnsError,
    HttpProtocolError,
    HttpTimeout,
    NetError,
    TlsError,
    TlsVerifyError,
    TooManyRedirects,
)
from launchready.net.limits import Limits

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class RedirectHop:
    url: str
    status: int
    location: str


@dataclass(frozen=True)
class HttpResponse:
    url: str
    """The URL that gave this response (the last hop when redirects were followed)."""
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = field(repr=False)
    truncated: bool
    """True when the body was larger than the cap and the rest was not read."""
    elapsed_s: float
    ttfb_s: float
    http_version: str
    tls_version: str | None = None
    tls_cipher: str | None = None
    peer_cert_der: bytes | None = field(default=None, repr=False)
    history: tuple[RedirectHop, ...] = ()

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    def header_all(self, name: str) -> tuple[str, ...]:
        lower = name.lower()
        return tuple(v for k, v in self.headers if k.lower() == lower)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def is_redirect(self) -> bool:
        return self.status in _REDIRECTS and self.header("location") is not None


ADDRESS_TTL_S = 30.0
"""How long a client reuses a host's addresses: one audit's worth, short enough for a long load run to
follow a DNS change (aiohttp's own cache keeps them 10 s)."""


class _AddressMemo:
    """Each host's addresses, looked up once per ``ADDRESS_TTL_S`` and shared by concurrent connections.

    One memo serves a client and its pinned siblings, so a run asks DNS about a host once, not twice (A and
    AAAA) for every connection. A failed lookup is not kept: the next connection asks again.
    """

    def __init__(self, resolver: DnsResolver) -> None:
        self.resolver = resolver
        self._entries: dict[str, tuple[float, asyncio.Future[tuple[str, ...]]]] = {}

    async def addresses(self, host: str) -> tuple[str, ...]:
        key = host.lower()
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] > ADDRESS_TTL_S:
            task = asyncio.ensure_future(self.resolver.addresses(key))
            entry = (time.monotonic(), task)
            self._entries[key] = entry
            task.add_done_callback(lambda done: self._forget_failure(key, done))
        return await asyncio.shield(entry[1])

    def _forget_failure(self, key: str, done: asyncio.Future[tuple[str, ...]]) -> None:
        if done.cancelled() or done.exception() is not None:
            entry = self._entries.get(key)
            if entry is not None and entry[1] is done:
                del self._entries[key]


class _RunResolver(AbstractResolver):
    """aiohttp resolver backed by the run's DnsResolver (through the client's memo), with pinned addresses."""

    def __init__(self, memo: _AddressMemo, pinned: Mapping[str, str]) -> None:
        self._memo = memo
        self._pinned = {k.lower(): v for k, v in pinned.items()}

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        pinned = self._pinned.get(host.lower())
        try:
            addresses = (pinned,) if pinned else await self._memo.addresses(host)
        except DnsError as exc:
            raise OSError(f"DNS: {exc}") from exc
        if not addresses:
            raise OSError(f"{host} does not resolve (no A or AAAA record)")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


@functools.lru_cache(maxsize=16)
def make_ssl_context(ca_bundle: str | None = None, verify: bool = True) -> ssl.SSLContext:
    """A client context, built once per (CA bundle, verify) and shared: loading the system CA store
    costs ~90 ms of CPU, which per handshake made a 10-host audit three times slower than a 1-host one.
    Callers must not modify it; ``fresh_ssl_context`` gives one that may be changed."""
    return fresh_ssl_context(ca_bundle, verify)


def fresh_ssl_context(ca_bundle: str | None = None, verify: bool = True) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class HttpClient:
    """Capped HTTP(S) requests; use as ``async with HttpClient(...) as http``."""

    def __init__(
        self,
        resolver: DnsResolver,
        limits: Limits | None = None,
        ca_bundle: str | None = None,
        pinned: Mapping[str, str] | None = None,
        verify: bool = True,
        user_agent: str = "launchready (+https://github.com/launchready/launchready)",
    ) -> None:
        self.resolver = resolver
        self.limits = limits or Limits()
        self.ca_bundle = ca_bundle
        self.verify = verify
        self._pinned = dict(pinned or {})
        self._user_agent = user_agent
        self._session: aiohttp.ClientSession | None = None
        self._memo = _AddressMemo(resolver)
        self._siblings: dict[tuple[frozenset[tuple[str, str]], bool], HttpClient] = {}
        self._parent: HttpClient | None = None

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._parent is None:  # a pinned sibling lives as long as its parent, which closes it
            await self.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        """The shared aiohttp session, for streaming callers (chat SSE) that need it directly."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                resolver=_RunResolver(self._memo, self._pinned),
                ssl=make_ssl_context(self.ca_bundle, self.verify),
                limit=self.limits.max_connections,
                use_dns_cache=False,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=self.client_timeout(),
                headers={"User-Agent": self._user_agent},
                max_field_size=self.limits.max_header_bytes,
                max_line_size=self.limits.max_header_bytes,
            )
        return self._session

    def client_timeout(self) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(
            total=None,
            connect=self.limits.connect_timeout + self.limits.tls_timeout,
            sock_connect=self.limits.connect_timeout,
            sock_read=self.limits.read_timeout,
        )

    def pinned_to(self, pinned: Mapping[str, str], verify: bool | None = None) -> HttpClient:
        """A sibling client that connects the given hosts to fixed addresses (e.g. an origin behind the edge).

        One sibling per (pins, verify) for the parent's lifetime, so checks asking for the same one (the
        redirect walker's and the CORS probe's unverified reads) share its kept-alive connections. The parent
        closes it: ``async with parent.pinned_to(...)`` is allowed and does not close it early.
        """
        pins = {**self._pinned, **{k.lower(): v for k, v in pinned.items()}}
        verifying = self.verify if verify is None else verify
        owner = self._parent or self
        key = (frozenset(pins.items()), verifying)
        sibling = owner._siblings.get(key)
        if sibling is None:
            sibling = HttpClient(
                self.resolver,
                self.limits,
                self.ca_bundle,
                pinned=pins,
                verify=verifying,
                user_agent=self._user_agent,
            )
            sibling._memo = owner._memo
            sibling._parent = owner
            owner._siblings[key] = sibling
        return sibling

    async def close(self) -> None:
        siblings, self._siblings = list(self._siblings.values()), {}
        for sibling in siblings:
            await sibling.close()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
        json: Any = None,
        follow_redirects: bool = False,
        max_body_bytes: int | None = None,
    ) -> HttpResponse:
        """One request (or a redirect chain), all under ``request_timeout``. Raises ``NetError`` subclasses."""
        history: list[RedirectHop] = []
        current = url
        try:
            async with asyncio.timeout(self.limits.request_timeout):
                while True:
                    response = await self._one(current, method, headers, body, json, max_body_bytes)
                    if not (follow_redirects and response.is_redirect):
                        return _with_history(response, history)
                    location = response.header("location") or ""
                    history.append(RedirectHop(current, response.status, location))
                    if len(history) > self.limits.max_redirects:
                        chain = " -> ".join(h.url for h in history[-4:])
                        raise TooManyRedirects(
                            f"more than {self.limits.max_redirects} redirects from {url} (… {chain})"
                        )
                    current = urljoin(current, location)
                    if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                        method, body, json = "GET", None, None
        except TimeoutError as exc:
            raise HttpTimeout(
                f"{method} {current}: no complete response within {self.limits.request_timeout:g}s"
            ) from exc

    async def _one(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str] | None,
        body: bytes | str | None,
        json: Any,
        max_body_bytes: int | None,
    ) -> HttpResponse:
        cap = self.limits.max_body_bytes if max_body_bytes is None else max_body_bytes
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, url, headers=dict(headers or {}), data=body, json=json, allow_redirects=False
            ) as resp:
                ttfb = time.perf_counter() - started
                tls_version, tls_cipher, cert = _tls_details(resp)
                chunks: list[bytes] = []
                size, truncated = 0, False
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    if size + len(chunk) > cap:
                        chunks.append(chunk[: cap - size])
                        truncated = True
                        resp.close()  # drop the connection instead of draining a huge body
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                return HttpResponse(
                    url=url,
                    status=resp.status,
                    reason=resp.reason or "",
                    headers=tuple((k, v) for k, v in resp.headers.items()),
                    body=b"".join(chunks),
                    truncated=truncated,
                    elapsed_s=time.perf_counter() - started,
                    ttfb_s=ttfb,
                    http_version=f"{resp.version.major}.{resp.version.minor}" if resp.version else "",
                    tls_version=tls_version,
                    tls_cipher=tls_cipher,
                    peer_cert_der=cert,
                )
        except NetError:
            raise
        except Exception as exc:
            raise translate_error(exc, f"{method} {url}") from exc


def translate_error(exc: BaseException, what: str) -> NetError:
    """Map aiohttp / ssl / OS errors to launchready's ``NetError`` tree (the one boundary)."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return TlsVerifyError(f"{what}: certificate rejected: {exc.certificate_error}")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return DnsError(f"{what}: {exc.os_error}")
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return TlsError(f"{what}: TLS handshake failed: {exc}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectError(f"{what}: connect timed out")
    if isinstance(exc, aiohttp.ServerTimeoutError | TimeoutError):
        return HttpTimeout(f"{what}: read timed out")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(f"{what}: cannot connect: {exc.os_error}")
    if isinstance(
        exc, aiohttp.ClientResponseError | aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError
    ):
        return HttpProtocolError(f"{what}: bad HTTP response: {exc}")
    if isinstance(exc, aiohttp.InvalidURL | ValueError):
        return HttpProtocolError(f"{what}: invalid URL or redirect target: {exc}")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return ConnectError(f"{what}: {type(exc).__name__}: {exc}")
    raise exc


def _tls_details(resp: aiohttp.ClientResponse) -> tuple[str | None, str | None, bytes | None]:
    """TLS version, cipher and peer certificate of the connection that carried ``resp``.

    aiohttp releases the connection as soon as a short body is in, so the protocol it keeps on the
    response (``_protocol``) is read when ``connection`` is already gone.
    """
    connection = resp.connection
    transport = connection.transport if connection is not None else None
    if transport is None:
        protocol = getattr(resp, "_protocol", None)
        transport = getattr(protocol, "transport", None)
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    if ssl_object is None:
        return None, None, None
    cipher = ssl_object.cipher()
    return ssl_object.version(), cipher[0] if cipher else None, ssl_object.getpeercert(binary_form=True)


def _with_history(response: HttpResponse, history: list[RedirectHop]) -> HttpResponse:
    if not history:
        return response
    from dataclasses import replace

    return replace(response, history=tuple(history))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
