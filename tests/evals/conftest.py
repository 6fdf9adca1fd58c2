"""The lab chat fixtures live in ``tests/redteam/chatlab.py``; re-exported here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "redteam"))

from chatlab import backend, http_to, tls_files

__all__ = ["backend", "http_to", "tls_files"]
