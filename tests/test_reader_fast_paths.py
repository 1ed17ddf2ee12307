"""The readers' fast paths give what the general code gives: whitespace normalisation, the binary-data check
and the HTML walk."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxgk.errors import UnreadableError
from gxgk.readers import _base, read
from gxgk.readers import text as text_reader


def cell_text_in_full(raw: str) -> str:
    """cell_text without its fast path."""
    raw = _base._ZERO_WIDTH.sub("", raw)
    text = _base._SPACES.sub(" ", _base._cjk_gap().sub("", raw)).strip()
    return _base._DIGIT_GAP.sub("", text) if _base._SPLIT_NUMBER.fullmatch(text) else text  # one number


def flow_text_in_full(raw: str) -> str:
    """flow_text without its fast path."""
    raw = _base._ZERO_WIDTH.sub("", raw)
    raw = _base._cjk_source_gap().sub("", raw)
    raw = _base._SOURCE_BREAK.sub(" ", raw)
    return _base._NBSP_RUN.sub(" ", raw)


# Every kind of whitespace and zero-width character, CJK and Latin text around them.
_PIECES = st.sampled_from(
    [
        *(" ", "  ", "\t", "\n", "\r", "\f", "\v", "\x1c", "\x85", "\u00a0", "\u1680", "\u2002", "\u200a"),
        *("\u2028", "\u202f", "\u205f", "\u3000", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"),
        *("中", "华人民", "，", "“", "2024", "a", "total", "ａ", "\U00020001"),
    ]
)
_TEXTS = st.lists(_PIECES | st.characters(), max_size=16).map("".join)


@given(_TEXTS)
def test_cell_text_fast_path(raw: str) -> None:
    assert _base.cell_text(raw) == cell_text_in_full(raw)


@given(_TEXTS)
def test_flow_text_fast_path(raw: str) -> None:
    assert _base.flow_text(raw) == flow_text_in_full(raw)


def test_strip_removes_the_whitespace_of_regular_expressions() -> None:
    # cell_text's fast path strips a cell with str.strip() and then looks for \s inside it.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(re.findall(r"\s", every)) == {ch for ch in every if ch.isspace()}


def test_characters_skipped_by_the_unassigned_count_are_assigned() -> None:
    # They must be assigned in every Unicode version gxgk's Pythons know (Unicode 13 for Python 3.10,
    # hence the CJK Unified Ideographs only up to U+9FFC); this checks the running Python's.
    skipped = "".join(text_reader._ASSIGNED.findall("".join(map(chr, range(0x10000)))))
    assert len(skipped) > 20_000
    assert not [ch for ch in skipped if unicodedata.category(ch) == "Cn"]


@given(st.lists(st.sampled_from(["中文", "a", "\u0378", "\u9ffd", "\u9fff", "\ufdd0", "\U000e0080", "\U00030000"])))
def test_unassigned_count_is_exact(pieces: list[str]) -> None:
    sample = "".join(pieces)
    unassigned = sum(1 for ch in sample[:4096] if unicodedata.category(ch) == "Cn")
    refused = unassigned > max(2, len(sample[:4096]) // 100)
    try:
        text_reader._refuse_binary(sample, None)
    except UnreadableError as exc:
        assert refused and "unassigned" in str(exc)
    else:
        assert not refused


def html_lines(body: str) -> list[str]:
    return read(f"<!DOCTYPE html><html><body>{body}</body></html>".encode()).text.split("\n")


def test_html_leaves_of_running_text() -> None:
    body = (
        '<p>甲<span style="display: none">隐藏</span><a href="#">乙</a><b></b>丙'
        '<i style="DISPLAY:NONE"></i><br><em>丁</em> <span>戊</span></p>'
        '<div>a<p style="display:none">b</p>c<li>d</li><SPAN>e</SPAN><o:p>f</o:p></div>'
    )
    assert html_lines(body) == ["甲乙丙", "丁 戊", "ac", "d", "ef", ""]  # a hidden block breaks no line


def test_html_cells_with_blocks_breaks_and_skipped_elements() -> None:
    body = (
        "<table><tr><td>a<p>b</p><script>x</script>c<br>d</td>"
        '<td><p><span style="display:none">隐</span><span>中</span></p><p>文<o:p></o:p></p></td>'
        "<TD><select><option>x</option></select>0</TD></tr></table>"
    )
    assert html_lines(body) == ["a bc d\t隐中文\t0", ""]  # hidden elements count in a cell


def test_html_empty_document() -> None:
    with pytest.raises(UnreadableError, match="Document is empty"):
        read(b"<!DOCTYPE html><!-- nothing -->")
