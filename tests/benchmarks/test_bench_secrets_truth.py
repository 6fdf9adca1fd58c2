"""The truth and the scoring of ``benchmarks/bench_secrets.py`` (issue 9, honest benchmarks).

Nothing here times anything: these check that the planted truth is labelled, independent of launchready's
own rules, read correctly from gitleaks' rule tests, and scored the same way for every tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import secrets_corpus as corpus  # noqa: E402

GO_RULE = """
func Example() *config.Rule {
	r := config.Rule{RuleID: "example"}
	tps := utils.GenerateSampleSecrets("example", "ex_"+secrets.NewSecret(utils.AlphaNumeric("30")))
	tps = append(tps,
		`token = "ex_AAAAbbbbCCCCdddd1234"`,
		// `ex_commented_out_1234567890`,
		fmt.Sprintf("ex_%s", secrets.NewSecret("[a-z]{30}")),
		"escaped \\"ex_EEEEffffGGGGhhhh5678\\"",
	)
	fps := []string{
		`ex_xxxxxxxxxxxxxxxxxxxx`,
		"prefix" + "ex_concatenated",
	}
	return utils.Validate(r, tps, fps)
}

func Fixed() *config.Rule {
	tps := utils.GenerateSampleSecrets("bot", "xoxb-1234-5678-abcdefABCDEF")
	return utils.Validate(r, tps, nil)
}
"""


def test_go_rule_literals_keeps_whole_literal_elements_only() -> None:
    found = list(corpus.go_rule_literals(GO_RULE))
    assert found == [
        ("Example", "tps", 'token = "ex_AAAAbbbbCCCCdddd1234"'),
        ("Example", "tps", 'escaped "ex_EEEEffffGGGGhhhh5678"'),
        ("Example", "fps", "ex_xxxxxxxxxxxxxxxxxxxx"),
        ("Fixed", "tps", 'bot_api_token = "xoxb-1234-5678-abcdefABCDEF"'),
    ]


def test_provider_cases_are_labelled_documented_and_distinct() -> None:
    cases = corpus.provider_cases()
    assert {c.label for c in cases} == {"secret", "bait"}
    assert sum(c.label == "secret" for c in cases) >= 40
    ids = [c.case_id for c in cases]
    assert len(ids) == len(set(ids))
    assert corpus.distinct_values(cases) == cases, "two provider cases share a key value"


def test_provider_secrets_are_not_taken_from_launchready_rules() -> None:
    """The truth must not come from our own rule examples: no key-like token of it appears in the scanner."""
    ours = "".join(p.read_text(errors="replace") for p in (ROOT / "src/launchready/secrets").rglob("*.*"))
    copied = [
        (case.case_id, token)
        for case in corpus.provider_cases()
        if case.label == "secret"
        for token in corpus._TOKEN.findall(case.text)
        if corpus._looks_random(token) and token in ours
    ]
    assert copied == []


def test_distinct_values_drops_a_case_reusing_a_key() -> None:
    first = corpus.Case("a", "provider", "secret", 'KEY = "ghp_AbCdEf0123456789AbCdEf0123456789abcd"\n')
    again = corpus.Case("b", "gitleaks", "secret", "token: ghp_AbCdEf0123456789AbCdEf0123456789abcd\n")
    other = corpus.Case("c", "gitleaks", "secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG0123456\n")
    named = corpus.Case("d", "provider", "bait", "aws_secret_access_key = os.environ['X']\n")
    assert corpus.distinct_values([first, again, other, named]) == [first, other, named]


def test_score_counts_each_file_once_and_splits_bait_from_noise() -> None:
    bench = pytest.importorskip("bench_secrets")  # needs psutil (the bench extra)
    planted = [
        corpus.Planted("s1", "provider", "secret", "merge", "src/settings/cfg_1001.py"),
        corpus.Planted("s2", "gitleaks", "secret", "tag", "src/settings/cfg_1002.txt"),
        corpus.Planted("b1", "provider", "bait", "tree", "src/settings/cfg_1003.py"),
    ]
    hits = {
        ("src/settings/cfg_1001.py", "v1"),
        ("./cfg_1001.py", "v1-again"),  # the same file named another way: one true positive
        ("src/settings/cfg_1003.py", "bait"),
        ("src/api/mod_1.py", "noise"),
        ("src/api/mod_2.py", "noise"),  # the same noise value twice: one false positive
    }
    score = bench.score(bench.Result("tool", 1.0, 1.0, 1.0, hits), planted)
    assert score.tp == 1
    assert score.found["bait"] == {"src/settings/cfg_1003.py"}
    assert score.noise == 1
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall_by["source:provider"] == (1, 1)
    assert score.recall_by["source:gitleaks"] == (0, 1)
    assert score.recall_by["where:merge"] == (1, 1)
