"""A deployable lab app with two versions, so ``launchready drill`` deploys and rolls back for real in tests.

The layout is the classic symlink switch (Capistrano, Deployer): ``releases/<version>/`` holds each release,
``current`` points at the one serving, and a deploy is "run the release's migration, then swap the symlink
atomically" (``os.replace`` of a fresh symlink). The server re-reads ``current`` on every request, as a
process manager's reload would, so ``/version`` flips the moment the switch lands; ``/health`` answers 503 for
a release that carries a ``BROKEN`` marker. The migration is real too: each release's ``migrate`` step
records its schema version in ``db/schema_version``, and refuses to run a release whose schema is older than
the database's (the reason rollbacks must keep migrations backwards compatible).

Commands are plain processes (``python -m launchready.lab.deploy_app deploy --root R --to 2.0.0``), exactly
what a ``[deploy] command`` is; ``--delay`` makes a step slow, for deadline tests. The server listens on
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VERSIONS = ("1.0.0", "2.0.0")


def _release(root: Path, version: str) -> Path:
    return root / "releases" / version


def current_version(root: Path) -> str:
    return (root / "current" / "VERSION").read_text(encoding="utf-8").strip()


def prepare(root: Path, versions: tuple[str, ...] = VERSIONS, broken: tuple[str, ...] = ()) -> None:
    """Lay out the releases (schema N for the N-th) with the first one serving."""
    for schema, version in enumerate(versions, start=1):
        release = _release(root, version)
        release.mkdir(parents=True, exist_ok=True)
        (release / "VERSION").write_text(version + "\n", encoding="utf-8")
        (release / "SCHEMA").write_text(f"{schema}\n", encoding="utf-8")
        if version in broken:
            (release / "BROKEN").write_text("this release cannot serve\n", encoding="utf-8")
    (root / "db").mkdir(exist_ok=True)
    (root / "db" / "schema_version").write_text("1\n", encoding="utf-8")
    _switch(root, versions[0])


def _switch(root: Path, version: str) -> None:
    temporary = root / f".current-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(Path("releases") / version, temporary)
    os.replace(temporary, root / "current")


def migrate(root: Path, version: str) -> None:
    """Bring the schema up to the release's (never down): a release may serve on a newer schema."""
    wanted = int((_release(root, version) / "SCHEMA").read_text(encoding="utf-8"))
    path = root / "db" / "schema_version"
    have = int(path.read_text(encoding="utf-8"))
    if wanted > have:
        path.write_text(f"{wanted}\n", encoding="utf-8")


def deploy(root: Path, version: str, delay_s: float = 0.0) -> None:
    if not _release(root, version).is_dir():
        raise SystemExit(f"deploy: no release {version} in {root / 'releases'}")
    previous = current_version(root)
    migrate(root, version)
    time.sleep(delay_s)
    (root / "previous").write_text(previous + "\n", encoding="utf-8")
    _switch(root, version)
    print(f"deployed {version} (was {previous})")


def rollback(root: Path, to: str | None = None, delay_s: float = 0.0) -> None:
    target = to or (root / "previous").read_text(encoding="utf-8").strip()
    if not _release(root, target).is_dir():
        raise SystemExit(f"rollback: no release {target} in {root / 'releases'}")
    time.sleep(delay_s)
    _switch(root, target)
    print(f"rolled back to {target}")


class _Handler(BaseHTTPRequestHandler):
    root: Path

    def do_GET(self) -> None:
        try:
            version = current_version(self.root)
            broken = (self.root / "current" / "BROKEN").exists()
        except OSError:
            self._send(503, {"status": "switching"})
            return
        if self.path == "/version":
            self._send(200, {"version": version})
        elif self.path == "/health":
            self._send(503 if broken else 200, {"status": "broken" if broken else "ok", "version": version})
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return None


class DeployableApp:
    """``with DeployableApp(workdir) as app:`` → ``app.url("/version")``, ``app.command("deploy", ...)``."""

    def __init__(self, root: Path, broken: tuple[str, ...] = ()) -> None:
        self.root = root
        self.broken = broken
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> DeployableApp:
        prepare(self.root, broken=self.broken)
        handler = type("Handler", (_Handler,), {"root": self.root})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="deploy-app", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def command(self, action: str, *args: str) -> str:
        """The shell command a ``[deploy]`` config would hold for ``action`` (deploy / rollback)."""
        parts = [sys.executable, "-m", "launchready.lab.deploy_app", action, "--root", str(self.root), *args]
        return shlex.join(parts)

    @property
    def version(self) -> str:
        return current_version(self.root)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m launchready.lab.deploy_app")
    parser.add_argument("action", choices=("deploy", "rollback"))
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--to")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.action == "deploy":
        deploy(args.root, args.to or VERSIONS[-1], args.delay)
    else:
        rollback(args.root, args.to, args.delay)


if __name__ == "__main__":
    main()
