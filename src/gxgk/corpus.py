"""Many reports at once: read a corpus in parallel, group it by agency, check each agency's years.

    from gxgk import corpus

    entries = list(corpus.read(["reports/"], jobs=4))          # one Entry per input, in order
    reports = [e.report for e in entries if e.report is not None]
    corpus.check_series(reports)                               # carry-over etc. per agency

An agency's reports are grouped by :func:`normalise_agency` of their agency name (whitespace and
full-width forms folded, suffixes such as 政府信息公开工作年度报告 dropped); names that still
differ for one agency are joined by an agency map (:func:`load_agency_map`: a CSV ``name,agency``).
"""

from __future__ import annotations

import csv
import functools
import gc
import itertools
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from gxgk.findings import Finding, Findings
from gxgk.records import Report

T = TypeVar("T")

__all__ = [
    "Entry",
    "agency_key",
    "check_series",
    "expand",
    "group_by_agency",
    "load_agency_map",
    "normalise_agency",
    "read",
]


@attrs.frozen
class Entry:
    """One input of a corpus: its path, and either the report and its findings or why it failed."""

    path: str
    report: Report | None = None
    findings: Findings | None = None
    error: str | None = None


def expand(inputs: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named, report files below directories (recursively) and glob matches, in order."""
    from gxgk.cli._common import expand_inputs

    return list(expand_inputs([os.fspath(i) for i in inputs]))


def _read_one(job: tuple[str, str | None, bool, Any, Any]) -> Entry:
    import gxgk

    path, edition, check, rules, exclude = job
    try:
        report = gxgk.parse(path, edition=edition)
        findings = gxgk.check(report, rules=rules, exclude=exclude) if check else None
        return Entry(path, report, findings)
    except gxgk.GxgkError as e:
        return Entry(path, error=str(e))
    except RecursionError:
        return Entry(path, error=f"{path}: the document is nested too deeply to read")


def read(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    edition: str | None = None,
    check: bool = True,
    rules: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    progress: bool = False,
) -> Iterator[Entry]:
    """Parse (and check) every input, in input order; ``jobs`` > 1 uses that many processes.

    ``inputs`` are expanded as on the command line (:func:`expand`). An input that cannot be read
    gives an :class:`Entry` with ``error`` set; the others go on. ``progress`` shows a tqdm bar on
    standard error when tqdm is installed and standard error is a terminal.
    """
    paths = expand(inputs)
    work = [(p, edition, check, list(rules) if rules else None, list(exclude) if exclude else None) for p in paths]
    yield from with_progress(parallel_map(_read_one, work, jobs), len(work), progress)


def parallel_map(fn: Callable[[Any], T], work: Sequence[Any], jobs: int) -> Iterator[T]:
    """``fn`` over ``work`` in input order, in ``jobs`` processes (in this one for one job or item).

    The worker processes are gxgk's own: each settles its collector (:func:`settle_gc`) after its first item.
    """
    if jobs <= 1 or len(work) <= 1:
        yield from map(fn, work)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=own_process) as pool:
        yield from pool.map(functools.partial(_settled, fn), work, chunksize=4)


def _settled(fn: Callable[[Any], T], item: Any) -> T:
    """``fn(item)`` in a worker process, then :func:`settle_gc` (it acts once per process)."""
    result = fn(item)
    settle_gc()
    return result


_own_process = False  # the process runs gxgk itself: the gxgk command, or a worker of jobs > 1
_gc_settled = False


def own_process() -> None:
    """Mark this process as gxgk's own (the ``gxgk`` command, a worker): :func:`settle_gc` may act in it."""
    global _own_process
    _own_process = True


def settle_gc() -> None:
    """In a process of gxgk's own (:func:`own_process`), once: ``gc.freeze()`` what it holds after its
    first report.

    By then the process has built what it keeps to its end: the modules, each edition's Lark parser,
    the grammar and rule tables. The cyclic collector's full collections, which come every few
    hundred reports, would otherwise go through all of it each time (tens of milliseconds). A user's
    process that imports gxgk is never marked: the library does not change its collector.
    """
    global _gc_settled
    if _own_process and not _gc_settled:
        _gc_settled = True
        gc.freeze()


def with_progress(items: Iterator[T], total: int, enabled: bool) -> Iterator[T]:
    """``items`` with a progress bar on standard error when it is a terminal and tqdm is installed."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        return items
    try:
        from tqdm import tqdm
    except ImportError:
        return items
    return iter(tqdm(items, total=total, unit="report", file=sys.stderr))


# -- agencies ---------------------------------------------------------------------------------------

# what titles and scraped names carry around the agency's own name
_SUFFIXES = (
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政府信息公开工作报告",
    "政府信息公开工作",
    "信息公开工作年度报告",
    "工作年度报告",
    "年度报告",
    "政府信息公开",
)
_YEAR = re.compile(r"(?:19|20)\d\d\s*年?度?$")


def normalise_agency(name: str | None) -> str | None:
    """The agency name as a grouping key: NFKC (full-width folded), no whitespace, no report suffix.

    ``"平潭综合实验区 2019年度政府信息公开工作年度报告"`` and ``"平潭综合实验区"`` give the same key.
    None or a name that is nothing but suffixes gives None.
    """
    if not name:
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    changed = True
    while changed and text:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                changed = True
        stripped = _YEAR.sub("", text)
        if stripped != text:
            text, changed = stripped, True
    text = text.removeprefix("关于")
    return text or None


def load_agency_map(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read an agency map: a CSV with the columns ``name`` and ``agency``.

    Each ``name`` (as found in reports) is mapped to ``agency`` (one name for the agency); the keys
    are normalised with :func:`normalise_agency`. Raises ValueError when the columns are missing.
    """
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {"name", "agency"} <= set(reader.fieldnames):
            raise ValueError(f"{os.fspath(path)}: an agency map needs the columns 'name' and 'agency'")
        mapping = {}
        for row in reader:
            key = normalise_agency(row["name"])
            if key and row["agency"] and row["agency"].strip():
                mapping[key] = row["agency"].strip()
    return mapping


def agency_key(report: Report, agency_map: Mapping[str, str] | None = None) -> str | None:
    """The key ``report`` is grouped under: its normalised agency, mapped through ``agency_map``."""
    key = normalise_agency(report.agency)
    if key is None:
        return None
    if agency_map:
        mapped = agency_map.get(key)
        if mapped is None:
            mapped = {normalise_agency(k): v for k, v in agency_map.items()}.get(key)
        if mapped is not None:
            return normalise_agency(mapped)
    return key


def group_by_agency(reports: Iterable[Report], agency_map: Mapping[str, str] | None = None) -> dict[str, list[Report]]:
    """Reports grouped by agency key (:func:`agency_key`), each group ordered by year.

    Reports without an agency are left out.
    """
    groups: dict[str, list[Report]] = {}
    for report in reports:
        key = agency_key(report, agency_map)
        if key is not None:
            groups.setdefault(key, []).append(report)
    for group in groups.values():
        group.sort(key=lambda r: (r.year is None, r.year or 0))
    return groups


def check_series(
    reports: Iterable[Report],
    agency_map: Mapping[str, str] | None = None,
    *,
    rules: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    series: Callable[..., Findings] | None = None,
) -> Findings:
    """:func:`gxgk.check_series` for every agency of a corpus, errors first.

    Reports are grouped with :func:`group_by_agency`. A corpus may hold several copies of one
    year's report (the web page and its text): every report of year Y−1 is compared with every
    report of year Y, and findings that repeat are given once.
    """
    import gxgk

    run = series or gxgk.check_series
    found: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    rules_list = list(rules) if rules else None
    exclude_list = list(exclude) if exclude else None
    for group in group_by_agency(reports, agency_map).values():
        by_year: dict[int, list[Report]] = {}
        for r in group:
            if r.year is not None:
                by_year.setdefault(r.year, []).append(r)
        for year in sorted(by_year):
            for previous, current in itertools.product(by_year.get(year - 1, ()), by_year[year]):
                for f in run([previous, current], rules=rules_list, exclude=exclude_list):
                    ident = (f.source, f.rule, f.message, f.cells)
                    if ident not in seen:
                        seen.add(ident)
                        found.append(f)
    rank = {"error": 0, "warning": 1, "info": 2}
    found.sort(key=lambda f: (rank.get(f.severity.value, 3), f.source or "", f.line or 0))
    return Findings(found)
