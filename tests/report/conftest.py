"""The report tests' fixture: the fixed sample run from ``report_sample``."""

from __future__ import annotations

import pytest
from report_sample import sample_run

from launchready.engine.runner import AuditRun


@pytest.fixture
def run() -> AuditRun:
    return sample_run()
