"""The pack's typed content: sections of claims, each claim with the evidence it was read from.

A ``Claim`` is one line the founder can act on ("DNS is hosted by Cloudflare DNS"), and its ``Evidence``
says where it came from (the saved audit's DNS map, the config's ``[[owners]]``, the drill history), with a
link when there is a file to open. A ``Missing`` item is what a section could not fill; the completeness
check turns each into a finding of stage handover.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Claim:
    text: str
    evidence: tuple[Evidence, ...] = ()
    detail: tuple[str, ...] = ()
    """Lines under the claim: steps, commands, what good looks like."""
    code: tuple[str, ...] = ()
    """Commands to copy, shown as code."""


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Missing:
    rule_id: str
    target: str
    text: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    claims: tuple[Claim, ...] = ()
    tables: tuple[Table, ...] = ()
    missing: tuple[Missing, ...] = ()
    checked: dict[str, int] = field(default_factory=dict)
    """What the section read to fill itself (records, owners, drills...): a pass needs it non-empty."""
    rules: tuple[str, ...] = ()
    """The handover rules this section answers for (each gets a finding: pass, or fail per missing item)."""

    @property
    def filled(self) -> bool:
        return bool(self.claims or self.tables)


@dataclass(frozen=True)
class Pack:
    product: str
    domain: str
    generated_at: str
    sources: tuple[Evidence, ...]
    sections: tuple[Section, ...]
    pdf_note: str
