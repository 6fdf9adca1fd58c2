"""Read ``launchready.toml`` and turn every mistake into one clear ``ConfigError``.

tomllib reports syntax errors with a line but knows nothing of positions once parsed, and pydantic reports
a key path but no line. ``locate_key`` bridges the two by walking the file's table headers, which no library
does for TOML; it is a best effort (a value written inline in a table is found by its key name).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

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
    try:
        config = LaunchConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = format_key(loc)
        extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against `launchready init`)"
        raise ConfigError(path, message + extra, line=locate_key(text, loc), key=key) from None
    return _resolve_paths(config, path.parent)


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
