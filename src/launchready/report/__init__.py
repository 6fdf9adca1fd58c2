"""Reports: the ranked risk list, the fix plan and per-stage readiness, in five formats.

``render(run, fmt)`` is the one entry point; each format is a pure function in its own module.
"""
