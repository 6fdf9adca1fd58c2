"""The email-authentication rules (roadmap stage 2: "onboarding mails and receipts land in spam" is a
launch failure). Each says in plain words which record to publish; the zone-file snippets are ready to paste.
"""

from __future__ import annotations

from launchready.findings import Fix, Impact, RuleSpec, Severity, Stage

_SPAM = Impact(launch_delay=1, support_load=3, customer_trust=2)
_SPOOF = Impact(launch_delay=1, support_load=2, customer_trust=3)
_MINOR = Impact(launch_delay=0, support_load=1, customer_trust=1)
RFC7208 = "https://www.rfc-editor.org/rfc/rfc7208"
RFC9989 = "https://www.rfc-editor.org/rfc/rfc9989"
RFC6376 = "https://www.rfc-editor.org/rfc/rfc6376"
RFC8461 = "https://www.rfc-editor.org/rfc/rfc8461"
RFC8460 = "https://www.rfc-editor.org/rfc/rfc8460"
RFC7505 = "https://www.rfc-editor.org/rfc/rfc7505"


def _rule(
    rule_id: str, title: str, severity: Severity, description: str, impact: Impact, fix: Fix
) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=title,
        stage=Stage.DNS_EDGE,
        severity=severity,
        description=description,
        impact=impact,
        fix=fix,
    )


_SPF_SNIPPET = {"zone-file": '@  3600  IN  TXT  "v=spf1 include:_spf.your-mail-provider.example -all"'}

SPF_MISSING = _rule(
    "email.spf.missing",
    "No SPF record",
    Severity.HIGH,
    "Every domain that sends mail publishes one SPF record listing who may send for it (RFC 7208).",
    _SPAM,
    Fix(
        summary="Publish one TXT record starting with v=spf1 that includes your mail providers and ends "
        "in -all.",
        snippets=_SPF_SNIPPET,
        references=(RFC7208,),
    ),
)
SPF_MULTIPLE = _rule(
    "email.spf.multiple",
    "More than one SPF record",
    Severity.HIGH,
    "A domain publishes exactly one v=spf1 record; two or more make every SPF check a permerror "
    "(RFC 7208 4.5).",
    _SPAM,
    Fix(
        summary="Merge the records into one: keep one v=spf1, put every include in it, one final -all.",
        snippets=_SPF_SNIPPET,
        references=(RFC7208 + "#section-4.5",),
    ),
)
SPF_SYNTAX = _rule(
    "email.spf.syntax",
    "SPF record has a syntax error",
    Severity.HIGH,
    "The SPF record follows the RFC 7208 grammar; any error makes every check a permerror (section 4.6).",
    _SPAM,
    Fix(
        summary="Fix the term at the reported position (the evidence quotes it).",
        references=(RFC7208 + "#section-12",),
    ),
)
SPF_LOOKUPS = _rule(
    "email.spf.lookup-limit",
    "SPF needs too many DNS lookups",
    Severity.HIGH,
    "Evaluating the record takes at most 10 DNS-querying terms (include, a, mx, ptr, exists, redirect) "
    "and at most 2 void lookups, counted through every include (RFC 7208 4.6.4); past that, receivers "
    "return permerror and the mail fails SPF.",
    _SPAM,
    Fix(
        summary="Remove includes of providers you no longer use, replace a/mx by ip4/ip6 ranges, or "
        "move a provider to its own sending subdomain.",
        references=(RFC7208 + "#section-4.6.4",),
    ),
)
SPF_ALL = _rule(
    "email.spf.all-qualifier",
    "SPF does not end in -all",
    Severity.HIGH,
    "The record ends in -all (fail for everyone else). +all or ?all authorize anyone (fail); ~all only "
    "marks strangers as suspicious (warn).",
    _SPOOF,
    Fix(
        summary="End the record with -all once every legitimate sender is listed.",
        snippets=_SPF_SNIPPET,
        references=(RFC7208 + "#section-5.1",),
    ),
)
SPF_PTR = _rule(
    "email.spf.ptr",
    "SPF uses the deprecated ptr mechanism",
    Severity.LOW,
    "The ptr mechanism is slow, unreliable and deprecated (RFC 7208 5.5); many receivers skip it.",
    _MINOR,
    Fix(
        summary="Replace ptr by ip4:/ip6: ranges or an include of your provider.",
        references=(RFC7208 + "#section-5.5",),
    ),
)

