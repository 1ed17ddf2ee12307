"""What the subcommands share: expanding inputs, reading them, printing errors."""

from __future__ import annotations

import glob
import os
import pathlib
import sys
from collections.abc import Iterator, Sequence

__all__ = ["SUFFIXES", "error", "expand_inputs"]

#: File endings read when a directory is given.
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".pdf")


def expand_inputs(inputs: Sequence[str]) -> Iterator[str]:
    """Files named, files below directories (recursively, report-like endings), and glob matches."""
    for item in inputs:
        if item == "-":
            yield item
        elif os.path.isdir(item):
            for path in sorted(pathlib.Path(item).rglob("*")):
                if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.endswith(".gold.json"):
                    yield str(path)
        elif any(ch in item for ch in "*?[") and not os.path.exists(item):
            yield from sorted(glob.glob(item, recursive=True))
        else:
            yield item


def error(message: str) -> None:
    """Print a one-line error on standard error."""
    print(f"gxgk: {' '.join(str(message).split())}", file=sys.stderr)
