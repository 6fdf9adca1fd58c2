"""Observe a product's email posture once: SPF, DMARC, DKIM, MX, MTA-STS and TLS-RPT per mail domain.

Every check of the email stage reads this one observation (shared with ``ctx.once``), and its summary is
the ``email`` artifact that ``launchready email --baseline`` compares between two runs. A DNS error never
becomes "no record": it is kept per item and the checks turn it into *unverifiable*.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from launchready.config import LaunchConfig
from launchready.email.dkim import DkimKey, common_selectors, parse_dkim_key
from launchready.email.dmarc import DmarcDiscovery, discover_dmarc, is_external, report_authorized, uri_domain
from launchready.email.errors import DkimParseError, MtaStsParseError, TlsRptParseError
from launchready.email.mta_sts import MtaStsPolicy, parse_mta_sts_policy
from launchready.email.spf_audit import SpfAnalysis, analyze_spf
from launchready.email.spf_record import is_spf_record
from launchready.net import DnsResolver, HttpResponse, NetError
from launchready.net.errors import DnsError

SENDING_LABELS = ("mail", "email", "notify", "notifications", "send", "bounce", "mg", "em", "news", "updates")
"""Subdomain labels that transactional-mail providers usually ask for; one with SPF or MX is a sender."""
MAX_POLICY_BYTES = 64 * 1024
"""RFC 8461 3.3 lets senders cap the policy body; 64 KiB is the common cap."""

Fetch = Callable[[str], Awaitable[HttpResponse]]


@dataclass(frozen=True)
class MxHost:
    priority: int
    host: str
    cname_chain: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    error: str | None = None

    @property
    def is_ip_literal(self) -> bool:
        try:
            ipaddress.ip_address(self.host.strip("[]"))
        except ValueError:
            return False
        return True


@dataclass(frozen=True)
class DkimSelector:
    selector: str
    configured: bool
    text: str | None = None
    key: DkimKey | None = None
    error: DkimParseError | None = None


@dataclass
class MtaStsObservation:
    records: tuple[str, ...] = ()
    policy_url: str = ""
    policy_text: str | None = None
    policy: MtaStsPolicy | None = None
    problem: str | None = None
    """Why the policy could not be used (fetch failed, redirect, wrong type, syntax)."""


@dataclass
class MailDomain:
    """One domain's observation. ``role`` is ``sending`` (apex or sending subdomain) or ``no-mail``."""

    domain: str
    role: str
    spf: SpfAnalysis | None = None
    dmarc: DmarcDiscovery | None = None
    report_destinations: dict[str, bool | None] = field(default_factory=dict)
    """External rua/ruf destination -> authorized? (None when DNS could not tell)."""
    mx: tuple[MxHost, ...] | None = None
    dkim: list[DkimSelector] = field(default_factory=list)
    dkim_probed: int = 0
    dkim_errors: list[str] = field(default_factory=list)
    mta_sts: MtaStsObservation | None = None
    tlsrpt: tuple[str, ...] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    """Item (spf, dmarc, mx, mta_sts, tlsrpt) -> why DNS could not answer."""

    @property
    def null_mx(self) -> bool:
        return self.mx is not None and len(self.mx) == 1 and self.mx[0].host in ("", ".")

    def summary(self) -> dict[str, object]:
        """The comparable posture (what a baseline diff looks at)."""
        spf = self.spf
        dmarc = self.dmarc.record if self.dmarc else None
        policy = self.mta_sts.policy if self.mta_sts else None
        return {
            "role": self.role,
            "spf": None
            if spf is None
            else {"records": list(spf.records), "all": spf.all_qualifier, "lookups": spf.lookups},
            "dmarc": None
            if self.dmarc is None or self.dmarc.record_text is None
            else {
                "found_at": self.dmarc.found_at,
                "record": self.dmarc.record_text,
                "p": dmarc.effective_policy.value if dmarc else None,
                "sp": dmarc.effective_subdomain_policy.value if dmarc else None,
                "np": dmarc.nonexistent_policy.value if dmarc and dmarc.nonexistent_policy else None,
                "testing": dmarc.testing if dmarc else None,
                "rua": list(dmarc.rua) if dmarc else [],
            },
            "dkim": {
                d.selector: {
                    "bits": d.key.bits if d.key else None,
                    "revoked": d.key.revoked if d.key else None,
                    "type": d.key.key_type if d.key else None,
                }
                for d in self.dkim
            },
            "mx": None if self.mx is None else [f"{m.priority} {m.host or '.'}" for m in self.mx],
            "mta_sts": None
            if self.mta_sts is None
            else {
                "records": list(self.mta_sts.records),
                "mode": policy.mode if policy else None,
                "max_age": policy.max_age if policy else None,
                "mx": list(policy.mx) if policy else [],
            },
            "tlsrpt": None if self.tlsrpt is None else list(self.tlsrpt),
            "unverified": sorted(self.errors),
        }


