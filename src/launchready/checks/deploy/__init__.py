"""Deploy stage (roadmap stage 4): the deployment checklist and the deploy configs, verified from the repo.

One read of the repository per run (``repo`` + ``shared``), CI normalised into jobs and steps
(``pipeline_model``), then one check per concern: ``pipeline`` (build verification, smoke tests wired in,
one deploy path), ``migrations`` (order), ``reversible`` (a down step for each migration), ``rollback`` (runbook, drill on record, health check used),
``config_secrets`` (plaintext secrets in Dockerfiles, compose, workflows, platform configs, manifests),
``workflows`` (secrets echoed, ``pull_request_target`` misuse, unpinned actions), ``env_example`` and
``env_files`` (env files under a web root or copied into an image).
"""

from launchready.checks.deploy.config_secrets import DeployConfigSecrets
from launchready.checks.deploy.env_example import EnvExampleComplete
from launchready.checks.deploy.env_files import EnvFilesShipped
from launchready.checks.deploy.migrations import MigrationOrder
from launchready.checks.deploy.pipeline import DeployPipeline
from launchready.checks.deploy.reversible import ReversibleMigrations
from launchready.checks.deploy.rollback import RollbackReady
from launchready.checks.deploy.workflows import WorkflowSafety

__all__ = [
    "DeployConfigSecrets",
    "DeployPipeline",
    "EnvExampleComplete",
    "EnvFilesShipped",
    "MigrationOrder",
    "ReversibleMigrations",
    "RollbackReady",
    "WorkflowSafety",
]
