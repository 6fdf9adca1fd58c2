"""Re-export the lab chat fixtures (``chatlab.py``)."""

from chatlab import backend, http_to, tls_files

__all__ = ["backend", "http_to", "tls_files"]
