"""Email authentication checks (stage dns-edge): SPF, DMARC, DKIM, MX, MTA-STS and TLS-RPT."""

from launchready.checks.email.dkim import DkimKeys
from launchready.checks.email.dmarc import DmarcPolicy
from launchready.checks.email.mx import MailExchangers
from launchready.checks.email.spf import SpfPolicy
from launchready.checks.email.transport import MailTransportSecurity

EMAIL_CHECKS = (SpfPolicy, DmarcPolicy, DkimKeys, MailExchangers, MailTransportSecurity)

__all__ = ["EMAIL_CHECKS", "DkimKeys", "DmarcPolicy", "MailExchangers", "MailTransportSecurity", "SpfPolicy"]
