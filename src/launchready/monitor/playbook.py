"""The incident playbook, generated from the config: who to call, where things live, and the first steps
for each kind of alert (roadmap stage 6: "a short incident playbook"). Every alert links to its section, so
the person paged at 3 a.m. starts from the same page whoever set the monitor up.

The first steps come from the ``monitor.*`` rules' own data (why it matters, how to verify by hand with
the product's names filled in, the fix), so the playbook, ``launchready explain`` and the reports agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from launchready.config import LaunchConfig
from launchready.monitor.model import CheckKind
from launchready.rules import fill, rule

RULE_OF_KIND = {
    CheckKind.ROUTE: "monitor.route.down",
    CheckKind.CHAT: "monitor.chat.down",
    CheckKind.TLS: "monitor.tls.expiring",
    CheckKind.EMAIL: "monitor.email.drift",
    CheckKind.HEARTBEAT: "monitor.heartbeat.missed",
    CheckKind.LOGS: "monitor.logs.spike",
}


@dataclass(frozen=True)
class PlaybookSection:
    anchor: str
    title: str
    why: str
    verify: str
    first_step: str


@dataclass(frozen=True)
class Playbook:
    product: str
    owners: list[tuple[str, str, str, str]]
    """(name, role, email, phone)."""
    places: list[tuple[str, str]]
    """(what, where)."""
    sections: list[PlaybookSection]


def playbook(config: LaunchConfig) -> Playbook:
    host = config.canonical_host
    places = [("Domain", config.apex), ("Repository", str(config.repo.path))]
    places += [(f"Route {r.name}", config.route_url(r)) for r in config.routes]
    if config.deploy.rollback_command:
        places.append(("Rollback command", config.deploy.rollback_command))
    if config.deploy.runbook:
        places.append(("Rollback runbook", str(config.deploy.runbook)))
    sections = []
    for kind, rule_id in RULE_OF_KIND.items():
        spec = rule(rule_id)
        verify = fill(spec.verify, domain=config.apex, host=host, canonical=config.canonical_host)
        sections.append(PlaybookSection(kind.value, spec.title, spec.why, verify, spec.fix.summary))
    owners = [(o.name, o.role, o.email, o.phone) for o in config.owners]
    return Playbook(config.product.name, owners, places, sections)


def playbook_link(config: LaunchConfig, check_id: str) -> str:
    """The playbook section for a check id (``route:health`` → ``…/playbook#route``), or '' without a URL."""
    base = config.monitor.public_url.rstrip("/")
    return f"{base}/playbook#{check_id.split(':', 1)[0]}" if base else ""
