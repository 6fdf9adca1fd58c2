"""The lab product's git repository, env files, logs and client bundles, with planted secrets per variant.

A real repository built with the ``git`` CLI, so the history scan meets what it meets in the field: a key
committed then deleted (alive in history only), a key that only an evil merge commit introduced, a key in a
stash, a tag, a committed ``.env.production``, a Next.js bundle with a server key, and JSON logs with a bearer
token and a whole prompt. The hardened twin has the same shape and no secret anywhere: env files hold
``${...}`` references and are gitignored, logs hold lengths instead of text.

Every key is a random, format-valid fake from ``launchready.secrets.rules.fake_value`` (seeded: the same on
every run); none was ever issued by a provider.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from launchready.lab.variant import LabVariant
from launchready.secrets.rules import fake_value

LOG_FILES = (Path("logs/app.log"),)
ENVIRONMENTS = {
    "development": Path(".env.development"),
    "staging": Path(".env.staging"),
    "production": Path(".env.production"),
}
_EPOCH = 1_735_700_000  # 2025-01-01, then one hour per commit


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.tick = 0
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }

    def __call__(self, *args: str, author: str = "Ada Founder <ada@chatbot.test>") -> str:
        name, _, email = author.partition(" <")
        when = f"{_EPOCH + 3600 * self.tick} +0000"
        env = {
            **self.env,
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"), "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email.rstrip(">"), "GIT_COMMITTER_DATE": when,
        }  # fmt: skip
        done = subprocess.run(
            ["git", "-C", str(self.repo), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"git {args[0]} failed while building the lab repo: {done.stderr.strip()}")
        return done.stdout

    def commit(self, message: str, author: str = "Ada Founder <ada@chatbot.test>") -> None:
        self.tick += 1
        self("add", "-A")
        self("commit", "-q", "--allow-empty", "-m", message, author=author)


def _write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _key(rule_id: str, name: str, example: int = 0) -> str:
    return fake_value(rule_id, seed=f"lab:{name}", example=example)


def build_lab_repo(dest: Path, variant: LabVariant) -> None:
    """Build the lab repository at ``dest`` (created; must be empty or absent)."""
    dest.mkdir(parents=True, exist_ok=True)
    git = _Git(dest)
    git("init", "-q", "-b", "main")
    flawed = variant.flawed
    ignore = "node_modules/\n.next/\ndist/\nlogs/\n" + ("" if flawed else ".env*\n!.env.example\n")
    _write(dest, ".gitignore", ignore)
    _write(dest, "README.md", "# chatbot.test\n\nThe lab's AI chatbot product.\n")
    _write(
        dest, "package.json", '{"name": "chatbot-web", "private": true, "scripts": {"build": "next build"}}\n'
    )
    _write(dest, "src/server/providers.py", _providers(flawed))
    _write(dest, ".env.example", _env_example())
    git.commit("Initial chatbot scaffold")

    if flawed:
        groq = _key("secrets.groq.api-key", "legacy")
        _write(dest, "src/server/legacy_keys.py", f'GROQ_API_KEY = "{groq}"\n')
    _write(dest, "src/server/chat.py", "def answer(prompt: str) -> str:\n    return prompt[::-1]\n")
    git.commit("Add chat route", author="Bo Intern <bo@chatbot.test>")
    if flawed:
        (dest / "src/server/legacy_keys.py").unlink()
    git.commit("Remove legacy provider keys")
    git("tag", "-a", "v0.1.0", "-m", "first demo")

    _merge_billing(git, dest, flawed)
    _stash_embeddings(git, dest, flawed)

    if flawed:
        _write(dest, ".env.production", _env_file("production", flawed))
        git.commit("Add production config")
    for name, rel in ENVIRONMENTS.items():
        _write(dest, rel.as_posix(), _env_file(name, flawed))
    _write(dest, ".next/static/chunks/app-4f2a9c.js", _bundle(flawed))
    _write(dest, "logs/app.log", _log(flawed))
    from launchready.lab.deploy_repo import write_deploy_files  # the deploy stage's files (issue 14)

    write_deploy_files(dest, variant)


def _providers(flawed: bool) -> str:
    if flawed:
        key = _key("secrets.anthropic.api-key", "providers")
        return f'import anthropic\n\nclient = anthropic.Anthropic(api_key="{key}")\n'
    return (
        "import os\n\nimport anthropic\n\n"
        'client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n'
    )


def _merge_billing(git: _Git, dest: Path, flawed: bool) -> None:
    """A feature branch merged with a conflict-free 'evil' merge: the key exists only in the merge commit."""
    git("checkout", "-q", "-b", "feature/billing")
    _write(dest, "src/server/billing.py", 'import os\n\nSTRIPE_KEY = os.environ["STRIPE_SECRET_KEY"]\n')
    git.commit("Billing: checkout session", author="Bo Intern <bo@chatbot.test>")
    git("checkout", "-q", "main")
    _write(dest, "src/server/chat.py", "def answer(prompt: str) -> str:\n    return prompt.upper()\n")
    git.commit("Chat: shout")
    git.tick += 1
    git("merge", "-q", "--no-ff", "--no-commit", "feature/billing")
    if flawed:
        stripe = _key("secrets.stripe.secret-key", "billing")
        _write(dest, "src/server/billing.py", f'STRIPE_KEY = "{stripe}"  # quick fix during merge\n')
    git("add", "-A")
    git("commit", "-q", "-m", "Merge branch 'feature/billing'")
    _write(dest, "src/server/billing.py", 'import os\n\nSTRIPE_KEY = os.environ["STRIPE_SECRET_KEY"]\n')
    git.commit("Billing: read the key from the environment")


def _stash_embeddings(git: _Git, dest: Path, flawed: bool) -> None:
    """A work-in-progress change parked with ``git stash``: reachable from refs/stash only."""
    _write(dest, "src/server/embeddings.py", "MODEL = 'all-MiniLM-L6-v2'\n")
    git.commit("Embeddings module")
    token = _key("secrets.huggingface.token", "stash") if flawed else "${HF_TOKEN}"
    _write(dest, "src/server/embeddings.py", f"MODEL = 'all-MiniLM-L6-v2'\nHF_TOKEN = '{token}'\n")
    git.tick += 1
    git("stash", "push", "-q", "-m", "wip embeddings")


def _env_example() -> str:
    return (
        "OPENAI_API_KEY=your-openai-key-here\nDATABASE_URL=postgresql://app:${DB_PASSWORD}@db/app\n"
        "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\nLOG_LEVEL=info\n"
    )


def _env_file(env: str, flawed: bool) -> str:
    upper = env.upper()
    if not flawed:
        return (
            f"OPENAI_API_KEY=${{OPENAI_API_KEY_{upper}}}\nDATABASE_URL=postgresql://app:${{DB_PASSWORD}}@db/{env}\n"
            f"STRIPE_SECRET_KEY=${{STRIPE_SECRET_KEY_{upper}}}\n"
            f"NEXT_PUBLIC_STRIPE_KEY=${{STRIPE_PUBLISHABLE_KEY_{upper}}}\nLOG_LEVEL=info\n"
        )
    shared_openai = _key("secrets.openai.project-key", "shared")
    openai = (
        shared_openai if env in ("development", "production") else _key("secrets.openai.project-key", env)
    )
    db = _key("secrets.database.url-password", env)
    lines = [
        f"OPENAI_API_KEY={openai}",
        f"DATABASE_URL=postgresql://app:{db}@db.internal/{env}",
        "LOG_LEVEL=debug",
    ]
    if env != "staging":
        lines.append(f"STRIPE_SECRET_KEY={_key('secrets.stripe.secret-key', env)}")
    if env == "production":
        lines.append(f"NEXT_PUBLIC_OPENAI_API_KEY={shared_openai}")
    return "\n".join(lines) + "\n"


def _bundle(flawed: bool) -> str:
    publishable = _key("secrets.stripe.publishable-key", "bundle")
    anon = _key("secrets.supabase.anon-key", "bundle")
    parts = [
        '"use strict";(self.webpackChunk=self.webpackChunk||[]).push([[931],{4242:function(e,t,n){',
        f'var s={{stripeKey:"{publishable}",supabaseAnonKey:"{anon}"}};',
    ]
    if flawed:
        service = _key("secrets.supabase.service-role-key", "bundle")
        parts.append(f'var a={{serviceRole:"{service}"}};')
        parts.append(
            f'var o={{NEXT_PUBLIC_OPENAI_API_KEY:"{_key("secrets.openai.project-key", "shared")}"}};'
        )
    parts.append("n.d(t,{default:function(){return s}})}}]);\n")
    return "".join(parts)


def _log(flawed: bool) -> str:
    if not flawed:
        return (
            '{"ts":"2025-01-01T10:00:00Z","level":"info","event":"chat","prompt_chars":212,"answer_chars":480,'
            '"authorization":"[REDACTED]","request_id":"req_01"}\n'
            '{"ts":"2025-01-01T10:00:02Z","level":"warning","event":"upstream_slow","elapsed_ms":4210}\n'
        )
    bearer = _key("secrets.generic.bearer-token", "log")
    prompt = (
        "Hi, I am Jane Doe, my card ends 4242 and I live at 12 Rue des Lilas. Please draft a complaint to my "
        "landlord about the broken heating, in a firm but polite tone."
    )
    return (
        f'{{"ts":"2025-01-01T10:00:00Z","level":"debug","event":"upstream_request","headers":'
        f'{{"Authorization":"Bearer {bearer}"}}}}\n'
        f'{{"ts":"2025-01-01T10:00:01Z","level":"info","event":"chat","prompt":"{prompt}","request_id":"req_01"}}\n'
    )


def planted_secret_values() -> tuple[str, ...]:
    """Every fake secret the flawed repository holds, for tests that search outputs for a leaked value."""
    return tuple(value for _, value in _planted())


SHOWN = 4
"""Redaction shows a value's provider prefix plus four characters, never more (``secrets.redaction``)."""


