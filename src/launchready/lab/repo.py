"""The lab product's git repository, env files, logs and client bundles, with planted secrets per variant.

Owned by the secrets work; the lab builds it in its work directory and points ``[repo]`` at it.
"""

from __future__ import annotations

from pathlib import Path

from launchready.lab.variant import LabVariant


def build_lab_repo(dest: Path, variant: LabVariant) -> None:
    dest.mkdir(parents=True, exist_ok=True)
