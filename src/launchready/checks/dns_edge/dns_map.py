"""The DNS map: every record at the apex, each configured or discovered name and every name their records
point at (MX targets, NS hosts, SPF includes), each with a one-line note on its role.

It says what DNS says and nothing more: a record reached through a CNAME is listed under the name that owns
it (the CNAME's target), and a ``www`` alias is an alias, not a redirect (a redirect is seen over HTTP).

It is the founder's inventory for the handover pack (``launchready dns``) and the report's DNS section
(``ctx.artifacts["dns_map"]``). The notes read records the way an engineer would explain them ("SPF for
outbound mail", "www: alias of the apex"); provider names come from the edge fingerprints data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
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


@dataclass(frozen=True)
class AskedName:
    """A name the map looked up, and why it is in the map (the config, a probe, a record pointing at it)."""

    name: str
    why: str


@dataclass
class DnsMap:
    domain: str
    records: list[MapRecord] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Names asked that do not exist (NXDOMAIN), a dangling CNAME's target included."""
    errors: list[str] = field(default_factory=list)
    """Questions DNS could not answer (timeout, SERVFAIL): the map is incomplete there."""
    names: list[AskedName] = field(default_factory=list)
    """Every name looked up, with why: configured, discovered by probing, MX target, NS host, SPF include."""

    def as_dict(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "records": [asdict(r) for r in self.records],
            "missing": self.missing,
            "errors": self.errors,
            "names": [asdict(n) for n in self.names],
        }


CONFIGURED = "configured"
MAX_FOLLOWED_NAMES = 40
"""Names reached by following records (MX targets, NS hosts, SPF includes): a bound for hostile zones."""


def map_names(config: LaunchConfig) -> list[tuple[str, tuple[str, ...]]]:
    """Names to map and the record types asked at each: apex (all), each public host, the mail names."""
    names: list[tuple[str, tuple[str, ...]]] = [(config.apex, APEX_TYPES)]
    names += [(host, HOST_TYPES) for host in config.public_hosts if host != config.apex]
    names.append((f"_dmarc.{config.apex}", ("TXT",)))
    if config.email.sends_mail:
        names += [(f"_mta-sts.{config.apex}", ("TXT",)), (f"_smtp._tls.{config.apex}", ("TXT",))]
    names += [(f"{s}._domainkey.{config.apex}", ("TXT", "CNAME")) for s in config.email.dkim_selectors]
    senders = [config.host_for(label) for label in config.email.sending_subdomains]
    names += [(host, ("TXT", "MX")) for host in senders if host not in config.public_hosts]
    return names


Query = Callable[[str, str], Awaitable[DnsAnswer]]
Answers = dict[tuple[str, str], "DnsAnswer | str"]


async def build_dns_map(
    resolver: DnsResolver,
    config: LaunchConfig,
    query: Query | None = None,
    discovered: Sequence[str] = (),
) -> DnsMap:
    """Ask every (name, type) concurrently, then follow what the records name; annotate each record.

    ``query`` replaces ``resolver.query`` (an audit passes its run-wide memo, so the map and the checks share
    each answer instead of asking the same questions twice). ``discovered``: subdomains found by probing.
    Names the records point at (MX targets, NS hosts, SPF ``include:``/``redirect=`` targets) are asked in
    further rounds, so the map lists every name the audit touched.
    """
    ask_dns = query or resolver.query
    why: dict[str, str] = {}
    planned: list[tuple[str, tuple[str, ...]]] = []
    for name, types in map_names(config):
        why.setdefault(name, CONFIGURED)
        planned.append((name, types))
    for name in discovered:
        if name not in why:
            why[name] = "discovered by probing common names (not in the config)"
            planned.append((name, HOST_TYPES))

    async def ask(name: str, rdtype: str) -> DnsAnswer | str:
        try:
            return await ask_dns(name, rdtype)
        except NetError as exc:
            return str(exc)

    answers: Answers = {}
    order: list[tuple[str, str]] = []
    followed = 0
    while planned:
        questions = [(n, t) for n, types in planned for t in types if (n, t) not in answers]
        results = await asyncio.gather(*(ask(n, t) for n, t in questions))
        answers.update(zip(questions, results, strict=True))
        order += questions
        planned = []
        for name, rdtype in questions:
            for target, types, reason in _referenced(name, rdtype, answers[(name, rdtype)]):
                if target not in why and followed < MAX_FOLLOWED_NAMES:
                    followed += 1
                    why[target] = reason
                    planned.append((target, types))
    result = DnsMap(config.apex, names=[AskedName(n, w) for n, w in why.items()])
    _fill(result, config, order, answers, why)
    return result


