"""Tests of gxgk.compare and ``gxgk compare``: repetition rates, changed cells, findings, outputs."""

from __future__ import annotations

import html.parser
import json
import random
import sys
import types
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gxgk
import paths as _paths
from gxgk.compare import (
    Comparison,
    compare,
    compare_texts,
    comparison_html,
    normalize_text,
)
from gxgk.errors import UnreadableError
from gxgk.findings import Finding, Severity
from gxgk.records import (
    Active2019,
    Active2021,
    Cell,
    Documents2019,
    Documents2021,
    Fees2021,
    Procurement2019,
    Prose,
    Report,
)

K = 13
REAL = _paths.REAL


# --- synthetic texts ------------------------------------------------------------------------------
#
# A text is built from tokens: a CJK character (kept by normalisation) or a punctuation/space token
# (dropped by it), so the normalised text and the original offset of each of its characters are known
# by construction, independently of normalize_text.

PREVIOUS_ALPHABET = (0x4E00, 0x9FA5)  # the 20,902 CJK unified ideographs of the BMP
FRESH_DISJOINT_ALPHABET = (0x3400, 0x4DB5)  # CJK extension A: shares no character with the above
SEPARATORS = ("，", "。", "；", "、", "：", " ", "\n", "\u3000", "（", "）", "“", "”", "！")


def sentences(rng: random.Random, n_chars: int, alphabet: tuple[int, int]) -> list[str]:
    """Tokens of random "sentences" holding ``n_chars`` CJK characters of ``alphabet``."""
    tokens: list[str] = []
    written = 0
    while written < n_chars:
        length = min(rng.randint(4, 30), n_chars - written)
        tokens.extend(chr(rng.randint(*alphabet)) for _ in range(length))
        tokens.append(rng.choice(SEPARATORS))
        written += length
    return tokens


def kept_positions(tokens: list[str]) -> list[int]:
    """Indices of the tokens that normalisation keeps (the CJK ones)."""
    return [i for i, t in enumerate(tokens) if t not in SEPARATORS]


