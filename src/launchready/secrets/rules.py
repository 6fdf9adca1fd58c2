"""Secret-detection rules, loaded from ``rules.toml`` (data, not code).

Rules are data so that a new token format is one reviewed TOML entry with its own true- and false-positive
examples, run by the tests, and so that rule ids stay stable for ignore files, baselines and SARIF.
Examples are *templates* expanded with a seeded generator (``fake_value``): no key-shaped literal lives in
the package, and the lab and the benchmark plant keys from the same templates.
"""

from __future__ import annotations

import enum
import functools
import random
import re
import string
import tomllib
from dataclasses import dataclass
from importlib import resources


class Exposure(enum.StrEnum):
    SECRET = "secret"
    """Server-side only: anywhere else it is a leak."""
    PUBLIC = "public"
    """Public by design (publishable Stripe key, Firebase web key, Supabase anon key): info, never a leak."""


@dataclass(frozen=True)
class SecretRule:
    rule_id: str
    provider: str
    title: str
    exposure: Exposure
    regex: str
    keywords: tuple[str, ...]
    entropy: float | None
    jwt_role: str | None
    priority: int
    rotate: str
    true_positives: tuple[str, ...]
    false_positives: tuple[str, ...]
    locator: str | None = None
    """Instead of the prefilter: a Hyperscan pattern every match contains, reported at each place it ends;
    the regex then runs only from ``locator_back`` non-whitespace bytes before such an end to
    ``locator_ahead`` bytes after it (speed, not semantics)."""
    locator_back: int = 0
    """Non-whitespace bytes before a locator match's end where a match may start (whitespace is not
    counted: ``KEY      =  value`` has no bound in the regex either)."""
    locator_ahead: int = 0
    """How far after a locator match's end a match may still extend."""
    require_mixed: bool = True
    """With ``entropy``: the value must hold letters *and* digits (generic formats); false for formats whose
    published alphabet may have no digit at all (Hugging Face ``hf_`` + 34 letters)."""
    normalize: str | None = None
    """``"pem"``: the value is a PEM body, possibly split across string literals; it is reduced to its base64
    characters before it is judged and fingerprinted, so the same key has one fingerprint wherever it is."""

    @functools.cached_property
    def compiled(self) -> re.Pattern[bytes]:
        return re.compile(self.regex.encode())

    @property
    def is_secret(self) -> bool:
        return self.exposure is Exposure.SECRET

    @functools.cached_property
    def prefixes(self) -> tuple[str, ...]:
        """The literal heads of the format (``sk-proj-``, ``AKIA``…): the only part of a value ever shown."""
        return literal_prefixes(self.regex)

    def prefix_of(self, value: str) -> str:
        """The longest published prefix ``value`` starts with, or "" (generic formats)."""
        return max((p for p in self.prefixes if value.startswith(p)), key=len, default="")


@functools.cache
def load_rules() -> tuple[SecretRule, ...]:
    """The packaged rule set, parsed once per process."""
    text = resources.files("launchready.secrets").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_rules(text)


