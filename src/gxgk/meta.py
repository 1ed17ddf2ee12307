"""The report's title, agency, year and date, read from the text around the tables."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from gxgk.layout import SectionSpan

__all__ = ["Meta", "read_meta"]

# "…政府信息公开工作年度报告", "…政府信息公开年报", "…关于2022年度政府信息公开工作的年度报告"
_TITLE = re.compile(r"(?:政府信息公开|政务公开)(?:工作)?\s*(?:的\s*)?(?:年度报告|年度工作报告|年报)")
# a year in Arabic digits, or in Chinese ones ("二〇二二年")
_CHINESE_DIGITS = "〇零一二三四五六七八九"
_YEAR_IN_TITLE = re.compile(rf"(20\d{{2}}|二[〇零][{_CHINESE_DIGITS}]{{2}})\s*年")
_PERIOD = re.compile(r"统计期限.{0,6}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR = re.compile(r"(?<!\d)(20[12]\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日前)")
_DATE = re.compile(r"(20\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_PUBLISHED = re.compile(r"(?:发布(?:时间|日期)|成文日期)\s*[:：]\s*" + _DATE.pattern)
_PREFIX = re.compile(r"^(?:标题|题目|名称)\s*[:：]\s*")
_PUBLISHER = re.compile(r"(?:发布机构|来源|发文机关)\s*[:：]\s*([^\s|\t]{2,40})")
_AGENCY_SUFFIX = re.compile(
    r"(?:人民政府|管委会|委员会|局|厅|委|办|署|院|中心|部|处|所|站|区|县|市|镇|乡|街道办事处|街道)$"
)
_YEAR_AT_END = re.compile(r"\s*(?:关于)?\s*(?:20\d{2}\s*年度?)?\s*(?:关于)?\s*$")
# what stands before the agency in a title: "关于", a year ("2022年", "二〇二二年度")
_BEFORE_AGENCY = re.compile(rf"^\s*(?:关于)?\s*(?:(?:20\d{{2}}|二[〇零][{_CHINESE_DIGITS}]{{2}})\s*年度?)?\s*")
# a line of a site's navigation: a list item, a breadcrumb
_NAVIGATION = re.compile(r"^\s*[•·●▪■◆*-]|[>»›→]|当前位置|您的位置|所在位置")
_WORD = re.compile(r"[^\W_]")
# a numbered heading or item ("一、总体情况", "（一）", "1."): never a line of a title
_NUMBERED = re.compile(r"\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])")
_TAIL = re.compile(r"\s*(?:20\d{2}\s*年度?)?\s*(?:政府信息公开|政务公开).*$")


def _year_of(digits: str) -> int:
    """A year written in Arabic digits or in Chinese ones ("二〇二二")."""
    if digits.isascii():
        return int(digits)
    return int("".join(str(max(_CHINESE_DIGITS.index(d) - 1, 0)) for d in digits))  # 〇 and 零 are 0


class Meta(NamedTuple):
    """What the text says about the report itself."""

    title: str | None
    agency: str | None
    year: int | None
    date: str | None


def _clean(line: str) -> str:
    return re.sub(r"[\s|#*]+", " ", _PREFIX.sub("", line.strip())).strip()


def read_meta(text: str, folded: str, sections: Sequence[SectionSpan]) -> Meta:
    """Title, agency, report year and publication date, where the text gives them."""
    head_end = sections[0].start if sections else min(len(text), 3000)
    first_table = next((s.start for s in sections if s.number >= 2), len(text))
    lines = [ln for ln in folded[: max(head_end, min(first_table, 4000))].splitlines() if ln.strip()]
    title = agency = None
    year: int | None = None
    # The first title line that names an agency or a year and is not the site's navigation, which
    # names the column before the title ("• 政府信息公开年报", "首页 > 政府信息公开年报"); else the
    # first that is not navigation; else the first.
    rank = 4
    for i, line in enumerate(lines[:40]):
        if _TITLE.search(line) and len(line.strip()) <= 80:
            found = _title_at(lines, i)
            this = (found[1] is None and found[2] is None) + 2 * (_NAVIGATION.search(line) is not None)
            if this < rank:
                rank = this
                title, agency, year = found
            if rank == 0:
                break
    if year is None:
        m = _PERIOD.search(folded)
        if m:
            year = int(m.group(1))
    if year is None:
        # the year most named before the tables (preamble and 一、总体情况)
        counts = Counter(int(y) for y in _YEAR.findall(folded[: min(first_table, 20000)]))
        if counts:
            year = counts.most_common(1)[0][0]
    if agency is None:
        m = _PUBLISHER.search(folded[:head_end] if head_end else folded[:3000])
        if m:
            agency = m.group(1)
    if agency is None:
        agency = _signature(folded)
    return Meta(title=title, agency=agency, year=year, date=_date(folded, sections, year))


def _title_at(lines: Sequence[str], i: int) -> tuple[str, str | None, int | None]:
    """The title, agency and year of the title found on ``lines[i]``."""
    title = _clean(lines[i])
    end = _TITLE.search(title)
    title = title[: end.end()] if end else title  # drop a site's suffix: "…年度报告_政府信息公开年报_…"
    before = _TAIL.sub("", title).strip()
    # a title wrapped over lines: the agency (and the year) on the lines before, up to two
    back = i
    agency = _agency_of(before)
    while (
        agency is None
        and back > 0
        and i - back < 2
        and len(lines[back - 1].strip()) <= 40
        and not _NAVIGATION.search(lines[back - 1])
        and not _NUMBERED.match(lines[back - 1])
    ):
        back -= 1
        before = f"{_clean(lines[back])}{before}"
        title = f"{_clean(lines[back])}{title}"
        agency = _agency_of(before)
    m = _YEAR_IN_TITLE.search(title)
    return title, agency, _year_of(m.group(1)) if m else None


def _agency_of(before: str) -> str | None:
    """The agency in the part of a title before "政府信息公开…": what is left without the year and a
    "关于" either side of it, if it has a word (not a list's bullet)."""
    agency = _BEFORE_AGENCY.sub("", _YEAR_AT_END.sub("", before)).strip()
    return agency if _WORD.search(agency) else None


def _signature(folded: str) -> str | None:
    """The agency signing the report: a short line before the closing date."""
    tail = [ln.strip() for ln in folded[-600:].splitlines() if ln.strip()]
    for i, line in enumerate(tail):
        if _DATE.fullmatch(line) and i > 0 and _AGENCY_SUFFIX.search(tail[i - 1]) and len(tail[i - 1]) <= 40:
            return tail[i - 1]
    return None


def _date(folded: str, sections: Sequence[SectionSpan], year: int | None) -> str | None:
    """The publication date: 发布时间 near the top, else the date closing the report."""
    # the regex starts at one of two words: searched for first (a fast C search), the regex from there
    starts = [i for i in (folded.find("发布", 0, 5000), folded.find("成文日期", 0, 5000)) if i >= 0]
    m = _PUBLISHED.search(folded, min(starts), 5000) if starts else None
    if not m:
        tail = folded[-300:]
        found = list(_DATE.finditer(tail))
        m = found[-1] if found else None
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups()[-3:])
    if not (1 <= mo <= 12 and 1 <= d <= 31) or (year is not None and not (year <= y <= year + 2)):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
