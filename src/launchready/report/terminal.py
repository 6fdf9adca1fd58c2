"""The terminal report: what a person running ``launchready audit`` reads first.

Rendered with Rich into a string (``Console(file=StringIO())``) so the renderer stays a pure function and
the CLI decides where it goes. Every piece of finding text enters as a ``rich.text.Text``, never as markup:
evidence such as ``[bold]`` or ``[link=...]`` from a hostile page is printed literally.
"""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from launchready.findings import Finding, Severity, Status
from launchready.report.model import Report

TOP_RISKS = 10
_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.UNVERIFIABLE: "bold magenta",
    Status.WARN: "yellow",
    Status.PASS: "green",
}
_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _score_style(score: int | None) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 80 else "yellow" if score > 50 else "red"


def _summary(report: Report) -> Text:
    style = "bold red" if report.plan.must_do_now else "bold green"
    line = Text(report.verdict, style=style)
    c = report.counts
    line.append(
        f"\n{report.run.product} ({report.run.domain}) · {len(report.run.findings)} findings: "
        f"{c[Status.FAIL]} fail, {c[Status.UNVERIFIABLE]} unverifiable, {c[Status.WARN]} warn, "
        f"{c[Status.PASS]} pass · {report.duration_s:.1f}s",
        style="default",
    )
    return line


def _stages(report: Report) -> Table:
    table = Table(title="Readiness by stage", box=box.SIMPLE, title_justify="left")
    table.add_column("stage")
    for name in ("score", "fail", "unverif.", "warn", "pass"):
        table.add_column(name, justify="right")
    for s in report.stages:
        score = "—" if s.score is None else str(s.score)
        c = s.counts
        table.add_row(
            s.stage.value,
            Text(score, style=_score_style(s.score)),
            str(c[Status.FAIL]),
            str(c[Status.UNVERIFIABLE]),
            str(c[Status.WARN]),
            str(c[Status.PASS]),
        )
    table.add_row(
        Text("overall", style="bold"), Text(str(report.overall), style=_score_style(report.overall))
    )
    return table


def _evidence(finding: Finding) -> str:
    if finding.status is Status.UNVERIFIABLE:
        return f"could not verify: {finding.reason}"
    return finding.evidence


def _risks(report: Report) -> Table:
    table = Table(title="Top risks", box=box.SIMPLE, title_justify="left", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("status")
    table.add_column("sev.")
    table.add_column("rule / target", overflow="fold")
    table.add_column("evidence → fix", overflow="fold", ratio=1)
    for risk in report.risks[:TOP_RISKS]:
        f = risk.finding
        where = Text(f.rule_id, style="bold")
        where.append("\n" + f.target, style="default")
        what = Text(_evidence(f))
        what.append("\n→ " + f.fix.summary, style="green")
        table.add_row(
            str(risk.rank),
            Text(f.status.value, style=_STATUS_STYLE[f.status]),
            Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
            where,
            what,
        )
    return table


def _plan(report: Report) -> Text:
    out = Text()
    if report.plan.must_do_now:
        out.append("Must do now\n", style="bold red")
        for group in report.plan.must_do_now:
            out.append(f"  • {group.headline}\n")
    if report.plan.can_wait:
        out.append(
            f"Can wait: {len(report.plan.can_wait)} fixes (see --format html or markdown)\n", style="dim"
        )
    return out


def render(report: Report, *, no_color: bool = False, width: int = 100) -> str:
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
    console.print(_summary(report))
    console.print(_stages(report))
    if report.risks:
        console.print(_risks(report))
        if len(report.risks) > TOP_RISKS:
            console.print(
                Text(f"…and {len(report.risks) - TOP_RISKS} more risks in the full report.", style="dim")
            )
    else:
        console.print(Text("No risk found.", style="green"))
    console.print(_plan(report))
    for attempt in report.incomplete_attempts:
        console.print(
            Text(
                f"partial: check {attempt.check} {attempt.outcome.value}: {attempt.reason or ''}",
                style="magenta",
            )
        )
    return buffer.getvalue()
