"""Read ``launchready.toml`` and turn every mistake into one clear ``ConfigError``.

tomllib reports syntax errors with a line but knows nothing of positions once parsed, and pydantic reports
a key path but no line. ``locate_key`` bridges the two by walking the file's table headers, which no library
does for TOML; it is a best effort (a value written inline in a table is found by its key name).

Names are checked before values: a misspelt section (``[prodct]``) is reported as itself, with its line and
the closest known name, rather than as the "[product] field required" it causes.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from launchready.config.model import LaunchConfig


@dataclass(frozen=True)
class ConfigError(Exception):
    """A config problem, with the file, line (when known) and key path a user needs to fix it."""

    path: Path
    message: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.message}"


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def load_config(path: Path) -> LaunchConfig:
    """Load and validate a config file; raise ``ConfigError`` for anything wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "file not found (create one with `launchready init`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> LaunchConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _TOML_POSITION.sub("", str(exc)).strip()
        raise ConfigError(path, f"not valid TOML: {message}", line=line) from None
    check_names(data, LaunchConfig, (), text, path)
    try:
        config = LaunchConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = format_key(loc)
        extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against `launchready init --full`)"
        elif error["type"] == "missing":
            message = "required, but missing"
        raise ConfigError(path, message + extra, line=locate_key(text, loc), key=key) from None
    return _resolve_paths(config, path.parent)


def _section_model(annotation: object) -> tuple[type[BaseModel] | None, str]:
    """(model, shape) of a field: '' one table, '[]' an array of tables, '{}' a table of named tables."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    if origin in (typing.Union, types.UnionType):  # an optional section: ``login: ChatLoginConfig | None``
        models = [a for a in args if a is not type(None)]
        if len(models) == 1:
            return _section_model(models[0])
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "[]"
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return args[1], "{}"
    return None, ""


def _suggest(name: str, known: list[str], brackets: bool) -> str:
    match = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if match:
        return f" — did you mean {f'[{match[0]}]' if brackets else repr(match[0])}?"
    shown = ", ".join(f"[{k}]" if brackets else k for k in known)
    return f" (known: {shown})"


def check_names(
    data: object, model: type[BaseModel], loc: tuple[str | int, ...], text: str, path: Path
) -> None:
    """Raise ``ConfigError`` for the first unknown section or key, with its line and a "did you mean"."""
    if not isinstance(data, dict):
        return  # a wrong type is the model's to report
    fields = model.model_fields
    for name, value in data.items():
        if name not in fields:
            here = (*loc, name)
            line = locate_key(text, here) if loc else _locate_top(text, name)
            if isinstance(value, dict | list) and all(isinstance(v, dict) for v in _items(value)):
                table = format_key(here)
                known = [format_key((*loc, k)) for k in fields if _section_model(fields[k].annotation)[0]]
                at = f" at line {line}" if line else ""
                message = f"unknown section [{table}]{at}{_suggest(table, known, brackets=True)}"
            else:
                where = f" in {_table_name(loc)}" if loc else " at the top level"
                message = f"unknown key {name!r}{where}{_suggest(name, list(fields), brackets=False)}"
            raise ConfigError(path, message, line=line)  # the message names the key as written
        section, shape = _section_model(fields[name].annotation)
        if section is None:
            continue
        if shape == "":
            check_names(value, section, (*loc, name), text, path)
        elif shape == "[]" and isinstance(value, list):
            for index, item in enumerate(value):
                check_names(item, section, (*loc, name, index), text, path)
        elif shape == "{}" and isinstance(value, dict):
            for key, item in value.items():
                check_names(item, section, (*loc, name, key), text, path)


def _table_name(loc: tuple[str | int, ...]) -> str:
    """``[product]``, ``[[routes]] #2``, ``[hosts."a.example"]``: a table as the user wrote it."""
    parts = [f'"{p}"' if isinstance(p, str) and "." in p else str(p) for p in loc if not isinstance(p, int)]
    name = ".".join(parts)
    if loc and isinstance(loc[-1], int):
        return f"[[{name}]] #{loc[-1] + 1}"
    return f"[{name}]"


def _items(value: dict[str, object] | list[object]) -> list[object]:
    return [value] if isinstance(value, dict) else list(value)


def _locate_top(text: str, name: str) -> int | None:
    """The line of a top-level table header (``[name]``, ``[name.x]``, ``[[name]]``) or key ``name =``."""
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if match:
            first = match.group(2).split(".")[0].strip().strip('"')
            if first == name:
                return number
        elif re.match(rf"^\s*\"?{re.escape(name)}\"?\s*[=.]", line):
            return number
    return None


def format_key(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def locate_key(text: str, loc: tuple[object, ...]) -> int | None:
    """Find the line that defines ``loc`` (e.g. ``('routes', 2, 'method')``) in TOML text."""
    lines = text.splitlines()
    strings = [str(p) for p in loc if not isinstance(p, int)]
    if not strings:
        return None
    # Find the deepest table header that is a prefix of loc, honouring array-of-tables indices.
    table_start, table_end = 0, len(lines)
    header_counts: dict[str, int] = {}
    best_depth = -1
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match:
            continue
        name = ".".join(part.strip().strip('"') for part in match.group(2).split("."))
        header_counts[name] = header_counts.get(name, -1) + 1
        parts = name.split(".")
        depth = _header_matches(parts, header_counts[name], match.group(1) == "[[", loc)
        if depth > best_depth:
            best_depth, table_start = depth, number
    if best_depth >= 0:
        for number in range(table_start + 1, len(lines)):
            if _HEADER.match(lines[number]):
                table_end = number
                break
        remaining = [str(p) for p in loc[best_depth:] if not isinstance(p, int)]
    else:
        remaining = strings
    if not remaining:
        return table_start + 1
    key = remaining[-1]
    pattern = re.compile(rf"^\s*(\"?{re.escape(key)}\"?|[\w.\"-]*\.\"?{re.escape(key)}\"?)\s*=")
    inline = re.compile(rf"[{{,]\s*\"?{re.escape(key)}\"?\s*=")
    for number in range(table_start, table_end):
        if pattern.search(lines[number]) or inline.search(lines[number]):
            return number + 1
    return table_start + 1 if best_depth >= 0 else None


def _header_matches(parts: list[str], index: int, is_array: bool, loc: tuple[object, ...]) -> int:
    """How many elements of loc this header covers, or -1 when it is not a prefix of loc."""
    position = 0
    for i, part in enumerate(parts):
        if position >= len(loc) or str(loc[position]) != part:
            return -1
        position += 1
        last = i == len(parts) - 1
        if last and is_array:
            if position < len(loc) and isinstance(loc[position], int):
                if loc[position] != index:
                    return -1
                position += 1
            else:
                return -1
    return position


def _resolve_paths(config: LaunchConfig, base: Path) -> LaunchConfig:
    """Make relative paths in the file relative to the file, not to the working directory."""
    repo = config.repo
    repo_path = repo.path if repo.path.is_absolute() else (base / repo.path)
    logs = tuple(p if p.is_absolute() else repo_path / p for p in repo.logs)
    envs = {k: (v if v.is_absolute() else repo_path / v) for k, v in config.environments.items()}
    return config.model_copy(
        update={
            "repo": repo.model_copy(update={"path": repo_path.resolve(), "logs": logs}),
            "environments": envs,
        }
    )
