"""Working tree roles, env files, logs with prompts, and the environment comparison."""

from __future__ import annotations

from pathlib import Path

from launchready.lab.repo import ENVIRONMENTS
from launchready.secrets.envfiles import env_file_status
from launchready.secrets.environments import compare_environments
from launchready.secrets.logs import find_prompt_leaks
from launchready.secrets.matcher import Matcher
from launchready.secrets.tree import FileRole, classify, scan_tree

MATCHER = Matcher()
BUNDLES = (Path("dist"), Path(".next/static"), Path("public"))


def test_roles_follow_paths() -> None:
    assert classify(".env.production", BUNDLES, ()) is FileRole.ENV
    assert classify(".next/static/chunks/a.js", BUNDLES, ()) is FileRole.BUNDLE
    assert classify("src/app.js.map", BUNDLES, ()) is FileRole.BUNDLE
    assert classify("var/out.txt", BUNDLES, (Path("var/out.txt"),)) is FileRole.LOG
    assert classify("src/app.py", BUNDLES, ()) is FileRole.SOURCE


def test_ignored_build_output_is_scanned(flawed_repo: Path) -> None:
    scan = scan_tree(flawed_repo, MATCHER, bundle_dirs=BUNDLES, logs=(Path("logs/app.log"),))
    bundle = {s.match.rule.rule_id for s in scan.secrets if s.role is FileRole.BUNDLE}
    assert "secrets.supabase.service-role-key" in bundle
    assert "secrets.stripe.publishable-key" in bundle
    assert any(s.role is FileRole.LOG for s in scan.secrets)


def test_env_files_committed_and_unignored(flawed_repo: Path, hardened_repo: Path) -> None:
    flawed = {s.path: s for s in env_file_status(flawed_repo, [".env.development", ".env.production"])}
    assert flawed[".env.production"].tracked
    assert not flawed[".env.development"].tracked and not flawed[".env.development"].ignored
    hardened = {s.path: s for s in env_file_status(hardened_repo, [".env.development", ".env.production"])}
    assert all(s.ignored and not s.tracked for p, s in hardened.items() if p != ".env.example")


def test_prompt_leaks_in_json_logs(flawed_repo: Path, hardened_repo: Path, tmp_path: Path) -> None:
    leaks = find_prompt_leaks(flawed_repo / "logs/app.log", "logs/app.log")
    assert [(leak.field, leak.line) for leak in leaks] == [("prompt", 2)]
    assert find_prompt_leaks(hardened_repo / "logs/app.log", "logs/app.log") == []
    plain = tmp_path / "plain.log"
    plain.write_text("INFO chat prompt=" + "tell me a long story about dragons " * 4 + "\n")
    assert find_prompt_leaks(plain, "plain.log")[0].field == "prompt"


def test_environments_compared_by_fingerprint(flawed_repo: Path, hardened_repo: Path) -> None:
    flawed = compare_environments({k: flawed_repo / v for k, v in ENVIRONMENTS.items()}, MATCHER)
    assert [s.environments for s in flawed.shared] == [("development", "production")]
    assert "OPENAI_API_KEY" in flawed.shared[0].variables
    missing = {m.environment: m.missing for m in flawed.missing}
    assert "STRIPE_SECRET_KEY" in missing["staging"]
    hardened = compare_environments({k: hardened_repo / v for k, v in ENVIRONMENTS.items()}, MATCHER)
    assert hardened.shared == [] and all(not m.missing for m in hardened.missing)
    gone = compare_environments({"production": flawed_repo / ".env.nowhere"}, MATCHER)
    assert "production" in gone.absent and gone.compared == 0 and not gone.unreadable
