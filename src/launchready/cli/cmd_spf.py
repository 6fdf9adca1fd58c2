"""``launchready spf IP MAILFROM``: one RFC 7208 check, as a receiving mail server would run it.

Handy to debug a record ("why does my provider's IP get softfail?") and the interface the RFC 7208
conformance suite runs through: it calls the same ``evaluate_sender`` as the tests.
"""

from __future__ import annotations

import enum
import json
import sys
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


class SpfFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("spf")(spf)


def spf(
    ip: Annotated[
        str,
        typer.Argument(
            help="The sending server's IPv4 or IPv6 address.", callback=opt.checked(validate.ip_address)
        ),
    ],
    mailfrom: Annotated[
        str,
        typer.Argument(
            help="The MAIL FROM address (or a bare domain); '' to check HELO.",
            callback=opt.checked(validate.mail_from),
        ),
    ],
    helo: Annotated[
        str,
        typer.Option(
            "--helo",
            help="The HELO/EHLO name the client gave.",
            callback=opt.checked(lambda v: v and validate.hostname(v, what="HELO name")),
        ),
    ] = "",
    nameserver: opt.NameserverOption = None,
    fmt: Annotated[SpfFormat, typer.Option("--format", "-f", help="text or json.")] = SpfFormat.TEXT,
    deadline: opt.DeadlineOption = 30.0,
) -> None:
    """Evaluate SPF for IP sending as MAILFROM; print the result, explanation, lookups and include tree."""
    from launchready.cli.group import echo_error
    from launchready.cli.runtime import DeadlineExceeded, run_async
    from launchready.email.spf_eval import evaluate_sender
    from launchready.net import DnsResolver, Limits

    if not mailfrom and not helo:
        echo_error("MAILFROM is empty: pass --helo NAME to check the HELO identity instead")
        raise typer.Exit(2)
    resolver = DnsResolver(Limits(), nameserver=nameserver)
    try:
        evaluation = run_async(evaluate_sender(resolver, ip, mailfrom, helo), deadline_s=deadline)
    except DeadlineExceeded as exc:
        echo_error(f"SPF evaluation {exc}")
        raise typer.Exit(1) from None
    if fmt is SpfFormat.JSON:
        sys.stdout.write(json.dumps(evaluation.as_dict(), indent=2) + "\n")
        return
    lines = [
        f"result: {evaluation.result.value}",
        f"domain: {evaluation.domain}",
        f"reason: {evaluation.reason}",
    ]
    if evaluation.explanation:
        lines.append(f"explanation: {evaluation.explanation}")
    lines.append(f"dns lookups: {evaluation.lookups} (void: {evaluation.void_lookups})")
    if evaluation.all_qualifier:
        lines.append(f"final all: {evaluation.all_qualifier}all")
    lines.append("include tree:")

    def walk(node: object, depth: int) -> None:
        from launchready.email.spf_result import SpfNode

        assert isinstance(node, SpfNode)
        result = node.result.value if node.result else "-"
        lines.append(f"{'  ' * (depth + 1)}{node.via}:{node.domain} -> {result}")
        for child in node.children:
            walk(child, depth + 1)

    walk(evaluation.tree, 0)
    sys.stdout.write("\n".join(lines) + "\n")
