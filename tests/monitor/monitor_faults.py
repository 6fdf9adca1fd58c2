"""Monitor test helpers: change the running lab the way production goes wrong, then put it back.

The lab is session-wide and shared, so every helper is a context manager that restores what it changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from launchready.lab import Lab
from launchready.lab.dns_server import ZoneRecord


def _backends(lab: Lab) -> list[Any]:
    """The FastAPI backend apps the lab's servers mount (one per variant, shared by every listener)."""
    web: Any = lab._web  # the lab keeps its servers private; tests reach the fake LLM through them
    found: dict[int, Any] = {}
    for thread in web._threads:
        for server in thread.servers:
            backend = getattr(server.config.app, "backend", None)
            if backend is not None:
                found[id(backend)] = backend
    assert found, "the lab has no backend"
    return list(found.values())


@contextmanager
def slow_llm(lab: Lab, first_token_s: float) -> Iterator[None]:
    """The fake LLM waits ``first_token_s`` before its first token (a provider slowing down)."""
    models = [backend.state.llm for backend in _backends(lab)]
    before = [model.settings for model in models]
    for model in models:
        model.settings = dataclasses.replace(model.settings, first_token_s=first_token_s)
    try:
        yield
    finally:
        for model, settings in zip(models, before, strict=True):
            model.settings = settings


@contextmanager
def dmarc_policy(lab: Lab, policy: str) -> Iterator[None]:
    """Rewrite the apex DMARC record's ``p=`` on the lab's live DNS zone (a DNS edit), then restore it."""
    zone = lab.dns.zone
    name = f"_dmarc.{lab.domain}"
    original = list(zone.records)
    changed = []
    for record in original:
        text = record.rdata
        if (
            record.name.rstrip(".").lower() == name
            and record.rdtype.upper() == "TXT"
            and isinstance(text, str)
        ):
            rdata = text
            for old in ("p=reject", "p=quarantine", "p=none"):
                rdata = rdata.replace(old, f"p={policy}")
            changed.append(ZoneRecord(record.name, record.rdtype, rdata, record.ttl))
        else:
            changed.append(record)
    assert changed != original, "no apex DMARC record in the lab zone"
    zone.records[:] = changed
    zone.add([])
    try:
        yield
    finally:
        zone.records[:] = original
        zone.add([])
