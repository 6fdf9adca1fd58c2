"""An RFC 7208 ``check_host()`` on launchready's async ``DnsResolver``.

Why not pyspf: it is synchronous, does its own DNS (so it ignores ``--nameserver`` and the run's limits and
deadline), and reports neither the lookup count nor the include tree, which are exactly what a founder needs
to fix "too many DNS lookups". The evaluator below follows section 4 (check_host), 5 (mechanisms), 6
(modifiers), 7 (macros) and the limits of 4.6.4 (10 DNS-querying terms, 2 void lookups, 10 MX / PTR names),
and passes the whole OpenSPF RFC 7208 test suite (``tests/email/test_spf_conformance.py``).
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from launchready.email.errors import SpfParseError
from launchready.email.spf_macro import MacroString, expand, parse_macro_string, truncate_domain
from launchready.email.spf_record import Mechanism, Qualifier, SpfRecord, is_spf_record, parse_spf
from launchready.email.spf_result import SpfEvaluation, SpfNode, SpfResult
from launchready.net import DnsAnswer, DnsResolver, DnsStatus
from launchready.net.errors import DnsError

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_LOOKUPS = 10
MAX_VOID_LOOKUPS = 2
MAX_NAMES = 10
DEFAULT_EXPLANATION = "%{d} does not designate %{c} as a permitted sender of mail from %{s}"


_QUALIFIER_RESULT = {
    Qualifier.PASS: SpfResult.PASS,
    Qualifier.FAIL: SpfResult.FAIL,
    Qualifier.SOFTFAIL: SpfResult.SOFTFAIL,
    Qualifier.NEUTRAL: SpfResult.NEUTRAL,
}


class _Abort(Exception):
    """Ends the whole evaluation with a permerror or temperror (section 2.6.6 / 2.6.7)."""

    def __init__(self, result: SpfResult, reason: str) -> None:
        super().__init__(reason)
        self.result = result
        self.reason = reason


@dataclass
class _State:
    ip: IpAddress
    sender: str
    helo: str
    lookups: int = 0
    void_lookups: int = 0
    default_explanation: str = DEFAULT_EXPLANATION
    receiver: str = "unknown"
    upper_hex: bool = False
    """%{i} of an IPv6 client echoes the hex case the client address was given in (the RFC 7208 suite
    expects ``CAFE:BABE::1`` to expand to upper-case nibbles, section 7.4's example is lower case)."""


@dataclass
class _Outcome:
    result: SpfResult
    reason: str
    explanation: str | None = None
    matched: str | None = None


async def check_host(
    resolver: DnsResolver,
    ip: str,
    domain: str,
    sender: str,
    helo: str = "",
    *,
    default_explanation: str = DEFAULT_EXPLANATION,
) -> SpfEvaluation:
    """Section 4: the SPF result for ``ip`` sending as ``sender`` on behalf of ``domain``."""
    address = _client_address(ip)
    upper = any(c in "ABCDEF" for c in ip)
    state = _State(address, sender, helo, default_explanation=default_explanation, upper_hex=upper)
    tree = SpfNode(domain)
    outcome = await _check(resolver, state, domain, tree)
    record = tree.record
    all_qualifier = None
    if record is not None:
        try:
            parsed = parse_spf(record)
            all_qualifier = parsed.all_qualifier.value if parsed.all_qualifier else None
        except SpfParseError:
            all_qualifier = None
    return SpfEvaluation(
        result=outcome.result,
        domain=domain,
        reason=outcome.reason,
        explanation=outcome.explanation,
        lookups=state.lookups,
        void_lookups=state.void_lookups,
        tree=tree,
        matched=outcome.matched,
        all_qualifier=all_qualifier,
    )


async def evaluate_sender(
    resolver: DnsResolver,
    ip: str,
    mailfrom: str,
    helo: str = "",
    *,
    default_explanation: str = DEFAULT_EXPLANATION,
) -> SpfEvaluation:
    """What ``launchready spf IP MAILFROM --helo NAME`` prints: the MAIL FROM identity, or the HELO one
    with ``postmaster@`` when MAIL FROM is empty (section 2.4); no local part means ``postmaster``."""
    if mailfrom:
        local, at, domain = mailfrom.rpartition("@")
        if not at:
            local, domain = "postmaster", mailfrom
        local = local or "postmaster"
    else:
        local, domain = "postmaster", helo
    sender = f"{local}@{domain}"
    if not is_valid_domain(domain):
        tree = SpfNode(domain, reason="not a fully qualified domain name")
        reason = f"{domain!r} is not a fully qualified domain name (RFC 7208 4.3): no SPF check is possible"
        return SpfEvaluation(SpfResult.NONE, domain, reason, None, 0, 0, tree, None, None)
    return await check_host(resolver, ip, domain, sender, helo, default_explanation=default_explanation)


def is_valid_domain(domain: str) -> bool:
    """Section 4.3: a fully qualified name, no empty label, labels of at most 63 octets."""
    if not domain or domain.startswith("[") or len(domain.rstrip(".")) > 253:
        return False
    labels = domain.rstrip(".").split(".")
    return len(labels) >= 2 and all(0 < len(label) <= 63 for label in labels)


def _client_address(ip: str) -> IpAddress:
    address = ipaddress.ip_address(ip.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


async def _check(resolver: DnsResolver, state: _State, domain: str, node: SpfNode) -> _Outcome:
    """One ``check_host()`` call; nested ones (include, redirect) share ``state``'s counters."""
    try:
        outcome = await _check_inner(resolver, state, domain, node)
    except _Abort as abort:
        outcome = _Outcome(abort.result, abort.reason)
    node.result = outcome.result
    node.reason = node.reason or outcome.reason
    return outcome


async def _check_inner(resolver: DnsResolver, state: _State, domain: str, node: SpfNode) -> _Outcome:
    if not is_valid_domain(domain):
        return _Outcome(SpfResult.NONE, f"{domain!r} is not a valid domain name")
    answer = await _query(resolver, domain, "TXT")
    records = [text for text in _txt_strings(answer) if is_spf_record(text)]
    if not records:
        return _Outcome(SpfResult.NONE, f"{domain} publishes no SPF record")
    if len(records) > 1:
        node.record = records[0]
        return _Outcome(SpfResult.PERMERROR, f"{domain} publishes {len(records)} SPF records (RFC 7208 4.5)")
    node.record = records[0]
    try:
        record = parse_spf(records[0])
    except SpfParseError as exc:
        return _Outcome(SpfResult.PERMERROR, f"syntax error in the SPF record of {domain}: {exc}")
    for mechanism in record.mechanisms:
        if await _matches(resolver, state, domain, mechanism, node):
            result = _QUALIFIER_RESULT[mechanism.qualifier]
            explanation = None
            if result is SpfResult.FAIL:
                explanation = await _explain(resolver, state, domain, record)
            return _Outcome(result, f"{domain}: matched '{mechanism.text}'", explanation, mechanism.text)
    if record.redirect is not None and not record.has_all:
        _count_lookup(state)
        target = await _target(resolver, state, domain, record.redirect.value)
        child = SpfNode(target, via="redirect")
        node.children.append(child)
        outcome = await _check(resolver, state, target, child)
        if outcome.result is SpfResult.NONE:
            raise _Abort(SpfResult.PERMERROR, f"redirect target {target} has no SPF record")
        return outcome
    return _Outcome(SpfResult.NEUTRAL, f"{domain}: no mechanism matched (default neutral)")


async def _matches(
    resolver: DnsResolver, state: _State, domain: str, mechanism: Mechanism, node: SpfNode
) -> bool:
    name = mechanism.name
    if name == "all":
        return True
    if name in ("ip4", "ip6"):
        network = mechanism.network
        return network is not None and network.version == state.ip.version and state.ip in network
    _count_lookup(state)
    target = (
        await _target(resolver, state, domain, mechanism.domain) if mechanism.domain is not None else domain
    )
    if name == "include":
        child = SpfNode(target, via="include")
        node.children.append(child)
        outcome = await _check(resolver, state, target, child)
        if outcome.result is SpfResult.PASS:
            return True
        if outcome.result in (SpfResult.FAIL, SpfResult.SOFTFAIL, SpfResult.NEUTRAL):
            return False
        if outcome.result is SpfResult.TEMPERROR:
            raise _Abort(SpfResult.TEMPERROR, f"include:{target}: {outcome.reason}")
        raise _Abort(SpfResult.PERMERROR, f"include:{target} gave {outcome.result.value}: {outcome.reason}")
    if name == "exists":
        answer = await _query(resolver, target, "A")
        _count_void(state, answer)
        return bool(answer.records)
    if name == "a":
        return await _address_match(resolver, state, target, mechanism, count_void=True)
    if name == "mx":
        answer = await _query(resolver, target, "MX")
        _count_void(state, answer)
        hosts = [rd.exchange.to_text().rstrip(".") for rd in answer.rdata if hasattr(rd, "exchange")]
        if len(hosts) > MAX_NAMES:
            raise _Abort(
                SpfResult.PERMERROR, f"mx:{target} has {len(hosts)} MX records, over the limit of 10"
            )
        for host in hosts:
            if host and await _address_match(resolver, state, host, mechanism, count_void=False):
                return True
        return False
    if name == "ptr":
        names = await _validated_names(resolver, state)
        target = target.rstrip(".").lower()
        return any(n == target or n.endswith("." + target) for n in names)
    raise _Abort(SpfResult.PERMERROR, f"unknown mechanism {name}")  # pragma: no cover - parser rejects it


async def _address_match(
    resolver: DnsResolver, state: _State, host: str, mechanism: Mechanism, *, count_void: bool
) -> bool:
    rdtype = "A" if state.ip.version == 4 else "AAAA"
    prefix = mechanism.cidr4 if state.ip.version == 4 else mechanism.cidr6
    if not is_valid_domain(host):
        return False
    answer = await _query(resolver, host, rdtype)
    if count_void:
        _count_void(state, answer)
    for text in answer.records:
        try:
            network = ipaddress.ip_network(f"{text}/{prefix}", strict=False)
        except ValueError:
            continue
        if state.ip in network:
            return True
    return False


async def _validated_names(resolver: DnsResolver, state: _State) -> list[str]:
    """Section 5.5: PTR names whose own A/AAAA lead back to the client address (at most 10 tried)."""
    try:
        answer = await resolver.query(state.ip.reverse_pointer, "PTR")
    except DnsError:
        return []
    _count_void(state, answer)
    names = [record.rstrip(".").lower() for record in answer.records][:MAX_NAMES]
    rdtype = "A" if state.ip.version == 4 else "AAAA"
    validated = []
    for name in names:
        try:
            addresses = await resolver.query(name, rdtype)
        except DnsError:
            continue
        if any(_same_address(text, state.ip) for text in addresses.records):
            validated.append(name)
    return validated


def _same_address(text: str, ip: IpAddress) -> bool:
    try:
        return ipaddress.ip_address(text) == ip
    except ValueError:
        return False


async def _explain(resolver: DnsResolver, state: _State, domain: str, record: SpfRecord) -> str:
    """Section 6.2: the ``exp=`` text, macro-expanded; any problem falls back to the default."""
    default = expand(parse_macro_string(state.default_explanation, explanation=True), _values(state, domain))
    if record.explanation is None:
        return default
    try:
        target = await _target(resolver, state, domain, record.explanation.value)
        if not is_valid_domain(target):
            return default
        answer = await resolver.query(target, "TXT")
    except (DnsError, _Abort):
        return default
    texts = _txt_strings(answer)
    if len(texts) != 1 or any(not ("\x20" <= c <= "\x7e") for c in texts[0]):
        return default
    try:
        macro = parse_macro_string(texts[0], explanation=True)
    except SpfParseError:
        return default
    return expand(macro, await _values_with_p(resolver, state, domain, macro))


async def _target(resolver: DnsResolver, state: _State, domain: str, spec: MacroString) -> str:
    values = await _values_with_p(resolver, state, domain, spec)
    return truncate_domain(expand(spec, values)).rstrip(".")


def _values(state: _State, domain: str, validated: str = "unknown") -> dict[str, str]:
    local, _, sender_domain = state.sender.rpartition("@")
    ip = state.ip
    nibbles = ip.exploded.replace(":", "")
    dotted = str(ip) if ip.version == 4 else ".".join(nibbles.upper() if state.upper_hex else nibbles)
    return {
        "s": state.sender,
        "l": local,
        "o": sender_domain,
        "d": domain,
        "i": dotted,
        "p": validated,
        "v": "in-addr" if ip.version == 4 else "ip6",
        "h": state.helo,
        "c": str(ip),
        "r": state.receiver,
        "t": str(int(time.time())),
    }


async def _values_with_p(
    resolver: DnsResolver, state: _State, domain: str, macro: MacroString
) -> dict[str, str]:
    if "p" not in macro.letters:
        return _values(state, domain)
    names = await _validated_names(resolver, state)
    # Section 7.3: the domain itself or a subdomain of it SHOULD be preferred; otherwise any name (we take
    # the first in sorted order so the result does not depend on the order the DNS returned them in).
    suffix = domain.lower().rstrip(".")
    preferred = sorted(n for n in names if n == suffix or n.endswith("." + suffix)) or sorted(names)
    return _values(state, domain, preferred[0] if preferred else "unknown")


def _count_lookup(state: _State) -> None:
    state.lookups += 1
    if state.lookups > MAX_LOOKUPS:
        raise _Abort(SpfResult.PERMERROR, "more than 10 DNS-querying terms (RFC 7208 4.6.4)")


def _count_void(state: _State, answer: DnsAnswer) -> None:
    if answer.status in (DnsStatus.NXDOMAIN, DnsStatus.NODATA) or not answer.records:
        state.void_lookups += 1
        if state.void_lookups > MAX_VOID_LOOKUPS:
            raise _Abort(SpfResult.PERMERROR, "more than 2 void DNS lookups (RFC 7208 4.6.4)")


async def _query(resolver: DnsResolver, name: str, rdtype: str) -> DnsAnswer:
    try:
        return await resolver.query(name, rdtype)
    except DnsError as exc:
        raise _Abort(SpfResult.TEMPERROR, f"DNS error looking up {name} {rdtype}: {exc}") from None


def _txt_strings(answer: DnsAnswer) -> list[str]:
    """TXT records with strings joined (section 3.3); bytes kept one-to-one so non-ASCII is visible."""
    out = []
    for rd in answer.rdata:
        strings = getattr(rd, "strings", None)
        if strings is not None:
            out.append(b"".join(strings).decode("latin-1"))
    return out
