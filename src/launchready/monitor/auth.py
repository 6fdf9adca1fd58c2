"""Dashboard sign-in: scrypt password hashes, signed session cookies, CSRF tokens — standard library only.

Why not a framework: the dashboard is a handful of server-rendered pages, and every piece here is a few
lines of ``hashlib``/``hmac`` that the tests exercise directly. The session cookie is
``name|expiry|signature`` (HMAC-SHA256 with a key kept in the database, so every instance accepts it), sent
``Secure; HttpOnly; SameSite=Strict``. The CSRF token is an HMAC of the session, so a form posted from
another site — which cannot read the page — cannot carry it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

SESSION_S = 12 * 3600
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored:
        hashlib.scrypt(b"x", salt=b"0" * 16, n=_N, r=_R, p=_P, dklen=32)  # same time for unknown users
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    computed = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(computed.hex(), digest)


def _sign(key: str, text: str) -> str:
    mac = hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def make_session(key: str, name: str, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_S)
    text = f"{name}|{expires}"
    return f"{text}|{_sign(key, text)}"


def session_user(key: str, cookie: str | None, now: float | None = None) -> str | None:
    if not cookie or cookie.count("|") != 2:
        return None
    name, expires, signature = cookie.split("|")
    if not hmac.compare_digest(_sign(key, f"{name}|{expires}"), signature):
        return None
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return None
    return name


def csrf_token(key: str, session: str) -> str:
    return _sign(key, "csrf:" + session)


def csrf_ok(key: str, session: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(key, session), token or "")
