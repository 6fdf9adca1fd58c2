"""The secrets stage's rules (roadmap, secure delivery: "secrets are not committed to git or exposed in
logs", "API keys are shared across environments", "secret scanning in CI so tokens do not slip into commits").

What each rule *is* lives in ``rules/data/secure-delivery.toml``. Which token format was found is a
*detector* (``secrets.openai.project-key`` in ``secrets/rules.toml``), reported in each finding's details;
these rules say *where* it was found, because where decides how bad it is.
"""

from __future__ import annotations

from launchready.rules import rule

IN_SOURCE = rule("secrets.source.exposed")
IN_HISTORY = rule("secrets.history.exposed")
IN_BUNDLE = rule("secrets.bundle.exposed")
PUBLIC_ENV = rule("secrets.bundle.public-env")
IN_LOGS = rule("secrets.logs.exposed")
PROMPTS_IN_LOGS = rule("secrets.logs.prompts")
ENV_COMMITTED = rule("secrets.envfile.committed")
ENV_UNIGNORED = rule("secrets.envfile.unignored")
ENV_SHARED = rule("secrets.environments.shared")
ENV_DRIFT = rule("secrets.environments.missing")

PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
)
"""Variables the frameworks inline into the browser bundle at build time."""

ALL_RULES = (
    IN_SOURCE, IN_HISTORY, IN_BUNDLE, PUBLIC_ENV, IN_LOGS, PROMPTS_IN_LOGS,
    ENV_COMMITTED, ENV_UNIGNORED, ENV_SHARED, ENV_DRIFT,
)  # fmt: skip
