"""The git history scan on the lab repository: every ref, each secret once, with its introducing commit."""

from __future__ import annotations

from pathlib import Path

from launchready.secrets.history import reachable_blobs, scan_history


def _by_path(root: Path, jobs: int = 1) -> dict[str, object]:
    scan = scan_history(root, jobs=jobs)
    return {s.path: s for s in scan.secrets}


def test_removed_merge_only_and_stashed_secrets_are_found(flawed_repo: Path) -> None:
    found = _by_path(flawed_repo)
    legacy = found["src/server/legacy_keys.py"]
    assert legacy.match.rule.rule_id == "secrets.groq.api-key"  # type: ignore[attr-defined]
    assert legacy.in_head is False  # type: ignore[attr-defined]
    assert legacy.introduced.author == "Bo Intern"  # type: ignore[attr-defined]
    billing = found["src/server/billing.py"]
    assert billing.introduced.merge is True and billing.in_head is False  # type: ignore[attr-defined]
    stash = found["src/server/embeddings.py"]
    assert stash.match.rule.rule_id == "secrets.huggingface.token"  # type: ignore[attr-defined]
    assert found["src/server/providers.py"].in_head is True  # type: ignore[attr-defined]


def test_each_secret_is_reported_once_and_every_blob_read_once(flawed_repo: Path) -> None:
    serial = scan_history(flawed_repo, jobs=1)
    keys = [(s.match.rule.rule_id, s.match.secret.fingerprint) for s in serial.secrets]
    assert len(keys) == len(set(keys))
    blobs = reachable_blobs(flawed_repo)
    assert len({sha for sha, _ in blobs}) == len(blobs) == serial.blobs_scanned
    assert {s.in_head for s in serial.secrets} == {True, False}


def test_hardened_history_is_clean(hardened_repo: Path) -> None:
    scan = scan_history(hardened_repo, jobs=2)
    assert [s for s in scan.secrets if s.match.rule.is_secret] == []
    assert scan.blobs_scanned > 5


def test_since_limits_the_range(flawed_repo: Path) -> None:
    everything = reachable_blobs(flawed_repo)
    recent = reachable_blobs(flawed_repo, since="HEAD~1")
    assert 0 < len(recent) < len(everything)


def test_worker_processes_find_the_same_as_one_process(tmp_path: Path) -> None:
    import subprocess

    from launchready.secrets import history
    from launchready.secrets.rules import fake_value

    repo = tmp_path / "many"
    repo.mkdir()
    for i in range(90):
        (repo / f"f{i}.py").write_text(f"VALUE_{i} = {i}\n")
    (repo / "f42.py").write_text(f'KEY = "{fake_value("secrets.github.token", seed="pool")}"\n')
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "many files"], check=True)
    shas = [sha for sha, _ in reachable_blobs(repo)]
    assert len(shas) > 64
    serial = history.scan_blobs(repo, shas, jobs=1)
    parallel = history.scan_blobs(repo, shas, jobs=2)
    assert serial[:2] == parallel[:2]
    assert set(serial[2]) == set(parallel[2]) and len(parallel[2]) == 1
