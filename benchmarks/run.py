"""gxgk's benchmarks: speed and memory against the floor, in one run, on the same texts.

    python benchmarks/run.py            # the full run (seeds, 10,000-report corpus, start-up, memory, readers)
    python benchmarks/run.py --quick    # a smaller corpus (1,000 reports) and fewer repeats, for development

What it measures (see docs/performance.md for the targets and the results):

- **floor**: one pass of one compiled regular expression that splits a text into numbers and words, the
  least any reader of the text must do;
- ``gxgk.parse``, ``gxgk.check`` and both together per report — median, p10 and p90 — on the seeds
  (every seed repeated) and on the synthetic corpus (each report read in one round: parse, check, then
  parse + check again), and the ratio of parse + check to the floor on the same texts; the "first
  read" column is the round's first parse plus its check, a report whose lines the caches have not
  seen;
- start-up: ``python -c pass``, ``import gxgk``, ``gxgk --version`` and ``gxgk check SEED`` (subprocesses,
  bytecode caching on, after one warm-up run; ``gxgk check`` also without the Lark grammar cache);
- the peak RSS of ``gxgk check DIR`` streaming the corpus (and a tenth of it, to show that memory is
  flat in the number of reports), and throughput with ``--jobs 1`` and ``--jobs 2``;
- reading HTML, .docx and PDF (per document and per PDF page) on tests/fixtures and ../shared/real.

The results also go to ``benchmarks/results/latest.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - the benchmarks' own module, beside this file

SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
FIXTURE_DIRS = (ROOT / "tests" / "fixtures", SHARED / "real")

#: The floor: numbers (with a decimal part) and runs of word characters, in one pass.
FLOOR = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")

TARGETS = {
    "parse + check per report (median, one core)": "≤ 2 ms",
    "ratio to the floor": "≤ 10×",
    "HTML per page": "≤ 10 ms",
    "DOCX per document": "≤ 20 ms",
    "PDF per page": "≤ 30 ms",
    "gxgk check FILE": "≤ 0.3 s",
    "peak RSS, corpus stream": "≤ 100 MB",
}


#: The clock of the in-process timings: CPU time of this process (one core's work, steady when other
#: processes share the machine); ``--clock wall`` uses time.perf_counter.
CLOCK = time.process_time


def floor(text: str) -> int:
    return len(FLOOR.findall(text))


# -- statistics -------------------------------------------------------------------------------------


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, p10 and p90 of ``values`` (seconds) in milliseconds."""
    return {
        "median_ms": statistics.median(values) * 1000,
        "p10_ms": quantile(values, 0.1) * 1000,
        "p90_ms": quantile(values, 0.9) * 1000,
        "n": len(values),
    }


def fmt(s: dict[str, float]) -> str:
    return f"{s['median_ms']:8.3f} ({s['p10_ms']:.3f}–{s['p90_ms']:.3f})"


# -- parse and check in process ---------------------------------------------------------------------


def load_input(path: pathlib.Path) -> tuple[str, str | bytes]:
    """``(text for the floor, what gxgk.parse is given)``: HTML goes through gxgk's HTML reader."""
    text = path.read_text(encoding="utf-8")
    return text, (text.encode("utf-8") if path.suffix == ".html" else text)


#: What time_one measures: the floor, a first parse, its check, parse + check again, first parse + check.
_SAMPLES = ("floor", "parse", "check", "both", "first")


def no_samples() -> dict[str, list[float]]:
    """An empty list of samples for each operation time_one measures."""
    return {k: [] for k in _SAMPLES}


def time_one(inputs: tuple[str, str | bytes], samples: dict[str, list[float]]) -> None:
    """One sample of each operation on one input."""
    import gxgk

    text, source = inputs
    clock = CLOCK
    t0 = clock()
    floor(text)
    t1 = clock()
    report = gxgk.parse(source)
    t2 = clock()
    gxgk.check(report)
    t3 = clock()
    report = gxgk.parse(source)
    gxgk.check(report)
    t4 = clock()
    samples["floor"].append(t1 - t0)
    samples["parse"].append(t2 - t1)
    samples["check"].append(t3 - t2)
    samples["both"].append(t4 - t3)
    samples["first"].append(t3 - t1)  # the first parse (cold) and the check


def measure(inputs: Iterable[tuple[str, str | bytes]], repeats: int) -> dict[str, list[float]]:
    samples = no_samples()
    items = list(inputs)
    gc.collect()
    for _ in range(repeats):
        for item in items:
            time_one(item, samples)
    return samples


