"""Negative tests: nothing to read is never a pass, order matters, references are not secrets, history counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deploy_repos import audit, config_for, of

from launchready.deploy.history import DrillRecord, PhaseRecord, append_record, history_path
from launchready.findings import Status

Repo = Callable[[dict[str, str]], Path]

CI_TEST = """on: [push]
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: pip install .
      - run: pytest
"""


def test_an_empty_repository_passes_nothing(repo: Repo) -> None:
    run = audit(config_for(repo({"README.md": "# hi\n"})))
    statuses = {f.rule_id: f.status for f in run.findings}
    assert Status.PASS not in statuses.values(), statuses
    assert statuses["deploy.build.unverified"] is Status.FAIL
    assert statuses["deploy.smoke.unwired"] is Status.FAIL
    assert statuses["deploy.rollback.undocumented"] is Status.FAIL
    for rule_id in (
        "deploy.path.multiple", "deploy.migrations.order", "deploy.health.unused", "deploy.config.secret",
        "deploy.workflow.secret-echoed", "deploy.workflow.pr-target-checkout", "deploy.workflow.unpinned-action",
        "deploy.env.example-missing", "deploy.rollback.drill",
    ):  # fmt: skip
        assert statuses[rule_id] is Status.NOT_ASSESSED, rule_id


def test_a_missing_repository_is_unverifiable(tmp_path: Path) -> None:
    run = audit(config_for(tmp_path / "nowhere"))
    assert run.findings and all(f.status is Status.UNVERIFIABLE for f in run.findings)


def test_a_workflow_that_does_not_parse_is_unverifiable_not_pass(repo: Repo) -> None:
    run = audit(config_for(repo({".github/workflows/ci.yml": "on: [push\njobs: {"})))
    assert of(run, "deploy.build.unverified")[0].status is Status.UNVERIFIABLE
    assert {f.status for f in of(run, "deploy.workflow.unpinned-action")} == {Status.UNVERIFIABLE}


def test_tests_only_on_tags_do_not_verify_the_default_branch(repo: Repo) -> None:
    ci = CI_TEST.replace("on: [push]", "on:\n  push:\n    tags: ['v*']")
    run = audit(config_for(repo({".github/workflows/ci.yml": ci})))
    finding = of(run, "deploy.build.unverified")[0]
    assert finding.status is Status.FAIL and "no job runs" in finding.evidence


def test_gitlab_ci_that_builds_and_tests_passes(repo: Repo) -> None:
    gitlab = "stages: [test]\ntest:\n  image: python:3.12\n  script:\n    - pip install .\n    - pytest -q\n"
    run = audit(config_for(repo({".gitlab-ci.yml": gitlab})))
    finding = of(run, "deploy.build.unverified")[0]
    assert finding.status is Status.PASS and finding.exercised == {"ci_files_read": 1}


def test_migrations_after_the_deploy_step_fail_and_before_pass(repo: Repo) -> None:
    late = CI_TEST + "      - run: flyctl deploy\n      - run: alembic upgrade head\n"
    root = repo({".github/workflows/ci.yml": late, "alembic.ini": "[alembic]\n"})
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.FAIL and "after its deploy step" in finding.evidence
    early = CI_TEST + "      - run: alembic upgrade head\n      - run: flyctl deploy\n"
    (root / ".github/workflows/ci.yml").write_text(early)
    assert of(audit(config_for(root)), "deploy.migrations.order")[0].status is Status.PASS


def test_release_phase_and_startup_migrations(repo: Repo) -> None:
    root = repo({"Procfile": "release: python manage.py migrate\nweb: gunicorn app.wsgi\n",
                 "app/migrations/0001_initial.py": "# django\n"})  # fmt: skip
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.PASS and "Procfile: release:" in finding.evidence
    (root / "Procfile").write_text("web: python manage.py migrate && gunicorn app.wsgi\n")
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.WARN and "every replica races" in finding.evidence


def test_a_deploy_script_the_pipeline_calls_is_one_path(repo: Repo) -> None:
    ci = CI_TEST + "      - run: ./scripts/deploy.sh\n"
    root = repo({".github/workflows/ci.yml": ci, "scripts/deploy.sh": "flyctl deploy\n"})
    finding = of(audit(config_for(root)), "deploy.path.multiple")[0]
    assert finding.status is Status.PASS, finding.evidence
    (root / "Makefile").write_text("deploy:\n\tflyctl deploy --local-only\n")
    finding = of(audit(config_for(root)), "deploy.path.multiple")[0]
    assert finding.status is Status.WARN and "Makefile" in finding.evidence


def test_secret_references_are_not_secrets_but_literals_are(repo: Repo) -> None:
    compose = """services:
  web:
    environment:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
      SESSION_SECRET: ${{ secrets.SESSION_SECRET }}
  db:
    environment:
      - POSTGRES_PASSWORD=q8Zr2LmX91vTn4Kp
