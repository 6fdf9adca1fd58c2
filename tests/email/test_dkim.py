"""DKIM key records (RFC 6376 3.6.1): key type, RSA size, revocation, testing flag, syntax errors."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from launchready.email.dkim import common_selectors, parse_dkim_key
from launchready.email.errors import DkimParseError
from launchready.lab.zone_email import dkim_public_key


def test_rsa_key_sizes() -> None:
    assert parse_dkim_key(f"v=DKIM1; k=rsa; p={dkim_public_key(2048)}").bits == 2048
    assert parse_dkim_key(f"v=DKIM1; p={dkim_public_key(1024)}").bits == 1024


def test_a_512_bit_key_is_measured() -> None:
    # Too small for key generation; build the public key from numbers (a 512-bit modulus).
    n = (1 << 511) | 0x1F
    public = rsa.RSAPublicNumbers(65537, n).public_key()
    der = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    assert parse_dkim_key("p=" + base64.b64encode(der).decode()).bits == 512


def test_pkcs1_rsa_keys_are_accepted() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    der = key.public_bytes(Encoding.DER, PublicFormat.PKCS1)
    assert parse_dkim_key("k=rsa; p=" + base64.b64encode(der).decode()).bits == 1024


def test_ed25519_revoked_and_testing() -> None:
    raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert parse_dkim_key("v=DKIM1; k=ed25519; p=" + base64.b64encode(raw).decode()).bits == 256
    revoked = parse_dkim_key("v=DKIM1; k=rsa; p=")
    assert revoked.revoked and revoked.bits is None
    testing = parse_dkim_key(f"v=DKIM1; t=y:s; p={dkim_public_key(2048)}")
    assert testing.testing and testing.flags == ("y", "s")


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwx", 18, "base64"),
        ("v=DKIM1; k=rsa; p=not*base64", 18, "base64"),
        ("v=DKIM1; k=dsa; p=", 11, "key type"),
        ("v=DKIM1; k=rsa", 14, "no p="),
        ("k=rsa; v=DKIM1; p=", 9, "first"),
        ("v=DKIM1; p=AAAA", 11, "RSA"),
        ("v=DKIM1; k=ed25519; p=AAAA", 22, "32 bytes"),
        ("v=DKIM1; =x; p=", 9, "tag name"),
    ],
)
def test_syntax_errors_carry_their_position(text: str, position: int, words: str) -> None:
    with pytest.raises(DkimParseError) as caught:
        parse_dkim_key(text)
    assert caught.value.position == position
    assert words in caught.value.reason


def test_common_selectors_are_data() -> None:
    selectors = common_selectors()
    assert {"google", "selector1", "selector2", "s1", "k1", "pm", "resend", "zmail", "mx"} <= set(selectors)
    assert len(selectors) == len(set(selectors))
