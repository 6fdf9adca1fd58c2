"""The network seam: one resolver, one HTTP client and one TLS prober, each with its own caps."""

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
