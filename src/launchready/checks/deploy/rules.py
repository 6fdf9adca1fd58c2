"""The deploy stage's rules (roadmap stage 4, "deploy hardening"): what each *is* lives in
``rules/data/deploy.toml``; the checks here and ``launchready smoke`` / ``drill`` emit them."""

from __future__ import annotations

from launchready.rules import rule

BUILD_UNVERIFIED = rule("deploy.build.unverified")
SMOKE_UNWIRED = rule("deploy.smoke.unwired")
PATH_MULTIPLE = rule("deploy.path.multiple")
MIGRATIONS_ORDER = rule("deploy.migrations.order")
MIGRATIONS_IRREVERSIBLE = rule("deploy.migrations.irreversible")
ROLLBACK_UNDOCUMENTED = rule("deploy.rollback.undocumented")
ROLLBACK_DRILL = rule("deploy.rollback.drill")
HEALTH_UNUSED = rule("deploy.health.unused")
CONFIG_SECRET = rule("deploy.config.secret")
SECRET_ECHOED = rule("deploy.workflow.secret-echoed")
PR_TARGET_CHECKOUT = rule("deploy.workflow.pr-target-checkout")
UNPINNED_ACTION = rule("deploy.workflow.unpinned-action")
ENV_EXAMPLE_MISSING = rule("deploy.env.example-missing")
ENV_SHIPPED = rule("deploy.env.shipped")
ENV_ENVIRONMENT_MISSING = rule("deploy.env.environment-missing")

SMOKE_ROUTE = rule("deploy.smoke.route")
SMOKE_CHAT = rule("deploy.smoke.chat")
SMOKE_VERSION = rule("deploy.smoke.version")
SMOKE_RULES = (SMOKE_ROUTE, SMOKE_CHAT, SMOKE_VERSION)
"""Emitted by ``launchready smoke`` (not an audit check: it tests a deployment that just happened)."""
DRILL_RULES = (ROLLBACK_DRILL,)
"""Emitted by ``launchready drill`` (and, from its history, by the audit's rollback check)."""
