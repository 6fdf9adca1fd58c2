"""The explicit list of every check launchready runs. Adding a check: one module, one test, one line here."""

from __future__ import annotations

from launchready.checks.interface import Check


def all_checks() -> list[Check]:
    """Fresh instances of every registered check, in report order."""
    from launchready.checks.database import DatabaseReview
    from launchready.checks.deploy import (
        DeployConfigSecrets,
        DeployPipeline,
        EnvExampleComplete,
        EnvFilesShipped,
        MigrationOrder,
        ReversibleMigrations,
        RollbackReady,
        WorkflowSafety,
    )
    from launchready.checks.dns_edge.edge import EdgeDetection
    from launchready.checks.dns_edge.inventory import SubdomainInventory
    from launchready.checks.dns_edge.origin import OriginStrict
    from launchready.checks.dns_edge.resolution import HostsResolve
    from launchready.checks.dns_edge.takeover import DanglingRecords
    from launchready.checks.dns_edge.zone_health import ZoneHealth
    from launchready.checks.email import (
        DkimKeys,
        DmarcPolicy,
        MailExchangers,
        MailTransportSecurity,
        SpfPolicy,
    )
    from launchready.checks.performance import (
        CacheHitRate,
        ChatRateLimit,
        ChatTimeout,
        Isolation,
        LoginRateLimit,
        OversizedInput,
        RetryOnTransientFailure,
        TimeToFirstToken,
    )
    from launchready.checks.redteam import RedTeamPass
    from launchready.checks.secrets.bundles import SecretsInBundles
    from launchready.checks.secrets.envfiles import EnvFilesGuarded
    from launchready.checks.secrets.environments import EnvironmentsSeparated
    from launchready.checks.secrets.history import SecretsInHistory
    from launchready.checks.secrets.logs import SecretsInLogs
    from launchready.checks.secrets.source import SecretsInSource
    from launchready.checks.secure_delivery.caching import Caching
    from launchready.checks.secure_delivery.canonical_link import CanonicalLink
    from launchready.checks.secure_delivery.certificate import CertificateValid
    from launchready.checks.secure_delivery.cookies import SessionCookies
    from launchready.checks.secure_delivery.cors import CorsPolicy
    from launchready.checks.secure_delivery.hsts import HstsPresent
    from launchready.checks.secure_delivery.hsts_policy import HstsPolicyStrength
    from launchready.checks.secure_delivery.https_redirect import HttpsRedirect
    from launchready.checks.secure_delivery.payloads import Payloads
    from launchready.checks.secure_delivery.redirects import RedirectPolicy
    from launchready.checks.secure_delivery.security_headers import SecurityHeaders
    from launchready.checks.secure_delivery.tls_depth import TlsDepth

    return [
        HostsResolve(),
        HttpsRedirect(),
        CertificateValid(),
        HstsPresent(),
        ZoneHealth(),
        SpfPolicy(),
        DmarcPolicy(),
        DkimKeys(),
        MailExchangers(),
        MailTransportSecurity(),
        SubdomainInventory(),
        DanglingRecords(),
        EdgeDetection(),
        OriginStrict(),
        RedirectPolicy(),
        CanonicalLink(),
        TlsDepth(),
        HstsPolicyStrength(),
        SecurityHeaders(),
        SessionCookies(),
        CorsPolicy(),
        Caching(),
        Payloads(),
        SecretsInSource(),
        SecretsInHistory(),
        SecretsInBundles(),
        SecretsInLogs(),
        EnvFilesGuarded(),
        EnvironmentsSeparated(),
        DatabaseReview(),  # only with [database] dsn
        DeployPipeline(),
        MigrationOrder(),
        ReversibleMigrations(),
        RollbackReady(),
        DeployConfigSecrets(),
        WorkflowSafety(),
        EnvExampleComplete(),
        EnvFilesShipped(),
        # performance (opt-in); they run one at a time, in this order, rate limits last (see probe.py)
        TimeToFirstToken(),
        OversizedInput(),
        RetryOnTransientFailure(),
        ChatTimeout(),
        CacheHitRate(),
        Isolation(),
        LoginRateLimit(),
        ChatRateLimit(),
        RedTeamPass(),  # red team (opt-in): every probe at once inside one chat budget
    ]
