"""``gxgk export FILE… --to OUT``: a corpus of reports as data to query.

OUT ending in ``.duckdb`` is a new database (replacing the file) with three tables: ``reports`` (one row per
input: source, agency, year, edition, the edition of each table, title, date, counts of cells and
findings; ``error`` says why an input could not be read), ``cells`` (one row per cell, the
columns of :func:`gxgk.to_frame`) and ``findings`` (one row per finding, ``scope`` is ``report`` or
``series``). OUT ending in ``.parquet`` or ``.csv`` gets the cells; the findings and the reports
go beside it in ``<stem>.findings.<ext>`` and ``<stem>.reports.<ext>``.

Reports of one agency across years are checked against each other (:func:`gxgk.check_series`),
grouped by normalised agency name; ``--agency-map CSV`` (columns ``name,agency``) joins names that
differ. Exit status: 0, or 2 when an input could not be read (the rest is still written).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
from typing import Any

__all__ = ["register", "run", "write"]

SUFFIXES = (".duckdb", ".parquet", ".csv")


def register(sub: Any) -> argparse.ArgumentParser:
    """Add the ``export`` subcommand."""
    p = sub.add_parser(
        "export",
        help="write a corpus of reports as Parquet, CSV or a DuckDB database",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="FILE", help="report files, directories or globs")
    p.add_argument("--to", required=True, metavar="OUT", help="output: .duckdb, .parquet or .csv")
    p.add_argument("--edition", help="read every table in this edition (default: detect)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--agency-map", metavar="CSV", help="CSV with columns name,agency joining agency names")
    p.add_argument("--no-series", action="store_true", help="do not check an agency's years against each other")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    return p


def run(args: argparse.Namespace) -> int:
    """Read the corpus, check it, write it."""
    from gxgk import corpus
    from gxgk.cli._common import error
    from gxgk.errors import MissingExtraError

    out = pathlib.Path(args.to)
    if out.suffix.lower() not in SUFFIXES:
        error(f"{out}: the output must end in {', '.join(SUFFIXES)}")
        return 2
    agency_map = None
    if args.agency_map:
        try:
            agency_map = corpus.load_agency_map(args.agency_map)
        except (OSError, ValueError) as e:
            error(str(e))
            return 2
    entries = []
    for entry in corpus.read(args.inputs, jobs=args.jobs, edition=args.edition, progress=not args.no_progress):
        if entry.error is not None:
            error(entry.error)
        entries.append(entry)
    if not entries:
        error("no input: name report files or directories")
        return 2
    try:
        counts = write(entries, out, series=not args.no_series, agency_map=agency_map)
    except MissingExtraError as e:
        error(str(e))
        return 2
    except OSError as e:
        error(f"{out}: {e}")
        return 2
    if not args.quiet:
        print(
            f"{out}: {counts['reports']} report(s), {counts['cells']} cell(s), {counts['findings']} finding(s), "
            f"{counts['unreadable']} unreadable",
            file=sys.stderr,
        )
    return 2 if counts["unreadable"] else 0


def write(
    entries: list[Any], out: pathlib.Path, *, series: bool = True, agency_map: dict[str, str] | None = None
) -> dict[str, int]:
    """Write the corpus ``entries`` (:class:`gxgk.corpus.Entry`) to ``out``; returns row counts."""
    from gxgk import corpus, frames

    pd = frames._require_pandas()
    reports = [e.report for e in entries if e.report is not None]
    cell_rows = [row for r in reports for row in frames.cell_rows(r)]
    finding_rows = []
    report_rows = []
    for e in entries:
        if e.report is None:
            report_rows.append({"source": e.path, "error": e.error})
            continue
        report_rows.append({**frames.report_row(e.report, e.findings), "error": None})
        finding_rows.extend({**row, "scope": "report"} for row in frames.finding_rows(e.findings or ()))
    if series:
        found = corpus.check_series(reports, agency_map)
        finding_rows.extend({**row, "scope": "series"} for row in frames.finding_rows(found))
    cells = frames._cells_frame(pd, cell_rows)
    findings = frames._findings_frame(pd, finding_rows)
    findings["scope"] = pd.Categorical([r["scope"] for r in finding_rows], categories=["report", "series"])
    reports_df = frames._reports_frame(pd, report_rows, extra=["error"])
    tables = {"reports": reports_df, "cells": cells, "findings": findings}
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".duckdb":
        _write_duckdb(tables, out)
    else:
        for name, df in tables.items():
            path = out if name == "cells" else out.with_name(f"{out.stem}.{name}{suffix}")
            if suffix == ".parquet":
                _write_parquet(df, path)
            else:
                _csv_ready(df).to_csv(path, index=False)
    return {
        "reports": len(reports),
        "cells": len(cells),
        "findings": len(findings),
        "unreadable": sum(1 for e in entries if e.report is None),
    }


def _arrow(df: Any) -> Any:
    """An Arrow table with plain types: categories as strings, amounts as decimals, lists of keys."""
    import pandas as pd
    import pyarrow as pa

    columns = {}
    for name in df.columns:
        col = df[name]
        if name == "amount" and col.dtype == object:
            columns[name] = _decimal_array(col.tolist())
        elif name == "cells" and col.dtype == object:
            columns[name] = pa.array([list(v) for v in col.tolist()], type=pa.list_(pa.string()))
        elif str(col.dtype) in ("category", "string"):
            columns[name] = pa.array([None if pd.isna(v) else str(v) for v in col.astype(object)], type=pa.string())
        else:
            columns[name] = pa.Array.from_pandas(col)
    return pa.table(columns)


def _decimal_array(values: list[Any]) -> Any:
    import pyarrow as pa

    present = [v for v in values if v is not None]
    scale = max([6, *(-v.as_tuple().exponent for v in present if v.is_finite() and v.as_tuple().exponent < 0)])
    kind = pa.decimal128(38, min(scale, 18))
    return pa.array([None if v is None else v.quantize(type(v)(1).scaleb(-kind.scale)) for v in values], type=kind)


def _write_parquet(df: Any, path: pathlib.Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_arrow(df), path)


def _csv_ready(df: Any) -> Any:
    df = df.copy()
    if "amount" in df.columns and df["amount"].dtype == object:
        df["amount"] = [None if v is None else format(v, "f") for v in df["amount"]]
    if "cells" in df.columns and df["cells"].dtype == object:
        df["cells"] = [" ".join(v) for v in df["cells"]]
    return df


def _write_duckdb(tables: dict[str, Any], path: pathlib.Path) -> None:
    try:
        import duckdb
    except ImportError as e:
        from gxgk.errors import MissingExtraError

        raise MissingExtraError("writing .duckdb needs duckdb: pip install 'gxgk[duckdb]'") from e
    # built beside the target and moved over it: a failed export leaves no half-written database
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(partial))
        try:
            for name, df in tables.items():
                con.register("_gxgk_export", _arrow(df))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _gxgk_export')
                con.unregister("_gxgk_export")
        finally:
            con.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        pathlib.Path(f"{partial}.wal").unlink(missing_ok=True)
