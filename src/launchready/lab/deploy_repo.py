"""The lab product's deploy files, flawed and hardened (issue 14): what the deploy-stage checks read.

Both twins deploy a FastAPI app with Alembic migrations to Fly.io from GitHub Actions. The flawed twin has
the problems the roadmap's stage 4 names, one per rule: a CI job that builds but never tests, no smoke test
after the deploy, a ``deploy.sh`` beside the pipeline, migrations that nothing runs, no rollback runbook, a
platform health check on ``/`` instead of the health route, an OpenAI key in the Dockerfile and in a
workflow's ``env:``, a step that echoes a secret, ``pull_request_target`` checking out the PR head, an action
pinned to ``@master``, a migration whose ``downgrade()`` is ``pass``, a ``COPY . .`` that ships the env
files into the image (no ``.dockerignore``), and a ``SENTRY_DSN`` the code reads that ``.env.example`` and
the environments' env files omit. The hardened twin fixes each one. Keys are seeded format-valid fakes
(``fake_value``), never issued by a provider.

``write_deploy_files`` writes into an existing git repository and commits only its own files, so the lab
repository's env files, logs and bundles keep their tracked/untracked state.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from launchready.lab.variant import LabVariant
from launchready.secrets.rules import fake_value

PIN = "b4ffde65f46336ab88eb53be808477a3936bae11"
"""actions/checkout v4.1.1's commit: the hardened workflows pin every action to a full commit SHA."""
PYTHON_PIN = "0b93645e9fea7318ecaed2b359559ac225c90a2b"
"""actions/setup-python v5.3.0."""
FLY_PIN = "fc53c09e1bc3be6f54706524e3b82c4f462f77be"


def dockerfile_key() -> str:
    return fake_value("secrets.openai.project-key", seed="lab:dockerfile")


def workflow_key() -> str:
    return fake_value("secrets.openai.project-key", seed="lab:workflow")


def _ci(flawed: bool) -> str:
    if flawed:
        return f"""name: ci
on:
  push:
    branches: [main]
env:
  OPENAI_API_KEY: {workflow_key()}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .
      - run: docker build -t chatbot .
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: superfly/flyctl-actions/setup-flyctl@master
      - name: Debug the token
        run: echo "token is ${{{{ secrets.FLY_API_TOKEN }}}}"
      - run: flyctl deploy --remote-only
"""
    return f"""name: ci
on:
  push:
    branches: [main]
  pull_request:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{PIN}  # v4.1.1
      - uses: actions/setup-python@{PYTHON_PIN}  # v5.3.0
      - run: pip install -e '.[test]'
      - run: pytest -q
  deploy:
    needs: test
    if: github.ref == 'refs/heads/main' && github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{PIN}  # v4.1.1
      - uses: superfly/flyctl-actions/setup-flyctl@{FLY_PIN}  # v1.5
      - run: flyctl deploy --remote-only
        env:
          FLY_API_TOKEN: ${{{{ secrets.FLY_API_TOKEN }}}}
      - name: Smoke test production
        run: launchready smoke --config launchready.toml --format junit --output smoke.xml
"""


def _preview(flawed: bool) -> str:
    if flawed:
        return """name: preview
on: pull_request_target
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
"""
    return f"""name: preview
on:
  pull_request:
    branches: [main]
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{PIN}  # v4.1.1
      - run: npm ci && npm test
"""


def _dockerfile(flawed: bool) -> str:
    lines = ["FROM python:3.12-slim", "WORKDIR /app", "COPY . .", "RUN pip install --no-cache-dir ."]
    if flawed:
        lines += [f"ENV OPENAI_API_KEY={dockerfile_key()}", "ARG ADMIN_PASSWORD=Tr0ub4dor-and-3-horses"]
    else:
        lines += ["HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1"]
    lines += ['CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]']
    return "\n".join(lines) + "\n"


def _fly(flawed: bool) -> str:
    release = "" if flawed else '\n[deploy]\n  release_command = "alembic upgrade head"\n'
    path = "/" if flawed else "/health"
    return f"""app = "chatbot-lab"
primary_region = "ams"
{release}
[http_service]
  internal_port = 8000
  force_https = true

[[http_service.checks]]
  interval = "15s"
  timeout = "2s"
  method = "GET"
  path = "{path}"
"""


