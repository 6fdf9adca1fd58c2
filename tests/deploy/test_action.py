"""The GitHub Action, rendered without ``act``: ``action.yml`` is parsed, its inputs and ``if:`` conditions are
evaluated as Actions would, and each ``run:`` step is executed with bash against the lab (launchready is
already installed here, so the ``pip install`` step is checked, not run). The GitLab template's job scripts
are run the same way. A change to the action that breaks a command line fails here, not in a user's CI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from launchready.lab import Lab

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
GITLAB = ROOT / "docs" / "ci" / "launchready.gitlab-ci.yml"
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _value(expr: str, inputs: dict[str, str]) -> str:
    match = re.fullmatch(r"inputs\.([\w-]+)", expr)
    if match is None:
        raise AssertionError(f"the test cannot evaluate ${{{{ {expr} }}}}: extend it with the action")
    return inputs[match.group(1)]


def _substitute(text: str, inputs: dict[str, str]) -> str:
    return _EXPR.sub(lambda m: _value(m.group(1), inputs), text)


def _condition(expr: str, inputs: dict[str, str], results: Path) -> bool:
    """Actions' ``if:``: the conjunctions of ``!cancelled()``, ``inputs.x == 'v'`` and ``hashFiles(...) != ''``."""
    body = expr.strip().removeprefix("${{").removesuffix("}}").strip()
    verdict = True
    for term in (t.strip() for t in body.split("&&")):
        if term == "!cancelled()":
            continue
        if match := re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", term):
            verdict &= inputs[match.group(1)] == match.group(2)
        elif re.fullmatch(r"hashFiles\(format\('\{0\}/\*\.sarif', inputs\.results-dir\)\) != ''", term):
            verdict &= any(results.glob("*.sarif"))
        else:
            raise AssertionError(f"the test cannot evaluate the condition {term!r}")
    return verdict


def action_inputs(**given: str) -> dict[str, str]:
    spec: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    defaults = {name: str(field.get("default", "")) for name, field in spec["inputs"].items()}
    unknown = set(given) - set(defaults)
    assert not unknown, f"not inputs of the action: {unknown}"
    return defaults | given


def _shell_env(tmp: Path) -> dict[str, str]:
    """The installed ``launchready`` console script first on PATH, as after the action's install step."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "launchready").is_file(), "launchready is not installed in this environment"
    path = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "NO_COLOR": "1"}


def run_action(inputs: dict[str, str], tmp: Path) -> dict[str, int]:
    """Run the action's steps in order, as a runner would; returns each run step's exit status by name."""
    spec: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert spec["runs"]["using"] == "composite"
    results = tmp / inputs["results-dir"]
    base_env = _shell_env(tmp)
    statuses: dict[str, int] = {}
    failed = False
    for step in spec["runs"]["steps"]:
        if "uses" in step:
            assert _SHA_PIN.match(step["uses"]), f"{step['uses']} is not pinned to a commit"
            continue
        name = step["name"]
        if "pip install" in step["run"]:
            assert "launchready" in step["run"] and "${{" not in step["run"]  # inputs reach it through env
            continue
        condition = step.get("if", "${{ success() }}")
        if condition != "${{ success() }}" and not _condition(condition, inputs, results):
            continue
        if failed and "!cancelled()" not in condition:
            continue
        assert "${{" not in step["run"], f"{name}: inputs must reach the shell through env:, not the script"
        env = {**base_env, **{k: _substitute(str(v), inputs) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
        statuses[name] = done.returncode
        failed |= done.returncode != 0
        print(f"--- {name}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        if done.returncode not in (0, 1):
            raise AssertionError(f"{name} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return statuses


def test_every_step_passes_on_the_hardened_lab(hardened_lab: Lab, tmp_path: Path) -> None:
    inputs = action_inputs(
        config=str(hardened_lab.config_path), **{"audit-args": "--only deploy", "smoke": "true",
        "extra-args": f"--nameserver {hardened_lab.nameserver} --ca-bundle {hardened_lab.ca_bundle}"},
    )  # fmt: skip
    statuses = run_action(inputs, tmp_path)
    assert statuses == {"launchready audit": 0, "launchready secrets --staged": 0, "launchready smoke": 0}
    results = tmp_path / "launchready-results"
    audit = json.loads((results / "audit.sarif").read_text())
    assert audit["version"] == "2.1.0" and audit["runs"]
    assert json.loads((results / "secrets.sarif").read_text())["runs"]
    suite = ET.parse(results / "smoke.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and int(suite.get("tests", "0")) >= 4


def test_the_audit_step_fails_the_job_on_the_flawed_lab(flawed_lab: Lab, tmp_path: Path) -> None:
    inputs = action_inputs(
        config=str(flawed_lab.config_path), secrets="false", **{"audit-args": "--only deploy",
        "extra-args": f"--nameserver {flawed_lab.nameserver} --ca-bundle {flawed_lab.ca_bundle}"},
    )  # fmt: skip
    statuses = run_action(inputs, tmp_path)
    assert statuses == {"launchready audit": 1}
    sarif = (tmp_path / "launchready-results" / "audit.sarif").read_text()
    for rule_id in ("deploy.config.secret", "deploy.workflow.pr-target-checkout", "deploy.migrations.order"):
        assert rule_id in sarif


@pytest.mark.parametrize("job", ["launchready-audit", "launchready-secrets", ".launchready-smoke"])
def test_the_gitlab_template_runs_on_the_hardened_lab(hardened_lab: Lab, tmp_path: Path, job: str) -> None:
    template: dict[str, Any] = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    base = template[".launchready"]
    assert any("pip install" in line and "launchready" in line for line in base["before_script"])
    env = {
        **_shell_env(tmp_path), **{k: str(v) for k, v in template["variables"].items()},
        "LAUNCHREADY_CONFIG": str(hardened_lab.config_path), "LAUNCHREADY_AUDIT_ARGS": "--only deploy",
        "LAUNCHREADY_EXTRA_ARGS": f"--nameserver {hardened_lab.nameserver} --ca-bundle {hardened_lab.ca_bundle}",
    }  # fmt: skip
    lines = [line for line in base["before_script"] if "pip install" not in line] + template[job]["script"]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    produced = sorted(p.name for p in (tmp_path / "launchready-results").iterdir())
    assert produced == [{"launchready-audit": "audit.sarif", "launchready-secrets": "secrets.sarif",
                         ".launchready-smoke": "smoke.xml"}[job]]  # fmt: skip