@dataclass
class EmailPosture:
    domains: list[MailDomain]

    def get(self, domain: str) -> MailDomain | None:
        return next((d for d in self.domains if d.domain == domain), None)

    def summary(self) -> dict[str, object]:
        return {"domains": {d.domain: d.summary() for d in self.domains}}


async def observe_email(config: LaunchConfig, resolver: DnsResolver, fetch: Fetch) -> EmailPosture:
    """Observe every mail domain of the product concurrently."""
    email = config.email
    sending = [config.apex] if email.sends_mail else []
    sending += [config.host_for(label) for label in email.sending_subdomains]
    sending += await _discovered_senders(resolver, config.apex, exclude=set(sending))
    no_mail = [] if email.sends_mail else [config.apex]
    no_mail += [config.host_for(label) for label in email.no_mail_domains]
    domains = [MailDomain(d, "sending") for d in dict.fromkeys(sending)]
    domains += [MailDomain(d, "no-mail") for d in dict.fromkeys(no_mail) if d not in sending]
    await asyncio.gather(*(_observe(d, config, resolver, fetch) for d in domains))
    return EmailPosture(domains)


async def _discovered_senders(resolver: DnsResolver, apex: str, exclude: set[str]) -> list[str]:
    async def probe(name: str) -> str | None:
        try:
            txt, mx = await asyncio.gather(resolver.query(name, "TXT"), resolver.query(name, "MX"))
        except DnsError:
            return None
        if any(is_spf_record(t) for t in txt.texts) or mx.records:
            return name
        return None

    names = [f"{label}.{apex}" for label in SENDING_LABELS if f"{label}.{apex}" not in exclude]
    found = await asyncio.gather(*(probe(n) for n in names))
    return [n for n in found if n]


