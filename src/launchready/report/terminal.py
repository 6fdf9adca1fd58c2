"""The terminal report: what a person running ``launchready audit`` reads first.

Above the fold, in this order: the verdict (with the stages the score covers), the count line, the
"no DNS at all" notice when it applies, the root causes with what each blocked, and at most
``MUST_DO_SHOWN`` must-do items of ONE line each (what — where — why it matters), cut with an ellipsis at
the terminal's width rather than wrapped, so the top fits one 80x24 screen. Below: readiness by stage, the
top risks, what can wait, what was not assessed. ``show_all`` (``--all``) lists everything.

Rendered with Rich into a string (``Console(file=StringIO())``) so the renderer stays a pure function of
the report and the width; the caller measures the terminal (``measured_width``). Every piece of finding
text enters as a ``rich.text.Text``, never as markup: evidence such as ``[bold]`` from a hostile page is
printed literally. Rule ids sit in a no-wrap column as wide as the longest one: a rule id is never split.
"""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from launchready.findings import Severity, Status
from launchready.report.fixplan import FixItem, FixKind
from launchready.report.model import Report, Tally
from launchready.report.risks import Risk
from launchready.report.text import (
    MUST_DO_SHOWN,
    NOT_ASSESSED_SHOWN,
    ROOTS_SHOWN,
    counts_line,
    evidence,
    item_line,
    offline_notice,
    risk_where,
    root_line,
    stage_cell,
    where,
)

TOP_RISKS = 10
_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.UNVERIFIABLE: "bold magenta",
    Status.WARN: "yellow",
    Status.PASS: "green",
    Status.NOT_ASSESSED: "dim",
}
_STATUS_SHORT = {
    Status.FAIL: "fail",
    Status.UNVERIFIABLE: "unverif.",
    Status.WARN: "warn",
    Status.PASS: "pass",
    Status.NOT_ASSESSED: "n/a",
}
_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def measured_width() -> int:
    """The real terminal's width as Rich measures it (``COLUMNS`` wins; 80 when not a terminal)."""
    return Console().width


