"""The record classes of the 2021-fujian-fee edition: the 2021 classes plus the 信息处理费 block."""

from __future__ import annotations

import attrs
from gxgk.records import Active2021, Cell, Record

__all__ = ["ActiveFujianFee", "ProcessingFee"]


@attrs.frozen
class ProcessingFee(Record):
    """第二十条第（十）项 信息处理费: 本年收取金额（单位：万元）."""

    amount: Cell = attrs.field(factory=Cell)


@attrs.frozen
class ActiveFujianFee(Active2021):
    """Section 二: the 2021 edition's blocks, then （十） 信息处理费.

    attrs puts a subclass's fields after its base's, so ``cells()`` yields the 2021 cells first and
    ``active.processing_fee.amount`` last: the order of the template.
    """

    processing_fee: ProcessingFee = attrs.field(factory=ProcessingFee)
