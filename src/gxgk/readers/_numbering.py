"""Word's automatic list numbering, for the .docx reader.

A heading typed as "一、总体情况" holds its numeral as text; one numbered by Word ("一、" from a list
level, as a heading style often is) holds only "总体情况": the numeral is worked out when the document
is shown, from ``word/numbering.xml``. :class:`Numbering` works it out the same way, paragraph by
paragraph in document order, so that the text read is the text a reader sees.

Covered: numbering set on a paragraph (``w:numPr``) or through its paragraph style (and the styles it
is based on); the counters of an abstract numbering shared by its list instances, a deeper level
restarting when a shallower one counts, ``w:startOverride``; the number formats of Chinese, Arabic,
Roman, letter and circled numbering; ``w:suff``. Not covered: ``w:lvlRestart`` other than the
default, ``w:isLgl``, picture bullets; bullets and ``none`` levels show nothing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Numbering", "format_number"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = _W + "val"
_PPR, _NUMPR, _NUMID, _ILVL, _PSTYLE = (_W + t for t in ("pPr", "numPr", "numId", "ilvl", "pStyle"))
_LEVELS = 9  # w:ilvl 0–8

_DIGITS = "零一二三四五六七八九"  # counting: "一百零五"
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"  # digit by digit: "二〇二一"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """1–9999 in Chinese counting ("十一", "二十", "一百零五"); others as Arabic digits."""
    if not 0 < n < 10_000:
        return str(n)
    if n < 20 and units[0] == "十":  # "十一", not "一十一"
        return units[0] + (digits[n - 10] if n > 10 else "") if n >= 10 else digits[n]
    out: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero and out:
                out.append(digits[0])
            out.append(digits[d] + unit)
            zero = False
        else:
            zero = True
    return "".join(out)


def _letters(n: int, upper: bool) -> str:
    """Word's letter numbering: a … z, then aa … zz, aaa …"""
    if n < 1:
        return str(n)
    letter = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    text = "".join(out)
    return text if upper else text.lower()


def format_number(n: int, fmt: str) -> str:
    """``n`` in the Word number format ``fmt`` (``w:numFmt``); Arabic digits for formats not covered."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL_DIGITS, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n, fmt == "upperRoman")
    return str(n)


class _Level(NamedTuple):
    start: int
    fmt: str
    text: str | None  # w:lvlText; None: the level shows nothing
    suffix: str


def _val(el: Any, tag: str, default: str | None = None) -> str | None:
    child = el.find(tag)
    if child is None:
        return default
    return child.get(_VAL, default)  # type: ignore[no-any-return]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _levels(abstract: Any) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in abstract.iterfind(_W + "lvl"):
        ilvl = _int(lvl.get(_W + "ilvl"), -1)
        if not 0 <= ilvl < _LEVELS:
            continue
        fmt = _val(lvl, _W + "numFmt", "decimal") or "decimal"
        text = _val(lvl, _W + "lvlText")
        suffix = {"space": " ", "nothing": ""}.get(_val(lvl, _W + "suff", "tab") or "tab", " ")
        shown = None if fmt in ("bullet", "none") or text is None else text
        levels[ilvl] = _Level(_int(_val(lvl, _W + "start"), 1), fmt, shown, suffix)
    return levels


class Numbering:
    """The numbers of a document's numbered paragraphs, asked for in document order.

    ``numbering`` is the root of ``word/numbering.xml``, ``styles`` that of ``word/styles.xml`` (or
    None). :meth:`label` of a paragraph gives the text Word shows before it ("一、", "1. ", "") and
    counts it.
    """

    __slots__ = ("_abstract", "_counters", "_nums", "_overridden", "_styles")

    def __init__(self, numbering: Any, styles: Any = None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {
            a.get(_W + "abstractNumId", ""): _levels(a) for a in numbering.iterfind(_W + "abstractNum")
        }
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        for num in numbering.iterfind(_W + "num"):
            overrides = {}
            for override in num.iterfind(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"), -1)
                start = _val(override, _W + "startOverride")
                if 0 <= ilvl < _LEVELS and start is not None:
                    overrides[ilvl] = _int(start, 1)
            self._nums[num.get(_W + "numId", "")] = (_val(num, _W + "abstractNumId", "") or "", overrides)
        self._styles = _style_numbering(styles) if styles is not None else {}
        self._counters: dict[str, list[int | None]] = {}
        self._overridden: set[str] = set()

    def may_number(self, el: Any) -> bool:
        """Whether a paragraph below ``el`` may be numbered: one names a numbering of its own, or a style
        that has one (False: :meth:`label` gives "" for each and counts none)."""
        if next(el.iter(_NUMPR), None) is not None:
            return True
        styles = self._styles
        return bool(styles) and any(style.get(_VAL) in styles for style in el.iter(_PSTYLE))

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph ``p`` with its suffix, counting it; "" for none."""
        ppr = p.find(_PPR)
        if ppr is None:
            return ""
        numpr = ppr.find(_NUMPR)
        style = _val(ppr, _PSTYLE)
        num_id, ilvl = self._styles.get(style, (None, 0)) if style is not None else (None, 0)
        if numpr is not None:
            num_id = _val(numpr, _NUMID, num_id)
            ilvl = _int(_val(numpr, _ILVL), ilvl)
        if num_id is None or num_id == "0" or num_id not in self._nums or not 0 <= ilvl < _LEVELS:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, [None] * _LEVELS)
        if num_id not in self._overridden:
            self._overridden.add(num_id)
            for level in overrides:
                counters[level] = None
        start = overrides.get(ilvl, levels[ilvl].start)
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        level = levels[ilvl]
        if level.text is None:
            return ""
        text = level.text
        for k in range(ilvl + 1):
            placeholder = f"%{k + 1}"
            if placeholder in text:
                known = levels.get(k)
                value = counters[k]
                if value is None:
                    value = overrides.get(k, known.start if known else 1)
                text = text.replace(placeholder, format_number(value, known.fmt if known else "decimal"))
        return text + level.suffix if text else ""


def _style_numbering(styles: Any) -> dict[str, tuple[str, int]]:
    """The numbering (``numId``, ``ilvl``) of each paragraph style that has one, through ``w:basedOn``."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in styles.iterfind(_W + "style"):
        style_id = style.get(_W + "styleId")
        if style_id is None:
            continue
        parent = _val(style, _W + "basedOn")
        if parent is not None:
            based[style_id] = parent
        ppr = style.find(_PPR)
        numpr = ppr.find(_NUMPR) if ppr is not None else None
        if numpr is not None:
            ilvl = _val(numpr, _ILVL)
            own[style_id] = (_val(numpr, _NUMID), _int(ilvl, 0) if ilvl is not None else None)
    resolved: dict[str, tuple[str, int]] = {}
    for style_id in set(own) | set(based):
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        at: str | None = style_id
        while at is not None and at not in seen and (num_id is None or ilvl is None):
            seen.add(at)
            mine = own.get(at)
            if mine is not None:
                num_id = mine[0] if num_id is None else num_id
                ilvl = mine[1] if ilvl is None else ilvl
            at = based.get(at)
        if num_id is not None:
            resolved[style_id] = (num_id, ilvl or 0)
    return resolved