def table_rows(samples: dict[str, list[float]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: summary(v) for k, v in samples.items()}
    out["ratio"] = out["both"]["median_ms"] / out["floor"]["median_ms"]
    out["reports_per_s"] = len(samples["both"]) / sum(samples["both"])
    return out


def bench_seeds(repeats: int) -> dict[str, Any]:
    """Every seed read in each of ``repeats`` rounds; each seed's row from its samples in those rounds
    (a slow spell of the machine falls on a few rounds of every seed, not on all the samples of one)."""
    inputs = [load_input(p) for p in SEEDS]
    measure(inputs, 2)  # warm-up: parsers built, caches filled
    samples = measure(inputs, repeats)  # round by round: the k-th sample of a round is the k-th seed's
    results = {"all seeds": table_rows(samples)}
    for k, path in enumerate(SEEDS):
        results[path.name[:3]] = table_rows({op: times[k :: len(inputs)] for op, times in samples.items()})
    return results


def bench_corpus(paths: Sequence[pathlib.Path]) -> dict[str, Any]:
    import gxgk

    by_layout: dict[str, dict[str, list[float]]] = {}
    everything = no_samples()
    failures = 0
    for path in paths[:20]:  # warm-up
        time_one(load_input(path), no_samples())
    gc.collect()
    for path in paths:
        layout = path.stem.split("-")[-1]
        samples = by_layout.setdefault(layout, no_samples())
        one = no_samples()
        try:
            time_one(load_input(path), one)
        except gxgk.GxgkError:
            failures += 1
            continue
        for k, v in one.items():
            samples[k].extend(v)
            everything[k].extend(v)
    results = {"all layouts": table_rows(everything)}
    for layout in sorted(by_layout):
        results[layout] = table_rows(by_layout[layout])
    results["failures"] = failures
    return results


# -- subprocesses: start-up, memory, throughput --------------------------------------------------------

_RUSAGE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "w = time.perf_counter() - t\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, w, r.returncode)\n"
)


def run_measured(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, float, int]:
    """``(peak RSS in MB of the command's processes, wall seconds, exit status)``, measured by a
    wrapper process so that no other child of this process counts."""
    out = subprocess.run(
        [sys.executable, "-c", _RUSAGE, *cmd], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]) / 1024, float(out[1]), int(out[2])


