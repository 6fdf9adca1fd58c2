"""Every rule finds its true positives and none of its false positives (the examples live in rules.toml)."""

from __future__ import annotations

import random
import re

import pytest

from launchready.secrets.matcher import Matcher
from launchready.secrets.rules import Exposure, expand_template, fake_value, load_rules

RULES = load_rules()
ISSUE_PROVIDERS = (
    "openai anthropic google huggingface groq replicate cohere mistral together openrouter xai deepseek "
    "pinecone langsmith elevenlabs aws gcp azure stripe github gitlab slack discord twilio sendgrid "
    "resend postmark mailgun supabase firebase clerk posthog sentry database generic"
)
MATCHER = Matcher()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule_id)
def test_true_positives_are_found_by_their_own_rule(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.true_positives, f"{rule.rule_id} has no true-positive example"
    for index, template in enumerate(rule.true_positives):
        for seed in range(5):
            text = expand_template(template, random.Random(f"{seed}:{index}"))
            found = [m.rule.rule_id for m in MATCHER.scan(text.encode())]
            assert rule.rule_id in found, (rule.rule_id, template, found)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule_id)
def test_false_positives_are_not_reported(rule) -> None:  # type: ignore[no-untyped-def]
    for text in rule.false_positives:
        assert MATCHER.scan(text.encode()) == [], (rule.rule_id, text)


def test_ids_are_stable_dotted_and_rotation_pages_are_https() -> None:
    ids = [r.rule_id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"secrets\.[a-z0-9-]+\.[a-z0-9-]+", rule.rule_id), rule.rule_id
        assert rule.rotate.startswith("https://"), rule.rule_id


def test_the_issue_formats_are_covered() -> None:
    providers = {r.rule_id.split(".")[1] for r in RULES}
    wanted = set(ISSUE_PROVIDERS.split())
    assert wanted <= providers, wanted - providers
    kinds = {r.rule_id for r in RULES}
    for openai in ("project-key", "service-account-key", "admin-key", "user-key"):
        assert f"secrets.openai.{openai}" in kinds


def test_public_by_design_keys_are_classified_public() -> None:
    public = {r.rule_id for r in RULES if r.exposure is Exposure.PUBLIC}
    assert {"secrets.stripe.publishable-key", "secrets.firebase.web-key", "secrets.supabase.anon-key",
            "secrets.posthog.project-key"} <= public  # fmt: skip
    assert "secrets.stripe.secret-key" not in public
    assert "secrets.supabase.service-role-key" not in public


def test_fake_values_are_deterministic_and_distinct_per_seed() -> None:
    a = fake_value("secrets.openai.project-key", seed="x")
    assert a == fake_value("secrets.openai.project-key", seed="x")
    assert a != fake_value("secrets.openai.project-key", seed="y")
    assert a.startswith("sk-proj-") and "T3BlbkFJ" in a
