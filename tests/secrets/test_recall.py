"""Recall on real formats (issue 9): tokens as providers publish them, names as people write them, PEM keys
as code embeds them. Each case used to be missed: ``hf_`` + 34 letters failed the "needs a digit" filter,
the generic rule only knew ``UPPER_SNAKE_KEY=`` names, and a PEM body split across string literals broke
the private-key pattern at the first quote."""

from __future__ import annotations

import random
import string

import pytest

from launchready.secrets.matcher import Matcher, normalize_pem

MATCHER = Matcher(key=b"recall")
RNG = random.Random("recall")


def _letters(n: int) -> str:
    return "".join(RNG.choice(string.ascii_letters) for _ in range(n))


def _mixed(n: int) -> str:
    while True:
        value = "".join(RNG.choice(string.ascii_letters + string.digits) for _ in range(n))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _ids(text: str) -> list[str]:
    return [m.rule.rule_id for m in MATCHER.scan(text.encode())]


def test_hugging_face_token_of_letters_only_is_found() -> None:
    """Published format: ``hf_`` + 34 letters (https://huggingface.co/docs/hub/security-tokens)."""
    for _ in range(20):
        token = "hf_" + _letters(34)
        assert not any(c.isdigit() for c in token)
        assert _ids(f'HF_TOKEN="{token}"\n') == ["secrets.huggingface.token"], token
        found = MATCHER.scan(f"token = {token}\n".encode())
        assert found[0].secret.prefix == "hf_"


@pytest.mark.parametrize(
    "template",
    [
        'secret_key: "{v}"\n',  # YAML (Rails / Django settings)
        "client:\n  client_secret: {v}\n",  # YAML, nested, unquoted
        'secret_key = "{v}"\n',  # TOML
        '[auth]\napi_secret = "{v}"\n',  # TOML table
        '{{"client_id": "web", "client_secret": "{v}"}}\n',  # JSON
        "SECRET_KEY = '{v}'\n",  # Python (Django)
        "app.config['SECRET_KEY'] = '{v}'\n",  # Python (Flask)
        'api_key = "{v}"\n',  # Python
        'const apiSecret = "{v}";\n',  # JS
        'export default {{ accessKey: "{v}" }};\n',  # JS object
        "module.exports = {{ clientSecret: '{v}' }}\n",  # JS, CommonJS
        "DB_PASSWORD={v}\n",  # dotenv
    ],
)
def test_generic_assignments_in_every_case_style_and_language(template: str) -> None:
    value = _mixed(32)
    found = [m for m in MATCHER.scan(template.format(v=value).encode())]
    assert [m.rule.rule_id for m in found] == ["secrets.generic.assignment"], template
    assert found[0].secret.last4 == value[-4:]


@pytest.mark.parametrize(
    "text",
    [
        "sort_key = 'created_at'\n",
        "monkey = 'abcdefghijklmnopqrstu123'\n",
        "cache_key = f'user:{user_id}:profile'\n",
        'apiSecret = process.env.API_SECRET || ""\n',
        "secret_key: ${SECRET_KEY}\n",
        "password = os.environ['DB_PASSWORD']\n",
    ],
)
def test_generic_assignments_still_skip_non_secrets(text: str) -> None:
    assert _ids(text) == [], text


def _pem_lines() -> list[str]:
    alphabet = string.ascii_letters + string.digits + "+/"
    return ["".join(RNG.choice(alphabet) for _ in range(64)) for _ in range(3)]


def test_pem_key_split_across_python_string_literals() -> None:
    lines = _pem_lines()
    body = "".join(f'    "{line}\\n"\n' for line in lines)
    text = f'KEY = (\n    "-----BEGIN PRIVATE KEY-----\\n"\n{body}    "-----END PRIVATE KEY-----\\n"\n)\n'
    found = MATCHER.scan(text.encode())
    assert [m.rule.rule_id for m in found] == ["secrets.generic.private-key"]
    plain = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
    same = MATCHER.scan(plain.encode())
    assert found[0].secret.fingerprint == same[0].secret.fingerprint, "one key, one fingerprint"


def test_pem_key_split_across_js_concatenation_and_arrays() -> None:
    lines = _pem_lines()
    concatenated = (
        'const key = "-----BEGIN RSA PRIVATE KEY-----\\n" +\n'
        + "".join(f'  "{line}\\n" +\n' for line in lines)
        + '  "-----END RSA PRIVATE KEY-----";\n'
    )
    joined = (
        "const pem = ['-----BEGIN EC PRIVATE KEY-----', "
        + ", ".join(f"'{line}'" for line in lines)
        + ", '-----END EC PRIVATE KEY-----'].join('\\n');\n"
    )
    for text in (concatenated, joined):
        found = MATCHER.scan(text.encode())
        assert [m.rule.rule_id for m in found] == ["secrets.generic.private-key"], text
        assert found[0].secret.length == len("".join(lines))


def test_normalize_pem_keeps_only_the_key_material() -> None:
    assert normalize_pem('AAAA\\n" +\n  "BBBB\\n" "CC==') == "AAAABBBBCC=="
    assert normalize_pem("AAAA\nBBBB\n") == "AAAABBBB"


def test_published_sample_values_are_found_and_marked() -> None:
    found = MATCHER.scan(b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n")
    assert [m.rule.rule_id for m in found] == ["secrets.aws.access-key-id"]
    assert found[0].sample and "AWS" in found[0].sample
    assert MATCHER.scan(b"AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\n") == [], "a placeholder is still dropped"
