"""Performance probes (roadmap stage 5), opt-in with ``--with performance`` because they send load."""

from launchready.checks.performance.cache import CacheHitRate
from launchready.checks.performance.chat_timeout import ChatTimeout
from launchready.checks.performance.isolation import Isolation
from launchready.checks.performance.payload import OversizedInput
from launchready.checks.performance.ratelimit import ChatRateLimit, LoginRateLimit
from launchready.checks.performance.retry import RetryOnTransientFailure
from launchready.checks.performance.ttft import TimeToFirstToken

__all__ = [
    "CacheHitRate",
    "ChatRateLimit",
    "ChatTimeout",
    "Isolation",
    "LoginRateLimit",
    "OversizedInput",
    "RetryOnTransientFailure",
    "TimeToFirstToken",
]
