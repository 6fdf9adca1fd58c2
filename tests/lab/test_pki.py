"""Each certificate kind is made as its name says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509

from launchready.lab.pki import EXPIRING_DAYS, MISMATCH_NAME, LabPki
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
    left = _chain(pki, CertKind.EXPIRING)[0].not_valid_after_utc - now
    assert dt.timedelta(days=EXPIRING_DAYS - 1) < left <= dt.timedelta(days=EXPIRING_DAYS)
    names = _chain(pki, CertKind.HOSTNAME_MISMATCH)[0].extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert names.value.get_values_for_type(x509.DNSName) == [MISMATCH_NAME]
    (self_signed,) = _chain(pki, CertKind.SELF_SIGNED)
    assert self_signed.issuer == self_signed.subject != root.subject
