"""Comparing a parsed report with a gold extraction (see tests/data/README.md)."""

from __future__ import annotations

import json
import pathlib
from decimal import Decimal
from typing import Any

import gxgk
from paths import SEEDS


def load(path: pathlib.Path) -> dict[str, Any]:
    """A gold file, with ``report`` set to the path of the report it describes."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold["report"] = SEEDS / gold["seed"] if "seed" in gold else path.parent / gold["source"]
    return gold


def matches(expected: Any, actual: int | Decimal | None) -> bool:
    """The gold's notion of equality: ``any_of`` alternatives, numbers compared exactly enough."""
    if isinstance(expected, dict) and "any_of" in expected:
        return any(matches(e, actual) for e in expected["any_of"])
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(Decimal(str(expected)) - Decimal(actual)) < Decimal("1e-9")


def differences(gold: dict[str, Any], report: gxgk.Report) -> list[str]:
    """Every cell, edition, year and agency where ``report`` differs from ``gold``."""
    problems = []
    if report.edition != gold["edition"]:
        problems.append(f"edition {report.edition!r} != {gold['edition']!r}")
    if gold.get("year") is not None and report.year != gold["year"]:
        problems.append(f"year {report.year!r} != {gold['year']!r}")
    wanted = gold.get("agency_contains") or []
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if wanted and not any(w in (report.agency or "") for w in wanted):
        problems.append(f"agency {report.agency!r} lacks {wanted}")
    for key, expected in gold["cells"].items():
        try:
            actual = report.value(key)
        except KeyError:
            problems.append(f"{key}: no such cell")
            continue
        if not matches(expected, actual):
            problems.append(f"{key}: {actual!r} != {expected!r}")
    return problems


def named(findings: list[gxgk.Finding], prefix: str, severity: str | None = None) -> bool:
    """True when a finding (of ``severity``) names ``prefix`` or a cell below it."""
    return any(
        (severity is None or f.severity.value == severity)
        and any(c == prefix or c.startswith(prefix + ".") for c in f.cells)
        for f in findings
    )
