"""The monitor tests reuse the database review's throwaway PostgreSQL cluster fixture."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "database_review_conftest", Path(__file__).parents[1] / "checks" / "database" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module  # dataclasses look their module up there
_spec.loader.exec_module(_module)
pg_cluster = _module.pg_cluster
