"""launchready: can this AI chatbot product survive real users without embarrassing failures?"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("launchready")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

__all__ = ["__version__"]
