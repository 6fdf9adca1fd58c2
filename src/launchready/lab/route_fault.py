"""Break one route of a running lab, then put it back: how tests see ``launchready smoke`` catch a bad deploy.

The lab's hosts answer fixed routes from their ``SiteProfile`` before anything reaches the backend, so
installing a fixed error answer for one path breaks exactly that route, on the live servers, for every
client; leaving the ``with`` block restores the route as it was (the session-wide lab is shared).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from launchready.lab.orchestrator import Lab
from launchready.lab.sites import Route


@contextmanager
def broken_route(
    lab: Lab, host: str, path: str, status: int = 500, body: bytes = b"release broke this\n"
) -> Iterator[None]:
    profile = lab.sites[host]
    before = profile.routes.get(path)
    profile.routes[path] = Route(
        status, {"content-type": "text/plain"}, body, methods=("GET", "HEAD", "POST")
    )
    try:
        yield
    finally:
        if before is None:
            profile.routes.pop(path, None)
        else:
            profile.routes[path] = before
