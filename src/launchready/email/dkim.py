"""DKIM key records (RFC 6376 section 3.6.1) and the selectors to probe for them.

The tag list is parsed here (dkimpy's parser is internal, synchronous-DNS bound, and raises untyped
errors); the key itself is decoded by ``cryptography``, which gives the RSA modulus size. RFC 8301 makes
1024 bits the floor verifiers accept and recommends 2048; Ed25519 keys are RFC 8463.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from importlib import resources

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from launchready.email.errors import DkimParseError
from launchready.email.tags import parse_tag_list

WEAK_RSA_BITS = 1024
"""Below this, verifiers reject the signature (RFC 8301 3.2): a fail."""
RECOMMENDED_RSA_BITS = 2048
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*\Z")


@dataclass(frozen=True)
class DkimKey:
    text: str
    key_type: str
    """``rsa`` or ``ed25519`` (``k=``, default rsa)."""
    bits: int | None
    """RSA modulus size; 256 for Ed25519; None when revoked."""
    revoked: bool
    testing: bool
    flags: tuple[str, ...]
    hashes: tuple[str, ...]


def parse_dkim_key(text: str) -> DkimKey:
    """Parse a key record; raise ``DkimParseError`` (with position) on any syntax or key problem."""
    tags = parse_tag_list(text, DkimParseError)
    values = {t.name: t for t in tags}
    version = values.get("v")
    if version is not None and (tags[0].name != "v" or version.value != "DKIM1"):
        raise DkimParseError("v= must be 'DKIM1' and come first", version.position)
    key_type_tag = values.get("k")
    key_type = key_type_tag.value.lower() if key_type_tag else "rsa"
    if key_type not in ("rsa", "ed25519"):
        raise DkimParseError(f"unknown key type k={key_type!r}", key_type_tag.position if key_type_tag else 0)
    public = values.get("p")
    if public is None:
        raise DkimParseError(
            "no p= tag: a key record must carry the public key (empty p= revokes it)", len(text)
        )
    flags_tag = values.get("t")
    flags = tuple(f.strip().lower() for f in flags_tag.value.split(":") if f.strip()) if flags_tag else ()
    hashes_tag = values.get("h")
    hashes = tuple(h.strip().lower() for h in hashes_tag.value.split(":") if h.strip()) if hashes_tag else ()
    data = "".join(public.value.split())
    if not data:
        return DkimKey(text, key_type, None, True, "y" in flags, flags, hashes)
    if not _BASE64.match(data):
        raise DkimParseError("p= is not base64", public.position)
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise DkimParseError("p= is not valid base64 (bad padding or length)", public.position) from None
    return DkimKey(
        text, key_type, _key_bits(key_type, raw, public.position), False, "y" in flags, flags, hashes
    )


def _key_bits(key_type: str, raw: bytes, position: int) -> int:
    if key_type == "ed25519":
        if len(raw) != 32:
            raise DkimParseError(f"an Ed25519 key is 32 bytes, this one is {len(raw)}", position)
        return 256
    try:
        key: object = load_der_public_key(raw)
    except (ValueError, UnsupportedAlgorithm, TypeError):
        key = _pkcs1_rsa(raw)
        if key is None:
            raise DkimParseError("p= does not hold a DER-encoded RSA public key", position) from None
    if isinstance(key, rsa.RSAPublicKey):
        return key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        raise DkimParseError("p= holds an Ed25519 key but k= says rsa", position)
    raise DkimParseError(f"p= holds a {type(key).__name__}, not an RSA key", position)


def _pkcs1_rsa(raw: bytes) -> rsa.RSAPublicKey | None:
    """Some providers publish a bare PKCS#1 RSAPublicKey instead of SubjectPublicKeyInfo."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    pem = b"-----BEGIN RSA PUBLIC KEY-----\n" + base64.encodebytes(raw) + b"-----END RSA PUBLIC KEY-----\n"
    try:
        key = load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def common_selectors() -> tuple[str, ...]:
    """The providers' usual selectors, kept as data in ``email/data/dkim_selectors.txt``."""
    text = (
        resources.files("launchready.email")
        .joinpath("data", "dkim_selectors.txt")
        .read_text(encoding="utf-8")
    )
    names = []
    for line in text.splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name.lower())
    return tuple(dict.fromkeys(names))
