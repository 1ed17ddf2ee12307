"""The edition's own rule, FJ101: the 信息处理费 is a non-negative amount, and section 六 states it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from gxgk.findings import Finding, Severity
from gxgk.records import Report
from gxgk.rules import finding, rule

__all__ = ["processing_fee_stated"]

NAME = "2021-fujian-fee"
KEY = "active.processing_fee.amount"

# "收取信息处理费0.035万元", "信息处理费共计350元", "未收取信息处理费", "无收取信息处理费情况"
_NONE = re.compile(
    r"(?:未|没有|无|不)[^。；，,]{0,6}?收取[^。；，,]{0,6}?信息处理费|信息处理费[^。；]{0,6}?(?:为零|为0|0元)"
)
_AMOUNT = re.compile(r"信息处理费[^。；\d]{0,12}?(\d+(?:\.\d+)?)\s*(万元|元)")


def _stated(text: str) -> Decimal | None:
    """The amount section 六 states, in 万元 (0 for "未收取"), or None when it says nothing."""
    m = _AMOUNT.search(text)
    if m:
        value = Decimal(m.group(1))
        return value / 10000 if m.group(2) == "元" else value
    if _NONE.search(text):
        return Decimal(0)
    return None


@rule(
    "FJ101",
    title_zh="信息处理费金额为非负数并在第六部分说明",
    title_en="Information-processing fee is non-negative and stated in section 六",
    description="2021-fujian-fee 版第二部分第二十条第（十）项：本年收取的信息处理费（万元）不应为负，"
    "并应与第六部分“其他需要报告的事项”所述收取信息处理费的情况一致。",
    editions={NAME},
    severity=Severity.WARNING,
)
def processing_fee_stated(report: Report) -> Iterable[Finding]:
    """A negative fee is an error; a fee that section 六 omits or states differently, a warning."""
    if report.table_editions.active != NAME:
        return
    try:
        amount = report.value(KEY)
    except KeyError:
        return
    if amount is None:
        return
    if amount < 0:
        yield finding("FJ101", Severity.ERROR, f"信息处理费金额不应为负：{amount}万元", cells=[KEY], report=report)
        return
    stated = _stated(report.prose.other_matters or "")
    if stated is None:
        if amount > 0:
            yield finding(
                "FJ101",
                Severity.WARNING,
                f"第二部分信息处理费为{amount}万元，第六部分未说明收取信息处理费的情况",
                cells=[KEY],
                report=report,
                actual=amount,
            )
    elif stated != amount:
        yield finding(
            "FJ101",
            Severity.WARNING,
            f"第六部分所述信息处理费为{stated.normalize():f}万元，第二部分为{amount}万元",
            cells=[KEY],
            report=report,
            expected=stated,
            actual=amount,
        )
