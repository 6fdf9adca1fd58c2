"""Where things live: registrar and DNS host, edge, hosting, email provider, repo, monitor, and the DNS map.

Everything is read from the saved audit's artifacts (``dns_map``, ``edges``, ``email``) — the same records
the audit observed — and matched against the provider signatures in ``data/providers.toml``. WHOIS is
not used (rate-limited, often redacted): the registrar is named only when the DNS is registrar-run, and
otherwise the pack says how to look it up.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from typing import Any

from launchready.handover.data import dkim_selector_owners, providers
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section, Table

WHERE_UNKNOWN = "handover.where.unknown"
AUDIT_MISSING = "handover.inputs.audit-missing"


def _records(dns_map: dict[str, Any], rdtype: str, name: str | None = None) -> list[dict[str, Any]]:
    return [
        r
        for r in dns_map.get("records") or ()
        if isinstance(r, dict) and r.get("rdtype") == rdtype and (name is None or r.get("name") == name)
    ]


def _host(value: str) -> str:
    return value.split()[-1].rstrip(".").lower() if value.split() else ""


def _matches(host: str, suffixes: Iterable[str]) -> bool:
    return any(s in host if s.endswith("-") else host.endswith(s.lstrip(".")) for s in suffixes)


def _spf_includes(record: str) -> list[str]:
    return re.findall(r"\binclude:([^\s]+)", record)


def repo_remote(path: Any) -> str | None:
    """The repository's ``origin`` URL with any credentials removed, or None (not a git repo, no origin)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(path), "remote", "get-url", "origin"],
            capture_output=True, text=True, timeout=5, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    url = done.stdout.strip()
    return re.sub(r"//[^/@]+@", "//", url) if done.returncode == 0 and url else None


def where_section(inputs: HandoverInputs, audit_href: str | None) -> Section:
    config = inputs.config
    domain = config.apex
    claims: list[Claim] = []
    missing: list[Missing] = []
    tables: list[Table] = []
    checked: dict[str, int] = {}
    repo = repo_remote(config.repo.path)
    claims.append(
        Claim(
            f"Code: {repo}" if repo else f"Code: {config.repo.path} (no git origin remote found)",
            (Evidence("launchready.toml [repo] path; git remote get-url origin"),),
        )
    )
    monitor = config.monitor
    claims.append(
        Claim(
            f"Monitor: dashboard and status page at http://{monitor.listen}/, history in {monitor.database.split('://')[0]}",
            (Evidence("launchready.toml [monitor] listen, database"),),
        )
    )
    if inputs.audit is None:
        missing.append(
            Missing(
                AUDIT_MISSING, domain, "no saved audit: DNS host, edge, hosting and email provider unknown"
            )
        )
        return Section(
            "where",
            "Where things live",
            tuple(claims),
            (),
            tuple(missing),
            {"config_read": 1},
            (AUDIT_MISSING, WHERE_UNKNOWN),
        )
    artifacts = inputs.audit.report.run.artifacts
    dns_map = artifacts.get("dns_map") if isinstance(artifacts.get("dns_map"), dict) else None
    cite = Evidence(f"audit {inputs.audit.path.name}: DNS map", audit_href)
    if dns_map is None:
        missing.append(
            Missing(WHERE_UNKNOWN, domain, "the saved audit has no DNS map (run the dns-edge stage)")
        )
    else:
        records = dns_map.get("records") or []
        checked["dns_records"] = len(records)
        ns_hosts = sorted({_host(str(r.get("value", ""))) for r in _records(dns_map, "NS", domain)})
        soa = _records(dns_map, "SOA", domain)
        soa_fields = str(soa[0].get("value", "")).split() if soa else []
        soa_names = [name.rstrip(".").lower() for name in soa_fields[:2]]
        signals = ns_hosts + soa_names  # the SOA's primary and mailbox name the operator too (Route 53's do)
        dns_hosts = sorted({h.name for h in providers().dns for ns in signals if _matches(ns, h.suffixes)})
        registrar = sorted(
            {h.name for h in providers().dns for ns in signals if h.registrar and _matches(ns, h.suffixes)}
        )
        soa_text = f"; SOA primary {soa_names[0]}" if soa_names else ""
        if len(soa_names) == 2 and "." in soa_names[1]:
            user, _, host = soa_names[1].partition(".")
            soa_text += f", zone contact {user}@{host}"
        if dns_hosts:
            consoles = [h.console for h in providers().dns if h.name in dns_hosts and h.console]
            claims.append(
                Claim(
                    f"DNS is hosted by {', '.join(dns_hosts)} ({_nameservers(ns_hosts)}{soa_text})",
                    (cite,),
                    tuple(f"console: {c}" for c in consoles),
                )
            )
        elif ns_hosts:
            claims.append(
                Claim(
                    f"DNS is served by nameservers {', '.join(ns_hosts)}{soa_text}: not a provider we recognise (self-hosted or unlisted)",
                    (cite,),
                )
            )
            missing.append(
                Missing(
                    WHERE_UNKNOWN,
                    f"dns:{domain}",
                    f"DNS host not recognised from NS {', '.join(ns_hosts)}: write down who runs it",
                )
            )
        else:
            missing.append(Missing(WHERE_UNKNOWN, f"dns:{domain}", "no NS records in the saved DNS map"))
        owners_systems = {s.lower() for o in config.owners for s in o.systems}
        if registrar:
            claims.append(
                Claim(
                    f"Registrar: very likely {', '.join(registrar)} (registrar-run DNS); confirm with whois",
                    (cite,),
                    code=(f"whois {domain} | grep -i registrar",),
                )
            )
        elif "registrar" in owners_systems:
            claims.append(
                Claim(
                    "Registrar: not told by DNS; [[owners]] lists who holds the registrar account",
                    (Evidence("launchready.toml [[owners]] systems"),),
                    code=(f"whois {domain} | grep -i registrar",),
                )
            )
        else:
            missing.append(
                Missing(
                    WHERE_UNKNOWN,
                    f"registrar:{domain}",
                    f"registrar unknown (DNS is not registrar-run): run `whois {domain}` and record it under an owner's systems",
                )
            )
        mail_claims, mail_missing = _mail(dns_map, artifacts.get("email"), domain, cite)
        claims += mail_claims
        missing += mail_missing
        hosting = _hosting(dns_map)
        if hosting:
            claims.append(
                Claim(
                    "Hosting (from CNAMEs): " + "; ".join(f"{name} → {who}" for name, who in hosting), (cite,)
                )
            )
        rows = tuple(
            (
                str(r.get("name", "")),
                str(r.get("rdtype", "")),
                str(r.get("value", ""))[:120],
                str(r.get("note", "")),
            )
            for r in records
            if isinstance(r, dict)
        )
        tables.append(
            Table(
                ("Name", "Type", "Value", "Note"), rows, f"DNS map of {domain}, as the audit saw it", (cite,)
            )
        )
    edges = artifacts.get("edges")
    if isinstance(edges, dict) and edges:
        checked["edge_hosts"] = len(edges)
        by_edge: dict[str, list[str]] = {}
        for host, edge in edges.items():
            by_edge.setdefault(str(edge or "none seen"), []).append(str(host))
        text = "; ".join(f"{edge}: {', '.join(sorted(hosts))}" for edge, hosts in sorted(by_edge.items()))
        claims.append(
            Claim(
                f"Edge/CDN (headers and address ranges): {text}",
                (Evidence(f"audit {inputs.audit.path.name}: edges", audit_href),),
            )
        )
    else:
        missing.append(
            Missing(WHERE_UNKNOWN, f"edge:{domain}", "the saved audit identified no edge/CDN for any host")
        )
    return Section(
        "where",
        "Where things live",
        tuple(claims),
        tuple(tables),
        tuple(missing),
        checked,
        (AUDIT_MISSING, WHERE_UNKNOWN),
    )


