"""The one email observation a run shares between the email checks, published as the ``email`` artifact."""

from __future__ import annotations

from collections.abc import Iterable

from launchready.email.observe import EmailPosture, observe_email
from launchready.engine.context import CheckContext
from launchready.findings import Finding, RuleSpec
from launchready.net import HttpResponse

ARTIFACT = "email"


async def email_posture(ctx: CheckContext) -> EmailPosture:
    """Observe once per run; ``ctx.artifacts["email"]`` gets the comparable summary for ``--baseline``."""

    async def fetch(url: str) -> HttpResponse:
        response: HttpResponse = await ctx.http.fetch(url, follow_redirects=False, max_body_bytes=64 * 1024)
        return response

    async def build() -> EmailPosture:
        posture = await observe_email(ctx.config, ctx.resolver, fetch)
        ctx.artifacts[ARTIFACT] = posture.summary()
        return posture

    return await ctx.once("email.posture", build)


def not_assessed(rules: Iterable[RuleSpec], target: str, reason: str) -> list[Finding]:
    """The rules a check had nothing to judge for on ``target``: listed with why, never silently dropped."""
    return [spec.not_assessed(target, reason) for spec in rules]


NO_SENDING_DOMAIN = (
    "no domain of the product sends mail ([email] sends_mail = false and no sending_subdomains): set "
    "sends_mail = true or list [email] sending_subdomains to assess it"
)
