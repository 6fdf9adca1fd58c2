"""The one email observation a run shares between the email checks, published as the ``email`` artifact."""

from __future__ import annotations

from launchready.email.observe import EmailPosture, observe_email
from launchready.engine.context import CheckContext
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
