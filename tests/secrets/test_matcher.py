"""Confirm-and-filter behaviour on top of the Hyperscan prefilter."""

from __future__ import annotations

import random
import string

from launchready.secrets.matcher import (
    Matcher,
    _back,
    core_pattern,
    is_placeholder,
    jwt_role,
    prefilter_pattern,
    shannon_entropy,
)
from launchready.secrets.rules import fake_value

MATCHER = Matcher()


def test_inline_allow_comment_silences_only_its_line() -> None:
    key = fake_value("secrets.groq.api-key", seed="allow")
    other = fake_value("secrets.groq.api-key", seed="other")
    text = f'TEST_KEY = "{key}"  # launchready:allow\nREAL = "{other}"\n'
    found = MATCHER.scan(text.encode())
    assert [m.line for m in found] == [2]


def test_specific_rule_wins_over_generic_on_the_same_value() -> None:
    key = fake_value("secrets.openai.project-key", seed="prio")
    found = MATCHER.scan(f"OPENAI_API_KEY={key}\n".encode())
    assert [m.rule.rule_id for m in found] == ["secrets.openai.project-key"]
    assert found[0].assigned_to == "OPENAI_API_KEY"


def test_supabase_jwt_is_classified_by_its_role_claim() -> None:
    service = fake_value("secrets.supabase.service-role-key", seed="j")
    anon = fake_value("secrets.supabase.anon-key", seed="j")
    assert jwt_role(service) == "service_role" and jwt_role(anon) == "anon"
    ids = {m.rule.rule_id for m in MATCHER.scan(f"a={service}\nb={anon}\n".encode())}
    assert ids == {"secrets.supabase.service-role-key", "secrets.supabase.anon-key"}


def test_generic_rule_needs_randomness() -> None:
    assert MATCHER.scan(b"FEATURE_TOKEN=aaaaaaaaaaaaaaaaaaaaaaaa\n") == []
    assert MATCHER.scan(b"PAGE_TOKEN=thisisjustalongwordwithnodigits\n") == []
    assert shannon_entropy(b"aaaa") == 0.0
    assert is_placeholder("${OPENAI_API_KEY}") and is_placeholder("your-key-here")


def test_keyword_prefilter_gates_context_rules() -> None:
    hex_key = "sk-" + "0123456789abcdef" * 2
    assert not any(m.rule.rule_id == "secrets.deepseek.api-key" for m in MATCHER.scan(hex_key.encode()))
    found = MATCHER.scan(f"DEEPSEEK_API_KEY={fake_value('secrets.deepseek.api-key')}".encode())
    assert any(m.rule.rule_id == "secrets.deepseek.api-key" for m in found)


def test_line_numbers_and_wide_repeats_in_prefilter() -> None:
    key = fake_value("secrets.github.token")
    found = MATCHER.scan(f"a\nb\n\nx = '{key}'\n".encode())
    assert found[0].line == 4
    assert prefilter_pattern("a{64,8192}b{2,5}") == "a{64,}b{2,5}"


def test_core_pattern_drops_leading_assertions_and_captures_only() -> None:
    assert core_pattern(r"\b(sk-[a-z]{3})(?![a-z])") == r"(?:sk-[a-z]{3})(?![a-z])"
    assert core_pattern(r"(?<![A-Z])(AKIA[A-Z]{4})") == r"(?:AKIA[A-Z]{4})"
    assert core_pattern(r"x\(y\)(?:z)") == r"x\(y\)(?:z)"
    # the boundary still applies: the full rule confirms at each core match
    key = fake_value("secrets.aws.access-key-id", seed="core")
    assert MATCHER.scan(f"X{key}".encode()) == []
    assert len(MATCHER.scan(f" {key}".encode())) == 1


