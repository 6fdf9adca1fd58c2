"""The lab's two twins: the same product with planted launch risks, and done right."""

from __future__ import annotations

import enum


class LabVariant(enum.StrEnum):
    FLAWED = "flawed"
    HARDENED = "hardened"

    @property
    def flawed(self) -> bool:
        return self is LabVariant.FLAWED