def _referenced(name: str, rdtype: str, answer: DnsAnswer | str) -> list[tuple[str, tuple[str, ...], str]]:
    """Names a record points at, the types to ask there and why."""
    if isinstance(answer, str) or answer.cname_chain:
        return []
    out: list[tuple[str, tuple[str, ...], str]] = []
    if rdtype == "MX":
        for value in answer.records:
            host = value.split()[-1].rstrip(".").lower()
            if host:
                out.append((host, ("A", "AAAA"), f"mail server (MX of {name})"))
    elif rdtype == "NS":
        for value in answer.records:
            out.append((value.rstrip(".").lower(), ("A", "AAAA"), f"nameserver of {name}"))
    elif rdtype == "TXT":
        for text in answer.texts:
            if text.lower().startswith("v=spf1"):
                for target in _spf_targets(text):
                    out.append((target, ("TXT",), f"SPF of {name} includes it"))
    return out


def _spf_targets(record: str) -> list[str]:
    """``include:`` and ``redirect=`` domains of an SPF record (macros are left out: they need a sender)."""
    targets = []
    for term in record.split()[1:]:
        body = term.lstrip("+-~?").lower()
        for prefix in ("include:", "redirect="):
            if body.startswith(prefix):
                domain = body[len(prefix) :].rstrip(".")
                if domain and "%" not in domain:
                    targets.append(domain)
    return targets


def _fill(
    result: DnsMap, config: LaunchConfig, order: list[tuple[str, str]], answers: Answers, why: dict[str, str]
) -> None:
    seen: set[tuple[str, str, str]] = set()

    def add(row: MapRecord) -> None:
        key = (row.name, row.rdtype, row.value)
        if key not in seen:
            seen.add(key)
            result.records.append(row)

    for name, rdtype in order:
        answer = answers[(name, rdtype)]
        if isinstance(answer, str):
            result.errors.append(answer)
            continue
        if answer.status is DnsStatus.NXDOMAIN:
            # a dangling CNAME: the alias exists, its last target does not (RFC 6604)
            gone = answer.cname_chain[-1] if answer.cname_chain else name
            if gone not in result.missing and not gone.startswith("_"):
                result.missing.append(gone)
        if rdtype == "CNAME":
            if answer.records:
                add(_cname_row(config, name, answer, answers.get((name, "A"))))
            continue
        if rdtype in ("A", "AAAA") and answer.cname_chain:
            continue  # the CNAME row shows the chain; the addresses belong to the target
        owner = answer.cname_chain[-1] if answer.cname_chain else name
        for value in answer.records:
            text = note(config, owner, rdtype, value, why.get(owner))
            if owner != name:
                # a record reached through a CNAME is the target's, not the alias's (RFC 1034 3.6.2)
                text += f" (reached through the alias {name})"
            add(MapRecord(owner, rdtype, value, answer.ttl, text))


def _cname_row(
    config: LaunchConfig, name: str, answer: DnsAnswer, addresses: DnsAnswer | str | None
) -> MapRecord:
    """One row per CNAME, its note naming the whole chain and where it ends (RFC 1034 3.6.2)."""
    target = answer.records[0].rstrip(".")
    text = note(config, name, "CNAME", target)
    if isinstance(addresses, DnsAnswer):
        chain = addresses.cname_chain or (target,)
        if addresses.status is DnsStatus.NXDOMAIN:
            ends = f"{chain[-1]} does not exist (dangling)"
        else:
            ends = ", ".join(addresses.records) or "no address"
        hops = " → ".join((name, *chain))
        if addresses.status is DnsStatus.NXDOMAIN:
            text += f"; chain {hops}: {ends}"
        else:
            text += f"; chain {hops} → {ends}" if len(chain) > 1 else f"; resolves to {ends}"
    return MapRecord(name, "CNAME", answer.records[0], answer.ttl, text)


def note(config: LaunchConfig, name: str, rdtype: str, value: str, why: str | None = None) -> str:
    """One line on what this record does for the product (``why``: how a followed name got into the map)."""
    role = _host_role(config, name) if why in (None, CONFIGURED) else f"{name}, {why}"
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
                # an alias is not a redirect: whether www redirects is seen over HTTP, not in DNS
                canonical = (
                    " (the config names the apex canonical)" if config.canonical_host == config.apex else ""
                )
                return f"www: alias of the apex{canonical}"
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
        return "www (canonical site)" if config.canonical_host == config.www else "www"
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
