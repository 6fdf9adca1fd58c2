"""The access list: who owns each system, and whether someone can stand in.

``[[owners]]`` entries list the ``systems`` they hold access to; an owner who lists none is taken to own
every system (a small team's founder), so older configs still read right. A system with no owner, or with
one owner and no backup who is also an owner, is the roadmap's failure signal ("only the builder knows").
"""

from __future__ import annotations

from launchready.config import LaunchConfig
from launchready.config.model import RouteRole
from launchready.handover.model import Claim, Evidence, Missing, Section, Table

OWNERS_MISSING = "handover.owners.missing"
NO_BACKUP = "handover.owners.no-backup"
CITE = Evidence("launchready.toml [[owners]]")


def systems_of(config: LaunchConfig) -> tuple[str, ...]:
    """The systems this product has, from its config: each needs an owner."""
    found = ["registrar", "dns", "edge", "hosting", "email", "repo", "monitor"]
    if config.routes_with_role(RouteRole.CHAT):
        found.append("llm")
    if config.database.dsn:
        found.append("database")
    return tuple(found)


def owners_section(config: LaunchConfig) -> Section:
    owners = config.owners
    systems = systems_of(config)
    names = {o.name.strip().lower() for o in owners}
    missing: list[Missing] = []
    holders: dict[str, list[str]] = {}
    for system in systems:
        holders[system] = [
            o.name for o in owners if not o.systems or system in {s.lower() for s in o.systems}
        ]
    rows = []
    for o in owners:
        contact = ", ".join(c for c in (o.email, o.phone, o.contact) if c) or "no contact"
        rows.append((o.name, o.role or "—", contact, o.backup or "—", ", ".join(o.systems) or "all systems"))
        if not (o.email or o.phone or o.contact):
            missing.append(Missing(NO_BACKUP, f"owner:{o.name}", f"{o.name} has no email, phone or contact"))
        if o.backup and o.backup.strip().lower() not in names:
            missing.append(
                Missing(
                    NO_BACKUP,
                    f"owner:{o.name}",
                    f"{o.name}'s backup {o.backup!r} is not an owner (add them to [[owners]])",
                )
            )
    for system, people in holders.items():
        if not people:
            missing.append(Missing(OWNERS_MISSING, f"system:{system}", f"no owner for {system}"))
        elif len(people) == 1:
            owner = next(o for o in owners if o.name == people[0])
            if not owner.backup or owner.backup.strip().lower() not in names:
                missing.append(
                    Missing(
                        NO_BACKUP,
                        f"system:{system}",
                        f"only {people[0]} can act on {system}, with no backup contact",
                    )
                )
    claims = [
        Claim(f"{system}: {', '.join(people) if people else 'NOBODY'}", (CITE,))
        for system, people in holders.items()
    ]
    tables = (
        (Table(("Owner", "Role", "Contact", "Backup", "Systems"), tuple(rows), "Access list", (CITE,)),)
        if rows
        else ()
    )
    return Section(
        "owners", "Access list and owners", tuple(claims), tables, tuple(missing),
        {"owners_read": len(owners), "systems_checked": len(systems)} if owners else {},
        (OWNERS_MISSING, NO_BACKUP),
    )  # fmt: skip
