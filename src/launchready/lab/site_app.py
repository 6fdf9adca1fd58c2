"""The ASGI app that serves one ``SiteProfile`` on one address and scheme.

Written as a bare ASGI callable rather than Starlette routes because it is a dispatcher over data (redirect
rules, fixed routes, assets, the mounted backend) and must add the profile's headers to every response,
including the backend's streamed ones, which a response-wrapping ``send`` does without buffering.
"""

from __future__ import annotations

import gzip
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from launchready.lab.sites import BackendMount, Route, SiteProfile

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
_MIN_GZIP_BYTES = 256


class SiteApp:
    """Serve ``profile`` as seen at one endpoint: over ``scheme``, at the edge or at the origin."""

    def __init__(
        self,
        profile: SiteProfile,
        scheme: str,
        *,
        at_origin: bool = False,
        backend: Asgi | None = None,
        https_port: int = 443,
    ) -> None:
        self.profile = profile
        self.scheme = scheme
        self.at_origin = at_origin
        self.backend = backend if profile.backend is not BackendMount.NONE else None
        self.https_port = https_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        extra = self._headers(request_headers)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.decode("latin-1").lower() for k, _ in message.get("headers", [])}
                added = [(k.encode(), v.encode()) for k, v in extra.items() if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        route = self._route(scope, request_headers)
        if route is not None:
            await _respond(scope, send_with_headers, route, request_headers, self.profile.compression)
            return
        assert self.backend is not None
        await self.backend(scope, receive, send_with_headers)

    # --- what to answer ----------------------------------------------------------------------------

    def _route(self, scope: Scope, request: dict[str, str]) -> Route | None:
        """The fixed answer for this request, or None to hand it to the backend."""
        profile = self.profile
        path = scope["path"]
        full_path = path + ("?" + scope["query_string"].decode("latin-1") if scope["query_string"] else "")
        if self.at_origin and profile.origin_status is not None:
            return Route(
                profile.origin_status, {"content-type": "text/plain"}, b"direct origin access denied\n"
            )
        for rule in profile.redirects:
            if rule.scheme in ("both", self.scheme) and path.startswith(rule.prefix):
                location = rule.location.format(path=full_path, host=profile.host)
                return Route(rule.status, {"location": location}, b"")
        if self.scheme == "http" and profile.http_redirect_status is not None:
            kept = full_path if profile.http_redirect_keeps_path else "/"
            return Route(profile.http_redirect_status, {"location": self._https(profile.host, kept)}, b"")
        if profile.canonical_redirect is not None:
            location = self._https(profile.canonical_redirect, full_path)
            return Route(profile.canonical_redirect_status, {"location": location}, b"")
        method = scope["method"]
        if method == "OPTIONS" and profile.cors is not None and "access-control-request-method" in request:
            return Route(204, {"access-control-allow-methods": profile.cors.allow_methods,
                               "access-control-allow-headers": profile.cors.allow_headers,
                               "access-control-max-age": str(profile.cors.max_age_s)}, b"")  # fmt: skip
        fixed = profile.routes.get(path) or profile.assets.get(path)
        if fixed is not None:
            return fixed if method in fixed.methods else Route(405, {"allow": ", ".join(fixed.methods)}, b"")
        if self.backend is not None and self._to_backend(path):
            return None
        if path == "/" and profile.html:
            headers = {"content-type": "text/html; charset=utf-8", **profile.html_headers}
            return Route(200, headers, profile.html.encode(), cookies=profile.cookies)
        return Route(404, {"content-type": "text/html; charset=utf-8"}, profile.not_found_body.encode())

    def _to_backend(self, path: str) -> bool:
        if self.profile.backend is BackendMount.ROOT:
            return True
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.profile.backend_prefixes)

    def _https(self, host: str, path: str) -> str:
        netloc = host if self.https_port == 443 else f"{host}:{self.https_port}"
        return f"https://{netloc}{path}"

    def _headers(self, request: dict[str, str]) -> dict[str, str]:
        """Headers added to every response at this endpoint (the backend's own take precedence)."""
        profile = self.profile
        headers = dict(profile.headers)
        if self.scheme == "http":
            headers.pop("strict-transport-security", None)  # RFC 6797 8.1: ignored over HTTP anyway
            headers.update(profile.http_headers)
        if not self.at_origin:
            headers.update(profile.edge_headers)
        cors, origin = profile.cors, request.get("origin")
        if cors is not None and origin:
            allowed = origin if cors.allow_origin == "reflect" else cors.allow_origin
            if allowed == "*" or allowed == origin:
                headers["access-control-allow-origin"] = allowed
                headers["vary"] = "Origin"
                if cors.allow_credentials:
                    headers["access-control-allow-credentials"] = "true"
        return headers


async def _respond(scope: Scope, send: Send, route: Route, request: dict[str, str], compress: bool) -> None:
    headers = {k.lower(): v for k, v in route.headers.items()}
    body = route.body
    content_type = headers.get("content-type", "")
    if (
        compress
        and len(body) >= _MIN_GZIP_BYTES
        and "gzip" in request.get("accept-encoding", "")
        and content_type.startswith(_COMPRESSIBLE)
        and "content-encoding" not in headers
    ):
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["content-encoding"] = "gzip"
        headers["vary"] = ", ".join(filter(None, [headers.get("vary"), "Accept-Encoding"]))
    headers["content-length"] = str(len(body))
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw += [(b"set-cookie", cookie.encode("latin-1")) for cookie in route.cookies]
    await send({"type": "http.response.start", "status": route.status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
