"""``launchready score``: an app-risk score, a launch-readiness verdict and the next service sprint.

The sprints (rescue, launch, automate, scale), the signals that point to each and the risk weights are data
(``data/sprints.toml``, see ``rules``); ``evaluate`` reads a saved audit report (or questionnaire answers)
and cites the findings behind every conclusion; ``render`` draws it as terminal text, Markdown or JSON.
"""

from __future__ import annotations

from launchready.score.bottleneck import Bottleneck, bottlenecks
from launchready.score.evaluate import ScoreResult, SignalResult, score_answers, score_report
from launchready.score.render import render_html, render_json, render_markdown, render_terminal, to_document
from launchready.score.rules import SprintRules, load_rules, parse_rules

__all__ = [
    "Bottleneck",
    "ScoreResult",
    "SignalResult",
    "SprintRules",
    "bottlenecks",
    "load_rules",
    "parse_rules",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
    "score_answers",
    "score_report",
    "to_document",
]
