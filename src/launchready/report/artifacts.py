"""Which renderer draws each run artifact in the HTML report: a table, so a package registers its own.

``ARTIFACT_SECTIONS`` maps an artifact name (``"dns_map"``, ``"load"``...) to a function that receives
``run.artifacts[name]`` and returns an HTML section that escapes everything it prints (it is inserted as
is). Kept apart from ``html`` so registering a renderer, or importing ``launchready.report`` for a JSON or
SARIF gate, does not load Jinja2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _dns_map_section(data: Any) -> str:
    from launchready.checks.dns_edge.dns_map_render import render_dns_map_html

    return render_dns_map_html(data)


def _load_section(data: Any) -> str:
    from launchready.load.html_section import render_load_html

    return render_load_html(data)


def _cost_section(data: Any) -> str:
    from launchready.cost.render import render_html_section

    return render_html_section(data)


def _handover_section(data: Any) -> str:
    from launchready.handover.render import render_section_html

    return render_section_html(data)


ARTIFACT_SECTIONS: dict[str, Callable[[Any], str]] = {
    "dns_map": _dns_map_section,
    "load": _load_section,
    "cost": _cost_section,
    "handover": _handover_section,
}
"""Artifact name -> HTML section renderer. Register with ``ARTIFACT_SECTIONS["name"] = fn``."""
