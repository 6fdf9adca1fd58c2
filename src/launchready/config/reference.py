"""Every key of ``launchready.toml``, read from the model itself: for ``init --full`` and the README.

Walking the pydantic models (rather than keeping a hand-written list) means a key added to ``model.py``
shows up in ``launchready init --full`` at once, and the test that compares this list with the README's
config reference fails until the README documents it.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from launchready.config.model import LaunchConfig

_EXAMPLE_KEYS = {"hosts": '"api.{domain}"'}
"""The table name shown for a section keyed by a user's own names."""


_MEANING = {
    ("[product]", "name"): "Product name shown in reports",
    ("[product]", "canonical"): "The host users should land on: the apex or www",
    ("[[routes]]", "name"): "Unique name of the route (chat.route and load.routes refer to it)",
    (
        "[[routes]]",
        "role",
    ): "What the route is for; rules differ by role (login is rate-limited, chat streams...)",
    ("[[routes]]", "method"): "HTTP method",
    ("[[routes]]", "path"): "Path on the host, starting with /",
    ("[[routes]]", "body"): "Request body: text, or a table sent as JSON",
    ("[[routes]]", "headers"): "Extra request headers",
    ("[[routes]]", "weight"): "Share of this route in a load test's mix",
    ("[[routes]]", "needs_auth"): "The route needs a signed-in user",
    ("[[routes]]", "cacheable"): "Responses may be cached (the cache-hit probe reads it repeatedly)",
    ("[chat.answer]", "kind"): "How the answer arrives: server-sent events or one JSON body",
    ("[chat.answer]", "done_marker"): "SSE data that ends the stream",
    ("[repo]", "path"): "The product's git repository",
    ("[repo]", "logs"): "Log files to scan for secrets and prompts",
    ("[repo]", "bundle_dirs"): "Built client bundles to scan for secrets",
    ("[network]", "http_port"): "Port to use instead of 80 (the lab maps it)",
    ("[network]", "https_port"): "Port to use instead of 443",
    ("[targets]", "cache_hit_ratio"): "Share of repeat reads of cacheable routes served from cache",
    ("[targets]", "error_rate"): "Share of requests allowed to fail under load",
    ("[[owners]]", "name"): "Who owns the product (for the handover pack)",
    ("[[owners]]", "role"): "Their role, e.g. on-call",
    ("[[owners]]", "email"): "Their email",
    ("[[owners]]", "phone"): "Their phone",
    ("[database]", "dsn"): "DSN of a read-only PostgreSQL role, for the database review",
    ("[surface]", "probe_subdomains"): "Probe probe_names for hosts that answer but are not in the config",
    (
        "[secrets]",
        "ignore_file",
    ): "Suppressions file (fingerprints of accepted findings), relative to the repo",
    ("[performance]", "probe_prompt"): "Prompt the chat probes send",
    ("[performance]", "burst_concurrency"): "Requests in flight during a rate-limit burst",
    (
        "[performance]",
        "isolation_ratio",
    ): "p95 rise (as a ratio) that counts as slow chats degrading other routes",
    ("[performance]", "cache_reads"): "Repeat reads per cacheable route",
    ("[performance]", "payload_chars"): "Size of the oversized chat message",
    ("[load]", "duration_s"): "Seconds to send for (constant rate)",
    ("[load]", "chat_prompt"): "Prompt the chat route is sent under load",
    ("[[load.stages]]", "duration_s"): "Seconds this stage lasts",
    ("[deploy]", "deploy_timeout_s"): "Give up on the deploy command after this",
    ("[deploy]", "rollback_timeout_s"): "Give up on the rollback command after this",
    ("[deploy]", "smoke_concurrency"): "Smoke tests run at once",
    ("[chat]", "connect_timeout_s"): "Give up connecting to the chat after this",
    ("[chat]", "first_byte_timeout_s"): "Give up when the chat's first byte takes longer than this",
    ("[chat]", "max_answer_bytes"): "Stop reading an answer past this size",
    ("[chat]", "concurrency"): "Chats in flight at once",
    ("[chat.login]", "token_header"): "Header the token is sent in",
    ("[chat.login]", "token_prefix"): "Text before the token in that header",
    ("[redteam]", "long_input_chars"): "Sizes of the long-input probe's messages, in characters",
    ("[monitor]", "flap_window_s"): "Window in which flap_changes state changes count as flapping",
    ("[[monitor.heartbeats]]", "name"): "The job pings /heartbeat/<name>",
    ("[[monitor.heartbeats]]", "period_s"): "The job must ping at least this often",
    ("[[monitor.heartbeats]]", "grace_s"): "Extra time before a late ping alerts",
}
"""Meanings of the keys whose model field has no ``description`` (the model's own wording wins)."""


