"""``launchready cost``: monthly LLM spend from traffic or a saved run's recorded usage.

``prices`` (dated price data, user overrides), ``usage`` (tokens and error rate read from saved runs),
``probe`` (the long-input probe's size from a saved audit: the worst case per call), ``estimate`` (the
formula, written out in its docstring so a founder can redo it by hand) and ``render``.
"""

from __future__ import annotations

from launchready.cost.estimate import CHARS_PER_TOKEN, Estimate, Traffic, breakdown, estimate, worst_case
from launchready.cost.prices import ModelPrice, PriceBook, PriceFileError, load_prices, packaged_prices
from launchready.cost.probe import probe_from_run
from launchready.cost.render import (
    render_html_section,
    render_json,
    render_markdown,
    render_terminal,
    to_document,
)
from launchready.cost.usage import CombinedUsage, RecordedUsage, combine, read_usage

__all__ = [
    "CHARS_PER_TOKEN",
    "CombinedUsage",
    "Estimate",
    "ModelPrice",
    "PriceBook",
    "PriceFileError",
    "RecordedUsage",
    "Traffic",
    "breakdown",
    "combine",
    "estimate",
    "load_prices",
    "packaged_prices",
    "probe_from_run",
    "read_usage",
    "render_html_section",
    "render_json",
    "render_markdown",
    "render_terminal",
    "to_document",
    "worst_case",
]