"""
    manifest = """apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: STRIPE_SECRET_KEY
              valueFrom: { secretKeyRef: { name: app, key: stripe } }
            - name: INTERNAL_API_TOKEN
              value: "Zk29vLq81NwPx7Rt"
          readinessProbe:
            httpGet: { path: /health, port: 8000 }
"""
    run = audit(config_for(repo({"docker-compose.yml": compose, "k8s/web.yaml": manifest})))
    failed = sorted(f.target for f in of(run, "deploy.config.secret") if f.status is Status.FAIL)
    assert failed == ["docker-compose.yml:8", "k8s/web.yaml:12"], failed
    health = of(run, "deploy.health.unused")[0]
    assert health.status is Status.PASS and "k8s/web.yaml" in health.evidence


def test_workflow_leaks_through_env_docker_and_gh_pr_checkout(repo: Repo) -> None:
    wf = """on: pull_request_target
jobs:
  j:
    runs-on: ubuntu-latest
    env:
      TOKEN: ${{ secrets.NPM_TOKEN }}
    steps:
      - uses: actions/checkout@v4
      - uses: docker://alpine:3.19
      - run: gh pr checkout ${{ github.event.number }}
      - run: printf '%s' "$TOKEN" > ~/.npmrc
      - run: echo "$TOKEN" | docker login -u ci --password-stdin
      - run: echo "token=$TOKEN"
