"""The network seam: one resolver, one HTTP client and one TLS prober, each with its own caps.

The names are loaded on first use (PEP 562): ``launchready spf`` needs the resolver, not aiohttp, and
importing aiohttp costs a CLI call about 0.15 s. ``from launchready.net import HttpClient`` works as before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launchready.net.dns import DnsAnswer, DnsResolver, DnsStatus, parse_nameserver
    from launchready.net.errors import (
        ConnectError,
        DnsError,
        DnsServerFailure,
        DnsTimeout,
        HttpProtocolError,
        HttpTimeout,
        NetError,
        TlsError,
        TlsVerifyError,
        TooManyRedirects,
    )
    from launchready.net.http import HttpClient, HttpResponse, RedirectHop
    from launchready.net.limits import Limits
    from launchready.net.tls import TlsObservation, TlsProber

_MODULE_OF = {
    **dict.fromkeys(("DnsAnswer", "DnsResolver", "DnsStatus", "parse_nameserver"), "dns"),
    **dict.fromkeys(
        (
            "ConnectError",
            "DnsError",
            "DnsServerFailure",
            "DnsTimeout",
            "HttpProtocolError",
            "HttpTimeout",
            "NetError",
            "TlsError",
            "TlsVerifyError",
            "TooManyRedirects",
        ),
        "errors",
    ),
    **dict.fromkeys(("HttpClient", "HttpResponse", "RedirectHop"), "http"),
    "Limits": "limits",
    **dict.fromkeys(("TlsObservation", "TlsProber"), "tls"),
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'launchready.net' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"launchready.net.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ConnectError",
    "DnsAnswer",
    "DnsError",
    "DnsResolver",
    "DnsServerFailure",
    "DnsStatus",
    "DnsTimeout",
    "HttpClient",
    "HttpProtocolError",
    "HttpResponse",
    "HttpTimeout",
    "Limits",
    "NetError",
    "RedirectHop",
    "TlsError",
    "TlsObservation",
    "TlsProber",
    "TlsVerifyError",
    "TooManyRedirects",
    "parse_nameserver",
]
