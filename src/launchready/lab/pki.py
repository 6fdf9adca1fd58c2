"""The lab's certificate authority and the leaf certificates its hosts present, one per ``CertKind``.

trustme makes the root and the intermediate (``create_child_ca``), as real public CAs issue from an
intermediate; the audit trusts only the root (the bundle written to the workdir), so a server that omits the
intermediate fails verification exactly as it would on the Internet. The self-signed certificate is made
with cryptography directly because, by definition, no CA issues it; so is the weak-key leaf, because trustme
only issues strong keys (it is signed by the lab intermediate, so only its key size is wrong).
"""

from __future__ import annotations

import datetime as dt
import ssl
import warnings
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from launchready.lab.sites import CertKind

EXPIRING_DAYS = 3
MISMATCH_NAME = "legacy-cdn.example.test"
"""The name a hostname-mismatch certificate is issued for: another product's host."""
WEAK_RSA_BITS = 1024
"""Below the 2048 bits of CA/B Forum BR 6.1.5; OpenSSL serves it only at security level 1 or lower."""


@dataclass(frozen=True)
class ServedCert:
    """What a server loads: the PEM chain it sends (leaf first) and the key."""

    chain_file: Path
    key_file: Path
    weak_key: bool = False

    def server_context(self, minimum: str = "TLSv1_2", maximum: str | None = None) -> ssl.SSLContext:
        """A server context presenting this chain between ``minimum`` and ``maximum`` (None: OpenSSL's).

        Legacy minimums and weak keys lower OpenSSL's security level, as the misconfigured servers they
        imitate do (at the default level 2 OpenSSL refuses both).
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        version = ssl.TLSVersion[minimum.replace(".", "_")]
        if version < ssl.TLSVersion.TLSv1_2:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        elif self.weak_key:
            context.set_ciphers("DEFAULT:@SECLEVEL=1")
        with warnings.catch_warnings():  # the flawed lab offers TLS 1.0 on purpose
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = version
        if maximum is not None:
            context.maximum_version = ssl.TLSVersion[maximum.replace(".", "_")]
        context.load_cert_chain(self.chain_file, self.key_file)
        return context


class LabPki:
    """A root, an intermediate, and leaf certificates written under ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.root = trustme.CA(organization_name="launchready lab root")
        self.intermediate = self.root.create_child_ca()
        self.ca_bundle = directory / "ca-bundle.pem"
        self.root.cert_pem.write_to_path(str(self.ca_bundle))

    def issue(self, host: str, kind: CertKind) -> ServedCert:
        """A certificate for ``host`` with the flaw ``kind`` names, as ``<host>.<kind>.pem`` and ``.key``."""
        now = dt.datetime.now(dt.UTC)
        stem = self.directory / f"{host}.{kind.value}"
        chain_file, key_file = stem.with_suffix(stem.suffix + ".pem"), stem.with_suffix(stem.suffix + ".key")
        if kind is CertKind.SELF_SIGNED:
            chain, key = _self_signed(host, now)
            chain_file.write_bytes(chain)
            key_file.write_bytes(key)
            return ServedCert(chain_file, key_file)
        if kind is CertKind.WEAK_KEY:
            chain, key = self._weak_key(host, now)
            chain_file.write_bytes(chain)
            key_file.write_bytes(key)
            return ServedCert(chain_file, key_file, weak_key=True)
        name, not_before, not_after = host, now - dt.timedelta(days=30), now + dt.timedelta(days=90)
        if kind is CertKind.EXPIRED:
            not_before, not_after = now - dt.timedelta(days=120), now - dt.timedelta(days=2)
        elif kind is CertKind.EXPIRING:
            not_after = now + dt.timedelta(days=EXPIRING_DAYS)
        elif kind is CertKind.HOSTNAME_MISMATCH:
            name = MISMATCH_NAME
        leaf = self.intermediate.issue_cert(name, not_before=not_before, not_after=not_after)
        blobs = leaf.cert_chain_pems[:1] if kind is CertKind.MISSING_INTERMEDIATE else leaf.cert_chain_pems
        chain_file.write_bytes(b"".join(blob.bytes() for blob in blobs))
        leaf.private_key_pem.write_to_path(str(key_file))
        return ServedCert(chain_file, key_file)

    def _weak_key(self, host: str, now: dt.datetime) -> tuple[bytes, bytes]:
        """Leaf + intermediate (PEM) and the leaf's key: an RSA-1024 leaf the lab intermediate signs."""
        issuer = x509.load_pem_x509_certificate(self.intermediate.cert_pem.bytes())
        issuer_key = serialization.load_pem_private_key(self.intermediate.private_key_pem.bytes(), None)
        assert isinstance(issuer_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
        key = rsa.generate_private_key(public_exponent=65537, key_size=WEAK_RSA_BITS)
        cert = (
            _leaf_builder(host, key.public_key(), now)
            .issuer_name(issuer.subject)
            .not_valid_after(now + dt.timedelta(days=90))
            .sign(issuer_key, hashes.SHA256())
        )
        chain = cert.public_bytes(serialization.Encoding.PEM) + self.intermediate.cert_pem.bytes()
        return chain, _key_pem(key)


def _self_signed(host: str, now: dt.datetime) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _leaf_builder(host, key.public_key(), now)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)


def _leaf_builder(
    host: str, public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey, now: dt.datetime
) -> x509.CertificateBuilder:
    """A server certificate for ``host``, still without issuer, expiry and signature."""
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )


def _key_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
