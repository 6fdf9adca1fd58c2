"""The benchmark corpus for ``bench_secrets.py``: labelled cases planted in a large git history.

Why the truth is built this way (issue 9, "honest benchmarks"): recall measured on secrets generated from
launchready's own rule templates only measures how well the rules agree with themselves. Here every planted
case comes from a source that knows nothing of launchready's rules, and carries its own label:

- ``provider``: ``benchmarks/data/provider_examples.toml``, written by hand from each provider's published
  key format (the doc page is in each entry), with false-positive bait (documented sample keys, placeholders,
  environment lookups, public-by-design keys, hashes).
- ``gitleaks``: the true positives (label ``secret``) and false positives (label ``bait``) that gitleaks'
  authors wrote as literals in the rule tests of ``cmd/generate/config/rules/*.go`` (MIT licence), for the
  rule files named in ``GITLEAKS_RULE_FILES``. They are read from a local copy of the gitleaks repository at
  run time and cached in ``benchmarks/data/gitleaks/`` with gitleaks' LICENSE beside them; that folder is not
  committed (see ``benchmarks/data/README.md``). This corpus was written to test gitleaks' own rules, so it
  favours gitleaks and Kingfisher (which ships ports of those rules): read its rows with that in mind.

Each case becomes one file of its own (``src/settings/cfg_NNNN.<ext>``: the name does not tell its label),
planted where history scanners miss things (still in the tree, deleted later, only in a merge commit, only
in a stash-like WIP ref, only reachable from a tag), inside a reproducible history built with
``git fast-import`` whose filler is realistic false-positive noise (UUIDs, hashes, lock-file integrity
strings, base64 images, minified JS, placeholders). Deterministic for a given scale and seed.
"""

from __future__ import annotations

import base64
import json
import random
import re
import shutil
import subprocess
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
PROVIDER_FILE = DATA / "provider_examples.toml"
GITLEAKS_CACHE = DATA / "gitleaks"
GITLEAKS_RULES_DIR = "cmd/generate/config/rules"
GITLEAKS_RULE_FILES = tuple(
    f"{name}.go"
    for name in (
        "anthropic",
        "openai",
        "huggingface",
        "cohere",
        "perplexity",
        "aws",
        "gcp",
        "azure",
        "github",
        "gitlab",
        "stripe",
        "slack",
        "sendgrid",
        "twilio",
        "mailgun",
        "discord",
        "telegram",
        "npm",
        "pypi",
        "digitalocean",
        "heroku",
        "cloudflare",
        "datadog",
        "sentry",
        "privatekey",
        "notion",
        "linear",
        "planetscale",
        "postman",
        "shopify",
        "doppler",
    )
)
"""Providers a chatbot product is likely to hold keys for; gitleaks' generic rule is left out on purpose
(its cases are judgement calls about variable names, not formats)."""
GITLEAKS_CAP = 4
"""At most this many true and this many false positives per gitleaks rule, so big rules do not dominate."""
PLACES = ("tree", "removed", "merge", "stash", "tag")


@dataclass(frozen=True)
class Case:
    """One labelled file: its whole text, and whether it holds a real-format secret or is bait."""

    case_id: str
    source: str  # provider | gitleaks
    label: str  # secret | bait
    text: str
    ext: str = "txt"


@dataclass
class Planted:
    case_id: str
    source: str
    label: str
    where: str  # one of PLACES
    path: str


@dataclass
class Corpus:
    repo: Path
    planted: list[Planted] = field(default_factory=list)
    commits: int = 0
    blob_bytes: int = 0
    texts: dict[str, str] = field(default_factory=dict)
    """path -> planted text (for the detect-secrets sample, which has no history mode)."""


# --------------------------------------------------------------------------------------------- truth


def provider_cases(path: Path = PROVIDER_FILE) -> list[Case]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle)["case"]
    return [Case(e["id"], "provider", e["label"], e["text"], e.get("ext", "txt")) for e in entries]


def gitleaks_cases(source: Path | None, cache: Path = GITLEAKS_CACHE) -> list[Case]:
    """The gitleaks corpus: from the cache, else extracted from ``source`` (a work tree or a git dir)."""
    cases_file = cache / "cases.json"
    if source is not None:
        extracted = extract_gitleaks(source)
        cache.mkdir(parents=True, exist_ok=True)
        cases_file.write_text(json.dumps([asdict(c) for c in extracted], indent=1))
        (cache / "LICENSE").write_text(_read_source(source, "LICENSE"))
        (cache / "SOURCE").write_text(f"{_source_revision(source)}\n")
    if not cases_file.exists():
        return []
    return [Case(**c) for c in json.loads(cases_file.read_text())]


_TOKEN = re.compile(r"[A-Za-z0-9_+/=-]{20,}")


