"""Words shared by the human formats (terminal, Markdown, HTML), so each says the same thing the same way.

Every sentence a founder reads at the top of a report is built here once: the count line, a root cause
with what it blocked, a must-do item's "what — where — why", a risk's evidence. The formats only lay
them out (and escape them).
"""

from __future__ import annotations

from launchready.engine.rootcause import target_host
from launchready.findings import Finding, Fix, Status
from launchready.report.fixplan import FixItem
from launchready.report.model import NO_DNS_NOTICE, Report, StageReadiness, Tally
from launchready.report.risks import Risk
from launchready.rules import fill_fix

MUST_DO_SHOWN = 10
"""Must-do items at the top of every human format; the rest is behind ``--all`` or a collapsed section."""
ROOTS_SHOWN = 5
NOT_ASSESSED_SHOWN = 5
STATUS_WORDS = {
    Status.FAIL: "fail",
    Status.UNVERIFIABLE: "unverifiable",
    Status.WARN: "warn",
    Status.PASS: "pass",
    Status.NOT_ASSESSED: "not assessed",
}


def counts_line(t: Tally) -> str:
    """``4 fail, 6 unverifiable (3 blocked by 1 root cause), 3 warn, 2 pass, 3 not assessed``."""
    parts = []
    for status in (Status.FAIL, Status.UNVERIFIABLE, Status.WARN, Status.PASS, Status.NOT_ASSESSED):
        part = f"{t.counts[status]} {STATUS_WORDS[status]}"
        if status is Status.UNVERIFIABLE and t.blocked:
            part += f" ({t.blocked} blocked by {t.root_causes} root {'cause' if t.root_causes == 1 else 'causes'})"
        parts.append(part)
    return ", ".join(parts)


def offline_notice(report: Report) -> str | None:
    """Said once, at the top, when the resolver answered nothing."""
    return NO_DNS_NOTICE if report.offline else None


def evidence(finding: Finding) -> str:
    """What was seen, or why nothing could be."""
    if finding.status is Status.UNVERIFIABLE:
        return f"could not verify: {finding.reason}"
    if finding.status is Status.NOT_ASSESSED:
        return f"not assessed: {finding.reason}"
    return finding.evidence


def also_blocked(risk: Risk) -> str:
    """``also blocked: 12 checks`` (empty when the root blocked nothing)."""
    n = len(risk.blocked)
    return f"also blocked: {n} {'check' if n == 1 else 'checks'}" if n else ""


def root_line(risk: Risk) -> str:
    """``dns.host.unresolved on staging.x — also blocked: 3 checks — <evidence>``: the count comes before
    the evidence, so a line cut at the terminal's width still says how much the root blocked."""
    f = risk.finding
    tail = also_blocked(risk)
    return f"{f.rule_id} on {f.target}" + (f" — {tail}" if tail else "") + f" — {evidence(f)}"


def where(targets: tuple[str, ...], shown: int = 2) -> str:
    """``api.x, app.x +3 more``."""
    head = ", ".join(targets[:shown])
    return head + (f" +{len(targets) - shown} more" if len(targets) > shown else "")


def item_what(item: FixItem) -> str:
    return item.summary.rstrip(".")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def item_line(item: FixItem, *, shown_targets: int = 2, width: int | None = None) -> str:
    """One must-do line: what — where — why it matters (``launch delay, trust``).

    With ``width`` the line is fitted, not wrapped: where shrinks to the first target (+N), why to its
    strongest axis, and the *what* is cut last, with "…", so all three parts stay on the line.
    """
    why_full = item.why_words
    what = item_what(item)
    if width is None:
        why = f" — {why_full}" if why_full else ""
        return f"{what} — {where(item.targets, shown_targets)}{why}"
    place = _cut(where(item.targets, 1), max(16, width // 3))
    options = [f" — {place}" + (f" — {why}" if why else "") for why in (why_full, why_full.split(", ")[0])]
    tail = next((t for t in options if len(what) + len(t) <= width), None)
    if tail is None:
        tail = next((t for t in options if width - len(t) >= min(36, width // 2)), options[-1])
    return _cut(what, width - len(tail)) + tail


def per_host_note(item: FixItem) -> str:
    """Said under a fix shown for its first target when it names the host: do it on each target."""
    return f"Shown for {item.targets[0]}: do the same on each host listed." if item.per_host else ""


def filled_fix(report: Report, finding: Finding) -> Fix:
    """The finding's fix in the product's own names, for the finding's own host."""
    host = target_host(finding.target) or None
    return fill_fix(
        finding.fix, domain=report.run.domain, host=host, canonical=getattr(report.run, "canonical", None)
    )


def stage_cell(stage: StageReadiness) -> str:
    """The score cell of a stage row: a score, or what would assess it."""
    if stage.score is not None:
        return f"{stage.score}/100"
    if stage.covering_commands:
        commands = " / ".join(f"`{c}`" for c in stage.covering_commands)
        return f"not assessed — {commands} covers this"
    return "not assessed in this run"


def risk_where(risk: Risk) -> str:
    locations = risk.locations
    return locations[0] if len(locations) == 1 else f"{locations[0]} (+{len(locations) - 1} more places)"