_DMARC_SNIPPET = {
    "zone-file": '_dmarc  3600  IN  TXT  "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com"'
}
DMARC_MISSING = _rule(
    "email.dmarc.missing",
    "No DMARC record",
    Severity.HIGH,
    "The domain (or its organizational domain, found by the RFC 9989 DNS tree walk) publishes a DMARC "
    "policy, so receivers know what to do with mail that fails SPF and DKIM.",
    _SPOOF,
    Fix(
        summary="Publish _dmarc.<domain> with p=none and rua first, then move to quarantine/reject.",
        snippets=_DMARC_SNIPPET,
        references=(RFC9989,),
    ),
)
DMARC_SYNTAX = _rule(
    "email.dmarc.syntax",
    "DMARC record has a syntax error",
    Severity.HIGH,
    "The DMARC record is one v=DMARC1 tag list with valid values (RFC 9989 4.7).",
    _SPOOF,
    Fix(summary="Fix the tag at the reported position.", snippets=_DMARC_SNIPPET, references=(RFC9989,)),
)
DMARC_POLICY = _rule(
    "email.dmarc.policy-none",
    "DMARC policy does not protect the domain",
    Severity.MEDIUM,
    "The DMARC policy that applies is quarantine or reject and not in testing mode (t=y): p=none only "
    "monitors, so anyone can send mail as your domain.",
    _SPOOF,
    Fix(
        summary="After a week or two of clean aggregate reports, set p=quarantine, then p=reject.",
        snippets=_DMARC_SNIPPET,
        references=(RFC9989,),
    ),
)
DMARC_SUBDOMAINS = _rule(
    "email.dmarc.subdomain-policy",
    "DMARC is weaker for subdomains",
    Severity.LOW,
    "sp= (existing subdomains) and np= (non-existent subdomains, RFC 9989) are not weaker than p=, or "
    "spoofers simply use a subdomain.",
    _MINOR,
    Fix(
        summary="Drop sp=/np= (they inherit p=) or set them to the same strength as p=.",
        references=(RFC9989,),
    ),
)
DMARC_REMOVED = _rule(
    "email.dmarc.removed-tags",
    "DMARC uses tags removed by RFC 9989",
    Severity.LOW,
    "pct, rf and ri were removed by RFC 9989: current receivers ignore them, RFC 7489-only receivers "
    "still apply them (pct<100 means only that share of failing mail gets the policy).",
    _MINOR,
    Fix(
        summary="Remove pct=, rf= and ri=; use t=y instead of a low pct while testing.", references=(RFC9989,)
    ),
)
DMARC_REPORTING = _rule(
    "email.dmarc.reporting",
    "DMARC sends no aggregate reports",
    Severity.MEDIUM,
    "The record has rua= so you learn who sends as your domain before tightening the policy.",
    _MINOR,
    Fix(
        summary="Add rua=mailto:<an inbox or a DMARC report service you read>.",
        snippets=_DMARC_SNIPPET,
        references=(RFC9989,),
    ),
)
DMARC_REPORT_AUTH = _rule(
    "email.dmarc.report-authorization",
    "External DMARC report destination not authorized",
    Severity.MEDIUM,
    "A rua/ruf address outside your domain must publish <your-domain>._report._dmarc.<its-domain> "
    '"v=DMARC1", or receivers drop the reports.',
    _MINOR,
    Fix(
        summary="Ask the report service to authorize your domain, or publish the record in its zone "
        "if it is yours.",
        snippets={"zone-file": 'example.com._report._dmarc.reports.example.net.  IN  TXT  "v=DMARC1"'},
        references=(RFC9989,),
    ),
)
DMARC_ALIGNMENT = _rule(
    "email.dmarc.alignment",
    "DMARC strict alignment with subdomain senders",
    Severity.LOW,
    "Strict alignment (aspf=s / adkim=s) only passes when the SPF / DKIM domain equals the From domain; "
    "mail sent through a sending subdomain then fails DMARC. Relaxed (the default) accepts subdomains.",
    _SPAM,
    Fix(
        summary="Use relaxed alignment (remove aspf=s / adkim=s) unless every sender signs with the "
        "exact From domain.",
        references=(RFC9989,),
    ),
)

