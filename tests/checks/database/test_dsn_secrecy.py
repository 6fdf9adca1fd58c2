"""No DSN — malformed, scheme-less, wrongly escaped or merely unreachable — prints its password, in any format.

The DSNs only ever point at 127.0.0.1 on a closed port (or do not parse): no traffic leaves loopback.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from launchready.checks.database.dsn import DsnError, parse_dsn

FORMATS = ("terminal", "json", "sarif", "markdown", "html")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = _closed_port()


def _app() -> typer.Typer:
    from launchready.cli import cmd_db

    app = typer.Typer()
    app.callback()(lambda: None)
    cmd_db.register(app)
    return app


def _run(dsn: str, fmt: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(_app(), ["db", "--dsn", dsn, "--format", fmt, "--deadline", "10"])
    return outcome.exit_code, outcome.output


_PASSWORDS = st.builds(
    lambda tail: "Pw-" + tail,
    st.text(alphabet=st.sampled_from("abcXYZ0189%@:/?#' \\=&-_.~+!$"), min_size=6, max_size=16),
)


@st.composite
def malformed_dsns(draw: st.DrawFn) -> tuple[str, str]:
    password = draw(_PASSWORDS)
    user = draw(st.sampled_from(["ro", "app_user", "u"]))
    port = draw(st.sampled_from([str(PORT), "99999", "abc", ""]))
    host = "127.0.0.1" + (f":{port}" if port else "")
    shape = draw(st.integers(0, 5))
    if shape == 0:
        dsn = f"postgresql://{user}:{password}@{host}/app"
    elif shape == 1:
        dsn = f"{user}:{password}@{host}/app"  # the scheme left out
    elif shape == 2:
        dsn = f"postgres:/{user}:{password}@{host}/app"
    elif shape == 3:
        dsn = f"host=127.0.0.1 port={port or PORT} user={user} password={password} dbname=app"
    elif shape == 4:
        dsn = f"host=127.0.0.1 port={PORT} password='{password} dbname=app"  # unterminated quote
    else:
        dsn = f"mysql://{user}:{password}@{host}/app"
    return dsn, password


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=malformed_dsns(), fmt=st.sampled_from(FORMATS))
def test_no_dsn_prints_its_password_in_any_format(case: tuple[str, str], fmt: str) -> None:
    dsn, password = case
    code, output = _run(dsn, fmt)
    assert code in (1, 2), output
    for secret in {password, password.replace("%", "%25"), password[3:]}:
        assert secret not in output, (fmt, dsn, output[-500:])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_issue_dsns_never_leak(fmt: str) -> None:
    """Negative test: these printed the password in the terminal, 20 times in JSON and 10 in SARIF."""
    for dsn in (
        "postgresql://ro:Ro-S3cret-pw-98765%@127.0.0.1:5432/app",
        "ro:Ro-S3cret-pw-98765@127.0.0.1:5432/app",
    ):
        code, output = _run(dsn, fmt)
        assert code == 2, output
        assert "Ro-S3cret-pw-98765" not in output


def test_an_unreachable_well_formed_dsn_is_one_root_cause_and_exit_1() -> None:
    dsn = f"postgresql://ro:Ro-S3cret-pw-98765@127.0.0.1:{PORT}/app"
    code, output = _run(dsn, "json")
    assert code == 1, output
    assert "Ro-S3cret-pw-98765" not in output and "db.connection.failed" in output


@pytest.mark.parametrize(
    ("dsn", "params"),
    [
        ("postgresql://ro:p%40ss@h:5/db?sslmode=require", {"user": "ro", "password": "p@ss", "host": "h"}),
        ("host=h password='a b\\'c' dbname=x", {"host": "h", "password": "a b'c", "dbname": "x"}),
    ],
)
def test_well_formed_dsns_parse(dsn: str, params: dict[str, Any]) -> None:
    parsed = parse_dsn(dsn)
    assert params.items() <= parsed.params.items()
    password = parsed.params["password"]
    assert password not in repr(parsed)
    assert parsed.redact(f"failed for {password}!") == "failed for ***!"


def test_malformed_dsn_messages_name_no_part_of_the_input() -> None:
    for dsn in ("ro:topsecret1@h/db", "postgresql://ro:topsecret1%@h/db", "host=h password='topsecret1"):
        with pytest.raises(DsnError) as caught:
            parse_dsn(dsn)
        assert "topsecret1" not in str(caught.value)


def test_wrong_credentials_are_one_root_cause_and_exit_1(pg_cluster: Any) -> None:
    """A role the server refuses: one db.connection.failed, every other rule blocked by it, no password."""
    import json

    dsn = f"postgresql://no_such_role:Wr0ng-Pass-123@{pg_cluster.host}:{pg_cluster.port}/postgres"
    code, output = _run(dsn, "json")
    assert code == 1, output
    assert "Wr0ng-Pass-123" not in output
    findings = json.loads(output[output.index("{") :])["findings"]
    [root] = [f for f in findings if f["rule_id"] == "db.connection.failed"]
    assert root["status"] == "unverifiable" and "no_such_role" in root["reason"]
    others = [f for f in findings if f["rule_id"] != "db.connection.failed"]
    assert others and {f["blocked_by"] for f in others} == {f"db.connection.failed@{root['target']}"}
