"""The score in three formats: a terminal summary, Markdown (for a ticket or the handover) and JSON.

The JSON names the recommended sprint at ``recommended.sprint`` and lists every signal with its cited
evidence, so a CI job or another tool can act on it without parsing text.
"""

from __future__ import annotations

import html
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


def render_html(result: ScoreResult) -> str:
    """A small standalone page: the verdict, the risk reasons and the recommended sprint, all escaped."""
    e = html.escape
    chosen = result.recommended.sprint
    reasons = "".join(
        f"<li>{r.points:g} points — {e(r.text)}"
        + (f" <small>({e(_cites(r.cites))})</small>" if r.cites else "")
        + "</li>"
        for r in result.risk_reasons
    )
    because = "".join(f"<li>{e(line)}</li>" for line in _because(result))
    rows = "".join(
        f"<tr><td>{e(v.sprint.title)}</td><td>{e(', '.join(r.signal.name for r in v.fired) or 'none')}</td></tr>"
        for v in result.sprints
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Risk score: {e(result.product)}</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:auto;padding:16px}"
        "li,td{overflow-wrap:anywhere}table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;"
        "padding:4px;text-align:left}</style></head><body>"
        f"<h1>Risk score and next sprint: {e(result.product or 'your product')}</h1>"
        f"<p><strong>Readiness:</strong> {e(result.verdict)}</p>"
        f"<p><strong>App risk:</strong> {result.risk_score}/100 ({e(result.risk_level)})</p><ul>{reasons}</ul>"
        f"<h2>Recommended: {e(chosen.title)}</h2><p>{e(chosen.goal)}</p><ul>{because}</ul>"
        f"<h2>Every sprint</h2><table><tr><th>Sprint</th><th>Signals that fired</th></tr>{rows}</table>"
        f"<p><small>Rules updated {e(result.rules_updated)}; source: {e(result.source)}.</small></p></body></html>\n"
    )
