"""The lab's certificate authority and the leaf certificates its hosts present, one per ``CertKind``.

trustme makes the root and the intermediate (``create_child_ca``), as real public CAs issue from an
intermediate; the audit trusts only the root (the bundle written to the workdir), so a server that omits the
intermediate fails verification exactly as it would on the Internet. The self-signed certificate is made
with cryptography directly because, by definition, no CA issues it.
"""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from launchready.lab.sites import CertKind

EXPIRING_DAYS = 3
MISMATCH_NAME = "legacy-cdn.example.test"
"""The name a hostname-mismatch certificate is issued for: another product's host."""


@dataclass(frozen=True)
class ServedCert:
    """What a server loads: the PEM chain it sends (leaf first) and the key."""

    chain_file: Path
    key_file: Path

    def server_context(self, minimum: str = "TLSv1_2") -> ssl.SSLContext:
        """A server context presenting this chain; legacy minimums also lower OpenSSL's security level."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        version = ssl.TLSVersion[minimum.replace(".", "_")]
        if version < ssl.TLSVersion.TLSv1_2:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.minimum_version = version
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


def _self_signed(host: str, now: dt.datetime) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem
