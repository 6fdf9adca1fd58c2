"""The registry is explicit and exhaustive: every rule is described, fixable, unique, planted or tested."""

from __future__ import annotations

from pathlib import Path

from launchready.checks.registry import all_checks
from launchready.lab.planted import PLANTED

TESTS = Path(__file__).resolve().parents[1]


def test_check_names_and_rule_ids_are_unique() -> None:
    checks = all_checks()
    names = [c.name for c in checks]
    assert len(names) == len(set(names))
    ids = [rule.rule_id for check in checks for rule in check.rules]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_rule_says_what_it_verifies_and_how_to_fix_it() -> None:
    for check in all_checks():
        assert check.rules, f"{check.name} declares no rule"
        for rule in check.rules:
            assert rule.description.strip(), rule.rule_id
            assert rule.fix.summary.strip(), rule.rule_id
            assert rule.title.strip(), rule.rule_id


def test_every_rule_is_planted_in_the_lab_or_named_in_a_test() -> None:
    planted = {risk.rule_id for risk in PLANTED}
    test_text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in TESTS.rglob("*.py")
        if p.name != Path(__file__).name
    )
    untested = [
        rule.rule_id
        for check in all_checks()
        for rule in check.rules
        if rule.rule_id not in planted and rule.rule_id not in test_text
    ]
    assert untested == []