def parse_rules(text: str) -> tuple[SecretRule, ...]:
    data = tomllib.loads(text)
    rules = tuple(
        SecretRule(
            rule_id=raw["id"],
            provider=raw["provider"],
            title=raw["title"],
            exposure=Exposure(raw["exposure"]),
            regex=raw["regex"],
            keywords=tuple(k.lower() for k in raw.get("keywords", ())),
            entropy=raw.get("entropy"),
            jwt_role=raw.get("jwt_role"),
            priority=int(raw.get("priority", 0)),
            rotate=raw["rotate"],
            true_positives=tuple(raw.get("true_positives", ())),
            false_positives=tuple(raw.get("false_positives", ())),
            locator=raw.get("locator"),
            locator_back=int(raw.get("locator_back", 0)),
            locator_ahead=int(raw.get("locator_ahead", 0)),
            require_mixed=bool(raw.get("require_mixed", True)),
            normalize=raw.get("normalize"),
        )
        for raw in data["rule"]
    )
    ids = [r.rule_id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate secret rule ids: {', '.join(duplicates)}")
    return rules


_LITERAL = set(string.ascii_letters + string.digits + "-_:/@")
_QUANTIFIERS = set("{?*+")
_MAX_PREFIXES = 32


def _group_one(regex: str) -> str:
    """The text of capture group 1 (or the whole pattern when it has none), without its parentheses."""
    i = 0
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
            continue
        if regex[i] == "(" and not regex.startswith("(?", i):
            depth, j = 0, i
            while j < len(regex):
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    return regex[i + 1 : j]
                j += 1
            return regex[i + 1 :]
        i += 1
    return regex


def _split_top(pattern: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _literal(alternative: str) -> str | None:
    out = []
    i = 0
    while i < len(alternative):
        ch = alternative[i]
        if ch == "\\" and i + 1 < len(alternative) and alternative[i + 1] in ".-/_:@":
            out.append(alternative[i + 1])
            i += 2
        elif ch in _LITERAL:
            out.append(ch)
            i += 1
        else:
            return None
    return "".join(out)


def _heads(pattern: str) -> set[str]:
    heads = {""}
    i = 0
    while i < len(pattern) and len(heads) <= _MAX_PREFIXES:
        ch = pattern[i]
        if pattern.startswith("(?:", i):
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                if depth == 0:
                    break
                j += 1
            options = [_literal(alt) for alt in _split_top(pattern[i + 3 : j])]
            if (j + 1 < len(pattern) and pattern[j + 1] in _QUANTIFIERS) or any(o is None for o in options):
                break
            heads = {h + str(o) for h in heads for o in options}
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in ".-/_:@":
            piece, width = pattern[i + 1], 2
        elif ch in _LITERAL:
            piece, width = ch, 1
        else:
            break
        if i + width < len(pattern) and pattern[i + width] in _QUANTIFIERS:
            break
        heads = {h + piece for h in heads}
        i += width
    return heads


def literal_prefixes(regex: str) -> tuple[str, ...]:
    """Every literal head of a rule's value pattern (capture group 1), alternations expanded.

    ``(sk-proj-[A-Za-z0-9_-]{20,100}…)`` gives ``("sk-proj-",)``; ``((?:sk|rk)_(?:live|test)_…)`` gives the
    four Stripe heads. Case-insensitive rules and values without a literal head (a password) give ().
    """
    if regex.startswith("(?i)"):
        return ()
    heads: set[str] = set()
    for alternative in _split_top(_group_one(regex)):
        heads |= _heads(alternative)
    return tuple(sorted(h for h in heads if h))


def rule_by_id(rule_id: str) -> SecretRule:
    for rule in load_rules():
        if rule.rule_id == rule_id:
            return rule
    raise KeyError(rule_id)


# --- fake, format-valid values for examples, the lab and the benchmark -----------------------------------

_ALPHABETS = {
    "alnum": string.ascii_letters + string.digits,
    "alpha": string.ascii_letters,
    "hex": "0123456789abcdef",
    "lower": string.ascii_lowercase + string.digits,
    "upper": string.ascii_uppercase + string.digits,
    "digits": string.digits,
    "b64url": string.ascii_letters + string.digits + "-_",
    "b64": string.ascii_letters + string.digits + "+/",
}
_TEMPLATE = re.compile(r"\{(alnum|alpha|hex|lower|upper|digits|b64url|b64|jwt):(\w+)\}")


def expand_template(template: str, rng: random.Random) -> str:
    """Fill ``{alnum:40}``-style holes with random characters drawn from ``rng`` (seeded: reproducible).

    The values are random, never real credentials: nothing here came from a provider.
    """

    def fill(match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind == "jwt":
            return _fake_jwt(arg, rng)
        alphabet = _ALPHABETS[kind]
        return "".join(rng.choice(alphabet) for _ in range(int(arg)))

    return _TEMPLATE.sub(fill, template)


def _fake_jwt(role: str, rng: random.Random) -> str:
    import base64
    import json

    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

    ref = "".join(rng.choice(string.ascii_lowercase) for _ in range(20))
    payload = {"iss": "supabase", "ref": ref, "role": role, "iat": 1700000000, "exp": 2000000000}
    signature = "".join(rng.choice(_ALPHABETS["b64url"]) for _ in range(43))
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.{signature}"


def fake_value(rule_id: str, seed: int | str = 0, example: int = 0) -> str:
    """A format-valid fake secret for ``rule_id``: its ``example``-th true positive, value only."""
    rule = rule_by_id(rule_id)
    text = expand_template(rule.true_positives[example], random.Random(f"{rule_id}:{seed}:{example}"))
    match = rule.compiled.search(text.encode())
    if match is None:
        raise ValueError(f"{rule_id}: example {example} does not match its own rule")
    group = 1 if rule.compiled.groups else 0
    return match.group(group).decode()
