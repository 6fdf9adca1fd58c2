"""``Lab``: the whole chatbot product on loopback — DNS, PKI, web hosts, backend, repo and its config.

Tests, benchmarks and ``launchready demo`` all audit this (roadmap "the spine", item 6). Everything is
derived from data (``sites.py`` profiles, ``zone.py`` records, the email/surface/secrets modules), so the
orchestrator only allocates addresses, issues certificates, binds sockets and starts servers, then writes the
``launchready.toml`` that describes what it started.
"""

from __future__ import annotations

import random
import secrets
import shutil
import socket
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from launchready.config import LaunchConfig, load_config
from launchready.engine import RunOptions
from launchready.lab.addresses import AddressBook, allocate_block, can_bind
from launchready.lab.dns_server import DnsServer
from launchready.lab.lab_config import LAB_DOMAIN, LabConfigInputs, write_lab_config
from launchready.lab.pki import LabPki
from launchready.lab.repo import build_lab_repo
from launchready.lab.site_app import Asgi, SiteApp
from launchready.lab.sites import BackendMount, SiteProfile, mta_sts_site, site_profiles
from launchready.lab.sites_surface import apply_surface_flaws
from launchready.lab.variant import LabVariant
from launchready.lab.web import Endpoint, LabWeb, bind
from launchready.lab.zone import lab_zone

_PORT_ATTEMPTS = 20


def origin_key(host: str) -> str:
    """The ``addresses`` key of a host's origin server: ``origin.<host>`` (not published in the zone)."""
    return f"origin.{host}"


class Lab:
    """``with Lab(LabVariant.FLAWED) as lab:`` → ``lab.config``, ``lab.nameserver``, ``lab.ca_bundle``..."""

    def __init__(
        self, variant: LabVariant = LabVariant.FLAWED, workdir: Path | None = None, domain: str = LAB_DOMAIN
    ) -> None:
        self.variant = variant
        self.domain = domain
        self._own_workdir = workdir is None
        # Named now, created by start(): a Lab that is never started leaves nothing behind.
        self.workdir = workdir or Path(tempfile.gettempdir()) / f"lab-{variant.value}-{secrets.token_hex(6)}"
        self.addresses: AddressBook = AddressBook("127.0.0")
        self.sites: dict[str, SiteProfile] = {}
        self.origins: dict[str, str] = {}
        self.http_port = 80
        self.https_port = 443
        self.config_path = self.workdir / "launchready.toml"
        self.ca_bundle = ""
        self._dns: DnsServer | None = None
        self._web: LabWeb | None = None
        self._config: LaunchConfig | None = None

    # --- public view -------------------------------------------------------------------------------

    @property
    def config(self) -> LaunchConfig:
        if self._config is None:
            raise RuntimeError("the lab is not started")
        return self._config

    @property
    def dns(self) -> DnsServer:
        if self._dns is None:
            raise RuntimeError("the lab is not started")
        return self._dns

    @property
    def nameserver(self) -> str:
        """``HOST:PORT`` of the lab's DNS server, as ``--nameserver`` takes it."""
        return self.dns.address

    @property
    def repo(self) -> Path:
        return self.workdir / "repo"

    def run_options(self, deadline_s: float = 60.0, **kw: Any) -> RunOptions:
        """Options for ``run_audit`` that resolve through the lab's DNS and trust the lab's CA."""
        return RunOptions(deadline_s=deadline_s, nameserver=self.nameserver, ca_bundle=self.ca_bundle, **kw)

    def url(self, host: str, path: str = "/", scheme: str = "https") -> str:
        return self.config.url(host, path, scheme)

    # --- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Lab:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._web is not None:
            self._web.stop()
            self._web = None
        if self._dns is not None:
            self._dns.stop()
            self._dns = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.repo, ignore_errors=True)  # a reused --workdir gets a fresh repo of this variant
        build_lab_repo(self.repo, self.variant)
        self.addresses = allocate_block()
        endpoints, sockets = self._plan_and_bind()
        self.origins = {
            h: self.addresses[origin_key(h)] for h, s in self.sites.items() if s.origin and s.resolves
        }
        inputs = LabConfigInputs(self.domain, self.repo, self.origins, self.http_port, self.https_port)
        write_lab_config(self.config_path, inputs)
        self._config = load_config(self.config_path)
        zone = lab_zone(self.domain, self.variant, self.sites, self.addresses, self.addresses.nameserver)
        dns_port = 53 if _bindable(self.addresses.nameserver, 53) else 0
        self._dns = DnsServer(zone, self.addresses.nameserver, dns_port)
        self._dns.start()
        self._web = LabWeb(endpoints, sockets)
        self._web.start()

    def _plan_and_bind(self) -> tuple[list[Endpoint], list[socket.socket]]:
        """Serve on 80/443 when allowed, else on one random pair of high ports shared by every address.

        The pages and redirects name the HTTPS port, so the plan is redone for each pair tried.
        """
        rng = random.Random()
        root = all(can_bind(self.addresses.at(1), port) for port in (80, 443))
        for attempt in range(_PORT_ATTEMPTS):
            if root and attempt == 0:
                self.http_port, self.https_port = 80, 443
            else:
                base = rng.randrange(20000, 60000, 2)
                self.http_port, self.https_port = base, base + 1
            endpoints = self._plan()
            sockets: list[socket.socket] = []
            try:
                for endpoint in endpoints:
                    sockets.append(bind(endpoint.address, endpoint.port))
            except OSError:
                for sock in sockets:
                    sock.close()
                continue
            return endpoints, sockets
        raise OSError("could not bind the lab's web ports")

    def _plan(self) -> list[Endpoint]:
        """Profiles → endpoints on the chosen ports, issuing each host's certificate."""
        sites = site_profiles(self.domain, self.variant, self.https_port)
        mta_sts = mta_sts_site(self.domain, self.variant)
        if mta_sts is not None:
            sites[mta_sts.host] = mta_sts
        for host, site in sites.items():  # spine hosts first, so their addresses are stable
            self.addresses.allocate(host)
            if site.origin:
                self.addresses.allocate(origin_key(host))
        self.sites = apply_surface_flaws(sites, self.variant, self.addresses)
        pki = LabPki(self.workdir / "pki")
        self.ca_bundle = str(pki.ca_bundle)
        backend = _backend(self.variant)
        endpoints: list[Endpoint] = []
        for host, site in self.sites.items():
            if not site.resolves:
                continue
            group = "backend" if site.backend is not BackendMount.NONE else "sites"
            served = [(self.addresses[host], False, site.cert)]
            if site.origin:
                served.append((self.addresses[origin_key(host)], True, site.origin_cert))
            for address, at_origin, kind in served:
                tls = pki.issue(host, kind).server_context(site.tls_min_version, site.tls_max_version)
                for scheme, port, context in (
                    ("http", self.http_port, None),
                    ("https", self.https_port, tls),
                ):
                    app = SiteApp(
                        site, scheme, at_origin=at_origin, backend=backend, https_port=self.https_port
                    )
                    endpoints.append(Endpoint(address, port, app, context, group))
        return endpoints


def _bindable(address: str, port: int) -> bool:
    """Both UDP and TCP ``address:port`` are free (the DNS server takes both)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return can_bind(address, port)


def _backend(variant: LabVariant) -> Asgi:
    from launchready.lab.backend.app import create_app

    return create_app(variant)
