"""Fixtures: the lab's flawed and hardened deploy twins, each audited once, and ad-hoc repositories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_repos import audit, config_for, git_init, lab_twin, write

from launchready.engine import AuditRun
from launchready.lab.variant import LabVariant


@pytest.fixture(scope="module")
def flawed_deploy_run(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    return audit(config_for(lab_twin(tmp_path_factory.mktemp("deploy") / "flawed", LabVariant.FLAWED)))


@pytest.fixture(scope="module")
def hardened_deploy_run(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    return audit(config_for(lab_twin(tmp_path_factory.mktemp("deploy") / "hardened", LabVariant.HARDENED)))


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """``repo({"path": "text"})``: a git repository holding exactly these files."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "repo"
        git_init(root)
        write(root, files)
        return root

    return make
