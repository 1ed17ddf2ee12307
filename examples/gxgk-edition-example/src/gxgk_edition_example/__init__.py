"""An example gxgk edition plugin: ``2021-fujian-fee``.

The 2021 template edition (国办公开办函〔2021〕30号) with one more block at the end of section 二,
第二十条第（十）项 信息处理费 (本年收取金额, 万元) — an illustrative local variant, not an official
template. gxgk finds :data:`EDITION` through the entry point ``gxgk.editions`` declared in
pyproject.toml; docs/editions.md in gxgk walks through this package.
"""

from __future__ import annotations

from gxgk.editions import Edition
from gxgk.records import Applications2021

from gxgk_edition_example import rules  # noqa: F401 - registers FJ101
from gxgk_edition_example.records import ActiveFujianFee, ProcessingFee

__all__ = ["EDITION", "ActiveFujianFee", "ProcessingFee"]

#: The edition: the 2021 edition plus the 信息处理费 block.
EDITION = Edition(
    name="2021-fujian-fee",
    title="政府信息公开工作年度报告格式（含信息处理费，示例）",
    documents=("国办公开办函〔2021〕30号", "国办函〔2020〕109号"),
    grammar="gxgk_2021_fujian_fee.lark",
    active=ActiveFujianFee,
    applications=Applications2021,  # section 三 as in the 2021 edition
    cells="cells-2021-fujian-fee.tsv",  # only the added cell: the rest comes from the parent
    package="gxgk_edition_example",
    grammar_dir="grammars",
    cells_dir="cells",
    years=(2022, None),
    parent="2021",
    rules=("FJ101",),
)
