"""The lab answers as planted: DNS through its nameserver, HTTPS through its CA, per variant."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from launchready.config import load_config
from launchready.lab import Lab, LabVariant
from launchready.lab.addresses import can_bind
from launchready.lab.planted import SPINE
from launchready.net import DnsResolver, DnsServerFailure, DnsStatus, HttpClient, Limits, TlsProber

pytestmark = pytest.mark.timeout(120)


def test_config_round_trips_through_the_loader(flawed_lab: Lab) -> None:
    config = load_config(flawed_lab.config_path)
    assert config == flawed_lab.config
    assert config.product.domain == "chatbot.test"
    assert set(config.product.subdomains) == {"app", "api", "docs", "status", "help"}
    assert {r.name for r in config.routes} >= {"homepage", "login", "health", "webhook", "chat", "models"}
    assert config.repo.path == flawed_lab.repo
    assert config.environments, "the secrets work's env files should be listed"
    assert all(path.is_file() for path in config.environments.values())
    assert set(config.hosts) == {"chatbot.test", "api.chatbot.test"}
    assert config.network.https_port == flawed_lab.https_port
    assert config.chat.request == {"message": "{{message}}"}
    login = next(r for r in config.routes if r.name == "login")
    assert login.method == "POST" and login.body == {
        "email": "demo@chatbot.test",
        "password": "demo-password",
    }
    assert next(r for r in config.routes if r.name == "models").cacheable
    assert len(config.owners) == 2


async def test_every_host_resolves_but_the_planted_one(flawed_lab: Lab, hardened_lab: Lab) -> None:
    for lab, missing in ((flawed_lab, {"status.chatbot.test"}), (hardened_lab, set())):
        resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
        for host in lab.config.public_hosts:
            answer = await resolver.query(host, "A")
            expected = DnsStatus.NXDOMAIN if host in missing else DnsStatus.NOERROR
            assert answer.status is expected, (lab.variant, host)
            if host not in missing:
                assert answer.records == (lab.addresses[host],)


async def test_servfail_on_demand(hardened_lab: Lab) -> None:
    resolver = DnsResolver(Limits(dns_timeout=2.0), nameserver=hardened_lab.nameserver)
    hardened_lab.dns.zone.servfail.add("docs.chatbot.test")
    try:
        with pytest.raises(DnsServerFailure):
            await resolver.query("docs.chatbot.test", "A")
    finally:
        hardened_lab.dns.zone.servfail.discard("docs.chatbot.test")
    assert (await resolver.query("docs.chatbot.test", "A")).status is DnsStatus.NOERROR


async def test_hardened_hosts_verify_and_redirect_to_https_keeping_the_path(hardened_lab: Lab) -> None:
    lab = hardened_lab
    resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
    async with HttpClient(resolver, Limits(), ca_bundle=lab.ca_bundle) as http:
        for host in lab.config.public_hosts:
            plain = await http.fetch(lab.url(host, "/pricing?plan=pro", "http"), follow_redirects=False)
            assert plain.status == 301, host
            assert plain.header("location") == lab.url(host, "/pricing?plan=pro")
            secure = await http.fetch(lab.url(host, "/"), follow_redirects=False)
            assert (
                secure.header("strict-transport-security") == "max-age=63072000; includeSubDomains; preload"
            )
            if host == "www.chatbot.test":
                assert secure.status == 301
                assert secure.header("location") == lab.url("chatbot.test", "/")
            elif host != "api.chatbot.test":
                assert secure.status == 200, host
                csp = secure.header("content-security-policy") or ""
                assert "frame-ancestors" in csp and "unsafe-inline" not in csp
                assert secure.header("x-content-type-options") == "nosniff"
        home = await http.fetch(lab.url("chatbot.test", "/"))
        assert f'<link rel="canonical" href="{lab.url("chatbot.test", "/")}">' in home.text


async def test_flawed_certificates_are_the_planted_ones(flawed_lab: Lab) -> None:
    lab = flawed_lab
    resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
    prober = TlsProber(resolver, Limits(), lab.ca_bundle)
    expected = {
        "docs.chatbot.test": "self-signed",
        "www.chatbot.test": "hostname mismatch",
        "help.chatbot.test": "expired",
    }
    for host, error in expected.items():
        seen = await prober.observe(host, lab.https_port)
        assert not seen.verified and error in (seen.verify_error or "").lower(), (host, seen.verify_error)
    app = await prober.observe("app.chatbot.test", lab.https_port)
    assert app.verified
    left = x509.load_der_x509_certificate(app.leaf_der).not_valid_after_utc - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=2) < left <= dt.timedelta(days=3)
    apex = await prober.observe("chatbot.test", lab.https_port)
    assert apex.verified and len(apex.chain_der) == 2  # leaf + intermediate


async def test_flawed_docs_serves_plain_http_and_api_lacks_hsts(flawed_lab: Lab) -> None:
    lab = flawed_lab
    resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
    async with HttpClient(resolver, Limits(), ca_bundle=lab.ca_bundle) as http:
        docs = await http.fetch(lab.url("docs.chatbot.test", "/", "http"), follow_redirects=False)
        assert docs.status == 200 and "Documentation" in docs.text
        health = await http.fetch(lab.url("api.chatbot.test", "/health"))
        assert health.status == 200 and health.header("strict-transport-security") is None
        assert health.header("server") == "cloudflare"  # behind the fake edge


def test_spine_plants_are_listed() -> None:
    assert {p.rule_id for p in SPINE} == {
        "dns.host.unresolved",
        "tls.cert.untrusted",
        "http.https-redirect.missing",
        "tls.cert.hostname-mismatch",
        "tls.cert.expiring",
        "tls.cert.expired",
        "headers.hsts.missing",
    }


async def test_backend_is_mounted_on_api_and_app(hardened_lab: Lab) -> None:
    lab = hardened_lab
    resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
    async with HttpClient(resolver, Limits(), ca_bundle=lab.ca_bundle) as http:
        assert (await http.fetch(lab.url("api.chatbot.test", "/health"))).text == '{"status":"ok"}'
        models = await http.fetch(lab.url("app.chatbot.test", "/v1/models"))
        assert models.status == 200 and "lab-chat-1" in models.text
        page = await http.fetch(lab.url("app.chatbot.test", "/"))
        assert "lab_session=" in (page.header("set-cookie") or "")


async def test_origins_serve_directly_in_flawed_and_refuse_in_hardened(
    flawed_lab: Lab, hardened_lab: Lab
) -> None:
    for lab, status in ((flawed_lab, 200), (hardened_lab, 403)):
        resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
        async with HttpClient(resolver, Limits(), ca_bundle=lab.ca_bundle) as http:
            origin = lab.config.hosts["chatbot.test"].origin
            assert origin is not None and origin != lab.addresses["chatbot.test"]
            pinned = http.pinned_to({"chatbot.test": origin})
            response = await pinned.fetch(lab.url("chatbot.test", "/"), follow_redirects=False)
            assert response.status == status, lab.variant
            assert response.header("cf-ray") is None


def test_stop_leaves_nothing_bound() -> None:
    threads_before = {t.ident for t in threading.enumerate()}
    lab = Lab(LabVariant.HARDENED).start()
    listeners = [(lab.addresses[h], p) for h in lab.sites for p in (lab.http_port, lab.https_port)]
    nameserver_host, nameserver_port = lab.nameserver.rsplit(":", 1)
    workdir = lab.workdir
    assert not can_bind(*listeners[0])
    lab.stop()
    assert all(can_bind(address, port) for address, port in listeners)
    assert can_bind(nameserver_host, int(nameserver_port))
    assert not workdir.exists()
    assert {t.ident for t in threading.enumerate()} <= threads_before


async def test_mta_sts_policy_is_served_when_the_email_work_has_one(hardened_lab: Lab) -> None:
    from launchready.lab.zone_email import mta_sts_policy

    policy = mta_sts_policy("chatbot.test", LabVariant.HARDENED)
    if policy is None:
        pytest.skip("the email work publishes no MTA-STS policy for this variant")
    lab = hardened_lab
    resolver = DnsResolver(Limits(), nameserver=lab.nameserver)
    async with HttpClient(resolver, Limits(), ca_bundle=lab.ca_bundle) as http:
        response = await http.fetch(lab.url("mta-sts.chatbot.test", "/.well-known/mta-sts.txt"))
    assert response.status == 200 and response.text == policy


async def test_surface_tls_plants_and_their_hardened_twins(flawed_lab: Lab, hardened_lab: Lab) -> None:
    """Flawed: dev has an RSA-1024 key, app stops at TLS 1.2, the API origin is self-signed."""
    flawed = TlsProber(
        DnsResolver(Limits(), nameserver=flawed_lab.nameserver), Limits(), flawed_lab.ca_bundle
    )
    dev = await flawed.observe("dev.chatbot.test", flawed_lab.https_port)
    key = x509.load_der_x509_certificate(dev.leaf_der).public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 1024
    assert not await flawed.accepts_version("app.chatbot.test", "TLSv1.3", flawed_lab.https_port)
    api_origin = flawed_lab.config.hosts["api.chatbot.test"].origin
    seen = await flawed.observe("api.chatbot.test", flawed_lab.https_port, api_origin)
    assert not seen.verified and "self-signed" in (seen.verify_error or "")

    hardened = TlsProber(
        DnsResolver(Limits(), nameserver=hardened_lab.nameserver), Limits(), hardened_lab.ca_bundle
    )
    assert "dev.chatbot.test" not in hardened_lab.sites
    assert await hardened.accepts_version("app.chatbot.test", "TLSv1.3", hardened_lab.https_port)
    for host, origin in hardened_lab.origins.items():
        assert (await hardened.observe(host, hardened_lab.https_port, origin)).verified, host
