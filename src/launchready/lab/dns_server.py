"""An authoritative DNS server for the lab's reserved test zones, on loopback, UDP and TCP.

dnspython parses and builds every message; what no library offers is a small in-process authoritative
server whose zone can be changed at run time and that misbehaves on demand, so it is written here.
It answers like a real one where the checks care: CNAME chains followed inside the zone, NXDOMAIN vs
NODATA (with the SOA in the authority section), NXDOMAIN *with the CNAME chain in the answer section* when
a CNAME inside the zone points at a name that does not exist (RFC 6604 section 2.1, what BIND, Knot and the
big DNS providers send for a dangling CNAME), wildcards (RFC 4592, closest encloser), empty non-terminals,
long TXT split in strings, truncation over UDP with the answer over TCP, REFUSED outside its zones,
SERVFAIL for chosen names and silence for chosen names (or for everything: the hostile "DNS server that
never replies").
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from launchready.lab.background import BackgroundLoop


@dataclass(frozen=True)
class ZoneRecord:
    name: str
    rdtype: str
    rdata: str | dns.rdata.Rdata
    """Presentation form (``"10 mail.example.test."``) or a ready dnspython Rdata (for odd bytes)."""
    ttl: int = 300


def txt(value: str) -> str:
    """A TXT rdata for ``value``, split in 255-byte character-strings as RFC 7208 3.3 allows."""
    data = value.encode()
    parts = [data[i : i + 255] for i in range(0, len(data), 255)] or [b""]
    return " ".join('"' + p.decode().replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts)


@dataclass
class Zone:
    """Records of one or more zones, with the names that should fail or stay silent."""

    origins: tuple[str, ...]
    records: list[ZoneRecord] = field(default_factory=list)
    servfail: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    """Names for which no answer is ever sent (a lame or dead server for that name)."""

    def __post_init__(self) -> None:
        self.origins = tuple(_norm(o) for o in self.origins)
        self.servfail = {_norm(n) for n in self.servfail}
        self.silent = {_norm(n) for n in self.silent}
        self._index()

    def add(self, records: Iterable[ZoneRecord]) -> None:
        self.records.extend(records)
        self._index()

    def _index(self) -> None:
        self._by_name: dict[str, list[ZoneRecord]] = {}
        for record in self.records:
            self._by_name.setdefault(_norm(record.name), []).append(record)
        self._existing = set(self._by_name)
        for name in list(self._by_name):
            labels = name.split(".")
            for i in range(1, len(labels)):
                self._existing.add(".".join(labels[i:]))  # empty non-terminals exist too

    def origin_of(self, name: str) -> str | None:
        matches = [o for o in self.origins if name == o or name.endswith("." + o)]
        return max(matches, key=len) if matches else None

    def lookup(self, name: str) -> tuple[bool, list[ZoneRecord]]:
        """(name exists, its records), applying a wildcard at the closest encloser when the name is absent."""
        if name in self._existing:
            return True, self._by_name.get(name, [])
        labels = name.split(".")
        for i in range(1, len(labels)):
            encloser = ".".join(labels[i:])
            if encloser in self._existing:
                wildcard = self._by_name.get("*." + encloser)
                if wildcard:
                    return True, [ZoneRecord(name, r.rdtype, r.rdata, r.ttl) for r in wildcard]
                return False, []
        return False, []

    def soa(self, origin: str) -> ZoneRecord:
        for record in self._by_name.get(origin, []):
            if record.rdtype.upper() == "SOA":
                return record
        return ZoneRecord(origin, "SOA", f"ns1.{origin}. hostmaster.{origin}. 1 3600 600 86400 300", 300)


def _norm(name: str) -> str:
    return name.strip().rstrip(".").lower()


class DnsServer:
    """Serve ``zone`` on ``host:port`` (port 0 picks a free one) from a background thread."""

    def __init__(self, zone: Zone, host: str = "127.0.0.1", port: int = 0, silent: bool = False) -> None:
        self.zone = zone
        self.host = host
        self.port = port
        self.silent = silent
        self.queries = 0
        self._background = BackgroundLoop(f"lab-dns-{host}", self._serve)

    @property
    def address(self) -> str:
        """``HOST:PORT``, as ``--nameserver`` takes it."""
        return f"{self.host}:{self.port}"

    def __enter__(self) -> DnsServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._background.start()

    def stop(self) -> None:
        self._background.stop()

    async def _serve(self, stopping: asyncio.Event, ready: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # Bind TCP first so a port picked by the OS is then claimed for UDP as well.
        tcp = await asyncio.start_server(self._handle_tcp, self.host, self.port, family=family)
        self.port = tcp.sockets[0].getsockname()[1]
        udp, _ = await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self), local_addr=(self.host, self.port), family=family
        )
        ready()
        try:
            await stopping.wait()
        finally:
            udp.close()
            tcp.close()
            await tcp.wait_closed()

    async def _handle_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await asyncio.wait_for(reader.readexactly(2), 10)
                (length,) = struct.unpack("!H", header)
                wire = await asyncio.wait_for(reader.readexactly(length), 10)
                answer = self.answer(wire, max_size=65535)
                if answer is None:
                    continue
                writer.write(struct.pack("!H", len(answer)) + answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    def answer(self, wire: bytes, max_size: int = 512) -> bytes | None:
        """The response bytes for a query, or None to stay silent."""
        self.queries += 1
        if self.silent:
            return None
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        if not query.question:
            return None
        question = query.question[0]
        qname = _norm(question.name.to_text())
        if qname in self.zone.silent:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        response.flags &= ~dns.flags.RA
        if query.edns >= 0:
            max_size = max(max_size, min(query.payload, 4096))
        self._fill(response, qname, question.rdtype)
        try:
            return response.to_wire(max_size=max_size)
        except dns.exception.TooBig:
            truncated = dns.message.make_response(query)
            truncated.flags |= dns.flags.AA | dns.flags.TC
            return truncated.to_wire()

    def _fill(self, response: dns.message.Message, qname: str, rdtype: int) -> None:
        zone = self.zone
        origin = zone.origin_of(qname)
        if origin is None:
            response.set_rcode(dns.rcode.REFUSED)
            response.flags &= ~dns.flags.AA
            return
        current = qname
        for _ in range(9):  # follow CNAMEs inside the zone, at most 8 hops
            if current in zone.servfail:
                response.set_rcode(dns.rcode.SERVFAIL)
                return
            exists, records = zone.lookup(current)
            if not exists:
                # RFC 6604 2.1: the rcode speaks of the last name of the chain, so a CNAME (already in the
                # answer section) to a missing name is NXDOMAIN, not NOERROR.
                response.set_rcode(dns.rcode.NXDOMAIN)
                self._add_soa(response, origin)
                return
            cname = [r for r in records if r.rdtype.upper() == "CNAME"]
            wanted = [r for r in records if dns.rdatatype.from_text(r.rdtype.upper()) == rdtype]
            if rdtype == dns.rdatatype.ANY:
                wanted = list(records)
            if wanted or not cname or rdtype == dns.rdatatype.CNAME:
                if wanted:
                    self._add(response, current, wanted)
                else:
                    self._add_soa(response, origin)  # NODATA
                return
            self._add(response, current, cname)
            target = _norm(_text(cname[0]).split()[0])
            origin = zone.origin_of(target)
            if origin is None:
                return  # out of zone: the resolver follows it
            current = target

    def _add(self, response: dns.message.Message, name: str, records: list[ZoneRecord]) -> None:
        by_type: dict[str, list[ZoneRecord]] = {}
        for record in records:
            by_type.setdefault(record.rdtype.upper(), []).append(record)
        for rdtype_text, group in by_type.items():
            rdtype = dns.rdatatype.from_text(rdtype_text)
            rrset = dns.rrset.RRset(dns.name.from_text(name), dns.rdataclass.IN, rdtype)
            for record in group:
                rd = (
                    record.rdata
                    if isinstance(record.rdata, dns.rdata.Rdata)
                    else dns.rdata.from_text(dns.rdataclass.IN, rdtype, record.rdata)
                )
                rrset.add(rd, record.ttl)
            response.answer.append(rrset)

    def _add_soa(self, response: dns.message.Message, origin: str) -> None:
        soa = self.zone.soa(origin)
        rrset = dns.rrset.from_text(origin + ".", soa.ttl, "IN", "SOA", _text(soa))
        response.authority.append(rrset)


def _text(record: ZoneRecord) -> str:
    return record.rdata.to_text() if isinstance(record.rdata, dns.rdata.Rdata) else record.rdata


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        answer = self.server.answer(data)
        if answer is not None and self.transport is not None:
            self.transport.sendto(answer, addr)
