"""The lab (``launchready demo``, ``lab up``) needs the ``lab`` extra; say so in one line when it is absent.

The plain install that users put in CI does not pull FastAPI, uvicorn and trustme; only the lab serves a
product, so only the lab needs them.
"""

from __future__ import annotations

import importlib.util

LAB_PACKAGES = ("fastapi", "uvicorn", "trustme", "limits")
INSTALL_HINT = "pip install 'launchready[lab]'"


def missing_lab_packages() -> list[str]:
    """The lab's third-party packages that cannot be imported here."""
    return [name for name in LAB_PACKAGES if importlib.util.find_spec(name) is None]


def require_lab() -> None:
    """Exit 2 with the install command when the lab extra is not installed."""
    missing = missing_lab_packages()
    if missing:
        from launchready.cli.common import fail_usage

        raise fail_usage(f"the lab needs the 'lab' extra ({', '.join(missing)} missing): {INSTALL_HINT}")