"""
    run = audit(config_for(repo({".github/workflows/pr.yml": wf})))
    assert [f.status for f in of(run, "deploy.workflow.secret-echoed")] == [Status.FAIL]
    assert "TOKEN" in of(run, "deploy.workflow.secret-echoed")[0].evidence
    assert [f.status for f in of(run, "deploy.workflow.pr-target-checkout")] == [Status.FAIL]
    unpinned = [f.details["action"] for f in of(run, "deploy.workflow.unpinned-action")]
    assert unpinned == ["docker://alpine:3.19"]


def test_health_check_on_another_path_fails(repo: Repo) -> None:
    root = repo({"render.yaml": "services:\n  - type: web\n    name: api\n    healthCheckPath: /ping\n"})
    finding = of(audit(config_for(root)), "deploy.health.unused")[0]
    assert finding.status is Status.FAIL and "/ping" in finding.evidence


def test_env_reads_in_javascript_and_a_missing_example(repo: Repo) -> None:
    root = repo({"web/api.ts": "const k = process.env.RESEND_API_KEY;\nconst p = process.env.PORT;\n"})
    finding = of(audit(config_for(root)), "deploy.env.example-missing")[0]
    assert finding.status is Status.FAIL and finding.target == ".env.example"
    assert "RESEND_API_KEY" in finding.evidence and "PORT" not in finding.evidence
    (root / ".env.example").write_text("# where to get it: resend.com\nRESEND_API_KEY=re_your_key\n")
    finding = of(audit(config_for(root)), "deploy.env.example-missing")[0]
    assert finding.status is Status.PASS and finding.exercised["env_reads"] == 1


RECENT = datetime.now(UTC) - timedelta(days=3)
"""A drill inside the release cycle (the rule warns past 31 days)."""


def _drill(ok: bool) -> DrillRecord:
    return DrillRecord(
        started_at=RECENT, ok=ok, rollback_s=220.0, total_s=300.0,
        deadline_s=600.0, phases=(PhaseRecord(name="rollback", ok=ok, duration_s=220.0, deadline_s=300.0),),
        failure=None if ok else "rollback: exit status 1",
    )  # fmt: skip


def test_drill_on_record_decides_the_drill_rule(repo: Repo) -> None:
    root = repo({"README.md": "no runbook\n"})
    config = config_for(root, rollback_command="./rollback.sh")
    finding = of(audit(config), "deploy.rollback.drill")[0]
    assert finding.status is Status.FAIL and "never drilled" in finding.evidence
    append_record(history_path(config), _drill(ok=True))
    run = audit(config)
    assert of(run, "deploy.rollback.drill")[0].status is Status.PASS
    assert of(run, "deploy.rollback.drill")[0].evidence == f"last drill {RECENT.date()}: rollback in 3 m 40 s"
    assert of(run, "deploy.rollback.undocumented")[0].status is Status.PASS  # a drill on record counts
    append_record(history_path(config), _drill(ok=False))
    run = audit(config)
    assert of(run, "deploy.rollback.drill")[0].status is Status.FAIL
    assert "failed at rollback: exit status 1" in of(run, "deploy.rollback.drill")[0].fix.summary
    assert of(run, "deploy.rollback.undocumented")[0].status is Status.FAIL


def test_env_files_under_a_web_root_and_dockerignore_exceptions(repo: Repo) -> None:
    root = repo({".env.production": "A=1\n", "public/.env": "B=2\n", "Dockerfile": "FROM x\nCOPY . /app\n",
                 ".dockerignore": "**/.env*\n!.env.example\n"})  # fmt: skip
    findings = of(audit(config_for(root)), "deploy.env.shipped")
    assert [(f.status, f.target) for f in findings] == [(Status.FAIL, "public/.env")]
    (root / "public/.env").unlink()
    (root / ".dockerignore").write_text(".env*\n!.env.production\n")  # an exception that ships it again
    findings = of(audit(config_for(root)), "deploy.env.shipped")
    assert [(f.status, f.target) for f in findings] == [(Status.FAIL, "Dockerfile")]
    (root / ".dockerignore").write_text(".env*\n")
    finding = of(audit(config_for(root)), "deploy.env.shipped")[0]
    assert finding.status is Status.PASS and finding.exercised["env_files_checked"] == 1


def test_migration_down_steps_per_tool(repo: Repo) -> None:
    root = repo({
        "migrations/20250101_users.js": "exports.up = (knex) => knex.schema.createTable('users', () => {});\n",
        "app/migrations/0002_backfill.py": "ops = [migrations.RunPython(forward, reverse_code=backward)]\n",
        "db/migrate/20250101_add_plan.rb": "class AddPlan < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n",
    })  # fmt: skip
    findings = of(audit(config_for(root)), "deploy.migrations.irreversible")
    assert [(f.status, f.target) for f in findings] == [(Status.WARN, "migrations/20250101_users.js")]
    (root / "migrations/20250101_users.js").write_text("exports.up = () => 1;\nexports.down = () => 2;\n")
    finding = of(audit(config_for(root)), "deploy.migrations.irreversible")[0]
    assert finding.status is Status.PASS and finding.exercised == {"migrations_read": 3}


def test_prisma_only_is_not_assessed_for_down_steps(repo: Repo) -> None:
    root = repo({"prisma/schema.prisma": "datasource db { provider = \"postgresql\" }\n",
                 "prisma/migrations/20250101_init/migration.sql": "CREATE TABLE t (id int);\n"})  # fmt: skip
    finding = of(audit(config_for(root)), "deploy.migrations.irreversible")[0]
    assert finding.status is Status.NOT_ASSESSED and "Prisma" in (finding.reason or "")


def test_each_environment_file_sets_what_the_code_reads(repo: Repo, tmp_path: Path) -> None:
    root = repo({"app.py": "import os\nKEY = os.environ['PAYMENTS_KEY']\nDSN = os.getenv('SENTRY_DSN')\n",
                 ".env.example": "PAYMENTS_KEY=\nSENTRY_DSN=\n", ".env.staging": "PAYMENTS_KEY=x\nSENTRY_DSN=y\n",
                 ".env.production": "PAYMENTS_KEY=x\n"})  # fmt: skip
    config = config_for(root).model_copy(
        update={
            "environments": {
                "staging": root / ".env.staging",
                "production": root / ".env.production",
                "preview": tmp_path / "absent.env",
            }
        }
    )
    findings = {f.target: f for f in of(audit(config), "deploy.env.environment-missing")}
    assert findings["staging"].status is Status.PASS
    assert (
        findings["production"].status is Status.FAIL
        and "SENTRY_DSN (read at app.py:3)" in findings["production"].evidence
    )
    assert findings["preview"].status is Status.UNVERIFIABLE
    assert of(audit(config_for(root)), "deploy.env.environment-missing")[0].status is Status.NOT_ASSESSED


def test_one_unparsable_workflow_beside_good_ones_is_its_own_unverifiable_finding(repo: Repo) -> None:
    root = repo({".github/workflows/ci.yml": CI_TEST, ".github/workflows/broken.yml": "on: [push\n"})
    findings = of(audit(config_for(root)), "deploy.workflow.pr-target-checkout")
    assert sorted((f.status, f.target) for f in findings) == sorted(
        [(Status.PASS, str(root)), (Status.UNVERIFIABLE, ".github/workflows/broken.yml")]
    )


def test_an_old_drill_is_a_warning_not_a_pass(repo: Repo) -> None:
    root = repo({"README.md": "x\n"})
    config = config_for(root, rollback_command="./rollback.sh")
    old = _drill(ok=True).model_copy(update={"started_at": datetime(2026, 1, 5, tzinfo=UTC)})
    append_record(history_path(config), old)
    finding = of(audit(config), "deploy.rollback.drill")[0]
    assert finding.status is Status.WARN and "once per release cycle" in finding.evidence


def test_compose_health_checks_are_read_per_service(repo: Repo) -> None:
    compose = """services:
  web:
    image: app
    environment:
      STATUS_URL: http://status.internal/health
  db:
    image: postgres
    healthcheck:
      test: ["CMD", "pg_isready"]
