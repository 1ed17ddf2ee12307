"""The cattrs converter: parse output into records, records into JSON-ready data and back.

One converter, configured here: ``structure(unstructure(x), type(x)) == x`` for every record.
Amounts (``Decimal``) are unstructured to strings so that no digit is lost; counts stay integers.
Tables are structured into the class of the edition each was read in (``table_editions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import cattrs.gen
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.preconf.json import make_converter as _make_json_converter

from gxgk.findings import Severity
from gxgk.records import ActiveTable, ApplicationsTable, Cell, PlacedRow, Record, Report

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


def _structure_cell(data: Any, _: Any) -> Cell:
    if data.__class__ is Cell:
        return data  # placed by the parser: already a cell
    return Cell(_structure_number(data.get("value"), None), data.get("raw"), data.get("line"), data.get("column"))


def _record_structure_fn(conv: cattrs.Converter, cls: type[Any]) -> Any:
    """The structure hook of a table, group or row class (a :class:`~gxgk.records.Record`).

    It does what cattrs' generated hook does with detailed validation — each field present
    structured by its type's hook, errors gathered into a ``ClassValidationError`` naming the
    attribute — without generating and compiling code: dozens of record classes would otherwise
    cost every process ~20 ms before its first report.
    """
    fields = [(f.name, f.type, conv.get_structure_hook(f.type)) for f in attrs.fields(attrs.resolve_types(cls))]
    # the fields that hold a record of one class whose hook is this function's (not optional, no hook
    # of a user's): a row the parser placed there is made here, as that hook makes it
    rows = [(name, type_, getattr(hook, "record_class", None), hook) for name, type_, hook in fields]

    def structure_record(data: Any, _: Any) -> Any:
        if data.__class__ is PlacedRow:
            try:
                return cls(**data)  # a row as the parser placed it: every field a Cell
            except TypeError:
                pass  # not this class's fields: structured field by field below, errors named
        elif isinstance(data, cls):
            return data  # a record already: a table structured into its edition's class (structure_report)
        try:
            # a Cell the parser placed is taken as it is, a row it placed made as the row's hook makes
            # it (without the call of the hook); anything else goes through its type's hook
            kwargs = {}
            for name, type_, row_class, hook in rows:
                value = data.get(name, _ABSENT)
                if value is _ABSENT:
                    continue
                if value.__class__ is Cell:
                    kwargs[name] = value
                    continue
                if value.__class__ is PlacedRow and row_class is not None:
                    try:
                        kwargs[name] = row_class(**value)
                        continue
                    except TypeError:
                        pass  # not the row's fields: its hook says what is wrong
                kwargs[name] = hook(value, type_)
        except Exception:
            raise _validation_error(cls, fields, data) from None
        return cls(**kwargs)

    structure_record.record_class = cls  # type: ignore[attr-defined]
    return structure_record


_ABSENT = object()


def _validation_error(cls: type[Any], fields: list[tuple[str, Any, Any]], data: Any) -> Exception:
    """The ``ClassValidationError`` cattrs' detailed validation raises: every failing field, named."""
    if not isinstance(data, Mapping):
        return ClassValidationError(
            f"While structuring {cls.__name__}", [TypeError(f"expected a mapping, got {type(data).__name__}")], cls
        )
    errors: list[Exception] = []
    for name, type_, hook in fields:
        if name in data:
            try:
                hook(data[name], type_)
            except Exception as e:
                note = AttributeValidationNote(f"Structuring class {cls.__qualname__} @ attribute {name}", name, type_)
                e.__notes__ = [*getattr(e, "__notes__", []), note]
                errors.append(e)
    return ClassValidationError(f"While structuring {cls.__name__}", errors, cls)


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
    conv.register_structure_hook(Cell, _structure_cell)
    conv.register_unstructure_hook(
        Cell,
        lambda c: {"value": _unstructure_number(c.value), "raw": c.raw, "line": c.line, "column": c.column},
    )
    # tables: by the class of the edition each was read in
    conv.register_unstructure_hook_func(
        lambda t: t in (ActiveTable, ApplicationsTable),
        lambda obj: conv.unstructure(obj, unstructure_as=type(obj)),
    )
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Record), lambda t: _record_structure_fn(conv, t)
    )
    conv.register_structure_hook(Severity, lambda v, _: Severity(v))
    conv.register_unstructure_hook(Severity, lambda s: s.value)

    base_hook = cattrs.gen.make_dict_structure_fn(Report, conv)

    def structure_report(data: dict[str, Any], _: Any) -> Report:
        data = dict(data)
        read_in = data.get("table_editions") or {}
        for table in ("active", "applications"):
            value = data.get(table)
            if value is not None:
                cls = editions.get(read_in.get(table) or data.get("edition")).table_class(table)
                # an edition's table class subclasses the field's (editions.register checks it): the
                # Report's hook takes the record as it is
                data[table] = conv.structure(value, cls)
        return base_hook(data, Report)

    conv.register_structure_hook(Report, structure_report)
    return conv


#: The converter gxgk uses (JSON output, ``gxgk.parse`` structuring, round trips).
converter = make_converter()
