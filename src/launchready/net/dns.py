"""One shared DNS resolver for a run, on dnspython's async resolver.

NXDOMAIN and NODATA come back as answers (they are facts about the zone); timeouts and server failures
become ``DnsTimeout`` / ``DnsServerFailure`` so a check can say *unverifiable* instead of "no record".

Both keep the CNAME chain the server sent. Real authoritative servers answer a name whose CNAME points at a
name that does not exist with NXDOMAIN *and the CNAME in the answer section* (RFC 6604 section 2.1: the
rcode is about the last name in the chain). dnspython raises ``NXDOMAIN`` there and keeps the response on
the exception; dropping it made a dangling CNAME look like a name with no CNAME at all, which is exactly the
subdomain-takeover case ``dns.cname.dangling`` exists for.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from launchready.net.errors import DnsServerFailure, DnsTimeout
from launchready.net.limits import Limits


class DnsStatus(enum.StrEnum):
    NOERROR = "NOERROR"
    NXDOMAIN = "NXDOMAIN"
    NODATA = "NODATA"


@dataclass(frozen=True)
class DnsAnswer:
    name: str
    rdtype: str
    status: DnsStatus
    records: tuple[str, ...] = ()
    """Each record in presentation form (``to_text()``)."""
    cname_chain: tuple[str, ...] = ()
    """Names followed through CNAMEs, without trailing dots, the queried name excluded."""
    ttl: int | None = None
    rdata: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def exists(self) -> bool:
        return self.status is DnsStatus.NOERROR and bool(self.records)

    @property
    def texts(self) -> tuple[str, ...]:
        """TXT records with their character-strings joined, as RFC 7208 section 3.3 asks."""
        out = []
        for rd in self.rdata:
            strings = getattr(rd, "strings", None)
            if strings is not None:
                out.append(b"".join(strings).decode("utf-8", errors="replace"))
        return tuple(out)


def parse_nameserver(value: str) -> tuple[str, int]:
    """``HOST[:PORT]`` or ``[v6]:PORT`` to an (address, port) pair."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host, int(rest.lstrip(":") or 53)
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, int(port)
    return value, 53


class DnsResolver:
    """Resolve through the system's nameservers, or every query through ``nameserver`` when given."""

    def __init__(
        self, limits: Limits | None = None, nameserver: str | None = None, cache: bool = True
    ) -> None:
        self.limits = limits or Limits()
        self.nameserver = nameserver
        if nameserver:
            address, port = parse_nameserver(nameserver)
            self._resolver = dns.asyncresolver.Resolver(configure=False)
            self._resolver.nameservers = [address]
            self._resolver.port = port
        else:
            self._resolver = dns.asyncresolver.Resolver()
        self._resolver.timeout = min(self.limits.dns_timeout, 2.0)
        self._resolver.lifetime = self.limits.dns_timeout
        if cache:
            self._resolver.cache = dns.resolver.Cache()

    async def query(self, name: str, rdtype: str = "A", *, tcp: bool = False) -> DnsAnswer:
        qname = name.rstrip(".").lower()
        try:
            answer = await self._resolver.resolve(
                qname, rdtype, tcp=tcp, raise_on_no_answer=False, search=False
            )
        except dns.resolver.NXDOMAIN as exc:
            chain = _nxdomain_chain(exc, qname)
            if chain and rdtype.upper() == "CNAME":
                # dnspython's cache answers every type of a name with its NXDOMAIN (RFC 2308), but the alias
                # itself exists: its CNAME is the first hop of the chain the NXDOMAIN carried.
                return DnsAnswer(
                    qname, rdtype, DnsStatus.NOERROR, records=(chain[0] + ".",), cname_chain=chain
                )
            return DnsAnswer(qname, rdtype, DnsStatus.NXDOMAIN, cname_chain=chain)
        except dns.resolver.LifetimeTimeout as exc:
            raise DnsTimeout(
                f"no DNS answer for {qname} {rdtype} within {self.limits.dns_timeout:g}s"
            ) from exc
        except dns.resolver.NoNameservers as exc:
            rcode = _error_rcode(exc)
            raise DnsServerFailure(
                f"DNS server failure for {qname} {rdtype} ({rcode or 'SERVFAIL or REFUSED'})", rcode
            ) from exc
        except dns.name.LabelTooLong as exc:
            raise DnsServerFailure(f"not a valid DNS name: {qname}: {exc}") from exc
        except dns.exception.DNSException as exc:
            raise DnsServerFailure(f"DNS error for {qname} {rdtype}: {exc}") from exc
        chain = _cname_chain(answer.response, qname)
        rrset = answer.rrset
        if rrset is None:
            return DnsAnswer(qname, rdtype, DnsStatus.NODATA, cname_chain=chain)
        rdata = tuple(rrset)
        return DnsAnswer(
            qname,
            rdtype,
            DnsStatus.NOERROR,
            records=tuple(rd.to_text() for rd in rdata),
            cname_chain=chain,
            ttl=rrset.ttl,
            rdata=rdata,
        )

    async def addresses(self, host: str) -> tuple[str, ...]:
        """A and AAAA addresses of a host; empty when it has none. Raises ``DnsError`` if DNS can't tell."""
        out: list[str] = []
        for rdtype in ("A", "AAAA"):
            out.extend((await self.query(host, rdtype)).records)
        return tuple(out)


def _error_rcode(exc: dns.resolver.NoNameservers) -> str | None:
    """The rcode the servers answered with (``REFUSED`` tells a talking server from a broken one)."""
    for error in exc.kwargs.get("errors") or ():
        response = error[-1] if isinstance(error, tuple) and error else None
        if isinstance(response, dns.message.Message):
            return dns.rcode.to_text(response.rcode())
    return None


def _nxdomain_chain(exc: dns.resolver.NXDOMAIN, qname: str) -> tuple[str, ...]:
    """The CNAMEs an NXDOMAIN response carried (RFC 6604): the chain that ends at the missing name."""
    try:
        responses: dict[dns.name.Name, dns.message.Message] = dict(exc.kwargs.get("responses") or {})
    except (AttributeError, TypeError):
        return ()
    response = responses.get(dns.name.from_text(qname))
    if response is None and responses:
        response = next(iter(responses.values()))
    return _cname_chain(response, qname) if response is not None else ()


def _cname_chain(response: dns.message.Message, qname: str) -> tuple[str, ...]:
    chain: list[str] = []
    current = dns.name.from_text(qname)
    for _ in range(16):
        rrset = next(
            (r for r in response.answer if r.name == current and r.rdtype == dns.rdatatype.CNAME),
            None,
        )
        if rrset is None:
            break
        current = next(iter(rrset)).target
        chain.append(current.to_text().rstrip("."))
    return tuple(chain)
