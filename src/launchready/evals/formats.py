"""Eval results as text for people, JSON for the next ``--baseline``, JUnit XML for CI, Markdown and HTML.

Pure functions of the run and the optional baseline comparison. The JSON is ``EvalRun`` itself (schema
``launchready-eval/1``) plus a ``baseline`` section when one was compared, so any run's output is the next
run's baseline.
"""

from __future__ import annotations

import enum
import html
import json
import xml.etree.ElementTree as ET
from typing import assert_never

from launchready.evals.baseline import Comparison
from launchready.evals.runner import CaseResult, EvalRun


class EvalFormat(enum.StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    HTML = "html"


SUFFIXES = {".json": EvalFormat.JSON, ".xml": EvalFormat.JUNIT, ".md": EvalFormat.MARKDOWN,
            ".html": EvalFormat.HTML, ".txt": EvalFormat.TERMINAL}  # fmt: skip


def render(run: EvalRun, comparison: Comparison | None, fmt: EvalFormat) -> str:
    match fmt:
        case EvalFormat.JSON:
            data = json.loads(run.to_json())
            if comparison is not None:
                data["baseline"] = comparison.model_dump()
            return json.dumps(data, indent=2) + "\n"
        case EvalFormat.JUNIT:
            return _junit(run)
        case EvalFormat.TERMINAL:
            return _text(run, comparison, markdown=False)
        case EvalFormat.MARKDOWN:
            return _text(run, comparison, markdown=True)
        case EvalFormat.HTML:
            return _html(run, comparison)
        case _:
            assert_never(fmt)


def _why(case: CaseResult) -> str:
    if case.error:
        return case.error
    return "; ".join(a.reason for a in case.assertions if not a.passed)


def _summary(run: EvalRun) -> str:
    passed = sum(c.status == "pass" for c in run.cases)
    return (
        f"{passed}/{len(run.cases)} cases passed against {run.target} "
        f"({run.calls} chat calls, {run.wall_s:.1f}s)"
    )


def _baseline_lines(comparison: Comparison) -> list[str]:
    lines = [f"Compared with {comparison.baseline}:"]
    lines += [f"  NEW FAILURE  {case_id}" for case_id in comparison.new_failures]
    lines += [f"  fixed        {case_id}" for case_id in comparison.fixed]
    lines += [f"  still fails  {case_id}" for case_id in comparison.still_failing]
    lines += [
        f"  {s.metric} shift {s.id}: {s.before_ms:.0f} ms -> {s.after_ms:.0f} ms" for s in comparison.shifts
    ]
    if len(lines) == 1:
        lines.append("  no change in results, latency or TTFT")
    return lines


def _text(run: EvalRun, comparison: Comparison | None, *, markdown: bool) -> str:
    bullet = "- " if markdown else ""
    lines = [("# " if markdown else "") + f"launchready eval: {run.suite}", "", _summary(run), ""]
    for case in run.cases:
        mark = {"pass": "PASS", "fail": "FAIL", "error": "ERROR"}[case.status]
        timing = f"{case.latency_ms or 0:.0f} ms" + (f", TTFT {case.ttft_ms:.0f} ms" if case.ttft_ms else "")
        line = f"{bullet}{mark:5} {case.id} ({timing})"
        if case.status != "pass":
            line += f": {_why(case)}"
        lines.append(line)
    if comparison is not None:
        lines += [
            "",
            *(f"{bullet}{line.strip()}" if markdown else line for line in _baseline_lines(comparison)),
        ]
    return "\n".join(lines) + "\n"


def _junit(run: EvalRun) -> str:
    suites = ET.Element("testsuites")
    failures = sum(c.status == "fail" for c in run.cases)
    errors = sum(c.status == "error" for c in run.cases)
    suite = ET.SubElement(suites, "testsuite", name=f"launchready eval {run.suite}", tests=str(len(run.cases)),
                          failures=str(failures), errors=str(errors), time=f"{run.wall_s:.3f}")  # fmt: skip
    for case in run.cases:
        element = ET.SubElement(suite, "testcase", classname="launchready.eval", name=case.id,
                                time=f"{(case.latency_ms or 0) / 1000:.3f}")  # fmt: skip
        if case.status == "fail":
            ET.SubElement(element, "failure", message=_why(case)[:500]).text = case.answer_excerpt
        elif case.status == "error":
            ET.SubElement(element, "error", message=_why(case)[:500])
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _html(run: EvalRun, comparison: Comparison | None) -> str:
    e = html.escape
    rows = "".join(
        f"<tr class='{c.status}'><td>{e(c.status.upper())}</td><td>{e(c.id)}</td>"
        f"<td>{c.latency_ms or 0:.0f}</td><td>{'' if c.ttft_ms is None else f'{c.ttft_ms:.0f}'}</td>"
        f"<td>{e(_why(c))}</td><td><code>{e(c.answer_excerpt)}</code></td></tr>"
        for c in run.cases
    )
    baseline = ""
    if comparison is not None:
        items = "".join(f"<li>{e(line.strip())}</li>" for line in _baseline_lines(comparison)[1:])
        baseline = f"<h2>Compared with {e(comparison.baseline)}</h2><ul>{items}</ul>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>launchready eval: {e(run.suite)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}}tr.fail td:first-child,
tr.error td:first-child{{color:#b00;font-weight:bold}}tr.pass td:first-child{{color:#070}}</style></head>
<body><h1>launchready eval: {e(run.suite)}</h1><p>{e(_summary(run))}</p>{baseline}
<table><tr><th>result</th><th>case</th><th>latency ms</th><th>TTFT ms</th><th>why</th><th>answer</th></tr>
{rows}</table></body></html>
"""
