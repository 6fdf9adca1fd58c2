"""The benchmark corpus for ``bench_secrets.py``: a large, reproducible git history built with
``git fast-import`` (one process, no per-commit ``git commit``), with every server-side format of
``rules.toml`` planted in the places scanners miss (deleted later, merge-only, tag-only, WIP refs) and
realistic false-positive bait around it. Deterministic for a given scale and seed."""

from __future__ import annotations

import base64
import json
import random
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from launchready.secrets.rules import expand_template, load_rules


@dataclass
class Planted:
    value: str
    rule_id: str
    where: str  # tree | removed | merge | stash | tag


@dataclass
class Corpus:
    repo: Path
    planted: list[Planted] = field(default_factory=list)
    commits: int = 0
    blob_bytes: int = 0


def _planted_lines(rng: random.Random, copies: int) -> list[tuple[str, str, str]]:
    """(line, value, rule_id) for every rule that is a server-side secret, ``copies`` times each."""
    out = []
    for rule in load_rules():
        if not rule.is_secret:
            continue
        for copy in range(copies):
            template = rule.true_positives[copy % len(rule.true_positives)]
            text = expand_template(template, random.Random(f"bench:{rule.rule_id}:{copy}:{rng.random()}"))
            match = rule.compiled.search(text.encode())
            assert match is not None, rule.rule_id
            value = match.group(1 if rule.compiled.groups else 0).decode()
            out.append((text, value, rule.rule_id))
    return out


_JWT_IO_EXAMPLE = ".".join(
    [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
)
"""The jwt.io sample token (public documentation, not a credential)."""


def _hex(rng: random.Random, n: int) -> str:
    return rng.randbytes(n // 2 + 1).hex()[:n]


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n * 3 // 4 + 3)).decode()[:n]


def _source_file(rng: random.Random, lines: int) -> str:
    words = ["user", "session", "cache", "model", "prompt", "tokens", "stream", "retry", "config", "client"]
    body = []
    for i in range(lines):
        a, b = rng.choice(words), rng.choice(words)
        kind = rng.random()
        if kind < 0.05:
            body.append(f'REQUEST_ID = "{uuid.UUID(int=rng.getrandbits(128))}"')
        elif kind < 0.08:
            body.append(f'CACHE_KEY_PREFIX = "{a}:{b}:v{i}"')
        elif kind < 0.10:
            body.append(f'COMMIT_SHA = "{_hex(rng, 40)}"')
        elif kind < 0.12:
            body.append(f'API_KEY = os.environ["{a.upper()}_API_KEY"]')
        elif kind < 0.13:
            body.append('OPENAI_API_KEY = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # placeholder')
        elif kind < 0.14:
            body.append('headers = {"Authorization": f"Bearer {token}"}')
        elif kind < 0.15:
            body.append(f'IDEMPOTENCY_KEY = "{uuid.UUID(int=rng.getrandbits(128))}"')
        elif kind < 0.155:
            body.append(f'EXAMPLE_JWT = "{_JWT_IO_EXAMPLE}"  # from the docs')
        elif kind < 0.16:
            body.append('AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS documentation value')
        elif kind < 0.165:
            body.append(f'ETAG = "W/\\"{_hex(rng, 32)}\\""; ASSET_SHA256 = "{_hex(rng, 64)}"')
        elif kind < 0.17:
            body.append('DATABASE_URL = "postgresql://postgres:postgres@localhost:5432/test"')
        else:
            body.append(f"def {a}_{b}_{i}(value: int) -> int:\n    return value * {i} + len('{a}{b}')")
    return "\n".join(body) + "\n"


def _lock_file(rng: random.Random, packages: int) -> str:
    entries = {
        f"node_modules/pkg-{i}": {
            "version": f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",
            "resolved": f"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}.tgz",
            "integrity": "sha512-" + _b64(rng, 86) + "==",
        }
        for i in range(packages)
    }
    return json.dumps({"name": "app", "lockfileVersion": 3, "packages": entries}, indent=2)


def _images(rng: random.Random, count: int, size: int) -> str:
    return json.dumps({f"icon{i}": "data:image/png;base64," + _b64(rng, size) for i in range(count)})


def _minified(rng: random.Random, size: int) -> str:
    parts = []
    total = 0
    while total < size:
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 3)))
        chunk = rng.choice(
            [
                f"var {name}=function(e,t){{return e+t*{rng.randint(1, 999)}}};",
                f'{name}.exports={{hash:"{_hex(rng, 64)}",id:"{uuid.UUID(int=rng.getrandbits(128))}"}};',
                f'{name}("{_b64(rng, 48)}");',
                f"if({name}&&{name}.length>{rng.randint(1, 99)}){{{name}.push({rng.random():.6f})}}",
            ]
        )
        parts.append(chunk)
        total += len(chunk)
    return "".join(parts)


