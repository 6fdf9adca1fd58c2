"""Secrets in a built image: a ``docker save`` tarball (manifest, config with Env and history, one tar per
layer) built here byte for byte as Docker writes it; a key deleted by a later layer is still found."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

from deploy_repos import audit, config_for, of

from launchready.findings import Status
from launchready.secrets.rules import fake_value

Repo = Callable[[dict[str, str]], Path]
KEY = fake_value("secrets.openai.project-key", seed="image-layer")
ENV_KEY = fake_value("secrets.anthropic.api-key", seed="image-env")


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def docker_save(path: Path, *, leak: bool) -> Path:
    layer1 = _tar(
        {
            "app/main.py": b"print('hi')\n",
            **({"app/.env": f"OPENAI_API_KEY={KEY}\n".encode()} if leak else {}),
        }
    )
    layer2 = _tar({"app/.wh..env" if leak else "app/README": b""})  # a whiteout "deletes" it in layer 2
    env = ["PATH=/usr/local/bin", f"ANTHROPIC_API_KEY={ENV_KEY}" if leak else "LOG_LEVEL=info"]
    history = [{"created_by": "/bin/sh -c #(nop) COPY dir:abc in /app"},
               {"created_by": "/bin/sh -c #(nop)  ARG ADMIN_PASSWORD=Tr0ub4dor-and-3-horses" if leak else "ARG X"}]  # fmt: skip
    config = json.dumps({"config": {"Env": env}, "history": history}).encode()
    manifest = json.dumps(
        [{"Config": "cfg.json", "RepoTags": ["app:1"], "Layers": ["l1/layer.tar", "l2/layer.tar"]}]
    )
    path.write_bytes(_tar({"manifest.json": manifest.encode(), "cfg.json": config, "l1/layer.tar": layer1,
                           "l2/layer.tar": layer2}))  # fmt: skip
    return path


def test_secrets_in_layers_env_and_history_are_found(repo: Repo) -> None:
    root = repo({"Dockerfile": "FROM python:3.12\n"})
    docker_save(root / "image.tar", leak=True)
    run = audit(config_for(root, image_tarball="image.tar"))
    failed = {f.target: f for f in of(run, "deploy.config.secret") if f.status is Status.FAIL}
    assert set(failed) == {"image.tar:l1/app/.env", "image.tar:config Env", "image.tar:history[1]"}, failed
    assert "OpenAI" in failed["image.tar:l1/app/.env"].evidence
    assert KEY not in run.model_dump_json() and ENV_KEY not in run.model_dump_json()


def test_a_clean_image_passes_with_its_layers_counted(repo: Repo) -> None:
    root = repo({"Dockerfile": "FROM python:3.12\n"})
    docker_save(root / "image.tar", leak=False)
    finding = of(audit(config_for(root, image_tarball="image.tar")), "deploy.config.secret")[0]
    assert finding.status is Status.PASS
    assert finding.exercised["image_layers_scanned"] == 2 and finding.exercised["image_files_scanned"] == 2


def test_a_missing_or_bogus_tarball_is_unverifiable_not_pass(repo: Repo) -> None:
    root = repo({"Dockerfile": "FROM python:3.12\n", "bogus.tar": "not a tar"})
    for name in ("missing.tar", "bogus.tar"):
        findings = of(audit(config_for(root, image_tarball=name)), "deploy.config.secret")
        assert [f.status for f in findings] == [Status.UNVERIFIABLE], findings
        assert "image not reviewed" in (findings[0].reason or "")
