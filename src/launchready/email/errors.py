"""The typed parse errors of the email-record parsers: the only exceptions they raise.

    EmailParseError              message + 0-based position in the record text
    ├── SpfParseError            RFC 7208 section 12 grammar (a permerror when evaluating)
    ├── DmarcParseError          RFC 9989 record syntax
    ├── DkimParseError           RFC 6376 section 3.6.1 key record syntax
    ├── MtaStsParseError         RFC 8461 TXT record and policy file
    └── TlsRptParseError         RFC 8460 section 3 record syntax

The position lets a finding point at the exact character to fix (``v=spf1 ip4:1.2.3.4/33 -all``, column 11).
"""

from __future__ import annotations


class EmailParseError(ValueError):
    """A record that does not follow its grammar; ``position`` is where the problem starts."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(f"{message} (at position {position})")
        self.reason = message
        self.position = position


class SpfParseError(EmailParseError):
    pass


class DmarcParseError(EmailParseError):
    pass


class DkimParseError(EmailParseError):
    pass


class MtaStsParseError(EmailParseError):
    pass


class TlsRptParseError(EmailParseError):
    pass