@dataclass(frozen=True)
class ConfigKey:
    """One documented key: ``table`` as written in TOML (``[product]``, ``[[routes]]``), its default."""

    table: str
    key: str
    type: str
    default: str
    description: str
    required: bool


def _model_of(annotation: object) -> tuple[type[BaseModel] | None, str]:
    """(section model, how it repeats: '' one table, '[]' array of tables, '{}' keyed tables)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    if origin in (typing.Union, types.UnionType):  # an optional section: ``login: ChatLoginConfig | None``
        models = [a for a in args if a is not type(None)]
        if len(models) == 1:
            return _model_of(models[0])
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "[]"
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return args[1], "{}"
    return None, ""


def type_name(annotation: object) -> str:
    """A short, user-facing name of a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a) for a in args if a is not type(None)]
        return " | ".join(names)
    if origin is typing.Literal:
        return " | ".join(json.dumps(a) for a in args)
    if origin is tuple:
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return "table"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(json.dumps(m.value) for m in annotation)
    if annotation is Path:
        return "path"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return getattr(annotation, "__name__", str(annotation))


def toml_value(value: object) -> str:
    """A default as TOML source (``None`` has no TOML form: the key is then left out)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return json.dumps(value.value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str | Path):
        return json.dumps(str(value))
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, BaseModel):
        return toml_value(value.model_dump())
    return json.dumps(str(value))


def _default(info: FieldInfo) -> tuple[str, bool]:
    if info.default is not PydanticUndefined:
        return ("" if info.default is None else toml_value(info.default)), False
    if info.default_factory is not None:
        return toml_value(info.default_factory()), False  # type: ignore[call-arg]
    return "", True


def iter_keys(
    model: type[BaseModel] = LaunchConfig, path: str = "", array: bool = False
) -> Iterator[ConfigKey]:
    """Every key in the model's order, a table's own keys before its sub-tables (as TOML needs)."""
    sections = []
    for name, info in model.model_fields.items():
        section, repeat = _model_of(info.annotation)
        if section is not None:
            sections.append((name, section, repeat))
            continue
        default, required = _default(info)
        if not path and typing.get_origin(info.annotation) is dict:  # a table of the user's own keys
            value_type = type_name(typing.get_args(info.annotation)[1])
            yield ConfigKey(f"[{name}]", "NAME", value_type, "", info.description or "", required=False)
            continue
        table = f"[[{path}]]" if array else f"[{path}]"
        yield ConfigKey(
            table=table,
            key=name,
            type=type_name(info.annotation),
            default=default,
            description=info.description or _MEANING.get((table, name), ""),
            required=required,
        )
    for name, section, repeat in sections:
        sub = f"{path}.{name}" if path else name
        if repeat == "{}":
            sub = f"{sub}.{_EXAMPLE_KEYS.get(name, 'NAME')}"
        yield from iter_keys(section, sub, array=repeat == "[]")


def full_reference(domain: str) -> str:
    """Every section and key as commented TOML with its default: what ``init --full`` appends."""
    lines = [
        "# ---------------------------------------------------------------------------------------------",
        "# Every key, with its default (uncomment to change one; a key set above wins over its comment).",
        "# ---------------------------------------------------------------------------------------------",
    ]
    current = None
    for key in iter_keys():
        table = key.table.replace("{domain}", domain)
        if table != current:
            lines += ["", f"# {table}"]
            current = table
        note = ", required" if key.required else "" if key.default else ", unset by default"
        comment = f"  # {key.type}{note}" + (f": {key.description}" if key.description else "")
        lines.append(f"# {key.key} = {key.default or '…'}{comment}")
    return "\n".join(lines) + "\n"


def markdown_reference(domain: str = "{domain}") -> str:
    """The README's config reference table (``python -m launchready.config.reference`` prints it)."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key in iter_keys():
        default = "required" if key.required else (f"`{key.default}`" if key.default else "unset")
        cells = [f"`{key.table.replace('{domain}', domain)} {key.key}`", key.type, default, key.description]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown_reference("chatbot.example"), end="")
