"""Rules are data: the rule files and the code that emits them say the same thing, rule for rule.

A rule in a data file that no check emits is a promise nobody keeps; a rule a check emits that is not in a
data file has no fix, no "why" and no manual verification. Folder, stage, rule-id prefix and check name
agree, so a reader finds a rule's code from its id.
"""

from __future__ import annotations

from launchready.checks.deploy.rules import SMOKE_RULES
from launchready.checks.email.revalidate import POSTURE_CHANGED
from launchready.checks.interface import Check
from launchready.checks.registry import all_checks
from launchready.engine.runner import ENGINE_RULES
from launchready.findings import Stage
from launchready.handover.completeness import HANDOVER_RULES
from launchready.load.verdicts import LOAD_RULES
from launchready.monitor.once import RULES as MONITOR_RULES
from launchready.rules import all_rules, rule

FOLDER_STAGE = {
    "dns_edge": Stage.DNS_EDGE,
    "email": Stage.DNS_EDGE,
    "secure_delivery": Stage.SECURE_DELIVERY,
    "secrets": Stage.SECURE_DELIVERY,
    "performance": Stage.PERFORMANCE,
    "database": Stage.PERFORMANCE,
    "deploy": Stage.DEPLOY,
    "redteam": Stage.SECURE_DELIVERY,
}
"""Each folder of ``launchready/checks`` is a family inside exactly one roadmap stage."""


def _declared() -> dict[str, str]:
    """Every rule id something can emit, with who emits it."""
    out = {spec.rule_id: "engine" for spec in ENGINE_RULES}
    out.update({spec.rule_id: "launchready load" for spec in LOAD_RULES})
    out[POSTURE_CHANGED.rule_id] = "launchready email --baseline"
    out.update({spec.rule_id: "launchready smoke" for spec in SMOKE_RULES})
    out.update({spec.rule_id: "launchready handover" for spec in HANDOVER_RULES})
    out.update({spec.rule_id: "launchready monitor" for spec in MONITOR_RULES.values()})
    for check in all_checks():
        out.update({spec.rule_id: check.name for spec in check.rules})
    return out


def test_every_rule_in_the_data_is_emitted_by_something_and_the_reverse() -> None:
    in_data = {spec.rule_id for spec in all_rules()}
    declared = _declared()
    assert sorted(in_data - declared.keys()) == [], "rules in the data files that nothing emits"
    assert sorted(declared.keys() - in_data) == [], "rules emitted by code but missing from the data files"


def test_checks_use_the_rules_from_the_data_files_unchanged() -> None:
    for check in all_checks():
        for spec in check.rules:
            assert spec == rule(spec.rule_id), f"{check.name} redefines {spec.rule_id} in code"


def _folder(check: Check) -> str:
    return type(check).__module__.split(".")[2]


def test_folder_stage_rule_prefix_and_check_name_agree() -> None:
    problems = []
    for check in all_checks():
        stage = FOLDER_STAGE.get(_folder(check))
        prefix = check.name.split(".")[0]
        for spec in check.rules:
            if spec.stage is not stage:
                problems.append(f"{spec.rule_id}: stage {spec.stage} but checks/{_folder(check)}")
            if spec.rule_id.split(".")[0] != prefix:
                problems.append(f"{spec.rule_id}: emitted by check {check.name}")
    assert problems == []


def test_every_rule_says_why_it_matters_and_how_to_verify_it_by_hand() -> None:
    missing = [spec.rule_id for spec in all_rules() if not spec.why.strip() or not spec.verify.strip()]
    assert missing == []
