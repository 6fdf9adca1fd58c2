"""Benchmark: full-history secret scanning — launchready vs gitleaks, Kingfisher and detect-secrets.

Not a test (speed never goes in the test suite). It builds a large, reproducible git history with
``git fast-import`` (thousands of commits, a few hundred MB of blobs, merges, tag-only commits, stash-like WIP refs),
plants every format of ``rules.toml`` (some deleted later, some only in a merge, a tag or a WIP ref), adds
realistic false-positive bait (UUIDs, hashes, lock-file integrity strings, base64 images, minified JS,
placeholders), then scans it with each tool in a child process and prints wall time, MB/s, peak RSS of the
whole process tree, recall and precision on the planted set.

detect-secrets has no history mode: it scans a dump of a sample of the unique blobs (every blob holding a
planted secret plus filler blobs of at most ``--ds-max-kb`` up to ``--ds-mb``; it is very slow on long lines
and does not finish a minified bundle in minutes), and its MB/s is computed on that sample, next to
launchready's on the same files. The corpus itself is built by ``secrets_corpus.py``.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_secrets.py                 # default: ~3000 commits, ~230 MB, ~6 min
    .venv/bin/python benchmarks/bench_secrets.py --scale 0.2     # quick
    .venv/bin/python benchmarks/bench_secrets.py --engine        # Hyperscan vs RE2 matcher, same corpus

No network: every peer runs with validation and update checks off; the machine has no route out anyway.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from secrets_corpus import Corpus, Planted, build_corpus

from launchready.secrets.redaction import fingerprint

BIN = Path(sys.executable).parent


# --------------------------------------------------------------------------------------------- running


@dataclass
class Result:
    tool: str
    wall_s: float
    peak_rss_mb: float
    scanned_mb: float
    reported: set[str]
    error: str = ""


def run_measured(
    cmd: list[str], timeout_s: float = 3600, cwd: Path | None = None
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Wall time and peak RSS of the whole process tree (sampled every 20 ms)."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    out_chunks: list[bytes] = []
    import threading

    def drain() -> None:
        assert proc.stdout is not None
        out_chunks.append(proc.stdout.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        if time.perf_counter() - start > timeout_s:
            proc.kill()
        time.sleep(0.02)
    reader.join()
    stderr = proc.stderr.read() if proc.stderr else b""
    wall = time.perf_counter() - start
    done = subprocess.CompletedProcess(cmd, proc.returncode, b"".join(out_chunks), stderr)
    return wall, peak / 1e6, done


def scan_launchready(repo: Path, mb: float, jobs: int) -> Result:
    code = (
        "import json,sys;from pathlib import Path;from launchready.secrets.history import scan_history;"
        f"s=scan_history(Path({str(repo)!r}),jobs={jobs});"
        "print(json.dumps([x.match.secret.fingerprint for x in s.secrets if x.match.rule.is_secret]))"
    )
    wall, peak, done = run_measured([sys.executable, "-c", code])
    reported = set(json.loads(done.stdout or b"[]")) if done.returncode == 0 else set()
    return Result(
        "launchready", wall, peak, mb, reported, done.stderr.decode()[-300:] if done.returncode else ""
    )


def scan_gitleaks(repo: Path, mb: float, work: Path) -> Result:
    report = work / "gitleaks.json"
    cmd = [
        str(BIN / "gitleaks"),
        "git",
        str(repo),
        "--no-banner",
        "--log-level",
        "error",
        "--report-format",
        "json",
        "--report-path",
        str(report),
        "--exit-code",
        "0",
        "--log-opts",
        "--all --reflog",
    ]
    wall, peak, done = run_measured(cmd)
    found = json.loads(report.read_text()) if report.exists() else []
    return Result("gitleaks", wall, peak, mb, {f["Secret"] for f in found}, done.stderr.decode()[-300:])


def scan_kingfisher(repo: Path, mb: float, work: Path, jobs: int) -> Result:
    report = work / "kingfisher.jsonl"
    cmd = [
        str(BIN / "kingfisher"),
        "scan",
        str(repo),
        "--git-history",
        "full",
        "--no-validate",
        "--no-update-check",
        "--format",
        "jsonl",
        "--output",
        str(report),
        "--jobs",
        str(jobs),
    ]
    wall, peak, done = run_measured(cmd)
    reported: set[str] = set()
    if report.exists():
        for line in report.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            reported |= set(_strings_named(record, ("snippet", "secret", "value")))
    return Result(
        "kingfisher",
        wall,
        peak,
        mb,
        reported,
        "" if done.returncode in (0, 200, 205) else done.stderr.decode()[-300:],
    )


def _strings_named(obj: object, names: tuple[str, ...]) -> list[str]:
    if isinstance(obj, dict):
        found = [v for k, v in obj.items() if k in names and isinstance(v, str)]
        for v in obj.values():
            found += _strings_named(v, names)
        return found
    if isinstance(obj, list):
        return [s for item in obj for s in _strings_named(item, names)]
    return []


def dump_sample(repo: Path, corpus: Corpus, target_mb: float, dest: Path, max_kb: float) -> float:
    """Every blob holding a planted value, plus filler blobs, written to ``dest``; returns MB written."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--objects", "--all", "--reflog", "--filter=object:type=blob"],
        capture_output=True,
        check=True,
    ).stdout
    shas = [line.split()[0].decode() for line in listing.splitlines() if b" " in line]
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="\n".join(shas).encode() + b"\n",
        capture_output=True,
        check=True,
    ).stdout
    values = [p.value.encode() for p in corpus.planted]
    written = 0
    pos = 0
    count = 0
    while pos < len(batch):
        end = batch.index(b"\n", pos)
        size = int(batch[pos:end].split()[2])
        data = batch[end + 1 : end + 1 + size]
        pos = end + 2 + size
        has_secret = any(v in data for v in values)
        if has_secret or (written < target_mb * 1e6 and size <= max_kb * 1024):
            count += 1
            (dest / f"blob_{count}.txt").write_bytes(data)
            written += size
    return written / 1e6


