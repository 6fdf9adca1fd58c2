"""Hostile targets: servers that misbehave on purpose, to prove an audit never hangs, crashes or bloats.

Each target is a host in the ``hostile.test`` zone, served by its own DNS server, on its own loopback
address, on 80 and 443 (or a pair of high ports): a name that does not resolve, a server that accepts and
never answers, one that trickles a byte a second, a redirect loop, a 1 GB body generated on the fly, and a
nameserver that never replies. The servers are raw asyncio streams, not an HTTP framework, because every
one of them breaks HTTP in a way a framework would not let it.
"""

from __future__ import annotations

import asyncio
import enum
import random
import secrets
import shutil
import ssl
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType

from launchready.config import LaunchConfig, NetworkConfig, ProductConfig, RepoConfig, RouteConfig, RouteRole
from launchready.engine import RunOptions
from launchready.lab.addresses import AddressBook, allocate_block, can_bind
from launchready.lab.background import BackgroundLoop
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.lab.pki import LabPki
from launchready.lab.sites import CertKind

HOSTILE_DOMAIN = "hostile.test"
HUGE_BODY_BYTES = 1 << 30
TRICKLE_INTERVAL_S = 1.0
_CHUNK = bytes(64 * 1024)
_REQUEST_HEAD_CAP = 16 * 1024


class HostileTarget(enum.StrEnum):
    NXDOMAIN = "nxdomain"
    BLACKHOLE = "blackhole"
    """Accepts TCP on 80 and 443, never sends a byte (not even a TLS ServerHello)."""
    TRICKLE = "trickle"
    """Sends the headers at once, then the body one byte a second, forever."""
    TRICKLE_HEADERS = "trickle-headers"
    """Sends even the status line and headers one byte a second."""
    REDIRECT_LOOP = "redirect-loop"
    """Redirects to ``www.redirect-loop``, which redirects back, over http and https."""
    HUGE = "huge"
    """200 with a 1 GB body, generated as it is sent."""
    SILENT_DNS = "silent-dns"
    """A name asked of a nameserver that never replies."""

    @property
    def host(self) -> str:
        return f"{self.value}.{HOSTILE_DOMAIN}"


