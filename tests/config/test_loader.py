"""Bad config gets one clear error naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.config import CanonicalHost, ConfigError, RouteRole, load_config, parse_config
from launchready.config.starter import starter_config

GOOD = """
[product]
name = "Bot"
domain = "Bot.Example."
canonical = "www"
subdomains = ["app", "api"]

[[routes]]
name = "home"
role = "homepage"

[[routes]]
name = "chat"
role = "chat"
method = "POST"
host = "api"
path = "/v1/chat"

[network]
https_port = 8443
"""


def test_good_config_derives_hosts_and_urls() -> None:
    config = parse_config(GOOD, Path("launchready.toml"))
    assert config.apex == "bot.example"
    assert config.canonical_host == "www.bot.example"
    assert config.public_hosts == ("bot.example", "www.bot.example", "app.bot.example", "api.bot.example")
    chat = config.routes_with_role(RouteRole.CHAT)[0]
    assert config.route_url(chat) == "https://api.bot.example:8443/v1/chat"
    assert config.url("bot.example", "/", scheme="http") == "http://bot.example/"


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        (GOOD.replace('method = "POST"', 'method = "FETCH"'), 15, "routes[1].method", "Input should be"),
        (GOOD.replace('canonical = "www"', 'canonical = "both"'), 5, "product.canonical", "apex"),
        (GOOD.replace("https_port = 8443", "https_port = 70000"), 20, "network.https_port", "65535"),
        (
            GOOD.replace('role = "homepage"', 'role = "homepage"\ncolour = "red"'),
            11,
            None,
            "unknown key 'colour' in [[routes]] #1",
        ),
        (GOOD.replace('name = "Bot"\n', ""), 2, "product.name", "required, but missing"),
        (GOOD.replace('canonical = "www"', "canonical = www"), 5, None, "not valid TOML"),
    ],
)
def test_errors_name_file_line_and_key(text: str, line: int, key: str | None, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("conf/launchready.toml"))
    error = caught.value
    assert error.line == line, str(error)
    assert error.key == key
    assert words in str(error)
    assert str(error).startswith(f"conf/launchready.toml:{line}:")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_duplicate_route_names_are_rejected() -> None:
    text = GOOD.replace('name = "chat"', 'name = "home"')
    with pytest.raises(ConfigError, match="repeated: home"):
        parse_config(text, Path("x.toml"))


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    text = (
        GOOD
        + '\n[repo]\npath = "src"\nlogs = ["logs/app.log"]\n\n[environments]\nproduction = ".env.production"\n'
    )
    path = tmp_path / "launchready.toml"
    path.write_text(text)
    config = load_config(path)
    assert config.repo.path == (tmp_path / "src").resolve()
    assert config.repo.logs == ((tmp_path / "src").resolve() / "logs/app.log",)
    assert config.environments["production"] == (tmp_path / "src").resolve() / ".env.production"


def test_starter_config_is_valid_and_keeps_choices() -> None:
    config = parse_config(starter_config("Acme Bot", "acme.example", CanonicalHost.WWW), Path("x.toml"))
    assert config.product.name == "Acme Bot"
    assert config.canonical_host == "www.acme.example"
    assert config.targets.p95_ms == 800
    assert config.targets.chat_timeout_s == 30