async def _observe(domain: MailDomain, config: LaunchConfig, resolver: DnsResolver, fetch: Fetch) -> None:
    name = domain.domain

    async def guarded(item: str, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except DnsError as exc:
            domain.errors[item] = str(exc)

    async def spf() -> None:
        domain.spf = await analyze_spf(resolver, name)

    async def dmarc() -> None:
        domain.dmarc = await discover_dmarc(resolver, name)
        record = domain.dmarc.record
        if record is None or domain.dmarc.found_at is None:
            return
        for uri in (*record.rua, *record.ruf):
            dest = uri_domain(uri)
            if dest and is_external(domain.dmarc.found_at, dest):
                try:
                    domain.report_destinations[dest] = await report_authorized(
                        resolver, domain.dmarc.found_at, dest
                    )
                except DnsError:
                    domain.report_destinations[dest] = None

    async def mx() -> None:
        answer = await resolver.query(name, "MX")
        hosts = []
        for rd in answer.rdata:
            target = rd.exchange.to_text().rstrip(".")
            hosts.append(await _mx_host(resolver, int(rd.preference), target))
        domain.mx = tuple(sorted(hosts, key=lambda h: (h.priority, h.host)))

    async def tlsrpt() -> None:
        answer = await resolver.query(f"_smtp._tls.{name}", "TXT")
        domain.tlsrpt = tuple(t for t in answer.texts if t.lower().startswith("v=tlsrpt"))

    async def mta_sts() -> None:
        domain.mta_sts = await _mta_sts(config, resolver, fetch, name)

    jobs = [guarded("spf", spf), guarded("dmarc", dmarc), guarded("mx", mx)]
    if domain.role == "sending":
        jobs += [guarded("tlsrpt", tlsrpt), guarded("mta_sts", mta_sts), _dkim(domain, config, resolver)]
    await asyncio.gather(*jobs)


async def _mx_host(resolver: DnsResolver, priority: int, host: str) -> MxHost:
    if host in ("", "."):
        return MxHost(priority, "")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return MxHost(priority, host)
    except ValueError:
        pass
    try:
        answer = await resolver.query(host, "A")
        v6 = await resolver.query(host, "AAAA")
    except DnsError as exc:
        return MxHost(priority, host, error=str(exc))
    return MxHost(priority, host, answer.cname_chain or v6.cname_chain, (*answer.records, *v6.records))


async def _dkim(domain: MailDomain, config: LaunchConfig, resolver: DnsResolver) -> None:
    configured = [s.lower() for s in config.email.dkim_selectors]
    selectors = list(dict.fromkeys([*configured, *common_selectors()]))
    domain.dkim_probed = len(selectors)
    semaphore = asyncio.Semaphore(8)

    async def probe(selector: str) -> DkimSelector | None:
        async with semaphore:
            try:
                answer = await resolver.query(f"{selector}._domainkey.{domain.domain}", "TXT")
            except DnsError as exc:
                domain.dkim_errors.append(f"{selector}: {exc}")
                return None
        texts = [t for t in answer.texts if "p=" in t or "v=DKIM1" in t or selector in configured]
        if not texts:
            return None
        is_configured = selector in configured
        try:
            return DkimSelector(selector, is_configured, texts[0], parse_dkim_key(texts[0]))
        except DkimParseError as exc:
            return DkimSelector(selector, is_configured, texts[0], error=exc)

    found = await asyncio.gather(*(probe(s) for s in selectors))
    domain.dkim = [f for f in found if f is not None]


async def _mta_sts(config: LaunchConfig, resolver: DnsResolver, fetch: Fetch, name: str) -> MtaStsObservation:
    answer = await resolver.query(f"_mta-sts.{name}", "TXT")
    observed = MtaStsObservation(records=tuple(t for t in answer.texts if t.lower().startswith("v=sts")))
    if not observed.records:
        return observed
    observed.policy_url = config.url(f"mta-sts.{name}", "/.well-known/mta-sts.txt")
    try:
        response = await fetch(observed.policy_url)
    except NetError as exc:
        observed.problem = f"could not fetch {observed.policy_url}: {exc}"
        return observed
    if response.status != 200:
        where = (
            f" (redirect to {response.header('location')}: RFC 8461 3.3 forbids following it)"
            if 300 <= response.status < 400
            else ""
        )
        observed.problem = f"{observed.policy_url} answered HTTP {response.status}{where}"
        return observed
    content_type = (response.header("content-type") or "").split(";")[0].strip().lower()
    observed.policy_text = response.body.decode("utf-8", errors="replace")
    if content_type != "text/plain":
        observed.problem = (
            f"the policy is served as {content_type or 'no content type'}, RFC 8461 3.3 requires text/plain"
        )
        return observed
    try:
        observed.policy = parse_mta_sts_policy(observed.policy_text)
    except MtaStsParseError as exc:
        observed.problem = f"the policy file is invalid: {exc}"
    return observed


def tlsrpt_error(record: str) -> TlsRptParseError | None:
    from launchready.email.mta_sts import parse_tlsrpt

    try:
        parse_tlsrpt(record)
    except TlsRptParseError as exc:
        return exc
    return None
