"""A rollback path for the migrations (issue 14: "migrations run before the new code serves ... and a
rollback path for them").

Read per tool from the migration files themselves: an Alembic revision needs a ``downgrade()`` that does
something (not only ``pass``), a Knex migration an ``exports.down``, a Rails migration a ``down`` or a
reversible ``change``, a Django ``RunPython`` a ``reverse_code``. Prisma keeps no down migrations by design
(rollback is a new forward migration), so a Prisma-only repository is not assessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.repo import DeployRepo
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_ALEMBIC_DOWN = re.compile(r"def downgrade\([^)]*\)[^:]*:\s*\n((?:[ \t]+.*\n?|\s*\n)+)")


def _alembic_irreversible(text: str) -> bool:
    match = _ALEMBIC_DOWN.search(text)
    if match is None:
        return True
    body = [
        line.strip()
        for line in match.group(1).splitlines()
        if line.strip() and not line.strip().startswith(("#", '"""', "'''"))
    ]
    return not body or all(line in ("pass", "...") for line in body)


Rule = tuple[str, Callable[[str], bool], Callable[[str], bool]]
"""(tool, is this file a migration of the tool, is it irreversible)."""

RULES: tuple[Rule, ...] = (
    ("Alembic", lambda p: "/versions/" in f"/{p}" and p.endswith(".py"), _alembic_irreversible),
    ("Knex", lambda p: re.search(r"(^|/)migrations/[^/]+\.(js|ts|cjs|mjs)$", p) is not None,
     lambda t: re.search(r"exports\.down|export\s+(async\s+)?function\s+down|down\s*[:=]", t) is None),
    ("Rails", lambda p: p.startswith("db/migrate/") and p.endswith(".rb"),
     lambda t: re.search(r"def\s+(down|change)\b", t) is None),
    ("Django", lambda p: re.search(r"(^|/)migrations/\d{4}_\w+\.py$", p) is not None,
     lambda t: "RunPython(" in t and "reverse_code" not in t and "RunPython.noop" not in t),
)  # fmt: skip


class ReversibleMigrations(Check):
    name = "deploy.migrations-reversible"
    needs_network = False
    rules = (R.MIGRATIONS_IRREVERSIBLE,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, judge_reversible)


def judge_reversible(repo: DeployRepo, config: LaunchConfig) -> list[Finding]:
    target = repo_target(config)
    spec = R.MIGRATIONS_IRREVERSIBLE
    read = 0
    found: list[Finding] = []
    tools: set[str] = set()
    for tool, is_migration, irreversible in RULES:
        for path in (p for p in repo.all_paths if is_migration(p)):
            text = repo.read(path)
            if text is None:
                continue
            read += 1
            tools.add(tool)
            if irreversible(text):
                found.append(
                    spec.warned(path, f"{tool} migration {path} has no down step", details={"tool": tool})
                )
    if not read:
        return [
            spec.not_assessed(
                target,
                "no Alembic, Knex, Rails or Django migration to read (Prisma keeps no down migrations)",
            )
        ]
    if found:
        return found
    return [
        spec.passed(
            target,
            f"{read} {'/'.join(sorted(tools))} migrations, each with a down step",
            exercised={"migrations_read": read},
        )
    ]
