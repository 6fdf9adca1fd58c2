"""Parse ``Set-Cookie`` attributes and judge session cookies (RFC 6265bis sections 4.1 and 5.6).

``http.cookies.SimpleCookie`` is not used: it drops a whole header on one odd character and does not keep
the header's attributes separately from unknown ones, while this needs only the name and the flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SESSION_NAME = re.compile(r"sess|sid|auth|token|jwt|login|remember|csrf|xsrf|^id$|user", re.IGNORECASE)


@dataclass(frozen=True)
class CookieFlags:
    name: str
    secure: bool
    http_only: bool
    same_site: str | None
    """``Strict``, ``Lax``, ``None``, or None when the attribute is absent."""

    @property
    def looks_like_session(self) -> bool:
        """A cookie that authenticates: its name says so, or the server already marked it HttpOnly."""
        return (
            self.http_only
            or bool(_SESSION_NAME.search(self.name))
            or self.name.startswith(("__Host-", "__Secure-"))
        )

    def problems(self) -> list[str]:
        """What a session cookie lacks; an empty list means it is well protected."""
        missing = []
        if not self.secure:
            missing.append("Secure")
        if not self.http_only:
            missing.append("HttpOnly")
        if self.same_site is None:
            missing.append("SameSite")
        elif self.same_site.lower() == "none" and not self.secure:
            missing.append("Secure (required by SameSite=None)")
        elif self.same_site.lower() not in ("strict", "lax", "none"):
            missing.append(f"a valid SameSite (got {self.same_site!r})")
        return missing


def parse_set_cookie(header: str) -> CookieFlags:
    """The cookie's name and flags; the value is never kept (it may be a secret)."""
    first, *attributes = header.split(";")
    name = first.split("=", 1)[0].strip()
    secure = http_only = False
    same_site: str | None = None
    for attribute in attributes:
        key, _, value = attribute.strip().partition("=")
        key = key.strip().lower()
        if key == "secure":
            secure = True
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            same_site = value.strip()
    return CookieFlags(name, secure, http_only, same_site)
