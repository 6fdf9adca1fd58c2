"""The DNS map: every record at the apex and each configured name, each with a one-line note on its role.

It is the founder's inventory for the handover pack (``launchready dns``) and the report's DNS section
(``ctx.artifacts["dns_map"]``). The notes read records the way an engineer would explain them ("SPF for
outbound mail", "www → apex canonical redirect host"); provider names come from the edge fingerprints data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field

from launchready.checks.dns_edge.fingerprints import edge_for_address, edge_for_cname, provider_for_cname
from launchready.config import LaunchConfig
from launchready.net import DnsAnswer, DnsResolver, DnsStatus, NetError

APEX_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "CAA")
HOST_TYPES = ("A", "AAAA", "CNAME", "TXT", "CAA")


@dataclass(frozen=True)
class MapRecord:
    name: str
    rdtype: str
    value: str
    ttl: int | None
    note: str


@dataclass
class DnsMap:
    domain: str
    records: list[MapRecord] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Configured names with no record at all (NXDOMAIN)."""
    errors: list[str] = field(default_factory=list)
    """Questions DNS could not answer (timeout, SERVFAIL): the map is incomplete there."""

    def as_dict(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "records": [asdict(r) for r in self.records],
            "missing": self.missing,
            "errors": self.errors,
        }


def map_names(config: LaunchConfig) -> list[tuple[str, tuple[str, ...]]]:
    """Names to map and the record types asked at each: apex (all), each public host, DMARC and DKIM names."""
    names: list[tuple[str, tuple[str, ...]]] = [(config.apex, APEX_TYPES)]
    names += [(host, HOST_TYPES) for host in config.public_hosts if host != config.apex]
    names.append((f"_dmarc.{config.apex}", ("TXT",)))
    names += [(f"{s}._domainkey.{config.apex}", ("TXT", "CNAME")) for s in config.email.dkim_selectors]
    return names


Query = Callable[[str, str], Awaitable[DnsAnswer]]


async def build_dns_map(resolver: DnsResolver, config: LaunchConfig, query: Query | None = None) -> DnsMap:
    """Ask every (name, type) concurrently and annotate each record.

    ``query`` replaces ``resolver.query`` (an audit passes its run-wide memo, so the map and the checks share
    each answer instead of asking the same questions twice).
    """
    questions = [(name, rdtype) for name, types in map_names(config) for rdtype in types]
    ask_dns = query or resolver.query

    async def ask(name: str, rdtype: str) -> DnsAnswer | str:
        try:
            return await ask_dns(name, rdtype)
        except NetError as exc:
            return str(exc)

    answers = await asyncio.gather(*(ask(n, t) for n, t in questions))
    by_question = dict(zip(questions, answers, strict=True))
    result = DnsMap(config.apex)
    for (name, rdtype), answer in zip(questions, answers, strict=True):
        if isinstance(answer, str):
            result.errors.append(answer)
            continue
        if answer.status is DnsStatus.NXDOMAIN:
            if name not in result.missing and not name.startswith("_"):
                result.missing.append(name)
            continue
        if rdtype in ("A", "AAAA") and answer.cname_chain:
            continue  # the CNAME row shows the chain; the addresses belong to the target
        if rdtype == "CNAME" or not answer.records:
            if rdtype == "CNAME" and answer.records:
                result.records.append(_cname_row(config, name, answer, by_question.get((name, "A"))))
            continue
        for value in answer.records:
            result.records.append(
                MapRecord(name, rdtype, value, answer.ttl, note(config, name, rdtype, value))
            )
    return result