_DKIM_SNIPPET = {"zone-file": 'sel2025._domainkey  3600  IN  TXT  "v=DKIM1; k=rsa; p=MIIBIjANBg...IDAQAB"'}
DKIM_MISSING = _rule(
    "email.dkim.missing",
    "No DKIM key found",
    Severity.MEDIUM,
    "Each sending domain has a DKIM key at <selector>._domainkey.<domain>; launchready probes the "
    "configured selectors and the common providers' ones.",
    _SPAM,
    Fix(
        summary="Enable DKIM signing at your mail provider and publish its key; tell launchready the "
        'selector with [email] dkim_selectors = ["..."].',
        snippets=_DKIM_SNIPPET,
        references=(RFC6376,),
    ),
)
DKIM_WEAK = _rule(
    "email.dkim.weak-key",
    "DKIM key too short",
    Severity.MEDIUM,
    "RSA DKIM keys have at least 2048 bits; under 1024 receivers ignore the signature (RFC 8301).",
    _SPAM,
    Fix(
        summary="Generate a 2048-bit key at your provider, publish it under a new selector, switch "
        "signing, then revoke the old selector.",
        snippets=_DKIM_SNIPPET,
        references=("https://www.rfc-editor.org/rfc/rfc8301",),
    ),
)
DKIM_REVOKED = _rule(
    "email.dkim.revoked",
    "DKIM selector in use is revoked",
    Severity.HIGH,
    "A configured selector has an empty p= (revoked, RFC 6376 3.6.1): every signature made with it fails.",
    _SPAM,
    Fix(summary="Sign with a live selector and update [email] dkim_selectors.", references=(RFC6376,)),
)
DKIM_TESTING = _rule(
    "email.dkim.testing",
    "DKIM key in testing mode",
    Severity.LOW,
    "t=y tells receivers to treat signatures as unverified test traffic (RFC 6376 3.6.1).",
    _MINOR,
    Fix(summary="Remove t=y from the key record once signing works.", references=(RFC6376,)),
)
DKIM_SYNTAX = _rule(
    "email.dkim.syntax",
    "DKIM key record is malformed",
    Severity.HIGH,
    "The key record is a valid tag list with a decodable public key.",
    _SPAM,
    Fix(
        summary="Copy the key record again from your provider (a truncated p= is the usual cause).",
        snippets=_DKIM_SNIPPET,
        references=(RFC6376,),
    ),
)

MX_MISSING = _rule(
    "email.mx.missing",
    "No MX record",
    Severity.MEDIUM,
    "A domain that sends mail also receives it: replies to receipts and onboarding mail need an MX.",
    _SPAM,
    Fix(
        summary="Publish the MX records your mail provider gives you.",
        snippets={"zone-file": "@  3600  IN  MX  10 mx1.your-mail-provider.example."},
    ),
)
MX_TARGET = _rule(
    "email.mx.target-invalid",
    "MX target is a CNAME, an IP or does not resolve",
    Severity.HIGH,
    "Each MX names a host with its own A/AAAA records: not an alias (RFC 2181 10.3), not an IP literal, "
    "and it resolves (RFC 5321 5.1).",
    _SPAM,
    Fix(
        summary="Point the MX at the provider's canonical host name (the CNAME's target).",
        snippets={"zone-file": "@  3600  IN  MX  10 mx1.your-mail-provider.example."},
    ),
)
NO_MAIL = _rule(
    "email.nomail.unprotected",
    "Domain that sends no mail can be spoofed",
    Severity.MEDIUM,
    "A domain that never sends mail says so: a null MX (RFC 7505) and v=spf1 -all, so nobody accepts "
    "mail claiming to be from it.",
    _SPOOF,
    Fix(
        summary="Publish a null MX and an SPF record that authorizes nobody.",
        snippets={"zone-file": '@  3600  IN  MX   0 .\n@  3600  IN  TXT  "v=spf1 -all"'},
        references=(RFC7505,),
    ),
)