def _line(text: str, style: str = "default") -> Text:
    """One line that never wraps: cut with an ellipsis at the terminal's width."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def _score_style(score: int | None) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 80 else "yellow" if score > 50 else "red"


def _top(report: Report) -> list[Text]:
    verdict_style = "bold red" if report.summary.blockers else "bold green"
    run = report.run
    out = [
        Text(report.verdict, style=verdict_style),
        Text(
            f"{run.product} ({run.domain}) · {report.summary.total} findings: {counts_line(report.summary)}"
            f" · {report.duration_s:.1f}s",
            style="default",
        ),
    ]
    notice = offline_notice(report)
    if notice:
        out.append(Text(notice, style="bold magenta"))
    return out


def _roots(report: Report, show_all: bool) -> list[Text]:
    roots = report.root_causes
    if not roots:
        return []
    shown = roots if show_all else roots[:ROOTS_SHOWN]
    out = [Text("Root causes (fix first; what they blocked is folded under them)", style="bold")]
    out += [_line(f"  ✗ {root_line(r)}", _STATUS_STYLE[r.finding.status]) for r in shown]
    if len(roots) > len(shown):
        out.append(_line(f"  +{len(roots) - len(shown)} more root causes (--all)", "dim"))
    return out


def _must_do(report: Report, show_all: bool, width: int) -> list[Text]:
    items = report.plan.must_do_now
    if not items:
        return [Text("Must do now: nothing.", style="bold green")]
    shown = items if show_all else items[:MUST_DO_SHOWN]
    out = [Text(f"Must do now ({len(items)})", style="bold red")]
    for n, item in enumerate(shown, start=1):
        prefix = f"{n:>3}. "
        out.append(_line(prefix + item_line(item, width=width - len(prefix))))
    if len(items) > len(shown):
        out.append(_line(f"  +{len(items) - len(shown)} more must-do items: --all", "dim"))
    return out


def _counts_cells(t: Tally) -> list[str]:
    c = t.counts
    numbers = (c[Status.FAIL], c[Status.UNVERIFIABLE], c[Status.WARN], c[Status.PASS], c[Status.NOT_ASSESSED])
    return [str(n) for n in (*numbers, t.blockers)]


def _stages(report: Report) -> Table:
    """Score and counts per stage that ran; a stage nothing covers yet says which command will, below."""
    table = Table(title="Readiness by stage", box=box.SIMPLE, title_justify="left", pad_edge=False)
    table.add_column("stage", no_wrap=True)
    table.add_column("score", no_wrap=True)
    for name in ("fail", "unverif.", "warn", "pass", "n/a", "blockers"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in report.stages:
        if not s.tally.total:
            continue  # nothing ran for it: said in a line below the table, not as an empty row
        score = "—" if s.score is None else f"{s.score}/100"
        table.add_row(s.stage.value, Text(score, style=_score_style(s.score)), *_counts_cells(s.tally))
    table.add_row(
        Text("overall", style="bold"),
        Text(f"{report.overall}/100", style=_score_style(report.overall)),
        *_counts_cells(report.summary),
    )
    return table


def _stage_notes(report: Report) -> list[Text]:
    notes = [Text(f"{s.stage.value}: {stage_cell(s)}", style="dim") for s in report.stages if not s.assessed]
    return [
        *notes,
        _line(f"The score covers: {', '.join(s.value for s in report.covered_stages) or 'nothing'}", "dim"),
    ]


def _risk_text(risk: Risk) -> Text:
    f = risk.finding
    what = Text(risk_where(risk), style="bold")
    what.append(": " + evidence(f), style="default")
    if risk.root_cause and risk.blocked:
        what.append(f" (also blocked: {len(risk.blocked)} checks)", style="magenta")
    return what


def _risks(report: Report, show_all: bool) -> Table:
    shown = report.risks if show_all else report.risks[:TOP_RISKS]
    table = Table(title="Top risks", box=box.SIMPLE, title_justify="left", pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    longest = max((len(r.finding.rule_id) for r in shown), default=4)
    table.add_column("rule", no_wrap=True, min_width=longest)
    table.add_column("where: evidence", overflow="fold", ratio=1)
    for risk in shown:
        f = risk.finding
        table.add_row(
            str(risk.rank),
            Text(_STATUS_SHORT[f.status], style=_STATUS_STYLE[f.status]),
            Text(f.rule_id, style=_SEVERITY_STYLE[f.severity]),
            _risk_text(risk),
        )
    return table


def _can_wait(report: Report, show_all: bool) -> list[Text]:
    items = report.plan.can_wait
    if not items:
        return []
    if not show_all:
        return [_line(f"Can wait: {len(items)} fixes (--all, or the HTML/Markdown report)", "dim")]
    out = [Text(f"Can wait ({len(items)})", style="bold")]
    out += [Text(f"  • {item_line(item, shown_targets=len(item.targets))}") for item in items]
    return out


def _verify_details(items: tuple[FixItem, ...]) -> list[Text]:
    out = []
    for item in items:
        if item.kind is FixKind.VERIFY:
            out.append(Text(f"  {item.rule_id} on {where(item.targets, len(item.targets))}:", style="bold"))
            out += [Text(f"    $ {command}") for command in item.verify]
            out += [Text(f"    could not look: {reason}", style="dim") for reason in item.reasons]
    return [Text("How to verify (by hand)", style="bold"), *out] if out else []


def _not_assessed(report: Report, show_all: bool) -> list[Text]:
    groups = report.not_assessed
    shown = groups if show_all else groups[:NOT_ASSESSED_SHOWN]
    out = [_line(g.line, "dim") for g in shown]
    if show_all:
        out = []
        for g in groups:
            out.append(Text(g.line, style="dim"))
            out.append(Text("    " + ", ".join(g.rule_ids), style="dim"))
    elif len(groups) > len(shown):
        out.append(_line(f"+{len(groups) - len(shown)} more reasons (--all)", "dim"))
    return out


def _blocked(report: Report) -> list[Text]:
    out = []
    for root in report.root_causes:
        if root.blocked:
            out.append(Text(f"Blocked by {root.finding.key}:", style="bold"))
            out += [Text(f"  {f.rule_id} on {f.target}") for f in root.blocked]
    return out


def _print(console: Console, line: Text) -> None:
    """Print a line honouring its own wrap setting (``Console.print`` would wrap a no-wrap ``Text``)."""
    console.print(line, no_wrap=bool(line.no_wrap), overflow=line.overflow or "fold")


def render(report: Report, *, no_color: bool = False, width: int = 100, show_all: bool = False) -> str:
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        no_color=no_color,
        color_system=None if no_color else "standard",
        force_terminal=not no_color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    for line in [*_top(report), *_roots(report, show_all), *_must_do(report, show_all, width)]:
        _print(console, line)
    console.print(_stages(report))
    for line in _stage_notes(report):
        _print(console, line)
    if report.risks:
        console.print(_risks(report, show_all))
        if len(report.risks) > TOP_RISKS and not show_all:
            _print(console, _line(f"…and {len(report.risks) - TOP_RISKS} more risks: --all", "dim"))
    else:
        console.print(Text("No risk found.", style="green"))
    for line in _can_wait(report, show_all) + _not_assessed(report, show_all):
        _print(console, line)
    if show_all:
        for line in _verify_details(report.plan.items) + _blocked(report):
            _print(console, line)
    for attempt in report.incomplete_attempts:
        console.print(
            Text(
                f"partial: check {attempt.check} {attempt.outcome.value}: {attempt.reason or ''}",
                style="magenta",
            )
        )
    return buffer.getvalue()
