"""Re-export the lab chat fixtures (``chatlab.py``); ``fake_products.py`` holds the one-behaviour backends."""

from chatlab import backend, http_to, tls_files

__all__ = ["backend", "http_to", "tls_files"]
