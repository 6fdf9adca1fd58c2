"""The score in three formats: a terminal summary, Markdown (for a ticket or the handover) and JSON.

The JSON names the recommended sprint at ``recommended.sprint`` and lists every signal with its cited
evidence, so a CI job or another tool can act on it without parsing text.
"""

from __future__ import annotations

import json
from typing import Any

from launchready.score.evaluate import CITED_MAX, ScoreResult, SignalResult, SprintVerdict

SCORE_SCHEMA_VERSION = "1.0"


def _cites(cites: tuple[str, ...]) -> str:
    shown = ", ".join(cites[:CITED_MAX])
    more = f" (+{len(cites) - CITED_MAX} more)" if len(cites) > CITED_MAX else ""
    return shown + more


def _signal(result: SignalResult) -> dict[str, Any]:
    return {
        "name": result.signal.name,
        "fired": result.fired,
        "because": result.because,
        "cites": list(result.cites),
    }


def _sprint(verdict: SprintVerdict) -> dict[str, Any]:
    return {
        "sprint": verdict.sprint.id,
        "title": verdict.sprint.title,
        "goal": verdict.sprint.goal,
        "fired": [r.signal.name for r in verdict.fired],
    }


def to_document(result: ScoreResult) -> dict[str, Any]:
    chosen = result.recommended
    return {
        "schema_version": SCORE_SCHEMA_VERSION,
        "source": result.source,
        "product": result.product,
        "domain": result.domain,
        "rules_updated": result.rules_updated,
        "risk": {
            "score": result.risk_score,
            "level": result.risk_level,
            "reasons": [
                {"points": r.points, "text": r.text, "cites": list(r.cites)} for r in result.risk_reasons
            ],
        },
        "readiness": {"ready": result.ready, "verdict": result.verdict},
        "recommended": {
            **_sprint(chosen),
            "because": [
                {"signal": r.signal.name, "because": r.because, "cites": list(r.cites)} for r in chosen.fired
            ],
        },
        "sprints": [_sprint(v) for v in result.sprints],
        "signals": [_signal(r) for r in result.signals],
        "notes": list(result.notes),
    }


def render_json(result: ScoreResult) -> str:
    return json.dumps(to_document(result), indent=2, ensure_ascii=False) + "\n"


def _because(result: ScoreResult) -> list[str]:
    chosen = result.recommended
    if not chosen.fired:
        return ["no earlier sprint's signal fired, and nothing below points elsewhere"]
    return [r.because + (f" — {_cites(r.cites)}" if r.cites else "") for r in chosen.fired]


def render_markdown(result: ScoreResult) -> str:
    chosen = result.recommended.sprint
    lines = [
        f"# Risk score and next sprint: {result.product or 'your product'}",
        "",
        f"**Readiness:** {result.verdict}",
        "",
        f"**App risk:** {result.risk_score}/100 ({result.risk_level})",
        "",
        *[
            f"- {r.points:g} points — {r.text}" + (f" ({_cites(r.cites)})" if r.cites else "")
            for r in result.risk_reasons
        ],
        "",
        f"## Recommended: {chosen.title}",
        "",
        chosen.goal,
        "",
        "Because:",
        "",
        *[f"- {line}" for line in _because(result)],
        "",
        "## Every sprint",
        "",
        "| Sprint | Signals that fired |",
        "|---|---|",
        *[
            f"| {v.sprint.title} | {', '.join(r.signal.name for r in v.fired) or 'none'} |"
            for v in result.sprints
        ],
        "",
        f"_Rules updated {result.rules_updated}; source: {result.source}._",
    ]
    if result.notes:
        lines += ["", *[f"- {note}" for note in result.notes]]
    return "\n".join(lines) + "\n"


def render_terminal(result: ScoreResult) -> str:
    chosen = result.recommended.sprint
    lines = [
        f"{result.product or 'product'} — {result.verdict}",
        f"App risk: {result.risk_score}/100 ({result.risk_level})",
        *[f"  {r.points:>5g}  {r.text}" for r in result.risk_reasons],
        "",
        f"Next sprint: {chosen.id.upper()} — {chosen.goal}",
        *[f"  because {line}" for line in _because(result)],
        "",
        "Sprints: "
        + "; ".join(
            f"{v.sprint.id} ({len(v.fired)} signal{'s' if len(v.fired) != 1 else ''})" for v in result.sprints
        ),
    ]
    lines += [f"  note: {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
