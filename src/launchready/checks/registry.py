"""The explicit list of every check launchready runs. Adding a check: one module, one test, one line here."""

from __future__ import annotations

from launchready.checks.interface import Check


def all_checks() -> list[Check]:
    """Fresh instances of every registered check, in report order."""
    from launchready.checks.dns_edge.resolution import HostsResolve
    from launchready.checks.secure_delivery.certificate import CertificateValid
    from launchready.checks.secure_delivery.hsts import HstsPresent
    from launchready.checks.secure_delivery.https_redirect import HttpsRedirect

    return [
        HostsResolve(),
        HttpsRedirect(),
        CertificateValid(),
        HstsPresent(),
    ]
