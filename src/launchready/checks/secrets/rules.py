"""The secrets stage's rules (roadmap, secure delivery: "secrets are not committed to git or exposed in
logs", "API keys are shared across environments", "secret scanning in CI so tokens do not slip into commits").

Which token format was found is a *detector* (``secrets.openai.project-key`` in ``rules.toml``), reported in
each finding's details; these rules say *where* it was found, because where decides how bad it is.
"""

from __future__ import annotations

from launchready.findings import Fix, Impact, RuleSpec, Severity, Stage

_ROTATE_STEPS = (
    "Rotate the key at the provider first (the finding's reference links the page): removing it from code "
    "does not un-leak it.",
    "Load the new key from the environment or a secret manager, never from a file in the repository.",
    "Add `launchready secrets --staged` as a pre-commit hook so the next one is stopped before the commit.",
)

IN_SOURCE = RuleSpec(
    rule_id="secrets.source.exposed",
    title="Server-side secret in the source tree",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description=(
        "No server-side API key, token, password or private key sits in a source file of the repository."
    ),
    impact=Impact(launch_delay=2, support_load=1, customer_trust=3),
    fix=Fix(summary="Rotate the key, then read it from the environment.", steps=_ROTATE_STEPS),
)

IN_HISTORY = RuleSpec(
    rule_id="secrets.history.exposed",
    title="Secret in git history",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description=(
        "No blob reachable from any branch, tag, merge, stash or reflog holds a server-side secret. A key "
        "removed from the tree is still one `git clone` away."
    ),
    impact=Impact(launch_delay=2, support_load=1, customer_trust=3),
    fix=Fix(
        summary=(
            "Rotate the key: it stays readable in history. Rewriting history is optional and comes after."
        ),
        steps=(
            *_ROTATE_STEPS,
            (
                "Optionally purge it with `git filter-repo --replace-text` and force-push; every clone keeps "
                "a copy."
            ),
        ),
        references=("https://github.com/newren/git-filter-repo",),
    ),
)

IN_BUNDLE = RuleSpec(
    rule_id="secrets.bundle.exposed",
    title="Server-side secret in a client bundle",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description=(
        "Files shipped to browsers (dist/, build/, out/, .next/static, public/, source maps) hold no "
        "server-side secret: anyone who opens the page can read them."
    ),
    impact=Impact(launch_delay=3, support_load=2, customer_trust=3),
    fix=Fix(
        summary=(
            "Rotate the key and call the provider from a server route; the browser only talks to your API."
        ),
        steps=(
            "Rotate the key at the provider.",
            (
                "Move the call into a server-side route (Next.js route handler, FastAPI endpoint) that holds "
                "the key."
            ),
            "Rebuild and redeploy: the old bundle is cached by CDNs and browsers.",
        ),
    ),
)

PUBLIC_ENV = RuleSpec(
    rule_id="secrets.bundle.public-env",
    title="Server secret in a browser-exposed env variable",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.CRITICAL,
    description=(
        "No variable with a public prefix (NEXT_PUBLIC_, VITE_, REACT_APP_, EXPO_PUBLIC_, PUBLIC_) holds a "
        "server-side secret: the framework inlines those into the client bundle at build time."
    ),
    impact=Impact(launch_delay=3, support_load=2, customer_trust=3),
    fix=Fix(
        summary="Rename the variable without the public prefix, rotate the key, read it only on the server.",
        snippets={
            "nextjs": "// app/api/chat/route.ts — server only\nconst key = process.env.OPENAI_API_KEY;",
            "vite": (
                "// server.ts — never import.meta.env.VITE_* for secrets\n"
                "const key = process.env.OPENAI_API_KEY;"
            ),
        },
    ),
)

PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
)

IN_LOGS = RuleSpec(
    rule_id="secrets.logs.exposed",
    title="Secret or bearer token in logs",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description=(
        "Log files hold no API key, bearer token or password (roadmap: secrets are not exposed in logs)."
    ),
    impact=Impact(launch_delay=1, support_load=1, customer_trust=3),
    fix=Fix(
        summary=(
            "Install launchready's RedactingFilter on your log handlers and rotate the tokens already logged."
        ),
        snippets={
            "python": (
                "import logging\nfrom launchready.secrets.logging_filter import RedactingFilter\n\n"
                "handler = logging.StreamHandler()\nhandler.addFilter(RedactingFilter())\n"
                "logging.basicConfig(handlers=[handler], level=logging.INFO)"
            )
        },
    ),
)

PROMPTS_IN_LOGS = RuleSpec(
    rule_id="secrets.logs.prompts",
    title="Whole prompts or model answers in logs",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.MEDIUM,
    description=(
        "Logs help debug failures without keeping users' conversations: prompts and answers are logged as "
        "lengths or ids, not text."
    ),
    impact=Impact(launch_delay=0, support_load=1, customer_trust=3),
    fix=Fix(
        summary=(
            "Log the prompt length and a request id instead of the text (RedactingFilter does it for you)."
        ),
        snippets=IN_LOGS.fix.snippets,
    ),
)

ENV_COMMITTED = RuleSpec(
    rule_id="secrets.envfile.committed",
    title="Env file committed to git",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description="No `.env*` file other than a placeholder example (`.env.example`) is tracked by git.",
    impact=Impact(launch_delay=2, support_load=1, customer_trust=3),
    fix=Fix(
        summary=(
            "`git rm --cached` the file, add `.env*` (with `!.env.example`) to .gitignore, rotate its keys."
        ),
        snippets={"gitignore": ".env*\n!.env.example"},
    ),
)

ENV_UNIGNORED = RuleSpec(
    rule_id="secrets.envfile.unignored",
    title="Env file not covered by .gitignore",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.MEDIUM,
    description=(
        "Every `.env*` file with real values is covered by .gitignore, so `git add .` cannot commit it."
    ),
    impact=Impact(launch_delay=1, support_load=0, customer_trust=2),
    fix=Fix(
        summary="Add `.env*` and `!.env.example` to .gitignore.",
        snippets={"gitignore": ".env*\n!.env.example"},
    ),
)

ENV_SHARED = RuleSpec(
    rule_id="secrets.environments.shared",
    title="Same secret in two environments",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.HIGH,
    description=(
        "Each environment has its own keys (roadmap: API keys are shared across environments): a leaked dev "
        "key must not open production. Compared by fingerprint only."
    ),
    impact=Impact(launch_delay=1, support_load=1, customer_trust=2),
    fix=Fix(
        summary=(
            "Issue a separate key per environment at the provider (projects or restricted keys), rotate the "
            "old."
        ),
    ),
)

ENV_DRIFT = RuleSpec(
    rule_id="secrets.environments.missing",
    title="Variable missing in an environment",
    stage=Stage.SECURE_DELIVERY,
    severity=Severity.LOW,
    description="Every environment defines the same variables, so a deploy does not fail on a missing key.",
    impact=Impact(launch_delay=1, support_load=1, customer_trust=0),
    fix=Fix(summary="Define the listed variables in each environment, or remove them where no longer used."),
)

ALL_RULES = (
    IN_SOURCE, IN_HISTORY, IN_BUNDLE, PUBLIC_ENV, IN_LOGS, PROMPTS_IN_LOGS,
    ENV_COMMITTED, ENV_UNIGNORED, ENV_SHARED, ENV_DRIFT,
)  # fmt: skip
