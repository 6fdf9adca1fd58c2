"""The lab: a realistic AI chatbot product (``chatbot.test``) served on loopback, flawed or hardened.

Tests, benchmarks and ``launchready demo`` audit it instead of a real product (roadmap "the spine", item 6)::

    with Lab(LabVariant.FLAWED) as lab:
        run = await run_audit(lab.config, all_checks(), lab.run_options(deadline_s=60))

``Lab`` exposes ``config`` / ``config_path`` (its ``launchready.toml``), ``nameserver`` and ``dns``,
``ca_bundle``, ``addresses`` (host → 127.A.B.x), ``origins``, ``sites`` (the served ``SiteProfile`` per
host), ``http_port`` / ``https_port``, ``repo`` and ``workdir``. ``launchready.lab.hostile.HostileLab`` holds
the misbehaving targets for robustness tests.
"""

from launchready.lab.orchestrator import Lab
from launchready.lab.variant import LabVariant

__all__ = ["Lab", "LabVariant"]