def _nameservers(hosts: list[str]) -> str:
    return f"nameservers {', '.join(hosts)}" if hosts else "no NS records seen"


def _hosting(dns_map: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for record in _records(dns_map, "CNAME"):
        target = _host(str(record.get("value", "")))
        for host in providers().hosting:
            if _matches(target, host.cname):
                found.append((str(record.get("name")), host.name))
                break
    return found


def _mail(
    dns_map: dict[str, Any], email: Any, domain: str, cite: Evidence
) -> tuple[list[Claim], list[Missing]]:
    mx_hosts = [_host(str(r.get("value", ""))) for r in _records(dns_map, "MX", domain)]
    spf = [
        str(r.get("value", ""))
        for r in _records(dns_map, "TXT", domain)
        if "v=spf1" in str(r.get("value", ""))
    ]
    includes = [inc for record in spf for inc in _spf_includes(record.strip('"'))]
    inbound = sorted({m.name for m in providers().mail for mx in mx_hosts if _matches(mx, m.mx)})
    senders = sorted({m.name for m in providers().mail for inc in includes if _matches(inc, m.spf)})
    selectors: list[str] = []
    if isinstance(email, dict):
        info = (email.get("domains") or {}).get(domain) or {}
        selectors = sorted((info.get("dkim") or {}).keys())
    owners = dkim_selector_owners()
    claims: list[Claim] = []
    missing: list[Missing] = []
    detail = (
        f"MX: {', '.join(mx_hosts) or 'none'}",
        f"SPF includes: {', '.join(includes) or 'none'}",
        "DKIM selectors: "
        + (", ".join(f"{s} ({owners.get(s, 'unlisted')})" for s in selectors) or "none found"),
    )
    if inbound or senders:
        text = f"Email: inbound by {', '.join(inbound) or 'your own MX'}; sending via {', '.join(senders) or 'your own servers'}"
        claims.append(Claim(text, (cite,), detail))
    elif mx_hosts or includes:
        claims.append(
            Claim("Email: providers not recognised from MX/SPF (self-hosted or unlisted)", (cite,), detail)
        )
        missing.append(
            Missing(
                WHERE_UNKNOWN,
                f"email:{domain}",
                "email provider not recognised from MX/SPF: write down who runs mail",
            )
        )
    else:
        claims.append(
            Claim(f"Email: {domain} has no MX and no SPF include (no mail provider in DNS)", (cite,), detail)
        )
    return claims, missing
