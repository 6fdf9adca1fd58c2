"""The lab product's FastAPI backend with a fake streaming LLM (see ``app.py`` for the planted risks)."""

from launchready.lab.backend.app import create_app
from launchready.lab.backend.fake_llm import FLAKY_MARKER, STALL_MARKER, FakeLlmSettings

__all__ = ["FLAKY_MARKER", "STALL_MARKER", "FakeLlmSettings", "create_app"]
