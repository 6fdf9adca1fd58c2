"""The commented starter file ``launchready init`` writes: every section, with the roadmap's defaults.

``full=True`` (``init --full``) appends every key of every section, commented, with its default and what
it does, generated from the model by ``config.reference``.
"""

from __future__ import annotations

import json

from launchready.config.model import CanonicalHost


def starter_config(name: str, domain: str, canonical: CanonicalHost, *, full: bool = False) -> str:
    text = _starter(name, domain, canonical)
    if full:
        from launchready.config.reference import full_reference

        text += "\n" + full_reference(domain)
    return text


def _starter(name: str, domain: str, canonical: CanonicalHost) -> str:
    return f"""# launchready.toml — what to audit and what "ready" means for this product.
# Reference: the README's "Config reference". Paths are relative to this file.

[product]
name = {json.dumps(name)}
domain = {json.dumps(domain)}          # the apex domain
canonical = "{canonical.value}"               # "apex" or "www": the host users should land on
subdomains = ["app", "api", "docs", "status"]   # expected to resolve and serve HTTPS
api_hosts = ["api"]              # hosts that serve JSON, not pages (header rules differ)

# Routes by role: homepage, login, health, webhook, auth-callback, chat, other.
# host is a subdomain label, "@" for the canonical host, or a full host name.
[[routes]]
name = "homepage"
role = "homepage"
host = "@"
path = "/"

[[routes]]
name = "health"
role = "health"
host = "api"
path = "/health"

[[routes]]
name = "login"
role = "login"
method = "POST"
host = "api"
path = "/auth/login"
body = {{ email = "loadtest@{domain}", password = "change-me" }}

[[routes]]
name = "chat"
role = "chat"
method = "POST"
host = "api"
path = "/v1/chat"

[chat]
route = "chat"
request = {{ message = "{{{{message}}}}" }}   # '{{{{message}}}}' is replaced by the prompt
answer = {{ kind = "sse", path = "delta", done_marker = "[DONE]" }}   # or kind = "json", path = "answer"

[repo]
path = "."                       # the product's git repository
logs = []                        # log files to scan for secrets and prompts

[environments]                   # env file per environment, compared by fingerprint only
# development = ".env.development"
# production = ".env.production"

# [hosts."api.{domain}"]
# origin = "203.0.113.10"        # the origin behind your CDN: is it reachable directly?

[targets]
p95_ms = 800                     # non-LLM routes
chat_timeout_s = 30              # a chat request must end within this
cache_hit_ratio = 0.6            # on repeat reads of cacheable routes
error_rate = 0.01

[email]
sends_mail = true
dkim_selectors = []              # e.g. ["google", "resend"]

# [database]
# dsn = "postgresql://readonly@db.internal/app"   # read-only review of the database

# [[owners]]
# name = "Founder"
# role = "on-call"
# email = "founder@{domain}"
"""
