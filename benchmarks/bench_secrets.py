"""Benchmark: full-history secret scanning — launchready vs Kingfisher, gitleaks and detect-secrets.

Not a test (speed never goes in the test suite). Every tool is judged on the SAME truth, which none of them
wrote for this benchmark (``secrets_corpus.py`` says where each labelled case comes from: providers' published
key formats written by hand, and gitleaks' own rule-test literals). Each case is one file planted in a large
reproducible git history (still in the tree, deleted later, only in a merge, only in a stash-like WIP ref,
only behind a tag), among filler full of false-positive noise. Every tool, launchready included, runs as its
real command line in a child process (``launchready secrets --history --format json``); wall time and peak
RSS are of that whole process tree.

detect-secrets has no history mode: it scans a dump of a sample of the unique blobs (every blob holding a
planted case plus filler blobs of at most ``--ds-max-kb`` up to ``--ds-mb``; it is very slow on long lines),
and launchready's CLI scans the same dump in tree mode for the comparison on that sample.

    .venv/bin/pip install -e '.[bench]'
    git clone https://github.com/gitleaks/gitleaks /tmp/gitleaks   # the public corpus (MIT); optional
    git -C /tmp/gitleaks checkout b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b
    .venv/bin/python benchmarks/bench_secrets.py --gitleaks-src /tmp/gitleaks --scale 0.5
    .venv/bin/python benchmarks/bench_secrets.py --engine       # Hyperscan vs RE2 matcher, same corpus

No network: every peer runs with validation and update checks off.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from secrets_corpus import (
    PLACES,
    Case,
    Corpus,
    Planted,
    build_corpus,
    distinct_values,
    fresh,
    gitleaks_cases,
    load,
    provider_cases,
    save,
)

BIN = Path(sys.executable).parent
CASE_NUMBER = re.compile(r"cfg_(\d{4})\b")
LEGEND = """\
What each number measures (per tool, over unique planted cases; a case is one file, so a tool that reports
the same file in several commits or through several rules counts once):
  recall      planted files labelled `secret` that the tool reported / all such files. By source:
              `provider` = formats from the providers' docs, written by hand (benchmarks/data);
              `gitleaks` = gitleaks' own rule-test literals (written to test gitleaks' rules, so it favours
              gitleaks and Kingfisher, which ships ports of them as its `betterleaks.*` rules).
  bait FP     planted files labelled `bait` (documented sample keys, placeholders, env lookups, public keys,
              hashes, gitleaks' own false-positive cases) that the tool reported.
  noise FP    distinct values the tool reported in the filler (code, lock files, images, minified JS),
              none of which holds a secret.
  precision   true files / (true files + bait FP + noise FP).
  wall s      wall time of the whole command, start-up included; MB/s = unique blob MB / wall s.
  peak MB     peak RSS of the tool's whole process tree, sampled every 20 ms.
A finding counts as reported when the tool flags it: any gitleaks/Kingfisher/detect-secrets finding, and a
launchready finding with a secret fingerprint and status fail or warn (public-by-design keys are `pass`)."""


# --------------------------------------------------------------------------------------------- running


@dataclass
class Result:
    tool: str
    wall_s: float
    peak_rss_mb: float
    scanned_mb: float
    hits: set[tuple[str, str]] = field(default_factory=set)
    """(path the tool named, the tool's identity of the value: the secret, its hash or fingerprint)."""
    error: str = ""
    soft: set[str] = field(default_factory=set)
    """Paths launchready flagged only as ``warn`` (e.g. classed as a documented example, low severity)."""


def run_measured(
    cmd: list[str], timeout_s: float = 3600, cwd: Path | None = None
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Wall time and peak RSS of the whole process tree (sampled every 20 ms)."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []

    def drain(stream: Any, into: list[bytes]) -> None:
        into.append(stream.read())

    readers = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for reader in readers:
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
    for reader in readers:
        reader.join()
    wall = time.perf_counter() - start
    done = subprocess.CompletedProcess(cmd, proc.returncode, b"".join(out_chunks), b"".join(err_chunks))
    return wall, peak / 1e6, done


def _tail(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode(errors="replace").strip()[-300:]


def scan_launchready(target: Path, mb: float, work: Path, jobs: int, history: bool = True) -> Result:
    """The real CLI, as a user runs it in CI; findings are read from its JSON report."""
    report = work / "launchready.json"
    report.unlink(missing_ok=True)
    cmd = [str(BIN / "launchready"), "secrets", str(target), "--format", "json", "--output", str(report)]
    cmd += ["--fail-on", "never", "--jobs", str(jobs)] + (["--history"] if history else [])
    wall, peak, done = run_measured(cmd)
    name = "launchready" if history else "launchready (tree mode)"
    if not report.exists():
        return Result(name, wall, peak, mb, error=f"exit {done.returncode}, no report: {_tail(done)}")
    hits: set[tuple[str, str]] = set()
    hard: set[str] = set()
    for finding in json.loads(report.read_text()).get("findings", []):
        details = finding.get("details") or {}
        if finding.get("status") not in ("fail", "warn") or not isinstance(details, dict):
            continue
        identity = str(details.get("fingerprint") or "")
        if not identity:
            continue
        paths = {f"cfg_{n}" for n in CASE_NUMBER.findall(json.dumps(finding))} or {str(finding["target"])}
        hits |= {(path, identity) for path in paths}
        if finding["status"] == "fail":
            hard |= paths
    soft = {path for path, _ in hits} - hard
    return Result(name, wall, peak, mb, hits, "" if done.returncode in (0, 1) else _tail(done), soft)


def scan_gitleaks(repo: Path, mb: float, work: Path) -> Result:
    report = work / "gitleaks.json"
    report.unlink(missing_ok=True)
    cmd = [str(BIN / "gitleaks"), "git", str(repo), "--no-banner", "--log-level", "error"]
    cmd += ["--report-format", "json", "--report-path", str(report), "--exit-code", "0"]
    cmd += ["--log-opts", "--all --reflog"]
    wall, peak, done = run_measured(cmd)
    found = json.loads(report.read_text()) if report.exists() else []
    hits = {(str(f["File"]), str(f["Secret"])) for f in found}
    return Result("gitleaks", wall, peak, mb, hits, "" if report.exists() else _tail(done))


def scan_kingfisher(repo: Path, mb: float, work: Path, jobs: int) -> Result:
    report = work / "kingfisher.jsonl"
    report.unlink(missing_ok=True)
    cmd = [str(BIN / "kingfisher"), "scan", str(repo), "--git-history", "full", "--no-validate"]
    cmd += ["--no-update-check", "--format", "jsonl", "--output", str(report), "--jobs", str(jobs)]
    wall, peak, done = run_measured(cmd)
    hits: set[tuple[str, str]] = set()
    for line in report.read_text().splitlines() if report.exists() else []:
        try:
            finding = json.loads(line).get("finding")
        except ValueError:
            continue
        if isinstance(finding, dict):
            hits.add((str(finding.get("path", "")), str(finding.get("snippet", ""))))
    ok = done.returncode in (0, 200, 205)
    return Result("kingfisher", wall, peak, mb, hits, "" if ok else _tail(done))


DS_TIMEOUT_S = 600.0


def scan_detect_secrets(sample: Path, mb: float) -> Result:
    # detect-secrets lists files with git when run inside a work tree: run it from the sample folder
    wall, peak, done = run_measured(
        [str(BIN / "detect-secrets"), "scan", "--all-files", "."], cwd=sample, timeout_s=DS_TIMEOUT_S
    )
    if done.returncode != 0 and wall >= DS_TIMEOUT_S:
        return Result("detect-secrets", wall, peak, mb, error=f"killed after {DS_TIMEOUT_S:.0f}s, unfinished")
    try:
        results = json.loads(done.stdout)["results"]
    except (ValueError, KeyError):
        return Result("detect-secrets", wall, peak, mb, error=_tail(done))
    hits = {(name, item["hashed_secret"]) for name, items in results.items() for item in items}
    return Result("detect-secrets", wall, peak, mb, hits)


def dump_sample(repo: Path, corpus: Corpus, target_mb: float, dest: Path, max_kb: float) -> float:
    """Every planted file (named ``cfg_NNNN.<ext>``) plus filler blobs up to ``target_mb``; returns MB."""
    written = 0
    for path, text in corpus.texts.items():
        data = text.encode()
        (dest / Path(path).name).write_bytes(data)
        written += len(data)
    listing = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--objects", "--all", "--reflog", "--filter=object:type=blob"],
        capture_output=True,
        check=True,
    ).stdout
    paths = dict(line.decode().split(" ", 1) for line in listing.splitlines() if b" " in line)
    shas = [sha for sha, path in paths.items() if not path.startswith("src/settings/")]
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="\n".join(shas).encode() + b"\n",
        capture_output=True,
        check=True,
    ).stdout
    pos = count = 0
    while pos < len(batch) and written < target_mb * 1e6:
        end = batch.index(b"\n", pos)
        size = int(batch[pos:end].split()[2])
        if size <= max_kb * 1024:
            count += 1
            (dest / f"blob_{count}.txt").write_bytes(batch[end + 1 : end + 1 + size])
            written += size
        pos = end + 2 + size
    return written / 1e6


# --------------------------------------------------------------------------------------------- scoring


@dataclass
class Score:
    found: dict[str, set[str]]  # label -> planted case paths the tool reported
    noise: int
    recall_by: dict[str, tuple[int, int]]  # "source:x" / "where:x" -> (found, planted)

    @property
    def tp(self) -> int:
        return len(self.found["secret"])

    @property
    def precision(self) -> float:
        flagged = self.tp + len(self.found["bait"]) + self.noise
        return self.tp / flagged if flagged else 0.0


def score(result: Result, planted: list[Planted]) -> Score:
    by_key = {_key(p.path): p for p in planted}
    found: dict[str, set[str]] = {"secret": set(), "bait": set()}
    noise: set[tuple[str, str]] = set()
    for path, identity in result.hits:
        case = by_key.get(_key(path))
        if case is None:
            noise.add(("", identity))  # the same noise value in 40 commits is one false positive
        else:
            found[case.label].add(case.path)
    recall_by: dict[str, tuple[int, int]] = {}
    for p in planted:
        if p.label != "secret":
            continue
        for group in (f"source:{p.source}", f"where:{p.where}"):
            hit, total = recall_by.get(group, (0, 0))
            recall_by[group] = (hit + (p.path in found["secret"]), total + 1)
    return Score(found, len(noise), recall_by)


def _key(path: str) -> str:
    """Planted files are recognised by their number wherever a tool names them (path, sample dump name)."""
    match = CASE_NUMBER.search(path)
    return f"cfg_{match.group(1)}" if match else path


def _pct(hit: int, total: int) -> str:
    return f"{hit / total:.1%}" if total else "-"


HEADER = (
    f"{'tool':<24}{'wall s':>8}{'MB/s':>8}{'peak MB':>8}{'recall':>8}{'provider':>9}{'gitleaks':>9}"
    f"{'bait FP':>9}{'noise FP':>9}{'precision':>10}"
)


def report_row(result: Result, planted: list[Planted], note: str = "") -> Score:
    s = score(result, planted)
    secrets = sum(p.label == "secret" for p in planted)
    baits = sum(p.label == "bait" for p in planted)
    speed = result.scanned_mb / result.wall_s if result.wall_s else 0.0
    provider = s.recall_by.get("source:provider", (0, 0))
    corpus = s.recall_by.get("source:gitleaks", (0, 0))
    print(
        f"{result.tool:<24}{result.wall_s:>8.1f}{speed:>8.2f}{result.peak_rss_mb:>8.0f}"
        f"{_pct(s.tp, secrets):>8}{_pct(*provider):>9}{_pct(*corpus):>9}"
        f"{len(s.found['bait']):>5}/{baits:<3}{s.noise:>9}{s.precision:>10.1%}"
        + (f"  ({note})" if note else ""),
        flush=True,
    )
    if result.error:
        print(f"  ({result.tool} failed: {result.error[:300]})")
    soft = {p.path: p.label for p in planted if _key(p.path) in {_key(x) for x in result.soft}}
    if soft:
        bait = sum(label == "bait" for label in soft.values())
        print(
            f"  ({len(soft)} of these files were flagged only as `warn` — {bait} bait, {len(soft) - bait} secrets;"
            " e.g. a documented example at low severity, which does not fail CI)"
        )
    return s


def report_places(scores: dict[str, Score]) -> None:
    print("\nrecall by where the secret lives (found/planted):")
    print(f"{'tool':<24}" + "".join(f"{w:>10}" for w in PLACES))
    for tool, s in scores.items():
        cells = [s.recall_by.get(f"where:{w}", (0, 0)) for w in PLACES]
        print(f"{tool:<24}" + "".join(f"{f'{h}/{t}':>10}" for h, t in cells))


def report_ratios(results: dict[str, Result], scores: dict[str, Score]) -> None:
    ours = results.get("launchready")
    if ours is None or ours.error:
        return
    print("\nratios, launchready vs each peer on the full history (wall time and memory: lower is better):")
    for tool, result in results.items():
        if tool == "launchready" or result.error or tool not in scores:
            continue
        recall_gap = scores["launchready"].tp - scores[tool].tp
        print(
            f"  vs {tool:<14} wall {ours.wall_s / result.wall_s:5.2f}x  peak RSS "
            f"{ours.peak_rss_mb / max(result.peak_rss_mb, 1):5.2f}x  true files found {recall_gap:+d}"
        )


def report_misses(scores: dict[str, Score], planted: list[Planted]) -> None:
    print(
        "\nprovider-format secrets each tool missed (case ids from benchmarks/data/provider_examples.toml):"
    )
    for tool, s in scores.items():
        missed = sorted(
            p.case_id
            for p in planted
            if p.source == "provider" and p.label == "secret" and p.path not in s.found["secret"]
        )
        reported_bait = sorted(
            p.case_id for p in planted if p.source == "provider" and p.path in s.found["bait"]
        )
        print(f"  {tool}: missed {len(missed)}: {', '.join(missed) or '-'}")
        if reported_bait:
            print(f"  {'':{len(tool)}}  reported bait: {', '.join(reported_bait)}")


# --------------------------------------------------------------------------------------------- engine choice


def _strip_lookarounds(regex: str) -> str:
    """RE2 has no lookarounds; as a prefilter, dropping them only widens the match."""
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


# --------------------------------------------------------------------------------------------- main


def truth(args: argparse.Namespace) -> list[Case]:
    cases = provider_cases()
    corpus = gitleaks_cases(args.gitleaks_src)
    if not corpus:
        print(
            "note: no gitleaks corpus (pass --gitleaks-src PATH to a gitleaks clone once; it is cached in "
            "benchmarks/data/gitleaks/): the truth is the provider examples only",
            file=sys.stderr,
        )
    return distinct_values(cases + corpus)


def corpus_for(args: argparse.Namespace, work: Path) -> Corpus:
    cases = truth(args)
    existing = load(work)
    wanted = sorted(c.case_id for c in cases)
    if existing is not None and sorted(p.case_id for p in existing.planted) == wanted:
        return existing
    fresh(work)
    t0 = time.perf_counter()
    corpus = build_corpus(work / "repo", args.scale, cases)
    save(corpus, work)
    print(f"built corpus in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 3000 commits and ~230 MB of blobs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--gitleaks-src", type=Path, help="a gitleaks clone (work tree or git dir) to read once"
    )
    parser.add_argument("--ds-mb", type=float, default=2.0, help="detect-secrets sample size in MB")
    parser.add_argument(
        "--ds-max-kb",
        type=float,
        default=64.0,
        help="leave blobs over this size out of the detect-secrets sample (it is very slow on long lines)",
    )
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus here instead of a temp dir")
    parser.add_argument("--tools", default="launchready,kingfisher,gitleaks,detect-secrets")
    parser.add_argument("--json", type=Path, help="also write every figure and miss here")
    parser.add_argument(
        "--engine", action="store_true", help="compare Hyperscan and RE2 on the corpus, then stop"
    )
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-secrets-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = corpus_for(args, work)
    repo = corpus.repo
    listing = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch-check"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    unique_mb = sum(int(line.split()[2]) for line in listing if line.split()[1] == "blob") / 1e6
    commits = len(
        subprocess.run(
            ["git", "-C", str(repo), "rev-list", "--all", "--reflog"], capture_output=True, check=True
        ).stdout.splitlines()
    )
    planted = corpus.planted
    count = {
        (source, label): sum(p.source == source and p.label == label for p in planted)
        for source in ("provider", "gitleaks")
        for label in ("secret", "bait")
    }
    print(
        f"corpus: {commits} commits, {unique_mb:.1f} MB of unique blobs, scale {args.scale:g}, jobs={args.jobs}, "
        f"load average {os.getloadavg()[0]:.1f}\n"
        f"truth: {count['provider', 'secret']} secrets + {count['provider', 'bait']} bait from providers' "
        f"published formats, {count['gitleaks', 'secret']} secrets + {count['gitleaks', 'bait']} bait from "
        f"gitleaks' rule tests; each planted once, rotating over {', '.join(PLACES)}\n"
    )
    print(LEGEND)

    if args.engine:
        compare_engines(repo, 60.0)
        return
    tools = args.tools.split(",")
    results: dict[str, Result] = {}
    scores: dict[str, Score] = {}
    print(f"\n== full git history ==\n{HEADER}")
    runners: dict[str, Callable[[], Result]] = {
        "launchready": lambda: scan_launchready(repo, unique_mb, work, args.jobs),
        "kingfisher": lambda: scan_kingfisher(repo, unique_mb, work, args.jobs),
        "gitleaks": lambda: scan_gitleaks(repo, unique_mb, work),
    }
    for tool, run in runners.items():
        if tool in tools:
            results[tool] = run()
            scores[tool] = report_row(results[tool], planted)
    if "detect-secrets" in tools:
        sample = work / "ds-sample"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir()
        sample_mb = dump_sample(repo, corpus, args.ds_mb, sample, args.ds_max_kb)
        in_sample = [Planted(p.case_id, p.source, p.label, "tree", p.path) for p in planted]
        print(
            f"\n== a {sample_mb:.1f} MB sample of the blobs, as plain files (detect-secrets has no history mode) =="
        )
        print(HEADER)
        ds = scan_detect_secrets(sample, sample_mb)
        scores["detect-secrets (sample)"] = report_row(ds, in_sample)
        ours = scan_launchready(sample, sample_mb, work, 1, history=False)
        scores["launchready (sample)"] = report_row(ours, in_sample, note="same sample, 1 job")
        if not (ds.error or ours.error):
            print(
                f"  ratio on the sample: launchready is {ds.wall_s / ours.wall_s:.1f}x faster than detect-secrets"
            )
    history_scores = {t: s for t, s in scores.items() if "(sample)" not in t}
    report_places(history_scores)
    report_ratios(results, scores)
    report_misses(scores, planted)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        figures = {
            tool: {
                "recall_by": s.recall_by,
                "found": {k: sorted(v) for k, v in s.found.items()},
                "noise": s.noise,
                "precision": s.precision,
            }
            for tool, s in scores.items()
        }
        args.json.write_text(
            json.dumps({"planted": [p.__dict__ for p in planted], "scores": figures}, indent=1)
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
