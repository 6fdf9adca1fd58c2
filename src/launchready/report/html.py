"""One self-contained HTML file, rendered from Jinja2 templates (``report/templates/``) with autoescape on.

It is the file a founder forwards, opens from an e-mail or attaches to a ticket, so it must work offline and
show the same thing everywhere: inline CSS, no script, no external asset. Top of the page: the verdict,
the "no DNS at all" notice when it applies, the root causes (each with what it blocked, collapsed), then at
most ``MUST_DO_SHOWN`` must-do items with their snippets or their manual check; the rest of the must-do
list, the other risks, what can wait and every finding sit in collapsed ``<details>`` (``show_all`` opens
them and lists everything at the top level).

Every string from a finding is attacker-controlled (a page title, a header, a DNS TXT record): the
templates autoescape every value, and nothing is marked safe except the sections of registered artifact
renderers below. The page never overflows its width: long DKIM keys, URLs and tokens wrap
(``overflow-wrap:anywhere``), snippets wrap inside their box, and wide tables scroll inside theirs
(``.scroll``), which the Playwright screenshot test checks at 1400 and 390 px.

Run artifacts (the DNS map, load results...) are drawn by ``ARTIFACT_SECTIONS`` (``report/artifacts.py``);
any artifact without a renderer gets the generic view (a key/value table, or masked JSON in ``<details>``).
A registered renderer must escape what it prints: its output is inserted as is.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from launchready.findings import Status
from launchready.report.artifacts import ARTIFACT_SECTIONS
from launchready.report.details import detail_rows, pretty_json
from launchready.report.model import Report, Tally
from launchready.report.text import (
    MUST_DO_SHOWN,
    also_blocked,
    counts_line,
    evidence,
    item_what,
    offline_notice,
    per_host_note,
    stage_cell,
)

TOP_RISKS = 10


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("launchready.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _css() -> str:
    return (
        resources.files("launchready.report").joinpath("templates", "report.css").read_text(encoding="utf-8")
    )


def _stage_numbers(t: Tally) -> list[int]:
    c = t.counts
    return [
        c[Status.FAIL],
        c[Status.UNVERIFIABLE],
        c[Status.WARN],
        c[Status.PASS],
        c[Status.NOT_ASSESSED],
        t.blockers,
    ]


_HELPERS = SimpleNamespace(
    counts_line=counts_line,
    evidence=evidence,
    item_what=item_what,
    also_blocked=also_blocked,
    stage_cell=stage_cell,
    per_host_note=per_host_note,
    stage_numbers=_stage_numbers,
    detail_rows=detail_rows,
)


def generic_artifact_section(name: str, data: Any) -> str:
    """A readable fallback: a key/value table for a flat mapping, masked JSON otherwise."""
    rows = None
    if isinstance(data, dict) and data and all(not isinstance(v, dict | list) for v in data.values()):
        rows = detail_rows({str(k): v for k, v in data.items()})
    template = _environment().get_template("artifact.html")
    return template.render(name=name, rows=rows, text=None if rows is not None else pretty_json(data))


def _artifact_section(name: str, data: Any) -> str:
    """The registered renderer's section, or the generic view when none is registered or the data does
    not have the shape it expects (an older saved run, say): the artifact is still shown, never dropped."""
    hook = ARTIFACT_SECTIONS.get(name)
    if hook is None:
        return generic_artifact_section(name, data)
    try:
        return hook(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return generic_artifact_section(name, data)


def render(report: Report, show_all: bool = False) -> str:
    """The HTML page of ``report``; ``show_all`` lists every item at the top level and opens the rest."""
    artifacts = report.run.artifacts
    roots = report.root_causes
    must_do = report.plan.must_do_now
    others = report.risks  # root causes first: the top of the risk list, in full (the list above is compact)
    tone = "blocked" if report.summary.blockers else "ok" if not report.counts[Status.FAIL] else ""
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            run=report.run,
            h=_HELPERS,
            css=Markup(_css()),  # our own stylesheet, package data: the one literal block of the page
            tone=tone,
            notice=offline_notice(report),
            roots=roots,
            must_do=must_do,
            shown=len(must_do) if show_all else MUST_DO_SHOWN,
            others=others,
            top=len(others) if show_all else TOP_RISKS,
            show_all=show_all,
            covered=", ".join(s.value for s in report.covered_stages) or "nothing",
            incomplete=report.incomplete_attempts,
            artifacts=[Markup(_artifact_section(name, artifacts[name])) for name in sorted(artifacts)],
        )
    )
