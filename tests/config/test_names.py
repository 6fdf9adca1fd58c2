"""A misspelt section or key is reported as itself, with its line and the closest known name."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.config import ConfigError, parse_config

PRODUCT = '[product]\nname = "Bot"\ndomain = "bot.example"\n'


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('# my product\n\n[prodct]\nname = "Bot"\ndomain = "bot.example"\n', 3,
         "unknown section [prodct] at line 3 — did you mean [product]?"),
        ('[product]\nname = "Bot"\ndomian = "bot.example"\n', 3, "unknown key 'domian' in [product] — did you mean 'domain'?"),
        (PRODUCT + '[[routes]]\nname = "a"\n[[routes]]\nname = "b"\nmethd = "GET"\n', 8,
         "unknown key 'methd' in [[routes]] #2 — did you mean 'method'?"),
        (PRODUCT + '[hosts."api.bot.example"]\norigni = "203.0.113.1"\n', 5,
         "unknown key 'origni' in [hosts.\"api.bot.example\"] — did you mean 'origin'?"),
        (PRODUCT + '[chat.answr]\nkind = "sse"\n', 4, "unknown section [chat.answr] at line 4 — did you mean [chat.answer]?"),
        (PRODUCT + "[targets]\np95 = 500\n", 5, "unknown key 'p95' in [targets] — did you mean 'p95_ms'?"),
    ],
)  # fmt: skip
def test_unknown_names_say_where_and_what_was_meant(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("launchready.toml"))
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value) == f"launchready.toml:{line}: {words}"


def test_a_missing_section_is_still_reported_when_nothing_is_misspelt() -> None:
    with pytest.raises(ConfigError, match=r"\[product\] required, but missing"):
        parse_config("[targets]\np95_ms = 500\n", Path("launchready.toml"))
