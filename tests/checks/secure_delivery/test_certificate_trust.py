"""Trust is OpenSSL's verdict, whatever its wording: only a verified handshake passes.

Negative tests for the old marker list ("self-signed", "issuer", ...): a verification error it did not
recognise (revoked, invalid CA, unsuitable purpose) was reported as "chain builds to a trusted CA" (pass).
"""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from test_tls_depth import findings_for, tls_host

from launchready.checks.secure_delivery.certificate import CertificateValid, _trust
from launchready.engine import run_audit
from launchready.findings import Status
from launchready.net import TlsObservation


def client_only_cert(ca: trustme.CA, host: str, folder: Path) -> tuple[Path, Path]:
    """A leaf from the trusted CA whose extendedKeyUsage allows client authentication only: OpenSSL rejects
    it for a server with "unsuitable certificate purpose", words the old check did not know."""
    key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca._private_key, hashes.SHA256())
    )
    cert_file, key_file = folder / "client-only.pem", folder / "client-only.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


async def test_an_unrecognised_verify_error_fails_trust(tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert_file, key_file = client_only_cert(ca, "purpose.test", tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    async with tls_host("purpose.test", context, ca_file) as (config, options):
        run = await run_audit(config, [CertificateValid()], options)
    untrusted = next(
        f for f in run.findings if f.rule_id == "tls.cert.untrusted" and f.target == "purpose.test"
    )
    assert untrusted.status is Status.FAIL, untrusted.evidence
    assert "unsuitable certificate purpose" in untrusted.evidence
    assert untrusted.exercised == {"handshakes": 1}
    # the certificate itself is fine on the other rules
    assert findings_for(run, "purpose.test")["tls.cert.expired"] is Status.PASS


def _observation(verified: bool, error: str | None) -> TlsObservation:
    return TlsObservation(
        "a.test", "127.0.0.1", 443, "TLSv1.3", "TLS_AES_128_GCM_SHA256", verified, error, b""
    )


@pytest.mark.parametrize("error", ["certificate revoked", "invalid CA certificate", "certificate rejected"])
def test_any_verify_error_is_a_failure(error: str) -> None:
    finding = _trust("a.test", _observation(False, error))
    assert finding.status is Status.FAIL and error in finding.evidence


def test_only_a_verified_handshake_passes() -> None:
    assert _trust("a.test", _observation(True, None)).status is Status.PASS
    assert _trust("a.test", _observation(False, None)).status is Status.UNVERIFIABLE
