"""The report tests' fixtures: the fixed sample run from ``report_sample`` and the shared browser."""

from __future__ import annotations

import pytest
from browser import browser  # noqa: F401 - the shared chromium fixture (tests/browser.py)
from report_sample import sample_run

from launchready.engine.runner import AuditRun


@pytest.fixture
def run() -> AuditRun:
    return sample_run()
