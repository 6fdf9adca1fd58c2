"""Every launch risk planted in the flawed lab, in one place, with the rule id that must find it.

Tests assert that each entry is reported as ``fail`` (or its ``status``) by the audit of the flawed lab, and
that the hardened lab reports zero ``fail``. Add an entry here with every planted risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from launchready.findings import Status


@dataclass(frozen=True)
class PlantedRisk:
    rule_id: str
    target: str
    """The host, URL or file where it is planted (a substring of the finding's target)."""
    description: str
    status: Status = Status.FAIL
    needs: str | None = None
    """The ``--with`` group whose checks find it (e.g. ``performance``), or None for the default audit."""


# One section per area; each area appends its own entries to its own tuple.

SPINE: tuple[PlantedRisk, ...] = (
    PlantedRisk("dns.host.unresolved", "status.chatbot.test", "status host has no DNS record (NXDOMAIN)"),
    PlantedRisk("tls.cert.untrusted", "docs.chatbot.test", "docs serve a self-signed certificate"),
    PlantedRisk("http.https-redirect.missing", "docs.chatbot.test", "http:// docs answer 200, no redirect"),
    PlantedRisk("tls.cert.hostname-mismatch", "www.chatbot.test", "www shows a cert for another name"),
    PlantedRisk("tls.cert.expiring", "app.chatbot.test", "app certificate expires in 3 days"),
    PlantedRisk("tls.cert.expired", "help.chatbot.test", "help center certificate has expired"),
    PlantedRisk("headers.hsts.missing", "api.chatbot.test", "the API sends no Strict-Transport-Security"),
)

SURFACE: tuple[PlantedRisk, ...] = (
    PlantedRisk("dns.ns.too-few", "chatbot.test", "the zone delegates to a single nameserver"),
    PlantedRisk(
        "dns.caa.missing",
        "chatbot.test",
        "no CAA record: any CA may issue for the domain",
        status=Status.WARN,
    ),
    PlantedRisk(
        "dns.dnssec.unsigned",
        "chatbot.test",
        "the zone publishes no DNSKEY (information only)",
        status=Status.WARN,
    ),
    PlantedRisk(
        "dns.subdomain.unlisted",
        "staging.chatbot.test",
        "a forgotten staging host answers",
        status=Status.WARN,
    ),
    PlantedRisk("dns.cname.dangling", "legacy.chatbot.test", "CNAME to a name that no longer exists"),
    PlantedRisk(
        "dns.cname.dangling",
        "preview.chatbot.test",
        "two-hop CNAME chain to a deleted name, answered NXDOMAIN with the chain (RFC 6604)",
    ),
    PlantedRisk(
        "dns.cname.dangling",
        "old.chatbot.test",
        "CNAME to a target showing the GitHub Pages 'no site here' page",
    ),
    PlantedRisk(
        "edge.cdn.missing",
        "docs.chatbot.test",
        "docs are served with no CDN/WAF in front",
        status=Status.WARN,
    ),
    PlantedRisk(
        "edge.origin.bypassable", "chatbot.test (origin", "the apex origin serves the site to anyone"
    ),
    PlantedRisk(
        "edge.origin.bypassable", "api.chatbot.test (origin", "the API origin answers anyone directly"
    ),
    PlantedRisk(
        "http.redirect.path-dropped", "app.chatbot.test", "http:// app redirects every path to https://app/"
    ),
    PlantedRisk(
        "http.canonical.not-enforced", "www.chatbot.test", "www serves the site instead of redirecting"
    ),
    PlantedRisk("http.redirect.chain", "help.chatbot.test", "help's / redirects to itself (loop)"),
    PlantedRisk("http.redirect.offsite", "docs.chatbot.test", "https://docs/ redirects to another site"),
    PlantedRisk("html.canonical.link", "chatbot.test", "homepage canonical link and og:url name www"),
    PlantedRisk("tls.protocol.legacy", "app.chatbot.test", "app accepts TLS 1.0 and 1.1"),
    PlantedRisk(
        "tls.chain.incomplete", "staging.chatbot.test", "staging sends its leaf without the intermediate"
    ),
    PlantedRisk(
        "dns.subdomain.unlisted",
        "dev.chatbot.test",
        "a forgotten dev host answers",
        status=Status.WARN,
    ),
    PlantedRisk("tls.key.weak", "dev.chatbot.test", "the dev host presents an RSA-1024 certificate"),
    PlantedRisk(
        "tls.version.no-tls13", "app.chatbot.test", "app accepts TLS 1.0 to 1.2, not 1.3", status=Status.WARN
    ),
    PlantedRisk(
        "edge.origin.not-strict",
        "api.chatbot.test (origin",
        "the API origin presents a self-signed certificate (edge in Full, not strict, mode)",
    ),
    PlantedRisk("headers.hsts.short", "chatbot.test", "apex HSTS max-age=300"),
    PlantedRisk(
        "headers.hsts.subdomains", "chatbot.test", "apex HSTS without includeSubDomains", status=Status.WARN
    ),
    PlantedRisk(
        "headers.hsts.preload", "chatbot.test", "apex not eligible for HSTS preload", status=Status.WARN
    ),
    PlantedRisk("headers.csp.missing", "chatbot.test", "homepage has no Content-Security-Policy"),
    PlantedRisk(
        "headers.csp.weak",
        "app.chatbot.test",
        "app CSP allows unsafe-inline, unsafe-eval and an http: source",
    ),
    PlantedRisk("headers.xcto.missing", "chatbot.test", "homepage without X-Content-Type-Options"),
    PlantedRisk(
        "headers.framing.missing", "chatbot.test", "homepage can be framed (no frame-ancestors, no XFO)"
    ),
    PlantedRisk("headers.referrer-policy.missing", "chatbot.test", "Referrer-Policy: unsafe-url"),
    PlantedRisk(
        "headers.permissions-policy.missing", "chatbot.test", "no Permissions-Policy", status=Status.WARN
    ),
    PlantedRisk("headers.banner.version", "chatbot.test", "X-Powered-By: Express", status=Status.WARN),
    PlantedRisk("headers.grade.low", "chatbot.test", "apex header grade F", status=Status.WARN),
    PlantedRisk(
        "headers.csp.missing",
        "api.chatbot.test",
        "the API's / answers a bot challenge: not graded",
        status=Status.UNVERIFIABLE,
    ),
    PlantedRisk(
        "cookies.session.insecure", "chatbot.test", "session cookie without Secure, HttpOnly, SameSite"
    ),
    PlantedRisk("cors.origin.reflected", "api.chatbot.test", "the API reflects any Origin, with credentials"),
    PlantedRisk("cors.wildcard.credentials", "app.chatbot.test", "app sends ACAO * with credentials"),
    PlantedRisk(
        "cache.cookie.public", "chatbot.test", "homepage sets a session cookie and is publicly cacheable"
    ),
    PlantedRisk(
        "cache.static.uncached",
        "/static/vendor.js",
        "vendor bundle without Cache-Control or validators",
    ),
    PlantedRisk("http.compression.missing", "/static/vendor.js", "900 kB bundle sent uncompressed"),
    PlantedRisk("http.payload.oversized", "/static/vendor.js", "900 kB JS bundle"),
)

EMAIL: tuple[PlantedRisk, ...] = (
    PlantedRisk(
        "email.spf.lookup-limit", "chatbot.test", "SPF include chain needs 13 DNS lookups (limit 10)"
    ),
    PlantedRisk("email.spf.all-qualifier", "chatbot.test", "apex SPF ends in ~all", status=Status.WARN),
    PlantedRisk("email.spf.ptr", "chatbot.test", "apex SPF uses the deprecated ptr", status=Status.WARN),
    PlantedRisk("email.spf.all-qualifier", "notify.chatbot.test", "receipts subdomain SPF ends in +all"),
    PlantedRisk("email.dmarc.policy-none", "chatbot.test", "DMARC p=none"),
    PlantedRisk("email.dmarc.reporting", "_dmarc.chatbot.test", "DMARC without rua", status=Status.WARN),
    PlantedRisk("email.dmarc.removed-tags", "_dmarc.chatbot.test", "DMARC keeps pct=50", status=Status.WARN),
    PlantedRisk(
        "email.dkim.weak-key", "google._domainkey.chatbot.test", "1024-bit DKIM key", status=Status.WARN
    ),
    PlantedRisk("email.dkim.syntax", "k1._domainkey.chatbot.test", "truncated DKIM public key"),
    PlantedRisk(
        "email.dkim.missing", "notify.chatbot.test", "sending subdomain without DKIM", status=Status.WARN
    ),
    PlantedRisk("email.mx.target-invalid", "mx1.chatbot.test", "MX points at a CNAME"),
    PlantedRisk(
        "email.mta-sts.mode", "mta-sts.chatbot.test", "MTA-STS policy in testing mode", status=Status.WARN
    ),
    PlantedRisk("email.mta-sts.mx-mismatch", "mta-sts.chatbot.test", "MTA-STS mx pattern matches no MX"),
    PlantedRisk("email.tlsrpt.invalid", "_smtp._tls.chatbot.test", "TLS-RPT rua without mailto:"),
)

SECRETS: tuple[PlantedRisk, ...] = (
    PlantedRisk(
        "secrets.source.exposed", "src/server/providers.py", "Anthropic key hard-coded in a source file"
    ),
    PlantedRisk(
        "secrets.history.exposed",
        "src/server/legacy_keys.py",
        "Groq key deleted from the tree, alive in history",
    ),
    PlantedRisk(
        "secrets.history.exposed",
        "src/server/billing.py",
        "Stripe secret key that only an evil merge commit added",
    ),
    PlantedRisk(
        "secrets.history.exposed",
        "src/server/embeddings.py",
        "Hugging Face token reachable only from a stash",
    ),
    PlantedRisk(
        "secrets.bundle.exposed",
        ".next/static/chunks/",
        "Supabase service_role and OpenAI keys in the Next.js bundle",
    ),
    PlantedRisk(
        "secrets.bundle.public-env",
        ".env.production:NEXT_PUBLIC_OPENAI_API_KEY",
        "Server key in a NEXT_PUBLIC_ variable",
    ),
    PlantedRisk("secrets.logs.exposed", "logs/app.log", "Bearer token in a JSON log line"),
    PlantedRisk("secrets.logs.prompts", "logs/app.log", "A whole user prompt in the logs"),
    PlantedRisk("secrets.envfile.committed", ".env.production", ".env.production committed to git"),
    PlantedRisk(
        "secrets.envfile.unignored", ".env.development", ".env.development not covered by .gitignore"
    ),
    PlantedRisk(
        "secrets.environments.shared",
        "development+production",
        "Same OpenAI key in development and production",
    ),
    PlantedRisk(
        "secrets.environments.missing", "staging", "staging lacks STRIPE_SECRET_KEY", status=Status.WARN
    ),
)

PERFORMANCE: tuple[PlantedRisk, ...] = (
    PlantedRisk(
        "perf.ratelimit.login-missing", "/auth/login", "login takes any burst, no 429", needs="performance"
    ),
    PlantedRisk(
        "perf.ratelimit.chat-missing", "/v1/chat", "chat takes any burst, no 429", needs="performance"
    ),
    PlantedRisk(
        "perf.chat.timeout-missing",
        "/v1/chat",
        "a stalled model ([[stall]]) streams forever",
        needs="performance",
    ),
    PlantedRisk(
        "perf.isolation.degraded", "/health", "sync LLM SDK in async def blocks the loop", needs="performance"
    ),
    PlantedRisk(
        "perf.isolation.degraded", "/auth/login", "login slows down while chats stream", needs="performance"
    ),
    PlantedRisk(
        "perf.retry.missing", "/v1/chat", "a transient upstream 503 ([[flaky]]) is a 500", needs="performance"
    ),
    PlantedRisk(
        "perf.payload.oversized-input",
        "/v1/chat",
        "a 100,000-char message takes ~1 s then 500s",
        needs="performance",
    ),
    PlantedRisk(
        "perf.cache.hit-rate-low",
        "/v1/models",
        "Cache-Control: no-store, every read a MISS",
        needs="performance",
    ),
)

DEPLOY: tuple[PlantedRisk, ...] = (
    PlantedRisk("deploy.build.unverified", "/repo", "CI builds the image but never runs the tests"),
    PlantedRisk("deploy.smoke.unwired", "/repo", "the deploy job runs no smoke test"),
    PlantedRisk(
        "deploy.path.multiple", "/repo", "deploy.sh deploys by hand beside the pipeline", status=Status.WARN
    ),
    PlantedRisk("deploy.migrations.order", "/repo", "Alembic migrations that no release step runs"),
    PlantedRisk("deploy.rollback.undocumented", "/repo", "no runbook with rollback steps, no drill"),
    PlantedRisk("deploy.health.unused", "/repo", "fly.toml checks / instead of the /health route"),
    PlantedRisk("deploy.config.secret", "Dockerfile:5", "OpenAI key in a Dockerfile ENV"),
    PlantedRisk("deploy.config.secret", ".github/workflows/ci.yml:6", "OpenAI key in a workflow's env:"),
    PlantedRisk("deploy.workflow.secret-echoed", ".github/workflows/ci.yml", "a step echoes FLY_API_TOKEN"),
    PlantedRisk(
        "deploy.workflow.pr-target-checkout",
        ".github/workflows/preview.yml",
        "pull_request_target runs PR code",
    ),
    PlantedRisk("deploy.workflow.unpinned-action", ".github/workflows/ci.yml", "setup-flyctl@master"),
    PlantedRisk(
        "deploy.env.example-missing", ".env.example:SENTRY_DSN", "SENTRY_DSN read, not in .env.example"
    ),
    PlantedRisk("deploy.env.shipped", "Dockerfile", "COPY . . ships .env.production into the image"),
    PlantedRisk("deploy.env.environment-missing", "production", ".env.production lacks SENTRY_DSN"),
    PlantedRisk(
        "deploy.migrations.irreversible",
        "alembic/versions/0001",
        "downgrade() is pass",
        status=Status.WARN,
    ),
)

REDTEAM: tuple[PlantedRisk, ...] = tuple(
    PlantedRisk(rule_id, "/v1/chat", description, needs="redteam")
    for rule_id, description in (
        (
            "redteam.injection.direct",
            "the assistant obeys 'ignore previous instructions' and says the canary",
        ),
        ("redteam.injection.indirect", "instructions hidden in an email or a page to summarise are obeyed"),
        ("redteam.leak.system-prompt", "asked for its instructions, it recites the system prompt and canary"),
        ("redteam.tools.dangerous-call", "delete_account / issue_refund / send_email / fetch_url on request"),
        ("redteam.output.secrets", "the billing key in the system prompt comes back in answers"),
        ("redteam.output.exfil-image", "markdown images to any host, with the user's notes in the URL"),
        ("redteam.input.long", "a 100,000-char message is sent on and ends in a bare 500"),
        (
            "redteam.failure.odd-input",
            "an empty message shows the provider's error body; bad JSON a bare 500",
        ),
        ("redteam.failure.model", "provider error body, an empty 200 on timeout, an empty stream"),
    )
)

PLANTED: tuple[PlantedRisk, ...] = (*SPINE, *SURFACE, *EMAIL, *SECRETS, *PERFORMANCE, *DEPLOY, *REDTEAM)
