"""The fingerprint data loads and matches edges by header, address range and CNAME."""

from __future__ import annotations

from launchready.checks.dns_edge.fingerprints import (
    edge_for_address,
    edge_for_cname,
    edge_for_headers,
    edges,
    provider_for_cname,
    takeover_providers,
)


def test_data_files_load() -> None:
    names = {e.name for e in edges()}
    assert {
        "Cloudflare",
        "Fastly",
        "Amazon CloudFront",
        "Akamai",
        "Vercel",
        "Netlify",
        "Fly.io",
        "Render",
    } <= names
    assert len(takeover_providers()) >= 10


def test_matches() -> None:
    assert edge_for_address("104.16.1.1").name == "Cloudflare"  # type: ignore[union-attr]
    assert edge_for_address("127.0.0.1") is None
    assert edge_for_cname("d111.cloudfront.net").name == "Amazon CloudFront"  # type: ignore[union-attr]
    seen = edge_for_headers((("Server", "cloudflare"), ("CF-RAY", "8a1-AMS")))
    assert seen is not None and seen[0].name == "Cloudflare"
    assert edge_for_headers((("Server", "nginx"),)) is None
    assert provider_for_cname("acme.github.io").name == "GitHub Pages"  # type: ignore[union-attr]
