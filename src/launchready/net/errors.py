"""launchready's own network errors: the only ones that cross into checks.

Library errors (dnspython, aiohttp, ssl, OSError) are translated at one boundary per seam, in
``dns.py``, ``http.py`` and ``tls.py``. Checks catch ``NetError`` and report *unverifiable* with its message.

    NetError
    ├── DnsError
    │   ├── DnsTimeout          no answer from any nameserver in time
    │   └── DnsServerFailure    SERVFAIL / REFUSED / malformed answer
    ├── ConnectError            TCP connect refused, unreachable, or timed out
    ├── TlsError
    │   └── TlsVerifyError      handshake done, but the certificate did not verify
    ├── HttpTimeout             no complete answer within the read / total budget
    ├── HttpProtocolError       the server spoke something that is not HTTP
    └── TooManyRedirects        the redirect cap was hit (a loop or a long chain)

NXDOMAIN and NODATA are *answers*, not errors: ``DnsAnswer`` carries them.
"""

from __future__ import annotations


class NetError(Exception):
    """Base class: a network operation could not give an answer."""


class DnsError(NetError):
    pass


class DnsTimeout(DnsError):
    pass


class DnsServerFailure(DnsError):
    def __init__(self, message: str, rcode: str | None = None) -> None:
        super().__init__(message)
        self.rcode = rcode
        """``SERVFAIL``, ``REFUSED``... when a server answered with an error; ``None`` otherwise."""


class ConnectError(NetError):
    pass


class TlsError(NetError):
    pass


class TlsVerifyError(TlsError):
    pass


class HttpTimeout(NetError):
    pass


class HttpProtocolError(NetError):
    pass


class TooManyRedirects(NetError):
    pass
