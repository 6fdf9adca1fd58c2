"""The email-authentication rules (roadmap stage 2: "onboarding mails and receipts land in spam" is a
launch failure). What each rule is (wording, fix, snippets, manual check) lives in ``rules/data/dns-edge.toml``;
the checks of this package refer to them by these names.
"""

from __future__ import annotations

from launchready.rules import rule

SPF_MISSING = rule("email.spf.missing")
SPF_MULTIPLE = rule("email.spf.multiple")
SPF_SYNTAX = rule("email.spf.syntax")
SPF_LOOKUPS = rule("email.spf.lookup-limit")
SPF_ALL = rule("email.spf.all-qualifier")
SPF_PTR = rule("email.spf.ptr")
DMARC_MISSING = rule("email.dmarc.missing")
DMARC_SYNTAX = rule("email.dmarc.syntax")
DMARC_POLICY = rule("email.dmarc.policy-none")
DMARC_SUBDOMAINS = rule("email.dmarc.subdomain-policy")
DMARC_REMOVED = rule("email.dmarc.removed-tags")
DMARC_REPORTING = rule("email.dmarc.reporting")
DMARC_REPORT_AUTH = rule("email.dmarc.report-authorization")
DMARC_ALIGNMENT = rule("email.dmarc.alignment")
DKIM_MISSING = rule("email.dkim.missing")
DKIM_WEAK = rule("email.dkim.weak-key")
DKIM_REVOKED = rule("email.dkim.revoked")
DKIM_TESTING = rule("email.dkim.testing")
DKIM_SYNTAX = rule("email.dkim.syntax")
MX_MISSING = rule("email.mx.missing")
MX_TARGET = rule("email.mx.target-invalid")
NO_MAIL = rule("email.nomail.unprotected")
MTA_STS_MISSING = rule("email.mta-sts.missing")
MTA_STS_INVALID = rule("email.mta-sts.policy-invalid")
MTA_STS_MODE = rule("email.mta-sts.mode")
MTA_STS_MX = rule("email.mta-sts.mx-mismatch")
TLSRPT_MISSING = rule("email.tlsrpt.missing")
TLSRPT_INVALID = rule("email.tlsrpt.invalid")
