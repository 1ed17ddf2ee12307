"""``gxgk editions [NAME] --format text|json``: the installed template editions.

Lists every edition that loads — built-ins first, then plugins (entry-point group ``gxgk.editions``)
— with its source (``built-in`` or ``plugin <module:object>``), the years it is meant for, the
documents that define it, the edition it derives from, its number of cells and the rules it adds;
then every plugin that failed to load, with the reason. ``gxgk editions NAME`` shows one edition
(``--cells`` adds its cell keys, labels and kinds). Exit status: 0; 2 when NAME is not installed.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["edition_data", "register", "run"]


def register(sub: Any) -> argparse.ArgumentParser:
    """Add the ``editions`` subcommand."""
    p = sub.add_parser("editions", help="list the installed template editions", description=__doc__)
    p.add_argument("name", nargs="?", help="show this edition only")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--cells", action="store_true", help="with NAME: list the edition's cells")
    return p


def _years(years: tuple[int | None, int | None]) -> str:
    first, last = years
    if first is None and last is None:
        return "any year"
    if last is None:
        return f"{first}–"
    if first is None:
        return f"–{last}"
    return f"{first}–{last}" if first != last else str(first)


def edition_data(edition: Any, *, cells: bool = False) -> dict[str, Any]:
    """The JSON object of an edition: name, title, source, years, documents, parent, rules, cells."""
    data: dict[str, Any] = {
        "name": edition.name,
        "title": edition.title,
        "source": edition.source,
        "years": list(edition.years),
        "documents": list(edition.documents),
        "parent": edition.parent,
        "rules": list(edition.rules),
        "grammar": f"{edition.package}/{edition.grammar_dir}/{edition.grammar}",
        "cells": len(edition.spec),
    }
    if cells:
        data["cell_spec"] = [
            {"key": c.key, "table": c.table, "row": c.row, "column": c.column, "kind": c.kind}
            for c in edition.spec.values()
        ]
    return data


def _print_text(items: list[dict[str, Any]], failures: dict[str, str]) -> None:
    for item in items:
        origin = item["source"] + (f", derives from {item['parent']}" if item["parent"] else "")
        print(f"{item['name']}  ({origin})")
        print(f"    {item['title']}")
        print(f"    documents: {'、'.join(item['documents']) or '—'}")
        print(f"    years: {_years(tuple(item['years']))}; cells: {item['cells']}")
        if item["rules"]:
            print(f"    rules: {', '.join(item['rules'])}")
        for c in item.get("cell_spec", ()):
            print(f"      {c['key']}\t{c['table']}\t{c['row']}\t{c['column']}\t{c['kind']}")
    if failures:
        print("failed to load:")
        for name, reason in failures.items():
            print(f"    {name}: {' '.join(reason.split())}")


def run(args: argparse.Namespace) -> int:
    """List the editions (or show one); exit 2 when the named edition is not installed."""
    from gxgk import editions
    from gxgk.cli._common import error
    from gxgk.errors import GxgkError

    if args.name:
        try:
            chosen = [editions.get(args.name)]
        except GxgkError as e:
            error(str(e))
            return 2
        failures: dict[str, str] = {}
    else:
        chosen = editions.all_editions()
        failures = dict(editions.failed())
    items = [edition_data(e, cells=bool(args.cells and args.name)) for e in chosen]
    if args.format == "json":
        print(json.dumps({"editions": items, "failed": failures}, ensure_ascii=False, indent=2))
    else:
        _print_text(items, failures)
    return 0
