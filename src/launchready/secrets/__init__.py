"""Secret scanning: rules as data, a Hyperscan matcher, and the sources it reads.

The pipeline, one module per step: ``rules`` (load ``rules.toml``) → ``matcher`` (find and confirm in bytes)
→ ``redaction`` (what may ever be shown: provider prefix + last four, keyed fingerprint) → ``context``
(examples: tests/docs paths, published sample values) → sources: ``tree`` (working tree and build output),
``history`` (every reachable blob, via ``gitcli``), ``logs`` (prompts in logs), ``envfiles`` and
``environments`` → ``suppress`` (ignore file, baseline) → ``scan`` (one scan of a repository).
``logging_filter`` is for users' apps. Findings are built from a scan by ``launchready.checks.secrets.findings``;
the scans are cancellable (``launchready.engine.cpu``), so a deadline cuts them cleanly.
"""

from launchready.secrets.matcher import Matcher, SecretMatch
from launchready.secrets.redaction import RedactedSecret, fingerprint, fingerprint_key
from launchready.secrets.rules import Exposure, SecretRule, load_rules
from launchready.secrets.scan import ScanOptions, SecretsScan, scan_repository

__all__ = [
    "Exposure",
    "Matcher",
    "RedactedSecret",
    "ScanOptions",
    "SecretMatch",
    "SecretRule",
    "SecretsScan",
    "fingerprint",
    "fingerprint_key",
    "load_rules",
    "scan_repository",
]