DS_TIMEOUT_S = 600.0


def scan_detect_secrets(sample: Path, mb: float) -> Result:
    # detect-secrets lists files with git when run inside a work tree: run it from the sample folder
    wall, peak, done = run_measured(
        [str(BIN / "detect-secrets"), "scan", "--all-files", "."], cwd=sample, timeout_s=DS_TIMEOUT_S
    )
    if done.returncode != 0 and wall >= DS_TIMEOUT_S:
        return Result(
            "detect-secrets", wall, peak, mb, set(), f"killed after {DS_TIMEOUT_S:.0f}s, unfinished"
        )
    try:
        results = json.loads(done.stdout)["results"]
    except (ValueError, KeyError):
        return Result("detect-secrets", wall, peak, mb, set(), done.stderr.decode()[-300:])
    hashes = {item["hashed_secret"] for items in results.values() for item in items}
    return Result("detect-secrets", wall, peak, mb, hashes)


# --------------------------------------------------------------------------------------------- scoring


def score(result: Result, planted: list[Planted]) -> tuple[float, float, int]:
    """Recall and precision on the planted set, over unique reported secrets."""
    if result.tool == "launchready":
        truth = {fingerprint(p.value) for p in planted}
        hits = result.reported & truth
        recall_hits = len({fingerprint(p.value) for p in planted} & result.reported)
        fp = len(result.reported - truth)
        tp = len(hits)
    elif result.tool == "detect-secrets":
        truth = {hashlib.sha1(p.value.encode()).hexdigest() for p in planted}
        tp = len(result.reported & truth)
        fp = len(result.reported - truth)
        recall_hits = tp
    else:
        values = [p.value for p in planted]

        def is_planted(reported: str) -> bool:
            return len(reported) >= 8 and any(reported in v or v in reported for v in values)

        tp = sum(1 for r in result.reported if is_planted(r))
        fp = len(result.reported) - tp
        recall_hits = sum(
            1 for v in values if any(len(r) >= 8 and (r in v or v in r) for r in result.reported)
        )
    recall = recall_hits / len(planted) if planted else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    return recall, precision, fp


# --------------------------------------------------------------------------------------------- engine choice


def _strip_lookarounds(regex: str) -> str:
    """RE2 has no lookarounds; as a prefilter, dropping them only widens the match."""
    import re

    return re.sub(r"\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)", "", regex)


