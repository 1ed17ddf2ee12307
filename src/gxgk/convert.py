"""The cattrs converter: parse output into records, records into JSON-ready data and back.

One converter, configured here: ``structure(unstructure(x), type(x)) == x`` for every record.
Amounts (``Decimal``) are unstructured to strings so that no digit is lost; counts stay integers.
Tables are structured into the class of the edition each was read in (``table_editions``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import cattrs
import cattrs.gen
from cattrs.preconf.json import make_converter as _make_json_converter

from gxgk.findings import Severity
from gxgk.records import ActiveTable, ApplicationsTable, Cell, Report

__all__ = ["converter", "make_converter"]


def _structure_number(value: Any, _: Any) -> int | Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a cell value is a number, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return Decimal(value)  # amounts are written as strings, counts as integers
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    raise TypeError(f"not a number: {value!r}")


def _unstructure_number(value: int | Decimal | None) -> int | str | None:
    if isinstance(value, Decimal):
        return str(value)
    return value


def make_converter() -> cattrs.Converter:
    """A new converter configured for gxgk's records (detailed validation names the failing path)."""
    from gxgk import editions

    conv = _make_json_converter(detailed_validation=True, forbid_extra_keys=False)
    number = int | Decimal | None
    conv.register_structure_hook(number, _structure_number)
    conv.register_unstructure_hook(number, _unstructure_number)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    conv.register_structure_hook(
        Cell,
        lambda d, _: Cell(_structure_number(d.get("value"), None), d.get("raw"), d.get("line"), d.get("column")),
    )
    conv.register_unstructure_hook(
        Cell,
        lambda c: {"value": _unstructure_number(c.value), "raw": c.raw, "line": c.line, "column": c.column},
    )
    # tables: by the class of the edition each was read in
    conv.register_unstructure_hook_func(
        lambda t: t in (ActiveTable, ApplicationsTable),
        lambda obj: conv.unstructure(obj, unstructure_as=type(obj)),
    )
    conv.register_structure_hook(Severity, lambda v, _: Severity(v))
    conv.register_unstructure_hook(Severity, lambda s: s.value)

    base_hook = cattrs.gen.make_dict_structure_fn(Report, conv)

    def structure_report(data: dict[str, Any], _: Any) -> Report:
        data = dict(data)
        read_in = data.get("table_editions") or {}
        tables = {}
        for table in ("active", "applications"):
            value = data.pop(table, None)
            if value is not None:
                cls = editions.get(read_in.get(table) or data.get("edition")).table_class(table)
                tables[table] = conv.structure(value, cls)
        return attrs.evolve(base_hook(data, Report), **tables)

    conv.register_structure_hook(Report, structure_report)
    return conv


#: The converter gxgk uses (JSON output, ``gxgk.parse`` structuring, round trips).
converter = make_converter()