def distinct_values(cases: list[Case]) -> list[Case]:
    """Drop a case whose key-like token (20+ characters) already appeared in an earlier case.

    A scanner may rightly report one secret once (one risk, one rotation) even when it sits in two files;
    with one value per case, "found the file" and "found the secret" mean the same thing for every tool."""
    seen: set[str] = set()
    kept: list[Case] = []
    for case in cases:
        tokens = {t for t in _TOKEN.findall(case.text) if _looks_random(t)}
        if tokens & seen:
            continue
        seen |= tokens
        kept.append(case)
    return kept


def _looks_random(token: str) -> bool:
    """A key-like token, not a long identifier such as ``aws_secret_access_key``."""
    upper, lower = sum(c.isupper() for c in token), sum(c.islower() for c in token)
    return any(c.isdigit() for c in token) or (upper >= 6 and lower >= 6)


def _is_git_dir(source: Path) -> bool:
    return (source / "HEAD").is_file() and (source / "objects").is_dir()


def _read_source(source: Path, rel: str) -> str:
    if _is_git_dir(source):
        return subprocess.run(
            ["git", "--git-dir", str(source), "show", f"HEAD:{rel}"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return (source / rel).read_text()


def _source_revision(source: Path) -> str:
    args = ["--git-dir", str(source)] if _is_git_dir(source) else ["-C", str(source)]
    done = subprocess.run(["git", *args, "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    return "github.com/gitleaks/gitleaks " + (done.stdout.strip() or "unknown revision")


def extract_gitleaks(source: Path) -> list[Case]:
    """Literal true/false positives of the selected gitleaks rule tests, labelled as gitleaks labels them."""
    cases: list[Case] = []
    for name in GITLEAKS_RULE_FILES:
        try:
            go = _read_source(source, f"{GITLEAKS_RULES_DIR}/{name}")
        except (OSError, subprocess.CalledProcessError):
            continue
        for function, kind, literal in go_rule_literals(go):
            label = "secret" if kind == "tps" else "bait"
            same = [c for c in cases if c.case_id.startswith(f"gitleaks:{function}:{label}:")]
            if len(same) >= GITLEAKS_CAP or len(literal) > 4000 or not literal.strip():
                continue
            cases.append(Case(f"gitleaks:{function}:{label}:{len(same)}", "gitleaks", label, literal + "\n"))
    return cases


_GO_TOKEN = re.compile(
    r'//[^\n]*|/\*.*?\*/|`[^`]*`|"(?:\\.|[^"\\\n])*"|[A-Za-z_][A-Za-z0-9_.]*|\.\.\.|\n|[^\s]', re.S
)


def _go_string(token: str) -> str:
    if token.startswith("`"):
        return token[1:-1]
    raw = token[1:-1].encode("utf-8").decode("unicode_escape")
    return raw.encode("latin-1", errors="replace").decode("utf-8", errors="replace")


def go_rule_literals(go: str) -> Iterator[tuple[str, str, str]]:
    """(function, "tps"|"fps", literal) for every string literal that is a whole element of a ``tps``/``fps``
    list, or the fixed sample handed to ``utils.GenerateSampleSecrets``; generated values are skipped."""
    tokens = [t for t in _GO_TOKEN.findall(go) if not t.startswith(("//", "/*"))]
    function = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "func" and i + 1 < len(tokens):
            function = tokens[i + 1]
        if token in ("tps", "fps") and i + 1 < len(tokens) and tokens[i + 1] in (":=", "=", ":"):
            j = i + 2 if tokens[i + 1] != ":" else i + 3  # ":=" tokenises as ":" "="
            end = _statement_end(tokens, j)
            for literal in _elements(tokens[j:end]):
                yield function, token, literal
            i = end
        i += 1


def _statement_end(tokens: list[str], start: int) -> int:
    depth = 0
    for k in range(start, len(tokens)):
        if tokens[k] in "([{":
            depth += 1
        elif tokens[k] in ")]}":
            depth -= 1
        elif tokens[k] == "\n" and depth == 0 and k > start:
            return k
    return len(tokens)


def _elements(expr: list[str]) -> Iterator[str]:
    """Lone string literals that are elements of ``[]string{...}``/``append(...)`` (not its first argument),
    and lone literal second arguments of ``GenerateSampleSecrets``."""
    stack: list[tuple[str, list[list[str]]]] = []
    previous: list[str] = []
    for token in expr:
        if token == "\n":
            continue
        if token in "({":
            name = previous[-1] if previous else ""
            kind = "call"
            if token == "(" and name == "append":
                kind = "append"
            elif token == "(" and name.endswith("GenerateSampleSecrets"):
                kind = "sample"
            elif token == "{" and previous[-3:] == ["[", "]", "string"]:
                kind = "list"
            stack.append((kind, [[]]))
        elif token in ")}" and stack:
            kind, elements = stack.pop()
            yield from _lone_literals(kind, elements)
            if stack:
                stack[-1][1][-1].append("<expr>")
        elif token == "," and stack:
            stack[-1][1].append([])
        elif stack:
            stack[-1][1][-1].append(token)
        previous.append(token)


def _lone_literals(kind: str, elements: list[list[str]]) -> Iterator[str]:
    for index, element in enumerate(elements):
        if len(element) != 1 or not element[0].startswith(("`", '"')):
            continue
        literal = _go_string(element[0])
        if kind == "list" or (kind == "append" and index > 0):
            yield literal
        elif kind == "sample" and index == 1:
            yield f'{elements[0][0].strip(chr(34))}_api_token = "{literal}"'


# --------------------------------------------------------------------------------------------- filler


def _hex(rng: random.Random, n: int) -> str:
    return rng.randbytes(n // 2 + 1).hex()[:n]


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n * 3 // 4 + 3)).decode()[:n]


def _source_file(rng: random.Random, lines: int) -> str:
    """Ordinary code with the usual noise: ids, hashes, env lookups, placeholders (all non-secrets)."""
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


# --------------------------------------------------------------------------------------------- history


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

    def close(self) -> None:
        self._w(b"done\n")
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def build_corpus(repo: Path, scale: float, cases: list[Case], seed: int = 7) -> Corpus:
    """A history of ``3000 * scale`` commits with every case planted once, in a rotating place."""
    rng = random.Random(seed)
    commits = max(200, int(3000 * scale))
    files = [
        f"src/{d}/mod_{i}.py"
        for d in ("api", "core", "jobs", "web")
        for i in range(int(60 * max(scale, 0.3)))
    ]
    fi = _FastImport(repo)
    corpus = Corpus(repo=repo, commits=commits)
    order = list(cases)
    rng.shuffle(order)
    numbers = rng.sample(range(1000, 10000), len(order))
    plan: dict[int, list[Planted]] = {}
    for index, case in enumerate(order):
        where = PLACES[index % len(PLACES)]
        path = f"src/settings/cfg_{numbers[index]}.{case.ext}"
        planted = Planted(case.case_id, case.source, case.label, where, path)
        corpus.texts[path] = case.text
        plan.setdefault(rng.randint(10, commits - 20), []).append(planted)
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
        for planted in plan.get(n, []):
            corpus.planted.append(planted)
            path, text = planted.path, corpus.texts[planted.path]
            if planted.where in ("tree", "removed"):
                changed[path] = fi.blob(text)
                if planted.where == "removed":
                    removals.setdefault(n + rng.randint(1, 10), []).append(path)
            elif planted.where == "merge":
                side = fi.commit(
                    "refs/heads/feature", when, "feature work", {"FEATURE.md": fi.blob(f"f{n}\n")}, head
                )
                head = fi.commit(
                    "refs/heads/main", when + 1, "Merge feature", {path: fi.blob(text)}, head, side
                )
                when += 2
                removals.setdefault(n + 1, []).append(path)
            elif planted.where == "stash":
                index_commit = fi.commit("refs/stash-index", when, "index on main", {}, head)
                fi.commit(
                    f"refs/wip/{len(corpus.planted)}",
                    when,
                    "WIP on main",
                    {path: fi.blob(text)},
                    head,
                    index_commit,
                )
            else:  # tag
                tagged = fi.commit("refs/heads/release-tmp", when, "release fix", {path: fi.blob(text)}, head)
                fi.tag(f"v{n}.{len(corpus.planted)}", tagged, when)
        head = fi.commit("refs/heads/main", when, f"change {n}", changed, head)
    fi.close()
    for ref in ("refs/heads/release-tmp", "refs/stash-index"):
        subprocess.run(["git", "-C", str(repo), "update-ref", "-d", ref], check=False, capture_output=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-f", "main"], check=True)
    corpus.blob_bytes = fi.bytes
    return corpus


def save(corpus: Corpus, work: Path) -> None:
    (work / "planted.json").write_text(json.dumps([asdict(p) for p in corpus.planted], indent=1))
    meta = {"commits": corpus.commits, "bytes": corpus.blob_bytes, "texts": corpus.texts}
    (work / "meta.json").write_text(json.dumps(meta))


def load(work: Path) -> Corpus | None:
    planted_file, meta_file = work / "planted.json", work / "meta.json"
    if not ((work / "repo").exists() and planted_file.exists() and meta_file.exists()):
        return None
    meta = json.loads(meta_file.read_text())
    planted = [Planted(**p) for p in json.loads(planted_file.read_text())]
    return Corpus(work / "repo", planted, int(meta["commits"]), int(meta["bytes"]), dict(meta["texts"]))


def fresh(work: Path) -> None:
    shutil.rmtree(work / "repo", ignore_errors=True)
