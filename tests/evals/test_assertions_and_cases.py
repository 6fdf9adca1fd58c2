"""Assertions judge like promptfoo's deterministic ones; cases files load from YAML, JSON and TOML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launchready.evals.assertions import Observed, check
from launchready.evals.cases import Assertion, EvalFileError, load_cases

DATA = Path(__file__).parent / "data"
SEEN = Observed(text='{"name": "Lab", "plans": ["Free"]}', latency_ms=800.0, ttft_ms=120.0, cost=0.002)


@pytest.mark.parametrize(
    ("kind", "value", "threshold", "passed"),
    [
        ("contains", '"Lab"', None, True), ("contains", "lab", None, False), ("icontains", "LAB", None, True),
        ("not-contains", "secret", None, True), ("not-icontains", "PLANS", None, False),
        ("regex", r'"plans":\s*\[', None, True), ("not-regex", r"\d{4}", None, True),
        ("equals", '{"name": "Lab", "plans": ["Free"]}', None, True), ("equals", "Lab", None, False),
        ("is-json", None, None, True),
        ("is-json", {"type": "object", "required": ["name", "plans"]}, None, True),
        ("is-json", {"type": "object", "required": ["price"]}, None, False),
        ("max-latency", None, 1000, True), ("max-latency", None, 500, False), ("latency", None, 900, True),
        ("max-ttft", None, 100, False), ("max-ttft", None, 200, True),
        ("max-length", 20, None, False), ("max-length", 100, None, True),
        ("cost", None, 0.001, False), ("cost", None, 0.01, True),
    ],
)  # fmt: skip
def test_each_assertion_can_pass_and_fail(
    kind: str, value: object, threshold: float | None, passed: bool
) -> None:
    result = check(Assertion(type=kind, value=value, threshold=threshold), SEEN)
    assert result.passed is passed, result.reason


def test_text_that_is_not_json_fails_is_json_and_unknown_ttft_fails() -> None:
    assert not check(Assertion(type="is-json"), Observed("Sure! {}", 1, None, 0)).passed
    assert not check(Assertion(type="max-ttft", threshold=1e9), Observed("x", 1, None, 0)).passed


def test_yaml_json_and_toml_cases_load_the_same(tmp_path: Path) -> None:
    suite = load_cases(DATA / "lab_cases.yaml")
    assert len(suite.tests) == 4 and len(suite.defaults.assertions) == 2
    assert suite.tests[0].turns == ("What plans do you have and what do they cost?",)
    assert suite.tests[3].turns[1] == "And what plans do you have?"
    as_json = tmp_path / "cases.json"
    as_json.write_text(
        json.dumps({"tests": [{"input": "hi", "assert": [{"type": "contains", "value": "h"}]}]})
    )
    as_toml = tmp_path / "cases.toml"
    as_toml.write_text('[[tests]]\ninput = "hi"\n[[tests.assert]]\ntype = "contains"\nvalue = "h"\n')
    assert load_cases(as_json).tests == load_cases(as_toml).tests


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tests:\n  - input: hi\n    assert:\n      - type: llm-rubric\n        value: nice\n",
            "unknown assertion",
        ),
        ("tests:\n  - description: nothing to send\n", "needs an input"),
        ("tests:\n  - input: hi\n    assert:\n      - type: max-latency\n", "needs a threshold"),
        ("tests: [unclosed\n", "not valid"),
    ],
)
def test_a_bad_cases_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(text)
    with pytest.raises(EvalFileError, match=message):
        load_cases(path)
