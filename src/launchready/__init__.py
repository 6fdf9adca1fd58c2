"""launchready: can this AI chatbot product survive real users without embarrassing failures?"""

__version__ = "0.1.0"
"""The one place the version is written: ``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``).

A literal rather than ``importlib.metadata.version()``, which costs ~0.1 s of imports on every start.
"""

__all__ = ["__version__"]
