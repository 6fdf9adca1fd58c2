"""The value checks behind every option: what they accept, how they normalise, what they refuse."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from launchready.cli import validate
from launchready.net.dns import parse_nameserver


@pytest.mark.parametrize(
    ("given", "normalised", "pair"),
    [
        ("127.0.0.1", "127.0.0.1:53", ("127.0.0.1", 53)),
        (" 127.0.0.1:5353 ", "127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", "[::1]:53", ("::1", 53)),
        ("[::1]:5353", "[::1]:5353", ("::1", 5353)),
        ("[::1]", "[::1]:53", ("::1", 53)),
    ],
)
def test_nameservers_are_normalised_to_what_the_resolver_parses(
    given: str, normalised: str, pair: tuple[str, int]
) -> None:
    assert validate.nameserver(given) == normalised
    assert parse_nameserver(normalised) == pair


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "notanip",
        "127.0.0.1:",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "127.0.0.1:99999",
        "[::1",
        "[::1]x",
        "1.2.3",
    ],
)
def test_bad_nameservers_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        validate.nameserver(bad)


def test_numbers_must_be_finite_and_in_range() -> None:
    assert validate.number(2.5, what="x", minimum=1, maximum=3) == 2.5
    for bad in (math.nan, math.inf, -math.inf, 0.5, 3.5):
        with pytest.raises(ValueError, match="must be from 1 to 3"):
            validate.number(bad, what="x", minimum=1, maximum=3)


def test_dsns_hosts_and_revisions() -> None:
    assert validate.dsn("postgresql://ro@db.internal:5432/app").startswith("postgresql://")
    assert validate.dsn("host=db dbname=app") == "host=db dbname=app"
    for bad in ("", "mysql://x", "just words", "postgresql://a\nb"):
        with pytest.raises(ValueError):
            validate.dsn(bad)
    assert validate.hostname("Bücher.Example.") == "xn--bcher-kva.example"
    assert validate.host("::1") == "::1"
    for bad_host in ("a b", "-bad-.example", "x" * 300):
        with pytest.raises(ValueError):
            validate.hostname(bad_host)
    assert validate.revision("HEAD~3") == "HEAD~3"
    for bad_rev in ("--all", "a b", ""):
        with pytest.raises(ValueError):
            validate.revision(bad_rev)


def test_paths(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    assert validate.existing_file(afile) == afile
    assert validate.writable_path(tmp_path / "new" / "report.json")
    assert validate.folder(tmp_path / "new-dir") == tmp_path / "new-dir"
    for bad, check in (
        (tmp_path / "missing", validate.existing_file),
        (tmp_path, validate.writable_path),
        (afile / "below-a-file.json", validate.writable_path),
        (afile, validate.folder),
        (Path("\x00"), validate.config_path),
        (Path("x" * 300), validate.config_path),
    ):
        with pytest.raises(ValueError):
            check(bad)


def test_did_you_mean_quotes_the_closest_names() -> None:
    assert validate.did_you_mean("tsl", ["tls", "dns", "email"]) == " — did you mean 'tls'?"
    assert validate.did_you_mean("zzz", ["tls"]) == ""
    assert validate.shown("x" * 500).endswith("…") and len(validate.shown("x" * 500)) == validate.MAX_SHOWN