def _migration(flawed: bool) -> str:
    down = "    pass\n" if flawed else '    op.drop_table("conversations")\n'
    return (
        'from alembic import op\nimport sqlalchemy as sa\n\nrevision = "0001"\ndown_revision = None\n\n\n'
        "def upgrade() -> None:\n"
        '    op.create_table("conversations", sa.Column("id", sa.Integer, primary_key=True))\n\n\n'
        f"def downgrade() -> None:\n{down}"
    )


_APP = """import os

from fastapi import FastAPI

app = FastAPI()
DATABASE_URL = os.environ["DATABASE_URL"]
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
SENTRY_DSN = os.environ.get("SENTRY_DSN")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
"""

_RUNBOOK = """# Runbook: deploys and rollbacks

Deploys go through the `ci` workflow only (push to main).

## Roll back
1. `flyctl releases --app chatbot-lab` and note the previous release's image.
2. `flyctl deploy --image <previous image> --app chatbot-lab`.
3. Check `curl -fsS https://api.chatbot.test/version` shows the previous version, then run
   `launchready smoke`.
Migrations are backwards compatible, so a rollback needs no down-migration.
"""


def deploy_files(variant: LabVariant) -> dict[str, str]:
    """Relative path → content of every deploy file of the variant."""
    flawed = variant.flawed
    files = {
        ".github/workflows/ci.yml": _ci(flawed),
        ".github/workflows/preview.yml": _preview(flawed),
        "Dockerfile": _dockerfile(flawed),
        "fly.toml": _fly(flawed),
        "alembic.ini": "[alembic]\nscript_location = alembic\n",
        "alembic/versions/0001_conversations.py": _migration(flawed),
        "app/main.py": _APP,
    }
    if flawed:
        files["deploy.sh"] = "#!/bin/sh\nset -e\nflyctl deploy --local-only --app chatbot-lab\n"
    else:
        files["docs/runbook.md"] = _RUNBOOK
        files[".dockerignore"] = ".git\nnode_modules\nlogs/\n.env*\n!.env.example\n"
    return files


EXAMPLE_ADDITIONS = "SENTRY_DSN=https://public@sentry.example/1\nANTHROPIC_API_KEY=your-anthropic-key-here\n"
"""Lines the hardened twin adds to ``.env.example`` for what its code reads."""


def write_deploy_files(repo: Path, variant: LabVariant, *, commit: bool = True) -> list[str]:
    """Write the variant's deploy files into ``repo`` and commit only them; returns the paths written."""
    written = []
    for rel, text in deploy_files(variant).items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    example = repo / ".env.example"
    if not variant.flawed:
        existing = example.read_text(encoding="utf-8") if example.is_file() else ""
        example.write_text(existing + EXAMPLE_ADDITIONS, encoding="utf-8")
        written.append(".env.example")
    if not variant.flawed:  # each environment sets what the code reads (untracked, gitignored files)
        for env_file in sorted(repo.glob(".env.*")):
            env = env_file.name.removeprefix(".env.")
            if env not in ("example", "local"):
                with env_file.open("a", encoding="utf-8") as handle:
                    handle.write(
                        f"SENTRY_DSN=${{SENTRY_DSN}}\nANTHROPIC_API_KEY=${{ANTHROPIC_API_KEY_{env.upper()}}}\n"
                    )
    if commit:
        _commit(repo, written, "Deploy: CI workflows, Dockerfile, fly.toml, migrations")
    return written


def _commit(repo: Path, paths: list[str], message: str) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada Founder", "GIT_AUTHOR_EMAIL": "ada@chatbot.test",
        "GIT_COMMITTER_NAME": "Ada Founder", "GIT_COMMITTER_EMAIL": "ada@chatbot.test",
        "GIT_AUTHOR_DATE": "1735800000 +0000", "GIT_COMMITTER_DATE": "1735800000 +0000",
    }  # fmt: skip
    for args in (["add", "-f", "--", *paths], ["-c", "commit.gpgsign=false", "commit", "-q", "-m", message]):
        done = subprocess.run(
            ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"git {args[0]} failed in the lab repo: {done.stderr.strip()}")
