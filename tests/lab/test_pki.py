"""Each certificate kind is made as its name says."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from launchready.lab.pki import EXPIRING_DAYS, MISMATCH_NAME, WEAK_RSA_BITS, LabPki
from launchready.lab.sites import CertKind


def _chain(pki: LabPki, kind: CertKind) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pki.issue("x.chatbot.test", kind).chain_file.read_bytes())


def test_certificate_kinds(tmp_path: Path) -> None:
    pki = LabPki(tmp_path)
    now = dt.datetime.now(dt.UTC)
    root = x509.load_pem_x509_certificate(pki.ca_bundle.read_bytes())
    valid = _chain(pki, CertKind.VALID)
    assert len(valid) == 2 and valid[1].issuer == root.subject and valid[0].issuer == valid[1].subject
    assert len(_chain(pki, CertKind.MISSING_INTERMEDIATE)) == 1
    assert _chain(pki, CertKind.EXPIRED)[0].not_valid_after_utc < now
    before = dt.datetime.now(dt.UTC)
    expires = _chain(pki, CertKind.EXPIRING)[0].not_valid_after_utc
    after = dt.datetime.now(dt.UTC)  # issuing takes a while on a busy box: bound it on both sides
    assert before + dt.timedelta(days=EXPIRING_DAYS - 1) < expires <= after + dt.timedelta(days=EXPIRING_DAYS)
    names = _chain(pki, CertKind.HOSTNAME_MISMATCH)[0].extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert names.value.get_values_for_type(x509.DNSName) == [MISMATCH_NAME]
    (self_signed,) = _chain(pki, CertKind.SELF_SIGNED)
    assert self_signed.issuer == self_signed.subject != root.subject
    weak, intermediate = _chain(pki, CertKind.WEAK_KEY)
    key = weak.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == WEAK_RSA_BITS
    assert weak.issuer == intermediate.subject and intermediate.issuer == root.subject
    weak.verify_directly_issued_by(intermediate)


def test_weak_key_is_servable_and_maximum_version_is_set(tmp_path: Path) -> None:
    """OpenSSL's default security level refuses an RSA-1024 key; the lab's server context must not."""
    pki = LabPki(tmp_path)
    served = pki.issue("dev.chatbot.test", CertKind.WEAK_KEY)
    assert served.weak_key
    context = served.server_context("TLSv1.2", "TLSv1.2")
    assert context.maximum_version is ssl.TLSVersion.TLSv1_2
    default = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with pytest.raises(ssl.SSLError):
        default.load_cert_chain(served.chain_file, served.key_file)
