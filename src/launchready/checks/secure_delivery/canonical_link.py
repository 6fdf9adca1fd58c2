"""The canonical homepage names itself: ``<link rel=canonical>`` and ``og:url`` on the canonical host.

Search engines and link previews use these, so a homepage that points at www while the site redirects www to
the apex splits ranking and previews between two hosts. Read with the standard library's ``HTMLParser``:
only two tags are needed and it tolerates broken HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.header_policy import is_html
from launchready.checks.secure_delivery.page_probe import content_page
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.rules import rule

CANONICAL_LINK = rule("html.canonical.link")
_ONE_RESPONSE = {"responses": 1}


class _HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rels = values.get("rel", "").lower().split()
            if "canonical" in rels and self.canonical is None:
                self.canonical = values.get("href")
            if "stylesheet" in rels and values.get("href"):
                self.styles.append(values["href"])
        elif tag == "meta" and values.get("property", "").lower() == "og:url" and self.og_url is None:
            self.og_url = values.get("content")
        elif tag == "script" and values.get("src"):
            self.scripts.append(values["src"])


def head_links(html: str) -> _HeadLinks:
    parser = _HeadLinks()
    parser.feed(html)
    parser.close()
    return parser


class CanonicalLink(Check):
    """Its own check (not part of ``http.redirects``): the rule reads the page's HTML, not a redirect."""

    name = "html.canonical"
    rules = (CANONICAL_LINK,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return [await canonical_link_finding(ctx)]


async def canonical_link_finding(ctx: CheckContext) -> Finding:
    host = ctx.config.canonical_host
    page = await content_page(ctx, host)
    if page.redirects_to is not None:
        return CANONICAL_LINK.unverifiable(
            host,
            f"the canonical host {host} redirects to {page.redirects_to}, so its homepage could not be read "
            "(see http.canonical.not-enforced)",
            page.evidence,
        )
    if not page.usable or page.response is None:
        return CANONICAL_LINK.unverifiable(
            host, page.reason or f"{host} did not serve its homepage", page.evidence
        )
    content_type = page.response.header("content-type")
    if not is_html(content_type):
        return CANONICAL_LINK.not_assessed(
            host, f"does not apply: {page.url} is not HTML ({content_type or 'no Content-Type'})"
        )
    links = head_links(page.response.text)
    found = {"link rel=canonical": links.canonical, "og:url": links.og_url}
    wrong = {
        name: urljoin(page.url, value)
        for name, value in found.items()
        if value is not None and (urlsplit(urljoin(page.url, value)).hostname or "").lower() != host
    }
    details: dict[str, object] = {k: v for k, v in found.items() if v is not None}
    if wrong:
        text = "; ".join(f"{name} is {url}" for name, url in wrong.items())
        return CANONICAL_LINK.failed(
            host,
            f"{page.url}: {text}, not on the canonical host {host}",
            details=details,
            exercised=_ONE_RESPONSE,
        )
    if links.canonical is None:
        return CANONICAL_LINK.warned(
            host, f"{page.url} has no <link rel=canonical>", details=details, exercised=_ONE_RESPONSE
        )
    return CANONICAL_LINK.passed(
        host, f"{page.url}: link rel=canonical {links.canonical}", details=details, exercised=_ONE_RESPONSE
    )
