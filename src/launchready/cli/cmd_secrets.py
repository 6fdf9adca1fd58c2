"""``launchready secrets``: scan a repository for secrets, in CI, in a pre-commit hook or by hand.

The same scan and the same findings as the audit's ``secure-delivery`` secrets checks, without the network:
``--history`` adds every blob of the git history, ``--staged`` scans only what the next commit would record
(the pre-commit hook), ``--baseline`` reports only secrets absent from an earlier JSON report.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate

if TYPE_CHECKING:
    from launchready.config import LaunchConfig
    from launchready.secrets.scan import ScanOptions

_ENV_NAME = re.compile(r"^\.env\.([A-Za-z0-9_-]+)$")


def register(app: typer.Typer) -> None:
    app.command("secrets")(secrets)


def detect_environments(root: Path) -> dict[str, Path]:
    """``.env.<name>`` files at the repository root, examples and ``.local`` overrides left out."""
    from launchready.secrets.tree import is_env_example

    found: dict[str, Path] = {}
    for path in sorted(root.glob(".env.*")):
        match = _ENV_NAME.match(path.name)
        if match and path.is_file() and not is_env_example(path.name) and match.group(1) != "local":
            found[match.group(1)] = path
    return found if len(found) > 1 else {}


def _options(root: Path, config: LaunchConfig | None, history: bool, since: str | None, staged: bool,
             jobs: int) -> ScanOptions:  # fmt: skip
    from launchready.secrets.scan import ScanOptions

    if config is not None and root == config.repo.path:
        return ScanOptions(
            root=root, history=history or since is not None, since=since, staged=staged, jobs=jobs,
            bundle_dirs=config.repo.bundle_dirs, logs=config.repo.logs,
            environments=dict(config.environments) or detect_environments(root),
        )  # fmt: skip
    return ScanOptions(root=root, history=history or since is not None, since=since, staged=staged, jobs=jobs,
                       environments=detect_environments(root))  # fmt: skip


def secrets(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Repository to scan (default: [repo] path, or .).",
            callback=opt.checked(lambda path: validate.existing_directory(path, what="repository")),
        ),
    ] = None,
    config: opt.OptionalConfigOption = None,
    history: Annotated[
        bool, typer.Option("--history", help="Also scan every blob of the git history.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Scan history only after this revision.", callback=opt.checked(validate.revision)
        ),
    ] = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Scan only staged changes (pre-commit hook).")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes (0-256); 0 = every core.",
            callback=opt.checked(lambda v: validate.whole(v, what="--jobs", minimum=0, maximum=256)),
        ),
    ] = 0,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report only secrets absent from this JSON report.",
            callback=opt.checked(lambda path: validate.existing_file(path, what="baseline")),
        ),
    ] = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    show_all: opt.AllOption = False,
) -> None:
    """Find secrets in the tree, the git history, client bundles, logs and env files; exit 1 on leaks."""
    from launchready.checks.secrets.findings import all_findings
    from launchready.cli import common
    from launchready.engine import AuditRun
    from launchready.secrets.gitcli import GitError
    from launchready.secrets.scan import ScanOptions, scan_repository
    from launchready.secrets.suppress import SuppressionError, load_suppressions

    started = datetime.now(UTC)
    config_path = config or ((path or Path(".")) / "launchready.toml")
    launch_config = common.load_config_or_exit(config_path) if config or config_path.is_file() else None
    root = (path or (launch_config.repo.path if launch_config else Path("."))).resolve()
    if not root.is_dir():
        raise common.fail_usage(f"{root} is not a directory")
    options = _options(root, launch_config, history, since, staged, jobs or ScanOptions.all_cores())
    ignore_file = launch_config.secrets.ignore_file if launch_config else Path(".launchready-ignore.toml")
    try:
        suppressions = load_suppressions(root / ignore_file, baseline)
        scan = scan_repository(options)
    except (SuppressionError, GitError) as exc:
        raise common.fail_usage(str(exc)) from None
    run = AuditRun(
        product=launch_config.product.name if launch_config else root.name,
        domain=launch_config.product.domain if launch_config else "",
        started_at=started,
        finished_at=datetime.now(UTC),
        deadline_s=0.0,
        findings=tuple(all_findings(scan, suppressions)),
        attempts=(),
    )
    common.emit(run, fmt, output, show_all=show_all)
    raise typer.Exit(common.exit_status(run, fail_on))
