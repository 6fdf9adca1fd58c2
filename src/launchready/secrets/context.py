"""Where a secret was found, and whether it is a published sample: context that decides how bad it is.

A framework's docs, a test fixture or a tutorial legitimately hold key-shaped strings, and famous sample
values (AWS's ``AKIAIOSFODNN7EXAMPLE``, jwt.io's token, Stripe's docs test key) are copied everywhere. Failing
CI on them teaches a team to switch the scanner off, so they are *kept* (a real key pasted into a test still
needs rotating, and the report still names it) but classed as examples: low severity, a warning, and the
reason in the evidence. Judged on the path relative to the repository root only, never the absolute path
(a checkout under ``/home/ci/tests/`` is not an example).
"""

from __future__ import annotations

from pathlib import PurePosixPath

EXAMPLE_DIRS = frozenset(
    {"test", "tests", "__tests__", "testdata", "spec", "docs", "doc", "examples", "example", "fixtures",
     "fixture", "__fixtures__", "samples"}
)  # fmt: skip
"""A directory with one of these names (at any depth) holds examples, tests or documentation."""

KNOWN_SAMPLES: dict[str, str] = {
    "AKIAIOSFODNN7EXAMPLE": "AWS's documented example access key id",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": "AWS's documented example secret access key",
    (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
        "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    ): "jwt.io's sample token",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc": "Stripe's documented test key",
    "pk_test_TYooMQauvdEDq54NiTphI7jx": "Stripe's documented test publishable key",
}
"""Values providers and tools publish in their docs: anyone may hold them, they open nothing."""

_MIN_OVERLAP = 16


def known_sample(value: str) -> str | None:
    """Why ``value`` is a published sample (it is one, or a long enough piece of one), else None."""
    for sample, why in KNOWN_SAMPLES.items():
        if sample in value or (len(value) >= _MIN_OVERLAP and value in sample):
            return why
    return None


def example_location(rel_path: str) -> str | None:
    """Why a repository-relative path holds examples (``under tests/``), else None."""
    for part in PurePosixPath(rel_path).parts[:-1]:
        if part.lower() in EXAMPLE_DIRS:
            return f"under {part}/"
    return None


def example_reason(rel_path: str, sample: str | None) -> str | None:
    """The reason a finding is classed as an example, or None for a real leak."""
    if sample:
        return f"a published sample value ({sample})"
    where = example_location(rel_path)
    return f"found {where} (tests, docs and examples hold sample values)" if where else None
