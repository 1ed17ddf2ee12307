"""``gxgk check FILE… --format text|json|jsonl|csv``: what contradicts what, like a linter.

Text prints ``FILE:LINE: CODE severity message`` per finding. JSON prints one array of findings
(each with "rule", "severity", "message", "cells", "expected", "actual", "line", "source"); jsonl
one finding per line and a last line ``{"summary": …}``; csv a header and one row per finding.
Inputs may be files, directories (read recursively) and globs; ``--jobs N`` uses N processes.
``--series`` also checks each agency's reports across years (grouped by normalised agency name;
``--agency-map CSV`` with columns name,agency joins names that differ), after the other findings.
Exit status: 1 when any error finding, else 2 when any input could not be read, else 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["register", "run"]


def register(sub: Any) -> argparse.ArgumentParser:
    """Add the ``check`` subcommand."""
    p = sub.add_parser("check", help="check reports for contradictions", description=__doc__)
    p.add_argument("inputs", nargs="*", metavar="FILE", help="report files, directories or globs ('-' for stdin)")
    p.add_argument("--sample", action="store_true", help="check the sample report bundled with gxgk")
    p.add_argument("--format", choices=("text", "json", "jsonl", "csv"), default="text")
    p.add_argument("--edition", help="read every table in this edition (default: detect)")
    p.add_argument("--rules", help="comma-separated rule codes to run (default: all)")
    p.add_argument("--exclude", help="comma-separated rule codes to leave out")
    p.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    p.add_argument("--series", action="store_true", help="also check each agency's reports across years")
    p.add_argument("--agency-map", metavar="CSV", help="with --series: a CSV with columns name,agency joining names")
    return p


def finding_data(finding: Any) -> dict[str, Any]:
    """The JSON object of a finding."""
    from gxgk.convert import converter

    data: dict[str, Any] = converter.unstructure(finding)
    data["source"] = finding.source
    return data


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def check_one(job: tuple[Any, ...]) -> tuple[Any, ...]:
    """Parse and check one input: ``(path, findings or None, error message or None)``. Runs in workers.

    ``job`` is ``(path, edition, rules, exclude)``; with a fifth item True (``--series``) the
    result has the report as a fourth item.
    """
    import gxgk

    path, edition, rules, exclude, *keep = job
    try:
        source: Any = sys.stdin.buffer.read() if path == "-" else path
        report = gxgk.parse(source, edition=edition, name="<stdin>" if path == "-" else None)
        findings = gxgk.check(report, rules=rules, exclude=exclude)
        return (path, findings, None, report) if any(keep) else (path, findings, None)
    except gxgk.GxgkError as e:
        return path, None, str(e)
    except RecursionError:
        return path, None, f"{path}: the document is nested too deeply to read"


def _results(jobs: list[Any], workers: int, progress: bool) -> Iterator[tuple[Any, ...]]:
    from gxgk.corpus import parallel_map, with_progress

    return with_progress(parallel_map(check_one, jobs, workers), len(jobs), progress)


def _with_series(
    results: Iterator[tuple[Any, ...]], args: argparse.Namespace, rules: Any, exclude: Any
) -> Iterator[tuple[Any, ...]]:
    """The results, then the findings of :func:`gxgk.corpus.check_series` per source, marked ``series``."""
    from gxgk import corpus

    agency_map = corpus.load_agency_map(args.agency_map) if args.agency_map else None
    reports = []
    for path, findings, message, *report in results:
        reports.extend(report)
        yield path, findings, message
    by_source: dict[str, list[Any]] = {}
    for f in corpus.check_series(reports, agency_map, rules=rules, exclude=exclude):
        by_source.setdefault(f.source or "<report>", []).append(f)
    for source, found in by_source.items():
        yield source, found, None, "series"


def run(args: argparse.Namespace) -> int:
    """Check every input and print the findings as they come."""
    import gxgk
    from gxgk.cli._common import error, expand_inputs
    from gxgk.corpus import settle_gc

    inputs = list(expand_inputs(args.inputs))
    if args.sample:
        inputs.append(str(gxgk.sample_path()))
    if not inputs:
        error("no input: name report files or directories, or use --sample")
        return 2
    rules, exclude = _codes(args.rules), _codes(args.exclude)
    if args.agency_map and not os.path.isfile(args.agency_map):
        error(f"{args.agency_map}: no such agency map")
        return 2
    jobs = [(path, args.edition, rules, exclude, args.series) for path in inputs]
    counts = {"files": 0, "errors": 0, "warnings": 0, "infos": 0, "unreadable": 0}
    writer = csv.writer(sys.stdout) if args.format == "csv" else None
    if writer is not None:
        writer.writerow(["source", "line", "rule", "severity", "message", "cells", "expected", "actual"])
    collected: list[dict[str, Any]] = []
    results = _results(jobs, args.jobs, not args.no_progress)
    if args.series:
        results = _with_series(results, args, rules, exclude)
    for path, findings, message, *series in results:
        settle_gc()  # after the first report: what the process keeps to its end is built
        counts["files"] += 0 if series else 1
        if findings is None:
            counts["unreadable"] += 1
            error(message or f"{path}: unreadable")
            if args.format == "jsonl":
                print(json.dumps({"source": path, "unreadable": message}, ensure_ascii=False), flush=True)
            continue
        if args.format == "jsonl":
            # one line per finding, written together and flushed once per report: a reader of the
            # stream gets each report's findings whole, without a system call per finding
            sys.stdout.write("".join(json.dumps(finding_data(f), ensure_ascii=False) + "\n" for f in findings))
            sys.stdout.flush()
        for f in findings:
            counts[{"error": "errors", "warning": "warnings"}.get(f.severity.value, "infos")] += 1
            if args.format == "text":
                print(f"{path}:{f.line if f.line is not None else 0}: {f.rule} {f.severity.value} {f.message}")
            elif writer is not None:
                writer.writerow(
                    [
                        path,
                        f.line if f.line is not None else "",
                        f.rule,
                        f.severity.value,
                        f.message,
                        " ".join(f.cells),
                        "" if f.expected is None else f.expected,
                        "" if f.actual is None else f.actual,
                    ]
                )
            elif args.format == "json":
                collected.append(finding_data(f))
    if args.format == "json":
        print(json.dumps(collected, ensure_ascii=False, indent=2))
    summary = (
        f"{counts['files']} file(s): {counts['errors']} error(s), {counts['warnings']} warning(s), "
        f"{counts['infos']} info, {counts['unreadable']} unreadable"
    )
    if args.format == "jsonl":
        print(json.dumps({"summary": counts}, ensure_ascii=False))
    elif not args.quiet and (args.format == "text" or len(inputs) > 1):
        print(summary, file=sys.stderr)
    if counts["errors"]:
        return 1
    return 2 if counts["unreadable"] else 0
