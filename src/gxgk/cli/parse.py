"""``gxgk parse FILE… --format json|jsonl|csv|text``: the report as data.

json prints one object per report (indented for a single input), jsonl one line per report, csv a
header and one row per cell (the columns of :func:`gxgk.to_frame`), text every cell's value.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["register", "run"]


def register(sub: Any) -> argparse.ArgumentParser:
    """Add the ``parse`` subcommand."""
    p = sub.add_parser("parse", help="parse reports and print them as data", description=__doc__)
    p.add_argument("inputs", nargs="+", metavar="FILE", help="report files, directories or globs ('-' for stdin)")
    p.add_argument("--format", choices=("json", "jsonl", "csv", "text"), default="json")
    p.add_argument("--edition", help="read every table in this edition (default: detect)")
    return p


def report_data(report: Any) -> dict[str, Any]:
    """The JSON object of a report: edition, year, agency, every cell under its key path, the rest."""
    from gxgk.convert import converter

    data: dict[str, Any] = converter.unstructure(report)
    data["source"] = report.source
    return data


def run(args: argparse.Namespace) -> int:
    """Parse each input; exit 2 when one could not be read."""
    import gxgk
    from gxgk.cli._common import error, expand_inputs

    status = 0
    inputs = list(expand_inputs(args.inputs))
    writer = None
    if args.format == "csv":
        import csv

        from gxgk.frames import CELL_COLUMNS, cell_rows

        writer = csv.writer(sys.stdout)
        writer.writerow(CELL_COLUMNS)
    for path in inputs:
        try:
            source: Any = sys.stdin.buffer.read() if path == "-" else path
            report = gxgk.parse(source, edition=args.edition, name="<stdin>" if path == "-" else None)
        except gxgk.GxgkError as e:
            error(str(e))
            status = 2
            continue
        if writer is not None:
            for row in cell_rows(report):
                writer.writerow(["" if row[c] is None else row[c] for c in CELL_COLUMNS])
        elif args.format == "text":
            print(f"{path}: {report!r}")
            for key, cell in report.cells():
                print(f"  {key} = {cell.value if cell.value is not None else '—'}")
        else:
            data = report_data(report)
            indent = 2 if args.format == "json" and len(inputs) == 1 else None
            print(json.dumps(data, ensure_ascii=False, indent=indent))
    return status