LOOP_PARTNER = f"www.redirect-loop.{HOSTILE_DOMAIN}"
"""The classic loop: apex → www → apex (each side thinks the other is canonical)."""
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class HostileLab:
    """``with HostileLab() as hostile: config, options = hostile.config_for(HostileTarget.HUGE)``."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.gettempdir()) / f"lab-hostile-{secrets.token_hex(6)}"
        self.addresses: AddressBook = allocate_block()
        self.http_port, self.https_port = _ports(self.addresses.at(1))
        self.dns = DnsServer(self._zone(), self.addresses.nameserver, _dns_port(self.addresses.nameserver))
        self.silent_dns = DnsServer(Zone((HOSTILE_DOMAIN,)), self.addresses["silent-ns"], 0, silent=True)
        self.ca_bundle = str(self.workdir / "pki" / "ca-bundle.pem")
        self._background = BackgroundLoop("lab-hostile", self._serve)
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._tls: dict[str, ssl.SSLContext] = {}

    @property
    def nameserver(self) -> str:
        return self.dns.address

    @property
    def silent_nameserver(self) -> str:
        return self.silent_dns.address

    def config_for(self, target: HostileTarget, deadline_s: float = 10.0) -> tuple[LaunchConfig, RunOptions]:
        """A minimal config whose product domain is ``target``'s host, and options using the right DNS."""
        repo = self.workdir / "empty-repo"
        repo.mkdir(exist_ok=True)
        config = LaunchConfig(
            product=ProductConfig(
                name=f"hostile {target.value}", domain=target.host, subdomains=(), api_hosts=()
            ),
            routes=(RouteConfig(name="homepage", role=RouteRole.HOMEPAGE, host="@", path="/"),),
            repo=RepoConfig(path=repo, bundle_dirs=()),
            network=NetworkConfig(http_port=self.http_port, https_port=self.https_port),
        )
        nameserver = self.silent_nameserver if target is HostileTarget.SILENT_DNS else self.nameserver
        return config, RunOptions(deadline_s=deadline_s, nameserver=nameserver, ca_bundle=self.ca_bundle)

    # --- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self) -> HostileLab:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> HostileLab:
        try:
            pki = LabPki(self.workdir / "pki")
            self._tls = {h: pki.issue(h, CertKind.VALID).server_context() for h in self._zone_hosts()}
            self.dns.start()
            self.silent_dns.start()
            try:
                self._background.start()
            except Exception as exc:
                raise RuntimeError(f"hostile servers did not start: {exc!r}") from exc
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._background.stop()
        self.dns.stop()
        self.silent_dns.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    @staticmethod
    def _zone_hosts() -> list[str]:
        unserved = (HostileTarget.NXDOMAIN, HostileTarget.SILENT_DNS)
        return [*(t.host for t in HostileTarget if t not in unserved), LOOP_PARTNER]

    def _zone(self) -> Zone:
        records = [ZoneRecord(HOSTILE_DOMAIN, "NS", f"ns1.{HOSTILE_DOMAIN}.")]
        records += [ZoneRecord(h, "A", self.addresses[h]) for h in self._zone_hosts()]
        return Zone((HOSTILE_DOMAIN,), records)

    # --- the servers -------------------------------------------------------------------------------

    async def _serve(self, stopping: asyncio.Event, ready: Callable[[], None]) -> None:
        plan: list[tuple[str, Handler, bool]] = [
            (HostileTarget.BLACKHOLE.host, _blackhole, False),
            (HostileTarget.TRICKLE.host, _trickle(headers_too=False), True),
            (HostileTarget.TRICKLE_HEADERS.host, _trickle(headers_too=True), True),
            (HostileTarget.REDIRECT_LOOP.host, self._redirect(LOOP_PARTNER), True),
            (LOOP_PARTNER, self._redirect(HostileTarget.REDIRECT_LOOP.host), True),
            (HostileTarget.HUGE.host, _huge, True),
        ]
        try:
            for host, handler, tls in plan:
                address = self.addresses[host]
                context = self._tls[host] if tls else None
                for port, ssl_context in ((self.http_port, None), (self.https_port, context)):
                    server = await asyncio.start_server(
                        self._tracked(handler), address, port, ssl=ssl_context
                    )
                    self._servers.append(server)
            ready()
            await stopping.wait()
        finally:
            for server in self._servers:
                server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            for server in self._servers:
                await server.wait_closed()

    def _tracked(self, handler: Handler) -> Handler:
        async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await handler(reader, writer)
            except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                pass  # the client hung up: what the audit is supposed to do with these servers
            except asyncio.CancelledError:
                return  # the lab is stopping; ending quietly keeps asyncio from logging each connection
            finally:
                self._tasks.discard(task)
                writer.transport.abort()

        return run

    def _redirect(self, to_host: str) -> Handler:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while True:
                path = await _read_request(reader)
                if path is None:
                    return
                scheme = "https" if writer.get_extra_info("sslcontext") is not None else "http"
                port = self.https_port if scheme == "https" else self.http_port
                netloc = to_host if port in (80, 443) else f"{to_host}:{port}"
                location = f"{scheme}://{netloc}{path}"
                writer.write(
                    f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
                )
                await writer.drain()

        return handle


async def _read_request(reader: asyncio.StreamReader) -> str | None:
    """The path of the next request on the connection, or None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    if len(head) > _REQUEST_HEAD_CAP:
        return None
    parts = head.split(b"\r\n", 1)[0].split()
    return parts[1].decode("latin-1") if len(parts) >= 2 else "/"


async def _blackhole(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while await reader.read(4096):
        pass  # swallow whatever comes, answer nothing, until the client gives up


def _trickle(headers_too: bool) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await _read_request(reader) is None:
            return
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
        if not headers_too:
            writer.write(head)
            head = b""
        stream = head + b"<!doctype html><title>slow</title>"
        index = 0
        while True:
            writer.write(stream[index : index + 1] if index < len(stream) else b".")
            await writer.drain()
            index += 1
            await asyncio.sleep(TRICKLE_INTERVAL_S)

    return handle


async def _huge(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    if await _read_request(reader) is None:
        return
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {HUGE_BODY_BYTES}\r\nConnection: close\r\n\r\n".encode()
    )
    sent = 0
    while sent < HUGE_BODY_BYTES:
        writer.write(_CHUNK)
        await writer.drain()  # back-pressure: only as fast as the client reads, stops when it hangs up
        sent += len(_CHUNK)


def _ports(address: str) -> tuple[int, int]:
    if can_bind(address, 80) and can_bind(address, 443):
        return 80, 443
    base = random.randrange(20000, 60000, 2)
    return base, base + 1


def _dns_port(address: str) -> int:
    return 53 if can_bind(address, 53) else 0