"""
    root = repo({"docker-compose.yml": compose})
    finding = of(audit(config_for(root)), "deploy.health.unused")[0]
    assert finding.status is Status.FAIL  # a /health URL in an env var is not a health check
    (root / "docker-compose.yml").write_text(
        compose.replace(
            "    image: app\n",
            '    image: app\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n',
        )
    )
    finding = of(audit(config_for(root)), "deploy.health.unused")[0]
    assert finding.status is Status.PASS and "docker-compose.yml" in finding.evidence


def test_a_migration_job_counts_only_when_the_deploy_job_waits_for_it(repo: Repo) -> None:
    wf = """on: [push]
jobs:
  migrate:
    runs-on: ubuntu-latest
    steps:
      - run: npx prisma migrate deploy
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: vercel deploy --prod
"""
    root = repo({".github/workflows/release.yml": wf, "prisma/schema.prisma": "model A { id Int @id }\n"})
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.WARN and "nothing makes deploy wait" in finding.evidence
    (root / ".github/workflows/release.yml").write_text(
        wf.replace("  deploy:\n", "  deploy:\n    needs: migrate\n")
    )
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.PASS and "waits for it" in finding.evidence


def test_gitlab_stages_order_a_migration_job_before_the_deploy_job(repo: Repo) -> None:
    gitlab = """stages: [migrate, deploy]
db:
  stage: migrate
  script: [bundle exec rails db:migrate]
ship:
  stage: deploy
  script: [kamal deploy]
"""
    root = repo({".gitlab-ci.yml": gitlab, "db/migrate/20250101_a.rb": "class A; def change; end; end\n"})
    finding = of(audit(config_for(root)), "deploy.migrations.order")[0]
    assert finding.status is Status.PASS and "deploy job ship waits for it" in finding.evidence


def test_the_word_smoke_alone_is_not_a_smoke_test(repo: Repo) -> None:
    ci = CI_TEST + "      - run: flyctl deploy\n      - run: echo 'no smoke tests yet'\n"
    root = repo({".github/workflows/ci.yml": ci})
    assert of(audit(config_for(root)), "deploy.smoke.unwired")[0].status is Status.FAIL
    (root / ".github/workflows/ci.yml").write_text(
        ci + "      - run: curl -fsS https://api.example.org/health\n"
    )
    assert of(audit(config_for(root)), "deploy.smoke.unwired")[0].status is Status.PASS