def gxgk_command() -> list[str]:
    """The ``gxgk`` script of the environment running the benchmark (a venv's own, not one on PATH)."""
    beside = pathlib.Path(sys.executable).with_name("gxgk")
    exe = str(beside) if beside.is_file() else shutil.which("gxgk")
    return [exe] if exe else [sys.executable, "-m", "gxgk"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment with bytecode caching on (as for an installed package) and ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GXGK_NO_CACHE")}
    env.update(extra)
    return env


def bench_startup(runs: int) -> dict[str, Any]:
    """Wall time of each command, in ``runs`` rounds that run every command once (after one warm-up
    round): a slow spell of the machine falls on a few runs of every command."""
    env = clean_env()
    seed = str(SEEDS[0])
    gx = gxgk_command()
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "import gxgk": ([sys.executable, "-c", "import gxgk"], env),
        "gxgk --version": ([*gx, "--version"], env),
        "gxgk check SEED": ([*gx, "check", seed], env),
        "gxgk check SEED, no grammar cache": ([*gx, "check", seed], clean_env(GXGK_NO_CACHE="1")),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for warm_up in (True, *([False] * runs)):
        for name, (cmd, cmd_env) in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, env=cmd_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not warm_up:
                times[name].append(time.perf_counter() - t)
    results: dict[str, Any] = {name: summary(samples) for name, samples in times.items()}
    probe = "import sys, gxgk; print(sorted(m for m in ('lark', 'cattrs', 'gxgk.parser') if m in sys.modules))"
    results["heavy modules after import gxgk"] = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    return results


def bench_memory(directory: pathlib.Path, paths: Sequence[pathlib.Path]) -> dict[str, Any]:
    env = clean_env()
    gx = gxgk_command()
    args = ["check", "--format", "jsonl", "--no-progress", "--quiet"]
    tenth = [str(p) for p in paths[: max(1, len(paths) // 10)]]
    results: dict[str, Any] = {}
    rss, seconds, _ = run_measured([*gx, *args, *tenth], env)
    results[f"stream {len(tenth):,} reports, --jobs 1"] = {
        "peak_rss_mb": rss,
        "seconds": seconds,
        "reports_per_s": len(tenth) / seconds,
    }
    rss, seconds, _ = run_measured([*gx, *args, str(directory)], env)
    results[f"stream {len(paths):,} reports, --jobs 1"] = {
        "peak_rss_mb": rss,
        "seconds": seconds,
        "reports_per_s": len(paths) / seconds,
    }
    rss, seconds, _ = run_measured([*gx, *args, "--jobs", "2", str(directory)], env)
    results[f"stream {len(paths):,} reports, --jobs 2"] = {
        "peak_rss_mb": rss,
        "seconds": seconds,
        "reports_per_s": len(paths) / seconds,
    }
    return results


# -- readers ----------------------------------------------------------------------------------------------


def bench_readers(repeats: int) -> dict[str, Any]:
    """Each fixture read ``repeats`` times, in rounds that read every file once: a slow spell of the
    machine then falls on a few samples of every file rather than on all the samples of one."""
    from gxgk import readers

    paths = [
        path
        for directory in FIXTURE_DIRS
        for path in sorted(directory.glob("*"))
        if path.suffix in (".html", ".docx", ".pdf")
    ]
    docs = [readers.read_path(path) for path in paths]  # warm-up: readers imported, patterns compiled
    times: list[list[float]] = [[] for _ in paths]
    clock = CLOCK  # reading is in-process work, timed by the same clock as parse and check
    for _ in range(repeats):
        for path, samples in zip(paths, times, strict=True):
            t = clock()
            readers.read_path(path)
            samples.append(clock() - t)
    results: dict[str, Any] = {}
    for path, doc, samples in zip(paths, docs, times, strict=True):
        s = summary(samples)
        pages = doc.pages or 1
        results[f"{path.parent.name}/{path.name}"] = {
            **s,
            "kind": doc.kind,
            "pages": pages,
            "per_page_ms": s["median_ms"] / pages,
            "kb": path.stat().st_size / 1024,
        }
    return results


# -- the report ------------------------------------------------------------------------------------------------


def calibration() -> float:
    """Milliseconds (median of 5, in-process clock) of a fixed pure-Python workload — small tuples, a
    dict, string slicing, attribute-free loops, as parsing does — to tell this machine's speed at the
    time of a run from another run's: the floor is one C loop and does not show how fast Python runs."""
    words = [f"第{i}行" for i in range(200)]

    def work() -> int:
        total = 0
        for _ in range(60):
            seen: dict[str, tuple[int, str]] = {}
            for i, w in enumerate(words):
                seen[w] = (i, w[1:-1])
            for w, (i, part) in seen.items():
                total += i + len(part) + (1 if w.endswith("行") else 0)
        return total

    times = []
    for _ in range(5):
        t = CLOCK()
        work()
        times.append(CLOCK() - t)
    return statistics.median(times) * 1000


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    from importlib.metadata import version

    import gxgk
    from gxgk import editions

    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": f"{platform.python_version()} ({'venv ' + sys.prefix if sys.prefix != sys.base_prefix else sys.prefix})",
        "gxgk": str(pathlib.Path(gxgk.__file__).parent),
        "lark": version("lark"),
        "cattrs": version("cattrs"),
        "editions": ", ".join(editions.available()),
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def print_speed(title: str, rows: dict[str, Any]) -> None:
    print(f"\n### {title}\n")
    print("| texts | floor ms | parse ms | check ms | parse + check ms | ratio to floor | reports/s | first read ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        if not isinstance(r, dict):
            continue
        print(
            f"| {name} | {fmt(r['floor'])} | {fmt(r['parse'])} | {fmt(r['check'])} | {fmt(r['both'])} | "
            f"{r['ratio']:.1f}× | {r['reports_per_s']:.0f} | {r['first']['median_ms']:.3f} |"
        )
    print(
        "\nmedian (p10–p90) per report; parse + check: a second parse, after the first (parse ms) and its"
        " check; first read: the first parse and its check"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000-report corpus, fewer repeats")
    parser.add_argument("--reports", type=int, help="corpus size (default 10,000; 1,000 with --quick)")
    parser.add_argument("--seed", type=int, default=2024, help="corpus seed (default 2024)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="in-process clock (default cpu)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: seeds,corpus,startup,memory,readers")
    args = parser.parse_args(argv)
    n = args.reports or (1000 if args.quick else 10_000)
    repeats = 10 if args.quick else 40
    runs = 3 if args.quick else 9
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter

    import gxgk

    results: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
    }
    print("## gxgk benchmarks\n")
    for k, v in results["machine"].items():
        print(f"- {k}: {v}")
    print(f"- gxgk {gxgk.__version__}; corpus: {n:,} reports, seed {args.seed}; seed repeats {repeats}")
    print(f"- in-process clock: {args.clock} time; subprocesses: wall time")
    results["calibration_ms"] = {"start": calibration()}
    print(f"- Python speed at the start: {results['calibration_ms']['start']:.2f} ms for the calibration workload")

    if "seeds" not in skip:
        results["seeds"] = bench_seeds(repeats)
        print_speed(f"Seeds ({len(SEEDS)} texts × {repeats} runs)", results["seeds"])
    paths: list[pathlib.Path] = []
    if "corpus" not in skip or "memory" not in skip:
        paths = corpus.files(n, args.seed)
    if "corpus" not in skip:
        results["corpus"] = bench_corpus(paths)
        print_speed(
            f"Synthetic corpus ({len(paths):,} reports, each read in one round; html through the HTML reader)",
            results["corpus"],
        )
        if results["corpus"]["failures"]:
            print(f"\n{results['corpus']['failures']} corpus report(s) could not be read")
    if "startup" not in skip:
        results["startup"] = bench_startup(runs)
        print(f"\n### Start-up (wall, median (p10–p90) of {runs} runs)\n")
        print("| command | ms |\n|---|---|")
        for name, s in results["startup"].items():
            print(f"| {name} | {fmt(s) if isinstance(s, dict) else s} |")
    if "memory" not in skip:
        results["memory"] = bench_memory(corpus.corpus_dir(n, args.seed), paths)
        print("\n### gxgk check on the corpus (subprocess)\n")
        print("| run | peak RSS MB | wall s | reports/s |\n|---|---|---|---|")
        for name, r in results["memory"].items():
            print(f"| {name} | {r['peak_rss_mb']:.1f} | {r['seconds']:.1f} | {r['reports_per_s']:.0f} |")
    if "readers" not in skip:
        results["readers"] = bench_readers(5 if args.quick else 20)
        print(f"\n### Readers ({args.clock} time, median (p10–p90) per document)\n")
        print("| file | kind | KB | pages | ms per document | ms per page |\n|---|---|---|---|---|---|")
        for name, r in results["readers"].items():
            print(f"| {name} | {r['kind']} | {r['kb']:.0f} | {r['pages']} | {fmt(r)} | {r['per_page_ms']:.2f} |")

    results["calibration_ms"]["end"] = calibration()
    print(
        f"\nPython speed at the end: {results['calibration_ms']['end']:.2f} ms for the calibration workload"
        f" (start: {results['calibration_ms']['start']:.2f} ms; lower is faster)"
    )

    print("\n### Targets\n")
    print("| target | bound | measured | |\n|---|---|---|---|")
    checks: list[tuple[str, str, bool]] = []
    for part in ("seeds", "corpus"):
        if part in results:
            row = results[part]["all seeds" if part == "seeds" else "all layouts"]
            both = row["both"]["median_ms"]
            checks.append((f"parse + check per report (median, one core), {part}", f"{both:.2f} ms", both <= 2))
            checks.append((f"ratio to the floor, {part}", f"{row['ratio']:.1f}×", row["ratio"] <= 10))
    if "readers" in results:
        for kind, key, bound, label in (
            ("html", "per_page_ms", 10, "HTML per page"),
            ("docx", "median_ms", 20, "DOCX per document"),
            ("pdf", "per_page_ms", 30, "PDF per page"),
        ):
            worst = max((r[key] for r in results["readers"].values() if r["kind"] == kind), default=0.0)
            checks.append((label + " (worst file)", f"{worst:.1f} ms", worst <= bound))
    if "startup" in results:
        s = results["startup"]["gxgk check SEED"]["median_ms"] / 1000
        checks.append(("gxgk check FILE", f"{s:.3f} s", s <= 0.3))
    if "memory" in results:
        worst_rss = max(r["peak_rss_mb"] for r in results["memory"].values())
        checks.append(("peak RSS, corpus stream", f"{worst_rss:.1f} MB", worst_rss <= 100))
    bounds = {k.split(",")[0].split(" (worst")[0]: v for k, v in TARGETS.items()}
    for name, measured, ok in checks:
        bound = next((b for k, b in bounds.items() if name.startswith(k)), "")
        print(f"| {name} | {bound} | {measured} | {verdict(ok)} |")
    results["targets"] = [{"target": n_, "measured": m, "met": ok} for n_, m, ok in checks]

    corpus.RESULTS.mkdir(parents=True, exist_ok=True)
    (corpus.RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
