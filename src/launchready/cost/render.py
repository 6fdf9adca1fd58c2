"""The estimate as a terminal table, JSON, Markdown and an HTML section (the report's ``cost`` artifact)."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from typing import Any

from launchready.cost.estimate import Breakdown, Estimate


def money(value: float) -> str:
    return f"${value:,.2f}" if value >= 1 else f"${value:,.4f}"


def to_document(est: Estimate) -> dict[str, Any]:
    def scenario(b: Breakdown) -> dict[str, float]:
        return {k: round(v, 6) for k, v in asdict(b).items()}

    return {
        "kind": "launchready.cost",
        "model": est.price.id,
        "provider": est.price.provider,
        "price_per_million": {
            "input": est.price.input,
            "output": est.price.output,
            "source": est.price.source,
        },
        "prices_checked": est.prices_checked,
        "prices_stale": est.prices_stale,
        "traffic": asdict(est.traffic),
        "monthly": {"low": scenario(est.low), "expected": scenario(est.expected), "high": scenario(est.high)},
        "range_factors": est.range_factors,
        "per_message": round(est.per_message, 8),
        "savings": [{"what": s.what, "monthly": round(s.monthly, 6)} for s in est.savings],
        "worst_case": asdict(est.worst_case) if est.worst_case else None,
        "notes": list(est.notes),
    }


def render_json(est: Estimate) -> str:
    return json.dumps(to_document(est), indent=2, ensure_ascii=False) + "\n"


def _rows(doc: dict[str, Any]) -> list[tuple[str, str]]:
    t = doc["traffic"]
    monthly = doc["monthly"]
    rows = [
        (
            "Model",
            f"{doc['model']} (${doc['price_per_million']['input']}/M in, ${doc['price_per_million']['output']}/M out, prices of {doc['prices_checked']})",
        ),
        (
            "Traffic",
            f"{t['users_per_day']:g} users/day x {t['messages_per_user']:g} messages x {t['days']} days",
        ),
        ("Tokens per call", f"{t['input_tokens']:g} in / {t['output_tokens']:g} out"),
        (
            "Cache hits, retries, errors",
            f"{t['cache_hit_rate']:.0%}, {t['retry_rate']:.0%}, {t['error_rate']:.1%}",
        ),
        ("Monthly: low", money(monthly["low"]["cost"])),
        ("Monthly: expected", money(monthly["expected"]["cost"])),
        ("Monthly: high", money(monthly["high"]["cost"])),
        ("Per message (expected)", money(doc["per_message"])),
    ]
    rows += [(f"Saving: {s['what']}", f"{money(s['monthly'])}/month") for s in doc["savings"]]
    worst = doc["worst_case"]
    if worst:
        rows.append(
            (
                "Worst case per call",
                f"{money(worst['cost_per_call'])} ({worst['chars']:,} chars = {worst['input_tokens']:,} tokens "
                f"{worst.get('tokens_from') or 'estimated'}, {worst['status']})",
            )
        )
    return rows


def _warnings(doc: dict[str, Any]) -> list[str]:
    out = []
    if doc["prices_stale"]:
        out.append(
            f"prices were checked on {doc['prices_checked']}: confirm them on {doc['price_per_million']['source'] or 'the pricing page'} or pass --prices"
        )
    return out + list(doc["notes"])


def render_terminal(est: Estimate) -> str:
    doc = to_document(est)
    rows = _rows(doc)
    width = max(len(label) for label, _ in rows)
    lines = ["LLM cost estimate", *(f"  {label.ljust(width)}  {value}" for label, value in rows)]
    lines += [f"  note: {w}" for w in _warnings(doc)]
    return "\n".join(lines) + "\n"


def render_markdown(est: Estimate, *, heading: str = "#") -> str:
    doc = to_document(est)
    lines = [f"{heading} LLM cost estimate", "", "| | |", "|---|---|"]
    lines += [f"| {label} | {value.replace('|', '/')} |" for label, value in _rows(doc)]
    lines += ["", *[f"- {w}" for w in _warnings(doc)]]
    return "\n".join(lines).rstrip() + "\n"


def render_html_section(doc: dict[str, Any]) -> str:
    """An escaped HTML section from a saved estimate document (``to_document``'s shape)."""
    e = html.escape
    rows = "".join(
        f"<tr><th scope='row'>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in _rows(doc)
    )
    notes = "".join(f"<li>{e(w)}</li>" for w in _warnings(doc))
    return (
        "<section class='cost'><h2>LLM cost estimate</h2>"
        f"<table>{rows}</table>" + (f"<ul>{notes}</ul>" if notes else "") + "</section>"
    )