def compare_engines(repo: Path, sample_mb: float) -> None:
    """Time the candidate step of the matcher: Hyperscan prefilter database vs an RE2 Set, same blobs."""
    import re2

    from launchready.secrets.matcher import Matcher, prefilter_pattern

    listing = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--objects", "--all", "--reflog", "--filter=object:type=blob"],
        capture_output=True,
        check=True,
    ).stdout
    shas = [line.split()[0].decode() for line in listing.splitlines() if b" " in line]
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="\n".join(shas).encode() + b"\n",
        capture_output=True,
        check=True,
    ).stdout
    blobs: list[bytes] = []
    pos = total = 0
    while pos < len(batch) and total < sample_mb * 1e6:
        end = batch.index(b"\n", pos)
        size = int(batch[pos:end].split()[2])
        blobs.append(batch[end + 1 : end + 1 + size])
        total += size
        pos = end + 2 + size
    matcher = Matcher()
    t0 = time.perf_counter()
    hs_hits = sum(len(set(matcher.candidates(b))) for b in blobs)
    hs_s = time.perf_counter() - t0
    options = re2.Options()
    options.max_mem = 512 << 20
    rset = re2.Set.SearchSet(options)
    for rule in matcher.rules:
        rset.Add(prefilter_pattern(_strip_lookarounds(rule.regex)))
    rset.Compile()
    t0 = time.perf_counter()
    re2_hits = sum(len(rset.Match(b) or ()) for b in blobs)
    re2_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for b in blobs:
        matcher.scan(b)
    full_s = time.perf_counter() - t0
    mb = total / 1e6
    print(f"engine comparison on {mb:.1f} MB ({len(blobs)} blobs), one core:")
    print(f"  hyperscan prefilter  {hs_s:6.2f}s  {mb / hs_s:8.1f} MB/s  candidate rules {hs_hits}")
    print(f"  re2 Set              {re2_s:6.2f}s  {mb / re2_s:8.1f} MB/s  candidate rules {re2_hits}")
    print(f"  full matcher (hyperscan + confirm + filters) {full_s:6.2f}s  {mb / full_s:8.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 3000 commits and ~200 MB of blobs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ds-mb", type=float, default=2.0, help="detect-secrets sample size in MB")
    parser.add_argument(
        "--ds-max-kb",
        type=float,
        default=64.0,
        help="leave blobs over this size out of the detect-secrets sample (it is very slow on long lines)",
    )
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus here instead of a temp dir")
    parser.add_argument("--tools", default="launchready,kingfisher,gitleaks,detect-secrets")
    parser.add_argument(
        "--engine", action="store_true", help="compare Hyperscan and RE2 on the corpus, then stop"
    )
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-secrets-"))
    repo = work / "repo"
    planted_file = work / "planted.json"
    if repo.exists() and planted_file.exists():
        planted = [Planted(**p) for p in json.loads(planted_file.read_text())]
        corpus = Corpus(repo, planted, int(json.loads((work / "meta.json").read_text())["commits"]))
        corpus.blob_bytes = int(json.loads((work / "meta.json").read_text())["bytes"])
    else:
        shutil.rmtree(repo, ignore_errors=True)
        t0 = time.perf_counter()
        corpus = build_corpus(repo, args.scale)
        planted_file.write_text(json.dumps([p.__dict__ for p in corpus.planted]))
        (work / "meta.json").write_text(json.dumps({"commits": corpus.commits, "bytes": corpus.blob_bytes}))
        print(f"built corpus in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    listing = (
        subprocess.run(
            ["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch-check"],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .splitlines()
    )
    unique_mb = sum(int(line.split()[2]) for line in listing if line.split()[1] == "blob") / 1e6
    commits = len(
        subprocess.run(
            ["git", "-C", str(repo), "rev-list", "--all", "--reflog"], capture_output=True, check=True
        ).stdout.splitlines()
    )
    print(
        f"corpus: {commits} commits, {unique_mb:.1f} MB of unique blobs, "
        f"{len(corpus.planted)} planted secrets "
        f"({len({p.rule_id for p in corpus.planted})} formats), jobs={args.jobs}"
    )

    if args.engine:
        compare_engines(repo, 60.0)
        return
    tools = args.tools.split(",")
    print(f"\n{'tool':<15}{'wall s':>9}{'MB/s':>9}{'peak MB':>10}{'recall':>9}{'precision':>11}{'FP':>6}")
    if "launchready" in tools:
        report(scan_launchready(repo, unique_mb, args.jobs), corpus.planted)
    if "kingfisher" in tools:
        report(scan_kingfisher(repo, unique_mb, work, args.jobs), corpus.planted)
    if "gitleaks" in tools:
        report(scan_gitleaks(repo, unique_mb, work), corpus.planted)
    if "detect-secrets" in tools:
        sample = work / "ds-sample"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir()
        sample_mb = dump_sample(repo, corpus, args.ds_mb, sample, args.ds_max_kb)
        blobs = [f.read_bytes() for f in sample.iterdir()]
        in_sample = [p for p in corpus.planted if any(p.value.encode() in blob for blob in blobs)]
        report(scan_detect_secrets(sample, sample_mb), in_sample, note=f"on a {sample_mb:.1f} MB blob sample")
        wall, peak, _ = run_measured([sys.executable, "-c", _TREE_SCAN.format(path=str(sample))])
        report(Result("launchready", wall, peak, sample_mb, set()), [], note="same sample, tree mode, 1 core")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


_TREE_SCAN = (
    "from pathlib import Path;from launchready.secrets.tree import scan_tree;"
    "from launchready.secrets.matcher import Matcher;scan_tree(Path({path!r}), Matcher())"
)


def report(result: Result, planted: list[Planted], note: str = "") -> None:
    recall, precision, fp = score(result, planted)
    speed = result.scanned_mb / result.wall_s
    row = f"{result.tool:<15}{result.wall_s:>9.2f}{speed:>9.2f}{result.peak_rss_mb:>10.0f}"
    quality = f"{recall:>9.1%}{precision:>11.1%}{fp:>6}" if planted else f"{'':>26}"
    print(row + quality + (f"  ({note})" if note else ""), flush=True)
    if result.error:
        print(f"  ({result.tool} stderr: {result.error.strip()[:200]})")


if __name__ == "__main__":
    main()
