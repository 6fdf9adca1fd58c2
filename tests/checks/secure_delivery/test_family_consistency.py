"""Folder, stage, rule-id prefix and check name agree for every check of ``checks/secure_delivery``, and
each rule says why it matters and how to verify it by hand (issue 10, "Rules as data")."""

from __future__ import annotations

import pytest

from launchready.checks.interface import Check
from launchready.checks.registry import all_checks
from launchready.findings import Stage

FAMILY = [c for c in all_checks() if type(c).__module__.startswith("launchready.checks.secure_delivery.")]


def test_the_family_is_registered() -> None:
    assert len(FAMILY) >= 12


@pytest.mark.parametrize("check", FAMILY, ids=lambda c: c.name)
def test_stage_prefix_and_name_agree(check: Check) -> None:
    prefix = check.name.split(".")[0]
    for spec in check.rules:
        assert spec.stage is Stage.SECURE_DELIVERY, spec.rule_id
        assert spec.rule_id.split(".")[0] == prefix, (check.name, spec.rule_id)


@pytest.mark.parametrize("check", FAMILY, ids=lambda c: c.name)
def test_every_rule_says_why_and_how_to_verify(check: Check) -> None:
    for spec in check.rules:
        assert spec.why.strip(), spec.rule_id
        assert "{{host}}" in spec.verify and spec.verify.split()[0] in ("curl", "openssl"), spec.rule_id
        text = " ".join([spec.fix.summary, *spec.fix.steps, *spec.fix.snippets.values()])
        assert "example.com" not in text, spec.rule_id
