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
        yield ConfigKey(
            table=f"[[{path}]]" if array else f"[{path}]",
            key=name,
            type=type_name(info.annotation),
            default=default,
            description=info.description or "",
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
