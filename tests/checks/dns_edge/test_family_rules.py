"""The DNS and email family says one thing in its folder, stage, rule-id prefix and check name, and every
one of its rules tells the founder why it matters and how to verify it by hand."""

from __future__ import annotations

from launchready.checks.interface import Check
from launchready.checks.registry import all_checks
from launchready.findings import Stage

FAMILY = ("launchready.checks.dns_edge.", "launchready.checks.email.")


def _family() -> list[Check]:
    return [check for check in all_checks() if type(check).__module__.startswith(FAMILY)]


def test_the_family_is_registered() -> None:
    names = {check.name for check in _family()}
    assert {"dns.resolution", "dns.takeover", "edge.origin", "email.spf", "email.dkim"} <= names


def test_rules_share_the_stage_and_the_check_name_prefix() -> None:
    for check in _family():
        prefix = check.name.split(".")[0]
        for spec in check.rules:
            assert spec.stage is Stage.DNS_EDGE, f"{check.name}: {spec.rule_id} is {spec.stage}"
            assert spec.rule_id.split(".")[0] == prefix, f"{check.name} emits {spec.rule_id}"


def test_every_rule_says_why_and_how_to_verify_by_hand() -> None:
    for check in _family():
        for spec in check.rules:
            assert spec.why.strip(), spec.rule_id
            assert spec.verify.strip().startswith(("dig", "curl", "openssl")), spec.rule_id
            assert "example.com" not in " ".join(spec.fix.snippets.values()), spec.rule_id


def test_the_reachability_rules_are_root_causes() -> None:
    rules = {spec.rule_id: spec for check in _family() for spec in check.rules}
    assert rules["dns.host.unresolved"].root_cause and rules["dns.host.unreachable"].root_cause