class _FastImport:
    def __init__(self, repo: Path) -> None:
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
        self.proc = subprocess.Popen(
            ["git", "-C", str(repo), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
        )
        self.mark = 0
        self.bytes = 0

    def _w(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def blob(self, content: str) -> int:
        data = content.encode()
        self.mark += 1
        self._w(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)) + data + b"\n")
        self.bytes += len(data)
        return self.mark

    def commit(
        self,
        ref: str,
        when: int,
        message: str,
        files: dict[str, int | None],
        parent: int | None,
        merge: int | None = None,
    ) -> int:
        self.mark += 1
        msg = message.encode()
        head = b"commit %s\nmark :%d\n" % (ref.encode(), self.mark)
        who = b"Dev %d <dev%d@example.test> %d +0000\n" % (when % 7, when % 7, when)
        out = head + b"author " + who + b"committer " + who + b"data %d\n" % len(msg) + msg + b"\n"
        if parent:
            out += b"from :%d\n" % parent
        if merge:
            out += b"merge :%d\n" % merge
        for path, mark in files.items():
            out += b"D %s\n" % path.encode() if mark is None else b"M 100644 :%d %s\n" % (mark, path.encode())
        self._w(out + b"\n")
        return self.mark

    def tag(self, name: str, commit: int, when: int) -> None:
        self._w(
            b"tag %s\nfrom :%d\ntagger Rel <rel@example.test> %d +0000\ndata 3\nrel\n"
            % (name.encode(), commit, when)
        )

    def reset(self, ref: str, commit: int) -> None:
        self._w(b"reset %s\nfrom :%d\n\n" % (ref.encode(), commit))

    def close(self) -> None:
        self._w(b"done\n")
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def build_corpus(repo: Path, scale: float, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    commits = max(200, int(3000 * scale))
    files = [
        f"src/{d}/mod_{i}.py"
        for d in ("api", "core", "jobs", "web")
        for i in range(int(60 * max(scale, 0.3)))
    ]
    fi = _FastImport(repo)
    corpus = Corpus(repo=repo, commits=commits)
    secrets = _planted_lines(rng, copies=2)
    rng.shuffle(secrets)
    plan: dict[int, list[tuple[str, str, str, str]]] = {}
    kinds = ["tree", "removed", "merge", "stash", "tag"]
    for index, (line, value, rule_id) in enumerate(secrets):
        where = kinds[index % len(kinds)]
        at = rng.randint(10, commits - 20)
        plan.setdefault(at, []).append((line, value, rule_id, where))
    removals: dict[int, list[str]] = {}
    when = 1_700_000_000
    head = None
    for n in range(commits):
        when += rng.randint(60, 7200)
        changed: dict[str, int | None] = {path: None for path in removals.pop(n, [])}
        for path in rng.sample(files, k=rng.randint(1, 4)):
            changed[path] = fi.blob(_source_file(rng, rng.randint(30, 400)))
        if n % 25 == 0:
            changed["package-lock.json"] = fi.blob(_lock_file(rng, int(1500 * max(scale, 0.3))))
        if n % 40 == 0:
            changed["dist/app.min.js"] = fi.blob(_minified(rng, int(600_000 * max(scale, 0.3))))
        if n % 60 == 0:
            changed["assets/icons.json"] = fi.blob(_images(rng, 20, 12_000))
        for line, value, rule_id, where in plan.get(n, []):
            corpus.planted.append(Planted(value, rule_id, where))
            path = f"src/settings/config_{len(corpus.planted)}.py"
            text = f"# settings\n{line}\n"
            if where in ("tree", "removed"):
                changed[path] = fi.blob(text)
                if where == "removed":
                    removals.setdefault(n + rng.randint(1, 10), []).append(path)
            elif where == "merge":
                side = fi.commit(
                    "refs/heads/feature", when, "feature work", {"FEATURE.md": fi.blob(f"f{n}\n")}, head
                )
                head = fi.commit(
                    "refs/heads/main", when + 1, "Merge feature", {path: fi.blob(text)}, head, side
                )
                when += 2
                removals.setdefault(n + 1, []).append(path)
            elif where == "stash":
                index_commit = fi.commit("refs/stash-index", when, "index on main", {}, head)
                fi.commit(
                    f"refs/wip/{len(corpus.planted)}",
                    when,
                    "WIP on main",
                    {path: fi.blob(text)},
                    head,
                    index_commit,
                )
            elif where == "tag":
                tagged = fi.commit("refs/heads/release-tmp", when, "release fix", {path: fi.blob(text)}, head)
                fi.tag(f"v{n}.{len(corpus.planted)}", tagged, when)
        head = fi.commit("refs/heads/main", when, f"change {n}", changed, head)
    fi.close()
    for ref in ("refs/heads/release-tmp", "refs/stash-index"):
        subprocess.run(["git", "-C", str(repo), "update-ref", "-d", ref], check=False, capture_output=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-f", "main"], check=True)
    corpus.blob_bytes = fi.bytes
    return corpus
