"""gxgk.to_frame and gxgk.findings_frame: tidy frames with the right types, equal to the gold."""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import pandas as pd
import pytest

import gxgk
from gold import matches
from paths import GOLD, SEEDS


@pytest.fixture(scope="module")
def seeds() -> list[gxgk.Report]:
    return [gxgk.parse(p) for p in sorted(SEEDS.glob("*.txt"))]


def cell_value(row: dict) -> int | Decimal | None:
    """The exact value of a row of the cells frame: the count, else the amount."""
    if not pd.isna(row["value"]):
        return int(row["value"])
    return None if pd.isna(row["amount"]) else row["amount"]


def test_seed_cells_equal_the_gold(seeds: list[gxgk.Report]) -> None:
    frame = gxgk.to_frame(seeds)
    assert len(frame) == 992
    gold = {}
    for path in GOLD.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold.update({(data["seed"], key): value for key, value in data["cells"].items()})
    assert len(gold) == 992
    wrong = []
    for row in frame.to_dict("records"):
        expected = gold[(row["source"].rsplit("/", 1)[-1], row["key"])]
        if not matches(expected, cell_value(row)):
            wrong.append((row["source"], row["key"], cell_value(row), expected))
    assert not wrong


def test_column_types(seeds: list[gxgk.Report]) -> None:
    frame = gxgk.to_frame(seeds)
    assert tuple(frame.columns) == gxgk.frames.CELL_COLUMNS
    assert str(frame["value"].dtype) == "Int64"
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["line"].dtype) == "Int64"
    assert str(frame["value_float"].dtype) == "Float64"
    assert frame["amount"].dtype == object
    assert frame["blank"].dtype == bool and frame["missing"].dtype == bool
    for name in ("key", "table", "row", "column", "edition", "table_edition", "kind"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert str(frame["source"].dtype) == "string"
    # template order is the category order
    assert frame["key"].cat.categories[0] == "active.rules.made"


def test_labels_amounts_and_blanks(seeds: list[gxgk.Report]) -> None:
    frame = gxgk.to_frame(seeds[0])  # one report
    assert len(frame) == 198
    row = frame.set_index("key").loc["applications.withheld.state_secret.natural_person"]
    assert row["table"] == "三"
    assert row["row"] == "三、本年度办理结果/（三）不予公开/1.属于国家秘密"
    assert row["column"] == "自然人"
    amount = frame.set_index("key").loc["active.procurement.amount"]
    assert amount["amount"] == Decimal("85.64") and amount["value"] is pd.NA
    assert amount["value_float"] == pytest.approx(85.64)
    # seed 001 lost its blank cells: unknown, not 0
    unknown = gxgk.to_frame(seeds[1])
    assert unknown["missing"].any()
    assert unknown.loc[unknown["missing"], "value"].isna().all()


def test_findings_frame(seeds: list[gxgk.Report]) -> None:
    from_reports = gxgk.findings_frame(seeds)
    from_findings = gxgk.findings_frame(gxgk.check(seeds[3]))
    assert tuple(from_reports.columns) == gxgk.frames.FINDING_COLUMNS
    assert len(from_reports) == sum(len(gxgk.check(r)) for r in seeds)
    errors = from_findings[from_findings["severity"] == "error"]
    assert set(errors["rule"]) == {"GX102"}
    assert "applications.total.natural_person" in errors.iloc[0]["cells"]
    assert from_findings["severity"].cat.ordered
    assert str(from_findings["expected"].dtype) == "Float64"
    assert str(from_findings["line"].dtype) == "Int64"
    assert len(gxgk.findings_frame(seeds[3])) == len(from_findings)


def test_reports_frame(seeds: list[gxgk.Report]) -> None:
    frame = gxgk.frames.reports_frame(seeds)
    assert list(frame["errors"]) == [len(gxgk.check(r).errors) for r in seeds]
    assert list(frame["year"]) == [2020, 2020, 2020, 2020, 2021]


def test_without_pandas(seeds: list[gxgk.Report], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(gxgk.MissingExtraError, match=r"gxgk\[frames\]"):
        gxgk.to_frame(seeds)
    with pytest.raises(gxgk.MissingExtraError, match=r"gxgk\[frames\]"):
        gxgk.findings_frame(seeds)
    # the rows need no pandas
    assert len(list(gxgk.frames.cell_rows(seeds[0]))) == 198
