"""TLS depth against real OpenSSL servers: a legacy-protocol server with a weak key, an incomplete chain,
and a modern one."""

from __future__ import annotations

import asyncio
import datetime
import random
import ssl
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from launchready.checks.secure_delivery.tls_depth import TlsDepth
from launchready.config import LaunchConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Status
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.net import tls as tls_module


def weak_cert(ca: trustme.CA, host: str, folder: Path) -> tuple[Path, Path]:
    """An RSA-1024 leaf signed by the test CA (trustme only issues strong keys)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
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
        .sign(ca._private_key, hashes.SHA256())
    )
    cert_file, key_file = folder / "weak.pem", folder / "weak.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@asynccontextmanager
async def tls_host(
    host: str, context: ssl.SSLContext, ca_file: Path
) -> AsyncIterator[tuple[LaunchConfig, RunOptions]]:
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(accept, address, 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    zone = Zone(origins=(host,), records=[ZoneRecord(host, "A", address)])
    with DnsServer(zone, host=address) as dns:
        config = LaunchConfig.model_validate(
            {"product": {"name": "T", "domain": host, "subdomains": []}, "network": {"https_port": port}}
        )
        # www is not served: only the apex is looked at here
        try:
            yield config, RunOptions(deadline_s=20, nameserver=dns.address, ca_bundle=str(ca_file))
        finally:
            server.close()


def findings_for(run: AuditRun, host: str) -> dict[str, Status]:
    return {f.rule_id: f.status for f in run.findings if f.target == host}


async def test_legacy_protocol_and_weak_key_fail(tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert_file, key_file = weak_cert(ca, "old.test", tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ALL:@SECLEVEL=0")
    context.load_cert_chain(cert_file, key_file)
    async with tls_host("old.test", context, ca_file) as (config, options):
        run = await run_audit(config, [TlsDepth()], options)
    found = findings_for(run, "old.test")
    assert found["tls.protocol.legacy"] is Status.FAIL
    assert found["tls.key.weak"] is Status.FAIL
    assert found["tls.version.no-tls13"] is Status.WARN
    weak = next(f for f in run.findings if f.rule_id == "tls.key.weak" and f.target == "old.test")
    assert "RSA 1024-bit" in weak.evidence


async def test_incomplete_chain_fails_and_modern_server_passes(tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    intermediate = ca.create_child_ca()
    leaf = intermediate.issue_cert("chain.test")
    leaf_only = tmp_path / "leaf.pem"
    leaf_only.write_bytes(leaf.cert_chain_pems[0].bytes())
    key = tmp_path / "leaf.key"
    leaf.private_key_pem.write_to_path(str(key))
    broken = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    broken.load_cert_chain(leaf_only, key)
    async with tls_host("chain.test", broken, ca_file) as (config, options):
        run = await run_audit(config, [TlsDepth()], options)
    assert findings_for(run, "chain.test")["tls.chain.incomplete"] is Status.FAIL

    full = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(full)  # leaf + intermediate
    async with tls_host("chain.test", full, ca_file) as (config, options):
        run = await run_audit(config, [TlsDepth()], options)
    assert findings_for(run, "chain.test") == {
        "tls.protocol.legacy": Status.PASS,
        "tls.key.weak": Status.PASS,
        "tls.chain.incomplete": Status.PASS,
        "tls.version.no-tls13": Status.PASS,
    }
    legacy = next(f for f in run.findings if f.rule_id == "tls.protocol.legacy" and f.target == "chain.test")
    assert legacy.exercised == {"handshakes_offered": 1}  # the server itself refused TLS 1.1


def _cannot_offer(version: str) -> ssl.SSLContext:
    """What a system OpenSSL policy (``MinProtocol = TLSv1.2``) makes of a context pinned to a legacy
    version: no ClientHello can be built (maximum below minimum)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    return context


async def test_legacy_rule_is_unverifiable_when_this_machine_cannot_offer_legacy_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative test: the old probe read the client's own "no protocols available" as the server refusing,
    so a server that accepts TLS 1.0 and 1.1 passed on a machine that cannot offer them."""
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    legacy_server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        legacy_server.minimum_version = ssl.TLSVersion.TLSv1
    legacy_server.set_ciphers("ALL:@SECLEVEL=0")
    ca.issue_cert("old.test").configure_cert(legacy_server)
    monkeypatch.setattr(tls_module, "_version_context", _cannot_offer)
    async with tls_host("old.test", legacy_server, ca_file) as (config, options):
        run = await run_audit(config, [TlsDepth()], options)
    legacy = next(f for f in run.findings if f.rule_id == "tls.protocol.legacy" and f.target == "old.test")
    assert legacy.status is Status.UNVERIFIABLE, legacy.evidence
    assert "this machine's OpenSSL cannot offer TLS 1.0 or TLS 1.1" in (legacy.reason or "")
    assert f"openssl s_client -tls1_1 -connect old.test:{config.network.https_port}" in (legacy.reason or "")


async def test_chain_of_a_self_signed_certificate_is_not_assessed(tmp_path: Path) -> None:
    """Nothing to complete on a self-signed leaf: the old check called it a complete chain (pass)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("self.test")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "self.pem", tmp_path / "self.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    ca_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    async with tls_host("self.test", context, ca_file) as (config, options):
        run = await run_audit(config, [TlsDepth()], options)
    assert findings_for(run, "self.test")["tls.chain.incomplete"] is Status.NOT_ASSESSED