def _cname_row(
    config: LaunchConfig, name: str, answer: DnsAnswer, addresses: DnsAnswer | str | None
) -> MapRecord:
    """One row per CNAME, its note naming the whole chain and where it ends (RFC 1034 3.6.2)."""
    target = answer.records[0].rstrip(".")
    text = note(config, name, "CNAME", target)
    if isinstance(addresses, DnsAnswer):
        chain = addresses.cname_chain or (target,)
        ends = ", ".join(addresses.records) or "no address (dangling?)"
        hops = " → ".join((name, *chain))
        text += f"; chain {hops} → {ends}" if len(chain) > 1 else f"; resolves to {ends}"
    return MapRecord(name, "CNAME", answer.records[0], answer.ttl, text)


def note(config: LaunchConfig, name: str, rdtype: str, value: str) -> str:
    """One line on what this record does for the product."""
    role = _host_role(config, name)
    match rdtype:
        case "A" | "AAAA":
            edge = edge_for_address(value)
            where = f"{edge.name} edge address" if edge else "address"
            return f"{role}: {where} ({'IPv6' if rdtype == 'AAAA' else 'IPv4'})"
        case "CNAME":
            target = value.rstrip(".").lower()
            edge, provider = edge_for_cname(target), provider_for_cname(target)
            by = f" ({edge.name})" if edge else f" ({provider.name})" if provider else ""
            if name == config.www and target == config.apex:
                return (
                    f"www → apex{' canonical redirect host' if config.canonical_host == config.apex else ''}"
                )
            return f"{role}: alias of {target}{by}"
        case "MX":
            return f"inbound mail for {name}: priority and mail server"
        case "NS":
            return "authoritative nameserver for the zone"
        case "SOA":
            parts = value.split()
            primary = parts[0] if parts else "?"
            serial = parts[2] if len(parts) > 2 else "?"
            return f"zone authority: primary {primary}, serial {serial}"
        case "CAA":
            return _caa_note(value)
        case "TXT":
            return _txt_note(name, value)
    return f"{rdtype} record"


def _host_role(config: LaunchConfig, name: str) -> str:
    if name == config.apex:
        return "apex (canonical site)" if config.canonical_host == config.apex else "apex"
    if name == config.www:
        return (
            "www (canonical site)" if config.canonical_host == config.www else "www (should redirect to apex)"
        )
    label = name.removesuffix("." + config.apex)
    if config.is_api_host(name):
        return f"{label} (API)"
    return label


def _caa_note(value: str) -> str:
    parts = value.split(maxsplit=2)
    tag = parts[1] if len(parts) > 1 else "?"
    ca = parts[2].strip('"') if len(parts) > 2 else ""
    if tag == "issue":
        return f"only {ca or 'nobody'} may issue certificates"
    if tag == "issuewild":
        return f"only {ca or 'nobody'} may issue wildcard certificates"
    if tag == "iodef":
        return f"CAs report refused issuance to {ca}"
    return f"CAA {tag}"


def _txt_note(name: str, value: str) -> str:
    text = value.strip('"').replace('" "', "")
    lower = text.lower()
    if lower.startswith("v=spf1"):
        return "SPF for outbound mail: which servers may send as this domain"
    if lower.startswith("v=dmarc1"):
        policy = next((p.split("=")[1] for p in lower.replace(" ", "").split(";") if p.startswith("p=")), "?")
        return f"DMARC policy (p={policy}): what receivers do with unauthenticated mail"
    if lower.startswith("v=dkim1") or "._domainkey." in name:
        return "DKIM public key: verifies signatures on outbound mail"
    if lower.startswith("v=stsv1"):
        return "MTA-STS policy id"
    if lower.startswith("v=tlsrptv1"):
        return "TLS-RPT: where mail TLS failure reports go"
    for prefix, who in (
        ("google-site-verification", "Google"),
        ("ms=", "Microsoft 365"),
        ("facebook-domain-verification", "Meta"),
        ("apple-domain-verification", "Apple"),
        ("stripe-verification", "Stripe"),
        ("_github", "GitHub"),
    ):
        if lower.startswith(prefix):
            return f"domain ownership verification ({who})"
    return "text record (purpose not recognised: confirm it is still needed)"
