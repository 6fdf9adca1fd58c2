"""Validate every command-line value up front, before any config is read or any packet is sent.

Each function takes the raw value and returns it (normalised) or raises ``ValueError`` with a short
sentence saying what is wrong; ``options`` turns that into click's ``BadParameter``, which the CLI prints as
one line naming the option and exits 2. Nothing here imports more than the standard library, so validation
costs nothing at start-up, and a bad ``--nameserver`` can never reach dnspython (where ``notanip`` used to
become a 40-line traceback and port 99999 an ``OverflowError`` loop).
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import re
from collections.abc import Iterable
from pathlib import Path

MAX_SHOWN = 60
"""A hostile value is quoted in the error only up to this many characters, so the error stays one line."""

_LABEL = r"[a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_HOSTNAME = re.compile(rf"^({_LABEL}\.)*{_LABEL}\.?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PORT = re.compile(r"^[0-9]{1,5}$")


def shown(value: object) -> str:
    """The value as the error quotes it: repr'd (so control characters show) and cut to one short line."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The known names closest to ``word`` (difflib), for "did you mean …" hints."""
    return difflib.get_close_matches(word.strip().lower()[:100], sorted(set(candidates)), n=n, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` — did you mean 'tls'?`` or an empty string when nothing is close."""
    matches = close_matches(word, candidates)
    if not matches:
        return ""
    return " — did you mean " + " or ".join(repr(m) for m in matches) + "?"


def text(value: str, *, what: str, max_length: int = 200, allow_empty: bool = False) -> str:
    """Free text (a product name, a HELO name): no control characters, a sane length."""
    if not value.strip() and not allow_empty:
        raise ValueError(f"{what} is empty")
    if _CONTROL.search(value):
        raise ValueError(f"{what} contains a control character: {shown(value)}")
    if len(value) > max_length:
        raise ValueError(f"{what} is {len(value)} characters long (at most {max_length})")
    return value


def port(value: str | int) -> int:
    """A TCP/UDP port, 1-65535."""
    raw = str(value).strip()
    if not _PORT.match(raw) or not 1 <= int(raw) <= 65535:
        raise ValueError(f"port must be a number from 1 to 65535, got {shown(value)}")
    return int(raw)


def hostname(value: str, *, what: str = "host name") -> str:
    """A DNS host name (IDNA allowed), lower-cased, without the trailing dot."""
    raw = value.strip()
    if not raw:
        raise ValueError(f"{what} is empty")
    try:
        ascii_name = raw.encode("idna").decode("ascii") if not raw.isascii() else raw
    except UnicodeError:
        raise ValueError(f"not a valid {what}: {shown(value)}") from None
    if len(ascii_name) > 253 or not _HOSTNAME.match(ascii_name):
        raise ValueError(f"not a valid {what}: {shown(value)}")
    return ascii_name.lower().rstrip(".")


def host(value: str) -> str:
    """A host name or an IP address."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return hostname(value, what="host name or IP address")


def ip_address(value: str) -> str:
    """An IPv4 or IPv6 address."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise ValueError(f"not an IPv4 or IPv6 address: {shown(value)}") from None


def nameserver(value: str) -> str:
    """``HOST[:PORT]``, ``IPv6`` or ``[IPv6]:PORT``, HOST an IP address (DNS servers are addressed by IP)."""
    raw = value.strip()
    usage = "use an IP address with an optional port: 127.0.0.1, 127.0.0.1:5353, ::1 or [::1]:5353"
    if not raw:
        raise ValueError(f"empty; {usage}")
    if raw.startswith("["):
        address, closed, rest = raw[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            raise ValueError(f"{shown(value)} is malformed; {usage}")
        port_text = rest[1:] if rest else "53"
    elif raw.count(":") == 1:
        address, port_text = raw.split(":")
    else:
        address, port_text = raw, "53"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{shown(address)} is not an IP address; {usage}") from None
    number = port(port_text)
    if parsed.version == 6:
        return f"[{parsed}]:{number}"
    return f"{parsed}:{number}"


def number(value: float, *, what: str, minimum: float, maximum: float, unit: str = "") -> float:
    """A finite number within [minimum, maximum] (click's own range check lets ``nan`` through)."""
    suffix = f" {unit}" if unit else ""
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise ValueError(f"{what} must be from {minimum:g} to {maximum:g}{suffix}, got {value:g}")
    return value


def whole(value: int, *, what: str, minimum: int, maximum: int) -> int:
    """An integer within [minimum, maximum]."""
    if not minimum <= value <= maximum:
        raise ValueError(f"{what} must be from {minimum} to {maximum}, got {shown(value)}")
    return value


def dsn(value: str) -> str:
    """A PostgreSQL DSN: ``postgresql://…`` / ``postgres://…`` or a ``key=value`` connection string."""
    raw = value.strip()
    if not raw:
        raise ValueError("empty; use postgresql://USER@HOST:PORT/DB or 'host=… dbname=…'")
    if _CONTROL.search(raw) or len(raw) > 2000:
        raise ValueError(f"not a DSN: {shown(value)}")
    if "://" in raw:
        scheme = raw.split("://", 1)[0].lower()
        if scheme not in ("postgresql", "postgres"):
            raise ValueError(f"scheme must be postgresql:// or postgres://, got {scheme[:20]!r}://")
        return raw
    if "=" not in raw:
        raise ValueError(
            f"not a DSN: {shown(value)}; use postgresql://USER@HOST:PORT/DB or 'host=… dbname=…'"
        )
    return raw


def _path_text(path: Path, what: str) -> str:
    raw = str(path)
    if not raw:
        raise ValueError(f"{what} path is empty")
    if "\x00" in raw:
        raise ValueError(f"{what} path contains a NUL byte")
    if len(raw) > 4096 or any(len(part) > 255 for part in path.parts):
        raise ValueError(f"{what} path is too long")
    return raw


def existing_file(path: Path, *, what: str = "file") -> Path:
    """A file that exists and can be read."""
    _path_text(path, what)
    if not path.exists():
        raise ValueError(f"{what} {shown(str(path))} does not exist")
    if not path.is_file():
        raise ValueError(f"{shown(str(path))} is not a file")
    return path


def existing_directory(path: Path, *, what: str = "directory") -> Path:
    """A directory that exists."""
    _path_text(path, what)
    if not path.is_dir():
        raise ValueError(f"{what} {shown(str(path))} is not an existing directory")
    return path


def config_path(path: Path) -> Path:
    """A config path: well-formed (whether it exists is the loader's to say, with its own message)."""
    _path_text(path, "config")
    if path.is_dir():
        raise ValueError(f"{shown(str(path))} is a directory, not a launchready.toml")
    return path


def writable_path(path: Path, *, what: str = "output") -> Path:
    """A file to write: not a directory, and no existing file where a parent folder must go."""
    _path_text(path, what)
    if path.is_dir():
        raise ValueError(f"{shown(str(path))} is a directory; name a file")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"{shown(str(parent))} is a file, so {shown(str(path))} cannot be created")
            break
    return path


def folder(path: Path, *, what: str = "directory") -> Path:
    """A directory to use or create: not an existing file, and creatable where it does not exist yet."""
    _path_text(path, what)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{shown(str(path))} is a file, not a directory")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"{shown(str(parent))} is a file, so {shown(str(path))} cannot be created")
            break
    return path


def mail_from(value: str) -> str:
    """``local@domain``, a bare domain, or '' (then the HELO name is checked, RFC 7208 §2.3)."""
    if value == "":
        return value
    text(value, what="MAIL FROM", max_length=320)
    domain = value.rpartition("@")[2]
    hostname(domain, what="MAIL FROM domain")
    return value


def revision(value: str) -> str:
    """A git revision: no option-like leading dash, no spaces or control characters."""
    raw = value.strip()
    if not raw or raw.startswith("-") or _CONTROL.search(raw) or " " in raw or len(raw) > 255:
        raise ValueError(f"not a git revision: {shown(value)}")
    return raw
