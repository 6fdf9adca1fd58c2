"""Compare two email postures (the ``email`` artifact of two runs): what was added, removed, weakened or
strengthened — the roadmap's "email authentication validation after DNS changes".

A change is *weakened* when a receiver would now accept more forged mail or deliver less of yours: a
softer SPF ``all``, a softer DMARC policy or ``t=y``, a shorter or missing DKIM key, MTA-STS leaving enforce,
a record gone. The comparison works on the plain summary dicts so a saved JSON report is enough.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

_SPF_ALL = {"+": 0, "?": 1, None: 1, "~": 2, "-": 3}
_POLICY = {None: -1, "none": 0, "quarantine": 1, "reject": 2}
_STS_MODE = {None: -1, "none": 0, "testing": 1, "enforce": 2}


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    WEAKENED = "weakened"
    STRENGTHENED = "strengthened"
    CHANGED = "changed"


@dataclass(frozen=True)
class EmailChange:
    domain: str
    item: str
    """What changed, in the user's words: ``DMARC policy``, ``SPF all``, ``DKIM selector google``..."""
    kind: ChangeKind
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.domain}: {self.item} {self.kind.value} ({self.before} -> {self.after})"

    def as_dict(self) -> dict[str, str]:
        return {
            "domain": self.domain,
            "item": self.item,
            "kind": self.kind.value,
            "before": self.before,
            "after": self.after,
        }


def compare_postures(before: dict[str, Any], after: dict[str, Any]) -> list[EmailChange]:
    """Every difference between two ``EmailPosture.summary()`` dicts, ordered by domain."""
    old_domains: dict[str, Any] = before.get("domains", {}) or {}
    new_domains: dict[str, Any] = after.get("domains", {}) or {}
    changes: list[EmailChange] = []
    for domain in sorted(set(old_domains) | set(new_domains)):
        old, new = old_domains.get(domain), new_domains.get(domain)
        if old is None or new is None:
            kind = ChangeKind.ADDED if old is None else ChangeKind.REMOVED
            changes.append(
                EmailChange(
                    domain,
                    "mail domain",
                    kind,
                    "absent" if old is None else "present",
                    "present" if old is None else "absent",
                )
            )
            continue
        changes += _domain_changes(domain, old, new)
    return changes


def _domain_changes(domain: str, old: dict[str, Any], new: dict[str, Any]) -> list[EmailChange]:
    out: list[EmailChange] = []
    unverified = set(old.get("unverified", [])) | set(new.get("unverified", []))

    def record(item: str, label: str, old_value: Any, new_value: Any) -> bool:
        """Added / removed / replaced record; True when both sides exist (compare deeper)."""
        if item in unverified:
            return False
        if not old_value and new_value:
            out.append(EmailChange(domain, label, ChangeKind.ADDED, "none", _text(new_value)))
        elif old_value and not new_value:
            out.append(EmailChange(domain, label, ChangeKind.REMOVED, _text(old_value), "none"))
        return bool(old_value) and bool(new_value)

    def ranked(label: str, scale: dict[Any, int], old_value: Any, new_value: Any) -> None:
        if old_value == new_value:
            return
        kind = (
            ChangeKind.WEAKENED
            if scale.get(new_value, -1) < scale.get(old_value, -1)
            else ChangeKind.STRENGTHENED
        )
        out.append(EmailChange(domain, label, kind, str(old_value), str(new_value)))

    old_spf, new_spf = old.get("spf") or {}, new.get("spf") or {}
    if record("spf", "SPF record", old_spf.get("records"), new_spf.get("records")):
        ranked("SPF all", _SPF_ALL, old_spf.get("all"), new_spf.get("all"))
        if old_spf.get("records") != new_spf.get("records") and old_spf.get("all") == new_spf.get("all"):
            out.append(
                EmailChange(
                    domain,
                    "SPF record",
                    ChangeKind.CHANGED,
                    _text(old_spf["records"]),
                    _text(new_spf["records"]),
                )
            )
        if (old_spf.get("lookups") or 0) <= 10 < (new_spf.get("lookups") or 0):
            out.append(
                EmailChange(
                    domain,
                    "SPF DNS lookups",
                    ChangeKind.WEAKENED,
                    str(old_spf.get("lookups")),
                    f"{new_spf.get('lookups')} (over the limit of 10)",
                )
            )
    old_dmarc, new_dmarc = old.get("dmarc"), new.get("dmarc")
    if record("dmarc", "DMARC record", old_dmarc, new_dmarc):
        assert old_dmarc is not None and new_dmarc is not None
        ranked("DMARC policy", _POLICY, old_dmarc.get("p"), new_dmarc.get("p"))
        ranked("DMARC subdomain policy", _POLICY, old_dmarc.get("sp"), new_dmarc.get("sp"))
        if old_dmarc.get("testing") != new_dmarc.get("testing"):
            kind = ChangeKind.WEAKENED if new_dmarc.get("testing") else ChangeKind.STRENGTHENED
            out.append(
                EmailChange(
                    domain,
                    "DMARC testing mode (t=y)",
                    kind,
                    str(old_dmarc.get("testing")),
                    str(new_dmarc.get("testing")),
                )
            )
        if old_dmarc.get("rua") and not new_dmarc.get("rua"):
            out.append(
                EmailChange(
                    domain,
                    "DMARC aggregate reports (rua)",
                    ChangeKind.REMOVED,
                    _text(old_dmarc["rua"]),
                    "none",
                )
            )
    old_dkim, new_dkim = old.get("dkim") or {}, new.get("dkim") or {}
    for selector in sorted(set(old_dkim) | set(new_dkim)):
        label = f"DKIM selector {selector}"
        if record("dkim", label, old_dkim.get(selector), new_dkim.get(selector)):
            old_bits, new_bits = old_dkim[selector].get("bits") or 0, new_dkim[selector].get("bits") or 0
            if old_bits != new_bits:
                kind = ChangeKind.WEAKENED if new_bits < old_bits else ChangeKind.STRENGTHENED
                out.append(
                    EmailChange(domain, f"{label} key size", kind, f"{old_bits} bits", f"{new_bits} bits")
                )
    if record("mx", "MX", old.get("mx"), new.get("mx")) and old.get("mx") != new.get("mx"):
        out.append(EmailChange(domain, "MX", ChangeKind.CHANGED, _text(old["mx"]), _text(new["mx"])))
    old_sts, new_sts = old.get("mta_sts") or {}, new.get("mta_sts") or {}
    if record("mta_sts", "MTA-STS record", old_sts.get("records"), new_sts.get("records")):
        ranked("MTA-STS mode", _STS_MODE, old_sts.get("mode"), new_sts.get("mode"))
    if record("tlsrpt", "TLS-RPT record", old.get("tlsrpt"), new.get("tlsrpt")) and old.get(
        "tlsrpt"
    ) != new.get("tlsrpt"):
        out.append(
            EmailChange(
                domain, "TLS-RPT record", ChangeKind.CHANGED, _text(old["tlsrpt"]), _text(new["tlsrpt"])
            )
        )
    return out


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("record") or value)
    if isinstance(value, list):
        return " | ".join(str(v) for v in value) or "none"
    return str(value)
