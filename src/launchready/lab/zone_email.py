"""Email records (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT) of the lab zone, per variant, and the MTA-STS
policy file the lab serves at ``https://mta-sts.<domain>/.well-known/mta-sts.txt``.

The flawed variant plants one realistic mistake per rule (each listed in ``planted.EMAIL``); the hardened
variant publishes what launchready recommends. The apex sends mail and so does ``notify.<domain>`` (the
receipts subdomain a transactional provider asks for). DKIM keys are generated with ``cryptography`` once
per process: 1024 bits where a weak key is planted, 2048 otherwise. Mail hosts get loopback addresses so
nothing ever leaves the machine.
"""

from __future__ import annotations

import base64
import functools

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from launchready.lab.dns_server import ZoneRecord, txt
from launchready.lab.variant import LabVariant

SENDING_SUBDOMAIN = "notify"
DKIM_SELECTOR = "google"
"""A common provider selector, so the audit finds the key without an ``[email]`` section in the config."""
BROKEN_SELECTOR = "k1"
LAB_EMAIL_CONFIG = f"""[email]
sends_mail = true
dkim_selectors = ["{DKIM_SELECTOR}"]
sending_subdomains = ["{SENDING_SUBDOMAIN}"]
"""
"""The ``[email]`` section for the lab's launchready.toml (the audit also finds all of it without one)."""


@functools.cache
def dkim_public_key(bits: int) -> str:
    """Base64 SubjectPublicKeyInfo of a fresh RSA key of ``bits`` (cached: one key per size per process)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def email_records(domain: str, variant: LabVariant) -> list[ZoneRecord]:
    flawed = variant is LabVariant.FLAWED
    notify = f"{SENDING_SUBDOMAIN}.{domain}"
    records = [
        ZoneRecord(f"send1.{domain}", "A", "127.0.0.26"),
        ZoneRecord(f"_dmarc.{domain}", "TXT", txt(_dmarc(domain, flawed))),
        ZoneRecord(f"_mta-sts.{domain}", "TXT", txt(f"v=STSv1; id={'2026flawed' if flawed else '20261125'}")),
        ZoneRecord(f"_smtp._tls.{domain}", "TXT", txt(_tlsrpt(domain, flawed))),
        ZoneRecord(f"{DKIM_SELECTOR}._domainkey.{domain}", "TXT", txt(_dkim(1024 if flawed else 2048))),
    ]
    if flawed:
        records += [
            # 13 DNS-querying terms through the include tree (RFC 7208 limit: 10), ptr, and ~all.
            ZoneRecord(domain, "TXT", txt(f"v=spf1 include:_spf.{domain} ptr ~all")),
            ZoneRecord(
                f"_spf.{domain}",
                "TXT",
                txt(f"v=spf1 include:_spf1.{domain} include:_spf2.{domain} include:_spf3.{domain} a mx ~all"),
            ),
            *(
                ZoneRecord(f"_spf{n}.{domain}", "TXT", txt(f"v=spf1 a:send1.{domain} a:send1.{domain} ~all"))
                for n in (1, 2, 3)
            ),
            # MX to an alias (RFC 2181 10.3).
            ZoneRecord(domain, "MX", f"10 mx1.{domain}."),
            ZoneRecord(f"mx1.{domain}", "CNAME", f"mailhost.{domain}."),
            ZoneRecord(f"mailhost.{domain}", "A", "127.0.0.25"),
            # A truncated DKIM key under another common selector.
            ZoneRecord(
                f"{BROKEN_SELECTOR}._domainkey.{domain}",
                "TXT",
                txt("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwx"),
            ),
            # The receipts subdomain authorizes the whole internet and has no DKIM key.
            ZoneRecord(notify, "TXT", txt("v=spf1 ip4:127.0.0.0/8 +all")),
        ]
    else:
        records += [
            ZoneRecord(domain, "TXT", txt(f"v=spf1 ip4:127.0.0.0/8 include:_spf.{domain} -all")),
            ZoneRecord(f"_spf.{domain}", "TXT", txt(f"v=spf1 a:send1.{domain} -all")),
            ZoneRecord(domain, "MX", f"10 mx1.{domain}."),
            ZoneRecord(f"mx1.{domain}", "A", "127.0.0.25"),
            ZoneRecord(notify, "TXT", txt("v=spf1 ip4:127.0.0.0/8 -all")),
            ZoneRecord(f"{DKIM_SELECTOR}._domainkey.{notify}", "TXT", txt(_dkim(2048))),
        ]
    return records


def mta_sts_policy(domain: str, variant: LabVariant) -> str | None:
    """RFC 8461 3.2 policy file; the flawed one is in testing mode and names a host that is not the MX."""
    if variant is LabVariant.FLAWED:
        return "version: STSv1\r\nmode: testing\r\nmx: *.mail-provider.test\r\nmax_age: 86400\r\n"
    return f"version: STSv1\r\nmode: enforce\r\nmx: mx1.{domain}\r\nmax_age: 1209600\r\n"


def _dmarc(domain: str, flawed: bool) -> str:
    if flawed:
        return "v=DMARC1; p=none; pct=50"
    return f"v=DMARC1; p=reject; rua=mailto:dmarc-reports@{domain}; adkim=r; aspf=r"


def _tlsrpt(domain: str, flawed: bool) -> str:
    return f"v=TLSRPTv1; rua={'' if flawed else 'mailto:'}tls-reports@{domain}"


def _dkim(bits: int) -> str:
    return f"v=DKIM1; k=rsa; p={dkim_public_key(bits)}"
