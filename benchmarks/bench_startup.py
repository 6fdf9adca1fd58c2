"""Benchmark: how long a ``launchready`` command takes from the shell (issue 10, "Start fast").

Measures the median wall time of N fresh processes for ``--version``, ``--help``, ``checks``, one
``spf`` query and one ``email`` run, the last two against a lab DNS server on loopback (started here; no
public name is resolved). Targets: ``--version`` and ``--help`` under 0.3 s, ``spf`` and ``email`` under 0.5 s.

With ``--baseline SRC`` (a ``src`` folder of older code, e.g. from
``git worktree add /tmp/lr-baseline 89ac270``) each command also runs with ``PYTHONPATH=SRC`` and the table
shows both figures and their ratio. Both run with this interpreter, so only launchready's code differs, and
they take turns run by run, so a burst of load from other processes hits both alike (the load average is
printed at the end: on a busy machine every figure grows).

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--baseline /tmp/lr-baseline/src]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from launchready.lab.addresses import allocate_block
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.lab.variant import LabVariant
from launchready.lab.zone_email import email_records

DOMAIN = "chatbot.test"
SOURCE = Path(__file__).resolve().parents[1] / "src"
TARGETS = {"--version": 0.3, "--help": 0.3, "spf": 0.5, "email": 0.5}
LAUNCH = "import sys; from launchready.cli import main; sys.argv[0] = 'launchready'; main()"


def _zone() -> Zone:
    records = [ZoneRecord(DOMAIN, "A", "127.0.0.9"), *email_records(DOMAIN, LabVariant.HARDENED)]
    return Zone(origins=(DOMAIN,), records=records)


def _commands(nameserver: str, config: Path) -> dict[str, list[str]]:
    return {
        "--version": ["--version"],
        "--help": ["--help"],
        "checks": ["checks"],
        "spf": ["spf", "127.0.0.9", f"bob@{DOMAIN}", "--nameserver", nameserver],
        "email": ["email", "--config", str(config), "--nameserver", nameserver, "--fail-on", "never"],
    }


def one_run(args: list[str], source: Path) -> float:
    """Wall time of one fresh ``launchready ARGS`` process importing launchready from ``source``."""
    env = {**os.environ, "PYTHONPATH": str(source), "NO_COLOR": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCH, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"launchready {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def medians(args: list[str], sources: list[Path], runs: int) -> list[float]:
    """Median wall time per source; the sources take turns, so a burst of load hits both alike."""
    times: list[list[float]] = [[] for _ in sources]
    for _ in range(runs):
        for index, source in enumerate(sources):
            times[index].append(one_run(args, source))
    return [statistics.median(series) for series in times]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="src folder of the code to compare with")
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as workdir,
        DnsServer(_zone(), host=allocate_block().nameserver) as dns,
    ):
        config = Path(workdir) / "launchready.toml"
        config.write_text(f'[product]\nname = "Bench"\ndomain = "{DOMAIN}"\nsubdomains = []\n')
        header = f"{'command':<11}{'now':>9}"
        header += f"{'baseline':>11}{'ratio':>8}" if options.baseline else ""
        print(f"{header}{'target':>9}  (median of {options.runs} processes, seconds)")
        sources = [SOURCE, options.baseline] if options.baseline else [SOURCE]
        for name, args in _commands(dns.address, config).items():
            figures = medians(args, sources, options.runs)
            now = figures[0]
            line = f"{name:<11}{now:>9.3f}"
            if options.baseline:
                line += f"{figures[1]:>11.3f}{figures[1] / now:>7.1f}x"
            target = TARGETS.get(name)
            verdict = "" if target is None else f"{'<' if now < target else '>'} {target:g}"
            verdict += "" if target is None else (" ok" if now < target else " MISSED")
            print(f"{line}{verdict:>14}")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