_STS_SNIPPET = {
    "zone-file": '_mta-sts  3600  IN  TXT  "v=STSv1; id=20260101000000"',
    "mta-sts.txt": "version: STSv1\nmode: enforce\nmx: mx1.your-mail-provider.example\nmax_age: 1209600\n",
}
MTA_STS_MISSING = _rule(
    "email.mta-sts.missing",
    "No MTA-STS policy",
    Severity.LOW,
    "MTA-STS (RFC 8461) makes senders deliver to you over verified TLS only.",
    _MINOR,
    Fix(
        summary="Publish _mta-sts TXT and serve the policy at https://mta-sts.<domain>/.well-known/"
        "mta-sts.txt.",
        snippets=_STS_SNIPPET,
        references=(RFC8461,),
    ),
)
MTA_STS_INVALID = _rule(
    "email.mta-sts.policy-invalid",
    "MTA-STS policy unusable",
    Severity.MEDIUM,
    "The _mta-sts record is valid and the policy file is served over HTTPS, status 200, text/plain, "
    "without redirects, with valid syntax (RFC 8461 3).",
    _MINOR,
    Fix(
        summary="Serve the policy exactly at the well-known URL with a valid certificate.",
        snippets=_STS_SNIPPET,
        references=(RFC8461,),
    ),
)
MTA_STS_MODE = _rule(
    "email.mta-sts.mode",
    "MTA-STS not enforced",
    Severity.LOW,
    "The policy is in mode enforce with a max_age of at least a week; testing only reports failures.",
    _MINOR,
    Fix(
        summary="After clean TLS-RPT reports, set mode: enforce and max_age: 1209600 (two weeks), and "
        "change the TXT id.",
        snippets=_STS_SNIPPET,
        references=(RFC8461,),
    ),
)
MTA_STS_MX = _rule(
    "email.mta-sts.mx-mismatch",
    "MTA-STS policy does not match the MX",
    Severity.HIGH,
    "Every MX host matches an mx: pattern of the policy; in enforce mode senders refuse the others.",
    _SPAM,
    Fix(
        summary="List each MX host (or a *.domain pattern covering it) in the policy file.",
        snippets=_STS_SNIPPET,
        references=(RFC8461 + "#section-4.1",),
    ),
)
TLSRPT_MISSING = _rule(
    "email.tlsrpt.missing",
    "No TLS-RPT record",
    Severity.INFO,
    "A TLS-RPT record (RFC 8460) tells senders where to report TLS delivery failures.",
    _MINOR,
    Fix(
        summary="Publish _smtp._tls with a rua address.",
        snippets={"zone-file": '_smtp._tls  3600  IN  TXT  "v=TLSRPTv1; rua=mailto:tls-reports@example.com"'},
        references=(RFC8460,),
    ),
)
TLSRPT_INVALID = _rule(
    "email.tlsrpt.invalid",
    "TLS-RPT record is malformed",
    Severity.MEDIUM,
    "The TLS-RPT record is v=TLSRPTv1 with rua= mailto: or https: URIs (RFC 8460 3).",
    _MINOR,
    Fix(
        summary="Fix the record (mailto: before an address).",
        snippets={"zone-file": '_smtp._tls  3600  IN  TXT  "v=TLSRPTv1; rua=mailto:tls-reports@example.com"'},
        references=(RFC8460,),
    ),
)
