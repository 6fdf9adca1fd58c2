"""``launchready load``: an open-model load generator (or Locust, distributed), judged against the targets."""

from launchready.load.generator import LoadPlan
from launchready.load.results import LoadResults, RouteResult
from launchready.load.run import LoadEngine, LoadOptions, audit_run_of, load_audit_run, run_load
from launchready.load.scenario import Scenario, ScenarioError, Step, build_scenario
from launchready.load.verdicts import LOAD_RULES

__all__ = [
    "LOAD_RULES",
    "LoadEngine",
    "LoadOptions",
    "LoadPlan",
    "LoadResults",
    "RouteResult",
    "Scenario",
    "ScenarioError",
    "Step",
    "audit_run_of",
    "build_scenario",
    "load_audit_run",
    "run_load",
]
