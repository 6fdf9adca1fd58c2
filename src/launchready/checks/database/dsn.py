"""Parse and redact a PostgreSQL DSN before anything else sees it: the password must never be printed.

libpq's (and so psycopg's) error messages quote the connection string they could not parse — with the
password — and a report copies error messages into the terminal, JSON, SARIF, Markdown and HTML. So a DSN
is parsed HERE, by launchready, into its parts; a malformed one raises ``DsnError`` whose message is built
from the parts we name (never from the input); and every text that comes back from the driver goes through
``SafeDsn.redact`` (the password as typed, percent-decoded and percent-encoded) before it is kept.

Two forms (libpq's): ``postgresql://user:password@host:port/dbname?options`` (``postgres://`` too) and
``key=value`` pairs (``host=db password='p w' dbname=app``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

_SCHEMES = ("postgresql", "postgres")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_KEYWORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_FORMS = "use postgresql://USER:PASSWORD@HOST:PORT/DBNAME or 'host=HOST dbname=DBNAME user=USER'"
REDACTED = "***"


class DsnError(ValueError):
    """A DSN launchready cannot parse. The message never contains any part of the input's secrets."""


@dataclass(frozen=True)
class SafeDsn:
    """A parsed DSN: ``params`` for the driver, ``target`` for reports, ``redact`` for driver messages."""

    params: dict[str, str]
    target: str
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:  # a stray repr in a traceback must not carry the password either
        return f"SafeDsn({self.target!r})"

    def redact(self, text: str) -> str:
        """``text`` with every form of the password (and the raw DSN's secrets) replaced by ``***``."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, REDACTED)
        return text


def parse_dsn(raw: str) -> SafeDsn:
    """Parse ``raw`` (URL or key=value form); ``DsnError`` with a secret-free message when malformed."""
    text = raw.strip()
    if not text:
        raise DsnError(f"the DSN is empty; {_FORMS}")
    if len(text) > 4000 or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise DsnError(f"the DSN has control characters or is too long; {_FORMS}")
    if "://" in text:
        params, secrets = _parse_url(text)
    else:
        params, secrets = _parse_pairs(text)
    host = params.get("host") or "localhost"
    port = params.get("port") or "5432"
    dbname = params.get("dbname") or params.get("user") or ""
    target = f"postgresql://{_clean(host)}:{_clean(port)}/{_clean(dbname)}"
    return SafeDsn(params=params, target=target, secrets=_variants(secrets))


def _parse_url(text: str) -> tuple[dict[str, str], list[str]]:
    scheme, rest = text.split("://", 1)
    # everything between the user's ':' and the LAST '@' is the password, whatever its shape ('/' in it too)
    userinfo = rest.rpartition("@")[0]
    secrets = [userinfo.partition(":")[2]] if ":" in userinfo else []
    if scheme.lower() not in _SCHEMES:
        raise DsnError(f"the DSN's scheme must be postgresql:// or postgres://; {_FORMS}")
    if any(ch in userinfo for ch in "/?#"):
        raise DsnError(
            "the DSN has a '/', '?' or '#' before its '@' (in a URL DSN, write them in the password as "
            "%2F, %3F, %23)"
        )
    if _PERCENT.search(text):
        raise DsnError(
            "the DSN has a '%' that does not start a %XX escape (in a URL DSN, write a '%' in the "
            "password as %25, '@' as %40, ':' as %3A)"
        )
    try:
        parts = urlsplit(text)
        port = parts.port
        hostname = parts.hostname
    except ValueError:
        raise DsnError(f"the DSN's host or port is malformed; {_FORMS}") from None
    params: dict[str, str] = {}
    if parts.username:
        params["user"] = unquote(parts.username)
    if parts.password is not None:
        params["password"] = unquote(parts.password)
        secrets.append(params["password"])
    if hostname:
        params["host"] = unquote(hostname)
    if port is not None:
        params["port"] = str(port)
    dbname = unquote(parts.path.lstrip("/"))
    if dbname:
        params["dbname"] = dbname
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if not _KEYWORD.fullmatch(f"{key}="):
            raise DsnError(f"the DSN has a malformed query option; {_FORMS}")
        params[key] = value
        if key == "password":
            secrets.append(value)
    return params, secrets


def _parse_pairs(text: str) -> tuple[dict[str, str], list[str]]:
    """libpq's key=value syntax: values bare or single-quoted, with backslash escapes."""
    params: dict[str, str] = {}
    secrets: list[str] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _KEYWORD.match(text, position)
        if match is None:
            # keep whatever is here out of the message: "ro:pw@host/db" (a URL without its scheme) lands here
            secrets.append(text[position:])
            raise _Malformed(secrets)
        key, position = match.group(1).lower(), match.end()
        value, position = _value(text, position, secrets)
        params[key] = value
        if key == "password":
            secrets.append(value)
    if not params:
        raise DsnError(f"the DSN names no connection parameter; {_FORMS}")
    return params, secrets


def _value(text: str, position: int, secrets: list[str]) -> tuple[str, int]:
    if position < len(text) and text[position] == "'":
        out: list[str] = []
        position += 1
        while position < len(text):
            ch = text[position]
            if ch == "\\" and position + 1 < len(text):
                out.append(text[position + 1])
                position += 2
                continue
            if ch == "'":
                return "".join(out), position + 1
            out.append(ch)
            position += 1
        secrets.append("".join(out))
        raise _Malformed(secrets, "an unterminated quoted value")
    end = position
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[position:end].replace("\\", ""), end


class _Malformed(DsnError):
    def __init__(self, secrets: list[str], what: str = "text that is not key=value") -> None:
        super().__init__(f"the DSN is malformed ({what}); {_FORMS}")
        self.secrets = secrets


def _variants(secrets: list[str]) -> tuple[str, ...]:
    """Each secret as typed, percent-decoded, percent-encoded, and each of its long-enough pieces' forms."""
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        for form in (secret, unquote(secret), quote(secret, safe=""), quote(unquote(secret), safe="")):
            forms.add(form)
    return tuple(sorted(forms, key=len, reverse=True))


def _clean(part: str) -> str:
    """A target part fit for a report line (no spaces or control characters, bounded)."""
    return "".join(ch for ch in part if ch.isprintable() and not ch.isspace())[:100]
