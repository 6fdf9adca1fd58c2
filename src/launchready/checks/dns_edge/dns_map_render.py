"""The DNS map as Markdown (``launchready dns``, the handover pack) and as an HTML section (the report).

Pure functions of the map's dict form (``DnsMap.as_dict()``, also what the JSON report carries), so the CLI,
the report and a saved JSON run render the same thing.
"""

from __future__ import annotations

from html import escape
from typing import Any


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data.get("records", []))


def _followed(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Names in the map that the config did not list: discovered by probing, or pointed at by a record."""
    return [(str(n["name"]), str(n["why"])) for n in data.get("names", []) if n.get("why") != "configured"]


def render_dns_map_markdown(data: dict[str, Any]) -> str:
    lines = [
        f"# DNS map of {data.get('domain', '?')}",
        "",
        "| Name | Type | Value | TTL | Role |",
        "|---|---|---|---|---|",
    ]
    for row in _rows(data):
        value = str(row["value"]).replace("|", "\\|")
        lines.append(f"| {row['name']} | {row['rdtype']} | `{value}` | {row['ttl'] or ''} | {row['note']} |")
    if _followed(data):
        lines += ["", "**Names beyond the config that the audit looked up:**"]
        lines += [f"- {name}: {why}" for name, why in _followed(data)]
    if data.get("missing"):
        lines += ["", "**Names that do not exist (NXDOMAIN):** " + ", ".join(data["missing"])]
    if data.get("errors"):
        lines += [
            "",
            "**Questions DNS could not answer (map incomplete):**",
            *(f"- {e}" for e in data["errors"]),
        ]
    return "\n".join(lines) + "\n"


def render_dns_map_html(data: dict[str, Any]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{escape(str(r['name']))}</td><td>{escape(str(r['rdtype']))}</td>"
        f"<td><code>{escape(str(r['value']))}</code></td><td>{escape(str(r['ttl'] or ''))}</td>"
        f"<td>{escape(str(r['note']))}</td>"
        "</tr>"
        for r in _rows(data)
    )
    parts = [
        f'<section class="dns-map"><h2>DNS map of {escape(str(data.get("domain", "?")))}</h2>',
        "<table><thead><tr><th>Name</th><th>Type</th><th>Value</th><th>TTL</th><th>Role</th></tr></thead>",
        f"<tbody>{rows}</tbody></table>",
    ]
    if _followed(data):
        items = "".join(f"<li>{escape(name)}: {escape(why)}</li>" for name, why in _followed(data))
        parts.append(
            f"<p><strong>Names beyond the config that the audit looked up:</strong></p><ul>{items}</ul>"
        )
    if data.get("missing"):
        parts.append(f"<p><strong>Do not exist (NXDOMAIN):</strong> {escape(', '.join(data['missing']))}</p>")
    if data.get("errors"):
        items = "".join(f"<li>{escape(str(e))}</li>" for e in data["errors"])
        parts.append(f"<p><strong>Could not be answered:</strong></p><ul>{items}</ul>")
    parts.append("</section>")
    return "".join(parts)
