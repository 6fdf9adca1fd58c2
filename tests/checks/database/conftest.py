"""A throwaway PostgreSQL cluster for the database review tests, from the machine's own binaries.

initdb refuses to run as root, so the cluster is made and run as the ``postgres`` system user (or
``nobody``) in a temporary folder it owns, on a random 127.x.y.z address and a free port, with
pg_stat_statements preloaded. The tests skip (with the reason) when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PgCluster:
    dsn: str
    host: str
    port: int


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(found[0]).parent if found else None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"]
    pytest.skip("running as root and no postgres/nobody user to run initdb as")


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install -y postgresql postgresql-contrib)")
    as_user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="launchready-pg-"))
    if as_user:
        owner = pwd.getpwnam(as_user[2])
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, sockets = root / "data", root / "sock"
    subprocess.run([*as_user, "mkdir", str(sockets)], check=True)
    host = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    port = _free_port(host)
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses={host} -c shared_preload_libraries=pg_stat_statements "
        "-c fsync=off -c max_connections=20"
    )
    started = subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "-t",
            "30",
            "start",
        ],
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        pytest.fail(f"pg_ctl start failed: {started.stderr}\n{log[-2000:]}")
    try:
        yield PgCluster(dsn=f"host={host} port={port} user=postgres dbname=postgres", host=host, port=port)
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