@st.composite
def text_pairs(draw: st.DrawFn, fresh_alphabet: tuple[int, int]) -> tuple[str, str, int, int]:
    """(previous, current, repeated normalised characters, normalised length of current).

    The current text is a sequence of segments: copies of passages of the previous text (at least K
    normalised characters, taken verbatim with their inner punctuation) and fresh random sentences.
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    prev_tokens = sentences(rng, draw(st.integers(K, 2000)), PREVIOUS_ALPHABET)
    kept = kept_positions(prev_tokens)
    segments = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("copy"), st.integers(K, 300), st.floats(0, 1)),
                st.tuples(st.just("fresh"), st.integers(1, 300), st.just(0.0)),
            ),
            max_size=12,
        )
    )
    current: list[str] = []
    repeated = 0
    total = 0
    for kind, length, where in segments:
        if kind == "copy":
            length = min(length, len(kept))
            start = int(where * (len(kept) - length))
            current.extend(prev_tokens[kept[start] : kept[start + length - 1] + 1])
            repeated += length
        else:
            current.extend(sentences(rng, length, fresh_alphabet))
        total += length
        current.append(rng.choice(SEPARATORS))
    return "".join(prev_tokens), "".join(current), repeated, total


@given(text_pairs(FRESH_DISJOINT_ALPHABET))
def test_rate_is_exact_when_fresh_text_shares_no_character(pair: tuple[str, str, int, int]) -> None:
    # Fresh text drawn from an alphabet the previous text never uses cannot extend or fake a match:
    # the measured repetition is exactly the constructed one.
    previous, current, repeated, total = pair
    result = compare_texts(previous, current, min_passage=K)
    assert result.current_chars == total
    assert result.repeated_chars == repeated
    assert result.rate == (repeated / total if total else 0.0)


@given(text_pairs(PREVIOUS_ALPHABET))
def test_rate_matches_construction_when_fresh_text_uses_the_same_characters(
    pair: tuple[str, str, int, int],
) -> None:
    # Fresh text from the same 20,902 characters. A fresh 13-gram equals one of the previous text's
    # (≤ 2,000) 13-grams with probability ≤ 2000 / 20902**13 ≈ 1e-53: chance k-gram collisions are
    # negligible at k = 13. What remains possible is a copied passage extended by its fresh neighbour
    # when that character happens to equal the one next to the source passage (probability 1/20902 per
    # side); two such characters in a row have probability 2e-9. So the measured count may exceed the
    # constructed one by at most one character per side of each copied passage (2 per segment).
    previous, current, repeated, total = pair
    result = compare_texts(previous, current, min_passage=K)
    copies = max(1, len(result.passages))
    assert result.current_chars == total
    assert repeated <= result.repeated_chars <= repeated + 2 * copies
    if total:
        assert abs(result.rate - repeated / total) <= 2 * copies / total


@given(text_pairs(PREVIOUS_ALPHABET))
@settings(max_examples=50)
def test_passages_are_repeated_text_at_their_offsets(pair: tuple[str, str, int, int]) -> None:
    previous, current, _, _ = pair
    result = compare_texts(previous, current, min_passage=K)
    covered: set[int] = set()
    for p in result.passages:
        assert p.length >= K
        assert p.text == current[p.current_start : p.current_end]
        in_current = normalize_text(current[p.current_start : p.current_end]).text
        in_previous = normalize_text(previous[p.previous_start : p.previous_end]).text
        assert in_current == in_previous
        assert len(in_current) == p.length
        # an original span starts and ends on a kept character
        assert normalize_text(current[p.current_start]).text and normalize_text(current[p.current_end - 1]).text
        cur = normalize_text(current)
        covered.update(i for i, o in enumerate(cur.offsets) if p.current_start <= o < p.current_end)
    assert len(covered) == result.repeated_chars
    starts = [p.current_start for p in result.passages]
    assert starts == sorted(starts)


@given(st.text(max_size=200), st.text(max_size=200))
def test_rate_is_a_share_and_symmetric_inputs_are_safe(a: str, b: str) -> None:
    result = compare_texts(a, b, min_passage=3)
    assert 0.0 <= result.rate <= 1.0
    assert result.repeated_chars <= result.current_chars


# --- normalisation --------------------------------------------------------------------------------


def test_normalize_drops_spaces_and_punctuation_and_folds_full_width() -> None:
    text = "Ａ１，\u3000b\n中文。“平潭”〔2021〕\ufeff\u200b％+"
    n = normalize_text(text)
    assert n.text == "A1b中文平潭2021+"
    assert len(n.offsets) == len(n.text)
    assert [text[i] for i in n.offsets] == list("Ａ１b中文平潭2021+")
    assert n.offsets[:5] == (0, 1, 4, 6, 7)


def test_normalize_empty_and_all_punctuation() -> None:
    assert normalize_text("") == normalize_text("，。 \n")
    assert normalize_text("").text == ""
    assert normalize_text("").offsets == ()


def test_original_span_includes_inner_punctuation() -> None:
    n = normalize_text("一，二。 三")
    assert n.text == "一二三"
    assert n.original_span(0, 3) == (0, 6)
    assert n.original_span(1, 2) == (2, 3)
    with pytest.raises(IndexError):
        n.original_span(2, 4)


# --- edge cases -----------------------------------------------------------------------------------

LONG = "平潭综合实验区坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。"
OTHER = "今年共收到政府信息公开申请八十一件，均已按时办结，无行政复议和行政诉讼案件发生。"


def test_identical_texts_repeat_fully() -> None:
    result = compare_texts(LONG, LONG)
    assert result.rate == 1.0
    assert len(result.passages) == 1
    assert (result.passages[0].current_start, result.passages[0].current_end) == (0, len(LONG) - 1)


def test_punctuation_and_spacing_do_not_hide_a_copy() -> None:
    reformatted = LONG.replace("，", ", ").replace("。", "。\n  ")
    assert compare_texts(LONG, reformatted).rate == 1.0


def test_disjoint_texts_repeat_nothing() -> None:
    result = compare_texts(LONG, OTHER)
    assert result.rate == 0.0
    assert result.passages == ()


def test_empty_and_missing_texts() -> None:
    for previous, current in ((None, None), ("", ""), (LONG, None), (None, LONG), (LONG, "，。")):
        result = compare_texts(previous, current)
        assert result.rate == 0.0
        assert result.passages == ()
    assert compare_texts(None, LONG).current_chars == len(normalize_text(LONG).text)


def test_only_passages_of_min_passage_count() -> None:
    shared = "一二三四五六七八九十甲乙丙"  # 13 characters
    assert compare_texts(shared + "子丑寅", "卯辰" + shared).repeated_chars == 13
    assert compare_texts(shared[:-1] + "子丑寅", "卯辰" + shared[:-1]).repeated_chars == 0
    assert compare_texts(shared[:-1], shared[:-1], min_passage=12).rate == 1.0
    # a text shorter than min_passage never counts as repeated, even against itself
    assert compare_texts("短文字", "短文字").rate == 0.0


def test_current_may_repeat_one_passage_twice() -> None:
    result = compare_texts(LONG, LONG + OTHER + LONG)
    assert result.repeated_chars == 2 * len(normalize_text(LONG).text)
    assert len(result.passages) == 2


def test_overlapping_passages_are_counted_once() -> None:
    # The current text joins two pieces of the previous one that share their seam characters.
    a, b, c = "甲乙丙丁戊己庚辛壬癸子丑寅", "卯辰巳午未申", "酉戌亥天地玄黄宇宙洪荒日月"
    previous = a + b + "。" + b + c
    current = a + b + c
    result = compare_texts(previous, current)
    assert result.rate == 1.0
    assert result.repeated_chars == len(current)


def test_invalid_parameters() -> None:
    with pytest.raises(ValueError):
        compare_texts("a", "b", min_passage=0)
    with pytest.raises(ValueError):
        compare(Report(edition="2021"), Report(edition="2021"), threshold=1.5)


# --- reports --------------------------------------------------------------------------------------


def report(edition: str = "2021", year: int = 2022, **kw: object) -> Report:
    return Report(edition=edition, year=year, agency="某区人民政府", **kw)  # type: ignore[arg-type]


def test_sections_and_whole_prose() -> None:
    previous = report(prose=Prose(overview=LONG, problems=OTHER, other_matters=None))
    current = report(year=2023, prose=Prose(overview=LONG, problems=None, other_matters=OTHER + "本年新写的文字。"))
    c = compare(previous, current)
    assert [s.name for s in c.sections] == ["overview", "problems", "other_matters"]
    assert c.section("overview").rate == 1.0
    assert c.section("problems").rate == 0.0
    assert c.section("other_matters").rate == 0.0  # the copy sits in another section
    whole = normalize_text(LONG + OTHER + "本年新写的文字").text
    assert c.prose.current_chars == len(whole)
    assert c.prose.repeated_chars == len(whole) - len("本年新写的文字")
    assert c.rate == c.prose.rate
    with pytest.raises(KeyError):
        c.section("tables")


def test_no_prose_at_all() -> None:
    c = compare(report(), report(year=2023))
    assert c.rate == 0.0
    assert all(s.current_chars == 0 and s.passages == () for s in (*c.sections, c.prose))
    assert c.findings == ()


def test_changed_cells_with_differences() -> None:
    previous = report(
        active=Active2021(
            normative_docs=Documents2021(issued=Cell(88, "88"), repealed=Cell(0, "0"), in_force=Cell(698)),
            fees=Fees2021(amount=Cell(Decimal("9116.36"), "9116.36")),
        )
    )
    current = report(
        year=2023,
        active=Active2021(
            normative_docs=Documents2021(issued=Cell(77, "77"), repealed=Cell(5, "5"), in_force=Cell(None, "")),
            fees=Fees2021(amount=Cell(Decimal("5949.088667"))),
        ),
    )
    c = compare(previous, current)
    changes = {ch.key: ch for ch in c.changed}
    assert list(changes) == [
        "active.normative_docs.issued",
        "active.normative_docs.repealed",
        "active.normative_docs.in_force",
        "active.fees.amount",
    ]
    issued = changes["active.normative_docs.issued"]
    assert (issued.previous, issued.current, issued.difference, issued.relative) == (88, 77, -11, -0.125)
    assert (issued.previous_raw, issued.current_raw) == ("88", "77")
    assert changes["active.normative_docs.repealed"].relative is None  # from 0
    in_force = changes["active.normative_docs.in_force"]
    assert (in_force.previous, in_force.current, in_force.difference, in_force.relative) == (
        698,
        None,
        None,
        None,
    )
    fee = changes["active.fees.amount"]
    assert fee.difference == Decimal("-3167.271333")
    assert fee.relative == pytest.approx(-3167.271333 / 9116.36)
    assert c.only_previous == c.only_current == ()


def test_equal_values_are_not_changes() -> None:
    previous = report(active=Active2021(fees=Fees2021(amount=Cell(Decimal("1.50")))))
    current = report(year=2023, active=Active2021(fees=Fees2021(amount=Cell(Decimal("1.5")))))
    assert compare(previous, current).changed == ()


def test_cells_of_one_edition_only() -> None:
    previous = report(
        edition="2019",
        year=2020,
        active=Active2019(
            normative_docs=Documents2019(made=Cell(5)),
            procurement=Procurement2019(amount=Cell(Decimal("85.64"), "85.64 万")),
        ),
    )
    current = report(year=2021, active=Active2021(fees=Fees2021(amount=Cell(Decimal("1.2")))))
    c = compare(previous, current)
    only_previous = {o.key: o for o in c.only_previous}
    only_current = {o.key: o for o in c.only_current}
    assert "active.procurement.amount" in only_previous
    assert only_previous["active.procurement.amount"].value == Decimal("85.64")
    assert only_previous["active.procurement.amount"].raw == "85.64 万"
    assert "active.normative_docs.made" in only_previous
    assert "active.fees.amount" in only_current
    assert "active.normative_docs.issued" in only_current
    assert not set(only_previous) & set(only_current)
    # keys of both editions (the rules row of section 二 differs in every column) never mix
    assert all(ch.key not in only_previous and ch.key not in only_current for ch in c.changed)


# --- findings -------------------------------------------------------------------------------------


def test_repetition_warning_above_threshold() -> None:
    c = compare(report(prose=Prose(overview=LONG)), report(year=2023, prose=Prose(overview=LONG + OTHER)))
    assert c.rate > 0.5
    (finding,) = c.findings
    assert finding.rule == "GX601"
    assert finding.severity is Severity.WARNING
    assert f"重复率为 {c.rate:.1%}，超过 50%" in finding.message
    assert c.exceeds_threshold


def test_no_warning_at_the_threshold_itself() -> None:
    copied, fresh = "一二三四五六七八九十甲乙丙", "子丑寅卯辰巳午未申酉戌亥天"
    c = compare(
        report(prose=Prose(overview=copied + "地玄黄")),
        report(year=2023, prose=Prose(overview=copied + fresh)),
    )
    assert c.rate == 0.5
    assert c.findings == ()
    assert compare(report(prose=Prose(overview=copied)), report(prose=Prose(overview=copied + fresh)), threshold=0.4)
    lower = compare(report(prose=Prose(overview=copied)), report(prose=Prose(overview=copied + fresh)), threshold=0.455)
    assert [f.rule for f in lower.findings] == ["GX601"]
    assert "超过 45.5%" in lower.findings[0].message


def test_cross_year_findings_come_from_check_series(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[Report]] = []
    carried = Finding(rule="GX999", severity=Severity.ERROR, message="上年结转与上年度结转下年度不符", cells=("x",))

    def check_series(reports: list[Report], **options: object) -> list[Finding]:
        calls.append(list(reports))
        return [carried]

    fake = types.ModuleType("gxgk.rules")
    fake.check_series = check_series  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gxgk.rules", fake)
    previous = report(prose=Prose(overview=LONG))
    current = report(year=2023, prose=Prose(overview=LONG))
    c = compare(previous, current)
    assert calls == [[previous, current]]
    assert [f.rule for f in c.findings] == ["GX999", "GX601"]


def sample_comparison() -> Comparison:
    hostile = "<script>alert('x')</script> & “引号”"
    previous = report(
        prose=Prose(overview=LONG + hostile, problems=OTHER),
        active=Active2021(normative_docs=Documents2021(issued=Cell(88))),
    )
    current = report(
        year=2023,
        prose=Prose(overview=LONG + "今年新增内容<b>加粗</b>", problems="问题：" + OTHER),
        active=Active2021(normative_docs=Documents2021(issued=Cell(77))),
    )
    return compare(previous, current)


# --- HTML -----------------------------------------------------------------------------------------


class _Balance(html.parser.HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()


def test_html_is_escaped_self_contained_and_balanced() -> None:
    c = sample_comparison()
    page = c.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;加粗&lt;/b&gt;" in page
    checker = _Balance()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert "script" not in checker.tags and "link" not in checker.tags and "img" not in checker.tags
    assert not [a for a in checker.attrs if a[0] in ("src", "href")]
    assert "<style>" in page
    assert page.count("<mark>") == page.count("</mark>") >= 3
    assert "active.normative_docs.issued" in page and "-11" in page
    assert f"{c.section('overview').rate:.1%}" in page
    assert "GX601" in page


def test_html_marks_the_repeated_passages() -> None:
    c = sample_comparison()
    body = comparison_html(c)
    long_passage = LONG[:-1]  # the final 。 is outside the passage
    assert f"<mark>{long_passage}</mark>" in body
    assert "<mark>今年共收到政府信息公开申请八十一件，均已按时办结，无行政复议和行政诉讼案件发生</mark>" in body


def test_notebook_shows_the_same_body() -> None:
    c = sample_comparison()
    assert c._repr_html_() == comparison_html(c)
    assert c._repr_html_() in c.to_html()
    assert repr(c).startswith("Comparison(previous='2022', current='2023', rate=")


def test_json_round_trip() -> None:
    from gxgk.convert import converter

    c = sample_comparison()
    data = json.loads(json.dumps(converter.unstructure(c)))
    assert data["changed"][0]["key"] == "active.normative_docs.issued"
    assert converter.structure(data, Comparison) == c


def test_records_are_frozen_and_slotted() -> None:
    c = sample_comparison()
    for value in (c, c.prose, c.prose.passages[0], c.changed[0], c.previous):
        assert attrs.has(type(value))
        assert not hasattr(value, "__dict__")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            value.__setattr__(attrs.fields(type(value))[0].name, None)


# --- command line -------------------------------------------------------------------------------


@pytest.fixture
def fake_parse(monkeypatch: pytest.MonkeyPatch) -> dict[str, Report]:
    """``gxgk.parse`` replaced by a lookup in a dict of reports (unknown paths are unreadable)."""
    c = sample_comparison()
    reports = {
        "prev.txt": report(
            prose=Prose(overview=c.sections[0].previous_text, problems=OTHER),
            active=Active2021(normative_docs=Documents2021(issued=Cell(88))),
        ),
        "cur.txt": report(
            year=2023,
            prose=Prose(overview=c.sections[0].current_text, problems=OTHER),
            active=Active2021(normative_docs=Documents2021(issued=Cell(77))),
        ),
    }

    def parse(path: Path) -> Report:
        assert isinstance(path, Path)  # a str naming no file would be parsed as text
        if str(path) not in reports:
            raise UnreadableError("cannot read this file:\nno such file", source=str(path))
        return reports[str(path)]

    monkeypatch.setattr(gxgk, "parse", parse, raising=False)
    return reports


def main(argv: list[str]) -> int:
    from gxgk.cli import main as cli_main

    return cli_main(argv)


def test_cli_text(fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "prev.txt", "cur.txt"]) == 0
    out = capsys.readouterr().out
    assert "一、总体情况" in out and "全部文字" in out
    assert "active.normative_docs.issued: 88 → 77  (-11, -12.5%)" in out
    assert "GX601" in out


def test_cli_json(fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "prev.txt", "cur.txt", "--format", "json", "--min-passage", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["min_passage"] == 20
    assert [s["name"] for s in data["sections"]] == ["overview", "problems", "other_matters"]
    assert data["sections"][1]["rate"] == 1.0
    assert 0 < data["prose"]["rate"] < 1
    assert data["prose"]["passages"][0]["length"] >= 20
    (change,) = data["changed"]
    assert (change["key"], change["previous"], change["current"], change["difference"]) == (
        "active.normative_docs.issued",
        88,
        77,
        -11,
    )
    assert [f["rule"] for f in data["findings"]] == ["GX601"]
    assert data["findings"][0]["severity"] == "warning"


def test_cli_threshold_and_html(fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "prev.txt", "cur.txt", "--format", "html", "--threshold", "0.99"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "GX601" not in page


def test_cli_unreadable_file(fake_parse: dict[str, Report], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "prev.txt", "missing.pdf"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "missing.pdf" in captured.err and "cannot read this file" in captured.err


@pytest.mark.parametrize("option", [["--threshold", "1.5"], ["--min-passage", "0"], ["--format", "xml"]])
def test_cli_rejects_bad_options(
    fake_parse: dict[str, Report], option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["compare", "prev.txt", "cur.txt", *option])
    assert exit_.value.code == 2


# --- real reports ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parse_real():  # type: ignore[no-untyped-def]
    parse = gxgk.parse
    cache: dict[str, Report] = {}

    def read(name: str) -> Report:
        if name not in cache:
            cache[name] = parse(str(REAL / name))
        return cache[name]

    return read


def gold_values(name: str) -> dict[str, tuple[Decimal | None, ...]]:
    """The values a gold file allows per cell (the .txt golds allow a blank where cells are glued)."""
    cells = json.loads((REAL / f"{name}.gold.json").read_text("utf-8"))["cells"]

    def number(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return {
        key: tuple(map(number, value["any_of"])) if isinstance(value, dict) else (number(value),)
        for key, value in cells.items()
    }


def assert_changes_match_gold(c: Comparison, previous: str, current: str) -> None:
    """Cells with one gold value on each side change exactly when the gold values differ; a changed
    cell with several allowed values shows allowed values."""
    before, after = gold_values(previous), gold_values(current)
    changed = {ch.key: ch for ch in c.changed}

    def number(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    for key in before.keys() & after.keys():
        if len(before[key]) == len(after[key]) == 1:
            assert (key in changed) == (before[key] != after[key]), key
        if key in changed:
            assert number(changed[key].previous) in before[key], key
            assert number(changed[key].current) in after[key], key


def carry_over_findings(c: Comparison) -> list[Finding]:
    return [f for f in c.findings if any(key.startswith("applications.carried_") for key in f.cells)]


@pytest.mark.parametrize("ext", ["txt", "html"])
@pytest.mark.parametrize(("previous", "current"), [("2021", "2022"), ("2022", "2023")])
def test_real_pingtan_pairs(parse_real, ext: str, previous: str, current: str) -> None:  # type: ignore[no-untyped-def]
    before = parse_real(f"pingtan-{previous}.{ext}")
    after = parse_real(f"pingtan-{current}.{ext}")
    c = compare(before, after)
    for section in (*c.sections, c.prose):
        assert 0.0 <= section.rate <= 1.0
    # every section of these reports has text, and each year reuses some of the previous year's
    assert c.section("overview").current_chars > 500
    assert 0.0 < c.rate < 1.0
    for p in c.prose.passages:
        assert (
            normalize_text(p.text).text == normalize_text(c.prose.previous_text[p.previous_start : p.previous_end]).text
        )
    # the changed cells are those the gold files say changed
    assert_changes_match_gold(c, f"pingtan-{previous}.{ext}", f"pingtan-{current}.{ext}")
    assert c.only_previous == c.only_current == ()
    assert carry_over_findings(c) == []


def test_real_2022_to_2023_normative_docs(parse_real) -> None:  # type: ignore[no-untyped-def]
    c = compare(parse_real("pingtan-2022.html"), parse_real("pingtan-2023.html"))
    change = {ch.key: ch for ch in c.changed}["active.normative_docs.issued"]
    assert (change.previous, change.current, change.difference) == (88, 77, -11)


def test_real_same_report_in_two_formats(parse_real) -> None:  # type: ignore[no-untyped-def]
    c = compare(parse_real("pingtan-2023.txt"), parse_real("pingtan-2023.html"))
    # the flattened text glues some cells, which the parser may leave blank: no two numbers differ
    assert all(ch.previous is None or ch.current is None for ch in c.changed)
    assert c.rate > 0.9


def test_real_rates_agree_across_formats(parse_real) -> None:  # type: ignore[no-untyped-def]
    # The .txt and .html files hold the same reports: once the prose is read without the site chrome
    # around it, each section repeats the same share of the previous year in both formats.
    from_txt = compare(parse_real("pingtan-2022.txt"), parse_real("pingtan-2023.txt"))
    from_html = compare(parse_real("pingtan-2022.html"), parse_real("pingtan-2023.html"))
    for a, b in zip((*from_txt.sections, from_txt.prose), (*from_html.sections, from_html.prose), strict=True):
        assert a.rate == pytest.approx(b.rate, abs=0.02), a.name


def test_real_cli_missing_file(parse_real, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["compare", str(REAL / "no-such-report.txt"), str(REAL / "pingtan-2022.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-report.txt" in err


def test_real_cli_json(parse_real, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    argv = ["compare", str(REAL / "pingtan-2022.html"), str(REAL / "pingtan-2023.html"), "--format", "json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["name"] for s in data["sections"]} == {"overview", "problems", "other_matters"}
    assert any(ch["key"] == "active.normative_docs.issued" and ch["current"] == 77 for ch in data["changed"])
    assert not [f for f in data["findings"] if any(k.startswith("applications.carried_") for k in f["cells"])]
