"""``launchready explain RULE``: what it checks, why, how to verify by hand, the fix; names from --config."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from launchready.cli import app
from launchready.cli.cmd_explain import NOT_WRITTEN, render_explanation
from launchready.cli.exit_status import ExitStatus
from launchready.findings import Fix
from launchready.rules import all_rules, rule

runner = CliRunner()


def test_explain_prints_every_part_of_the_rule() -> None:
    spec = rule("tls.cert.expired")
    result = runner.invoke(app, ["explain", "tls.cert.expired"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"tls.cert.expired — {spec.title}\n")
    for heading in ("What it checks", "Why it matters", "How to verify it by hand", "Fix"):
        assert f"\n{heading}\n" in out
    assert spec.fix.summary.split()[0] in out
    assert spec.description.split()[0] in out


def test_placeholders_are_filled_from_the_config_or_left_for_the_reader(tmp_path: Path) -> None:
    spec = rule("tls.cert.expired").model_copy(
        update={
            "why": "Browsers refuse the site.",
            "verify": "openssl s_client -connect {{host}}:443 -servername {{host}} </dev/null",
            "fix": Fix(summary="Renew the certificate of {{domain}}.", steps=("Run certbot for {{host}}.",)),
        }
    )
    bare = render_explanation(spec)
    assert "openssl s_client -connect {{host}}:443" in bare and "Renew the certificate of {{domain}}." in bare
    names = {"domain": "acme.example", "host": "www.acme.example", "canonical": "www.acme.example"}
    filled = render_explanation(spec, names)
    assert "openssl s_client -connect www.acme.example:443 -servername www.acme.example" in filled
    assert (
        "Renew the certificate of acme.example." in filled
        and "1. Run certbot for www.acme.example." in filled
    )
    assert "Browsers refuse the site." in filled and NOT_WRITTEN not in filled


def test_explain_with_config_uses_the_products_names(tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "Acme"\ndomain = "acme.example"\ncanonical = "www"\n')
    with_names = [
        s for s in all_rules() if "{{" in s.verify + s.fix.summary + "".join(s.fix.snippets.values())
    ]
    if not with_names:  # the rule files' placeholders are filled in by the check families
        with_names = [rule("tls.cert.expired")]
    spec = with_names[0]
    result = runner.invoke(app, ["explain", spec.rule_id, "--config", str(config)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "{{domain}}" not in result.output and "{{host}}" not in result.output


def test_unknown_rule_exits_2_with_did_you_mean() -> None:
    result = runner.invoke(app, ["explain", "tls.cert.expird"], env={"NO_COLOR": "1"})
    assert result.exit_code == ExitStatus.USAGE
    assert "did you mean 'tls.cert.expired'" in result.output
    assert len(result.output.strip().splitlines()) == 1