def _mixed(n: int, seed: str) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters) + rng.choice(string.digits) for _ in range(n // 2))


def test_generic_locator_window_reaches_the_whole_name_and_value() -> None:
    """The generic rule's regex runs only around its locator's ends: the longest name (41 characters before
    the keyword), long runs of whitespace around the operator and a 128-character value still fit."""
    name = "a" * 40 + "_encryption_key"
    value = _mixed(128, "long")
    for spaces in ("", " " * 5, " " * 300, "\t\n  "):
        found = MATCHER.scan(f'x = 1\n{name}{spaces}={spaces}"{value}"\n'.encode())
        assert [m.rule.rule_id for m in found] == ["secrets.generic.assignment"], repr(spaces)
        assert found[0].raw_length == 128 and found[0].line == 2 + 2 * spaces.count("\n")
        if spaces in ("", " " * 5):  # the name is read back on the value's line, at most 200 bytes
            assert found[0].assigned_to == name
    assert _back(b"ab  cd", 6, 3) == 1 and _back(b"ab  cd", 6, 9) == 0 and _back(b"abcd", 4, 2) == 2


def test_words_of_the_generic_rule_without_an_assigned_value_are_not_candidates() -> None:
    """Code is full of ``token``/``key``/``password``: only name, operator and 16 value characters together
    make the generic rule a candidate (its regex used to sweep a kilobyte after every bare word)."""
    generic = next(i for i, r in enumerate(MATCHER.rules) if r.rule_id == "secrets.generic.assignment")
    code = b"for token in tokens:\n    cache[key] = password_hash(token, key=KEY)\n    if secret: pass\n"
    assert generic not in MATCHER.candidates(code * 50)
    assert generic in MATCHER.candidates(code + f'api_key = "{_mixed(20, "c")}"\n'.encode())


def test_keywords_are_matched_case_insensitively_by_hyperscan() -> None:
    value = fake_value("secrets.twilio.auth-token", seed="case")
    for name in ("TWILIO_AUTH_TOKEN", "TwilioAuthToken", "twilio_auth_token"):
        found = MATCHER.scan(f"{name}={value}\n".encode())
        assert [m.rule.rule_id for m in found] == ["secrets.twilio.auth-token"], name


def test_located_rules_find_every_match_on_one_line_and_their_longest_forms() -> None:
    """One search per locator end that no earlier match covers: two secrets on one minified line are two
    matches, and a database URL with a 64-character user and a 255-character host is still whole."""
    one, two = _mixed(40, "one"), _mixed(40, "two")
    found = MATCHER.scan(f'{{"api_key":"{one}","client_secret":"{two}"}}'.encode())
    assert [m.secret.last4 for m in found] == [one[-4:], two[-4:]]
    password = _mixed(24, "db")
    url = f"postgresql://{'u' * 64}:{password}@{'h' * 251}.net/app"
    found = MATCHER.scan(f"DATABASE_URL={url}\n".encode())
    assert [m.rule.rule_id for m in found] == ["secrets.database.url-password"]
    assert found[0].secret.last4 == password[-4:]
    assert MATCHER.scan(b"see https://docs.example.net/a:b@c and http://x:y@z\n") == []


_NAMES = (
    "api_key", "client_secret", "OPENAI_API_KEY", "db_password", "authToken", "x.secret", "a" * 40 + "_key",
    "b" * 50 + "_secret_key", "config['SECRET_KEY'", "monkey", "tokens", "pwd", "PassWord", "my-credentials",
)  # fmt: skip
_SEPARATORS = ("=", " = ", ": ", '":"', "']=", " :\n  ", " " * 90 + "=" + "\t" * 40, "==", "=>", " ")
_VALUE_CHARS = string.ascii_letters + string.digits + "_+/=.~!@#%^&*-'\" "


def _piece(rng: random.Random) -> str:
    kind = rng.random()
    clean = string.ascii_letters + string.digits
    if kind < 0.1:  # the longest forms: every byte of locator_back and locator_ahead is needed
        longest = "c" * 40 + "_encryption_key']=\"" + "".join(rng.choice(clean) for _ in range(128)) + '"'
        password = "".join(rng.choice(clean) for _ in range(128))
        return rng.choice((longest, f"mongodb+srv://{'u' * 64}:{password}@{'h' * 255}"))
    if kind < 0.6:
        value = "".join(
            rng.choice(_VALUE_CHARS) for _ in range(rng.choice((8, 15, 16, 17, 40, 127, 128, 140)))
        )
        quote = rng.choice(("", '"', "'"))
        return rng.choice(_NAMES) + rng.choice(_SEPARATORS) + quote + value + quote
    if kind < 0.8:
        user = "u" * rng.choice((1, 20, 64, 65))
        password = "".join(rng.choice(clean) for _ in range(rng.choice((5, 6, 40, 128))))
        host = "h" * rng.choice((1, 100, 255, 256))
        return f"{rng.choice(('postgres', 'mongodb+srv', 'rediss', 'http'))}://{user}:{password}@{host}/db"
    return rng.choice(("for token in tokens:", "cache[key] =", "if secret:", "pass", "x" * 60, "\n" * 3))


def test_located_rules_find_what_a_sweep_of_the_whole_text_finds() -> None:
    """A rule with a locator runs its regex only from each locator end: on texts built from names, operators,
    whitespace runs, values of every length and URLs, that must give exactly the matches of a ``finditer``
    over the whole text (a locator that stops being implied by its rule's regex fails here)."""
    rng = random.Random("sweep")
    located = [(i, r) for i, r in enumerate(MATCHER.rules) if r.locator is not None]
    assert {r.rule_id for _, r in located} >= {"secrets.generic.assignment", "secrets.database.url-password"}
    compared = 0
    for _ in range(300):
        data = "".join(_piece(rng) + rng.choice(("\n", " ", ",", "", "; ")) for _ in range(8)).encode()
        hits = MATCHER._hits(data)
        for index, rule in located:
            want = [m.span() for m in rule.compiled.finditer(data)]
            got = [m.span() for m in MATCHER._matches(rule, index, data, hits.get(index, []))]
            assert got == want, (rule.rule_id, data)
            compared += len(want)
    assert compared > 300, "the generated texts must hold matches to compare"
