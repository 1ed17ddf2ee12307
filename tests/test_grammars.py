"""The grammars: conflict-free LALR, rule names that are record fields, a vocabulary that finds labels."""

from __future__ import annotations

import re

import attrs
import pytest
from lark import Lark

from gxgk import editions
from gxgk.lexer import TokenStreamLexer, canonical
from paths import ROOT

GRAMMARS = ROOT / "grammars"


@pytest.mark.parametrize("name", ["gxgk_2019.lark", "gxgk_2021.lark"])
def test_grammar_is_lalr_without_conflicts(name: str) -> None:
    Lark.open(
        str(GRAMMARS / name),
        parser="lalr",
        lexer=TokenStreamLexer,
        start=["active", "applications", "appeals"],
        strict=True,  # a shift/reduce conflict would raise here
    )


def _field_names(cls: type) -> set[str]:
    names: set[str] = set()
    for f in attrs.fields(attrs.resolve_types(cls)):
        names.add(f.name)
        if attrs.has(f.type):
            names |= _field_names(f.type)
    return names


@pytest.mark.parametrize("name", ["2019", "2021"])
def test_every_named_rule_is_a_record_field(name: str) -> None:
    edition = editions.get(name)
    fields = _field_names(edition.active) | _field_names(edition.applications) | {"appeal_values"}
    starts = {"active", "applications", "appeals"}
    names = {str(r.alias or r.origin.name) for r in edition.parser.rules}
    # underscore rules group, and Lark names its own helpers "__x_plus_n" (or "ns____x_plus_n")
    named = {canonical(n) for n in names if not n.startswith("_") and "___" not in n} - starts
    # other_other is aliased to "other" (applications.other.other)
    assert named - {"other_other"} <= fields


@pytest.mark.parametrize(
    ("section", "label", "expected"),
    [
        (3, "(三)不予公开1.属于国家秘密", ["G3_WITHHELD", "R3_STATE_SECRET"]),
        (3, "2.其他法律行政止公开", ["R3_PROHIBITED"]),  # a typo in a real report
        (3, "(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["R3_OTHER", "R3_OVERDUE"]),
        (3, "3.其他", ["R3_OTHER_OTHER"]),
        (3, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", ["R3_PARTIAL"]),
        (3, "2.没有现成信息需要及时制作", ["R3_NEEDS_CREATION"]),
        (3, "4.无正当理由大量反复申请", ["R3_MASS_REPEATED"]),
        (3, "三、本年度办理结果", ["G3_OUTCOMES"]),
        (2, "第二十条第(一)项信息内容本年度制作数量本年度公开数量对外公开总数量规章", None),
        (2, "信息内容本年收费金额(单位:万元,保留4位小数)", ["C2_CONTENT", "C2_FEE_AMOUNT"]),
        (2, "其它对外管理服务事项", ["R2_OTHER_SERVICES"]),
        (2, "信息内容本年处理决定数量行政许可", ["C2_CONTENT", "C2_YEAR_DECISIONS", "R2_LICENSING"]),
    ],
)
def test_vocabulary_finds_labels(section: int, label: str, expected: list[str] | None) -> None:
    vocabulary = editions.vocabulary(editions.all_editions())
    found = [name for name, _ in vocabulary.find(section, label)]
    if expected is None:
        expected = ["I2_ITEM1", "C2_CONTENT", "C2_MADE", "C2_PUBLISHED", "C2_TOTAL_PUBLISHED", "R2_RULES"]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("3.其他", "其他"),
        ("其它", "其它"),
        ("(其他)", "其他"),
        ("其他 ", "其他"),
        ("其他法人或其他组织", None),  # a word of which 其他 is a part
        ("与其他机关", None),
        ("不计其他情形", None),
        ("其他a", None),  # a letter of any script is part of the word
    ],
)
def test_other_other_is_a_word_of_its_own(text: str, found: str | None) -> None:
    (terminal,) = [t for t in editions.get("2021").parser.terminals if t.name == "R3_OTHER_OTHER"]
    match = re.search(terminal.pattern.to_regexp(), text)
    assert (match.group() if match else None) == found


def test_editions_registry() -> None:
    assert editions.get("2021").parent == "2019"
    with pytest.raises(editions.EditionError, match="did you mean"):
        editions.get("2022")
