"""The handover tests' shared chromium (tests/browser.py)."""

from browser import browser  # noqa: F401 - the shared chromium fixture (tests/browser.py)
