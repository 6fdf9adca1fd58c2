"""The TLS seam's version probe tells three answers apart, against real OpenSSL servers on loopback: the
server took the version, the server refused it, or this machine could not offer it (nothing was asked)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import trustme

from launchready.net import DnsResolver, TlsProber
from launchready.net import tls as tls_module
from launchready.net.errors import NetError
from launchready.net.tls import VersionOutcome, client_hello_problem


@asynccontextmanager
async def tls_server(minimum: ssl.TLSVersion) -> AsyncIterator[int]:
    """A real OpenSSL server on 127.0.0.1 accepting ``minimum`` and above; yields its port."""
    cert = trustme.CA().issue_cert("proto.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = minimum
    context.set_ciphers("ALL:@SECLEVEL=0")
    cert.configure_cert(context)

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


def unofferable_context(version: str) -> ssl.SSLContext:
    """A client context that cannot build any ClientHello: its maximum version is below its minimum, which
    is what a system policy (``MinProtocol = TLSv1.2``) does to a context pinned to TLS 1.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    return context


def prober() -> TlsProber:
    return TlsProber(DnsResolver(nameserver="127.0.0.1"))


def test_a_context_that_cannot_offer_a_version_is_found_without_any_packet() -> None:
    assert client_hello_problem(unofferable_context("TLSv1.1")) == "NO_PROTOCOLS_AVAILABLE"
    modern = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    assert client_hello_problem(modern) is None


async def test_a_modern_server_refuses_tls_1_1_after_seeing_the_client_hello() -> None:
    async with tls_server(ssl.TLSVersion.TLSv1_2) as port:
        offer = await prober().offer_version("proto.test", "TLSv1.1", port, "127.0.0.1")
        taken = await prober().offer_version("proto.test", "TLSv1.2", port, "127.0.0.1")
    assert offer.outcome is VersionOutcome.REFUSED, offer
    assert taken.outcome is VersionOutcome.ACCEPTED and taken.detail == "TLSv1.2"


async def test_a_legacy_server_accepts_tls_1_1() -> None:
    async with tls_server(ssl.TLSVersion.TLSv1) as port:
        offer = await prober().offer_version("proto.test", "TLSv1.1", port, "127.0.0.1")
    assert offer.outcome is VersionOutcome.ACCEPTED, offer


async def test_a_version_this_machine_cannot_offer_is_not_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The old probe returned False ("refused") for any client-side SSLError, so a machine whose OpenSSL
    cannot offer TLS 1.1 reported every server as refusing it."""
    monkeypatch.setattr(tls_module, "_version_context", unofferable_context)
    async with tls_server(ssl.TLSVersion.TLSv1) as port:  # a server that *would* accept TLS 1.1
        offer = await prober().offer_version("proto.test", "TLSv1.1", port, "127.0.0.1")
        assert not await prober().accepts_version("proto.test", "TLSv1.1", port, "127.0.0.1")
    assert offer.outcome is VersionOutcome.NOT_OFFERED
    assert "NO_PROTOCOLS_AVAILABLE" in offer.detail


async def test_a_network_failure_is_an_error_not_a_refusal() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # bound, never listening: the connection is refused
        with pytest.raises(NetError):
            await prober().offer_version("proto.test", "TLSv1.1", closed_port, "127.0.0.1")
