"""``launchready handover``: the pack a founder keeps when the builder hands production over.

Roadmap stage 7 ("transfer ownership without losing operational control"). ``inputs`` finds the config's
latest saved reports (audit, monitor run, load run, cost estimate, drill history); one module per section
(``where``, ``owners``, ``rotation``, ``email_verify``, ``alerts``, ``rollback``, ``risks``, ``scale``)
turns them into claims with evidence and names what is missing; ``completeness`` makes those gaps findings
of stage handover; ``pack`` builds it all and ``render`` draws Markdown, HTML and JSON. Provider
signatures, rotation steps and the pack's fixed text are data (``data/*.toml``).
"""

from __future__ import annotations

from launchready.handover.inputs import HandoverInputs, gather
from launchready.handover.model import Claim, Evidence, Missing, Pack, Section, Table
from launchready.handover.pack import PDF_NOTE, build_pack, pack_document
from launchready.handover.render import render_html, render_json, render_markdown

__all__ = [
    "PDF_NOTE",
    "Claim",
    "Evidence",
    "HandoverInputs",
    "Missing",
    "Pack",
    "Section",
    "Table",
    "build_pack",
    "gather",
    "pack_document",
    "render_html",
    "render_json",
    "render_markdown",
]