def leaked_pieces(text: str, window: int = SHOWN + 1) -> list[str]:
    """Pieces of a planted secret that ``text`` shows beyond what redaction allows: [] when it shows none.

    A value may appear only as its provider prefix and four characters: no run of ``window`` (5) of its
    characters after the prefix may appear anywhere in ``text``. Stricter than "the value is absent", which a
    report showing 60 of 64 characters would pass.
    """
    from launchready.secrets.rules import rule_by_id

    leaks = []
    for rule_id, value in _planted():
        prefix = rule_by_id(rule_id).prefix_of(value)
        rest = value[len(prefix) :]
        for start in range(len(rest) - window + 1):
            piece = rest[start : start + window]
            if piece in text:
                leaks.append(f"{rule_id}: …{piece}…")
                break
    return leaks


def _planted() -> list[tuple[str, str]]:
    keys = [
        ("secrets.groq.api-key", "legacy"),
        ("secrets.anthropic.api-key", "providers"),
        ("secrets.stripe.secret-key", "billing"),
        ("secrets.huggingface.token", "stash"),
        ("secrets.openai.project-key", "shared"),
        ("secrets.openai.project-key", "staging"),
        ("secrets.supabase.service-role-key", "bundle"),
        ("secrets.generic.bearer-token", "log"),
        *((("secrets.database.url-password", env)) for env in ENVIRONMENTS),
        *((("secrets.stripe.secret-key", env)) for env in ("development", "production")),
    ]
    return [(rule_id, _key(rule_id, name)) for rule_id, name in keys]
