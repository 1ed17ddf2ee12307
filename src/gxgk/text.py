"""Character folding and number reading, shared by the layout, the lexer and the rules.

Folding maps one character to one character, so offsets in folded text are offsets in the source.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "DASH_SIGNS",
    "DIGITS",
    "FOLD",
    "MAX_NUMBER_TEXT",
    "ZERO_WORDS",
    "fold",
    "normalize_newlines",
    "parse_number",
]


def _fold_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII
    for (
        space
    ) in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff":
        table[ord(space)] = ord(" ")
    table[ord("\u2212")] = ord("-")  # minus sign
    table[ord("\u3001")] = ord("、")
    table[ord("\u3002")] = ord("。")
    table[ord("\uff61")] = ord("。")
    table[ord("\u2014")] = ord("—")
    table[ord("\u2015")] = ord("—")
    table[ord("\r")] = ord(" ")
    return table


#: The folding table: full-width ASCII to ASCII, every kind of space to " ", minus signs to "-".
FOLD = _fold_table()

# The characters folding changes (the table also maps a few to themselves), as strings. No character
# is changed into one that is changed again, so replacing them one after another, in any order, folds.
_CHANGES: dict[str, str] = {chr(k): chr(v) for k, v in FOLD.items() if k != v}
_FOLDABLE = re.compile("[" + "".join(re.escape(c) for c in sorted(_CHANGES)) + "]")


def fold(text: str) -> str:
    """``text`` with full-width forms and spaces folded; the same length as ``text``."""
    # ``text.translate(FOLD)`` looks every character up in a dict, which is slow for CJK text, and a
    # report holds only a handful of distinct foldable characters ("，", "（", "\u3000", …). So find
    # the first foldable character left, replace all of it at once (a fast C loop) and search on from
    # there: one pass of the regex over the text, one replace per distinct character (a replace costs
    # about a hundredth of a translate: even with every character of the table present, no slower).
    search = _FOLDABLE.search
    m = search(text)
    while m is not None:
        char = m.group()
        text = text.replace(char, _CHANGES[char])
        m = search(text, m.end())
    return text


def normalize_newlines(text: str) -> str:
    """``text`` with its line breaks as ``"\\n"``: Windows ``"\\r\\n"`` and a lone ``"\\r"`` (old Mac text, and
    the paragraph mark of text taken from Word by automation) each become one ``"\\n"``, as every editor
    counts lines. Line numbers in the result are those an editor shows for ``text``."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: The digits of a number as a cell writes them: plain, or with thousands separators between groups of
#: three ("1,234", never "1,23"), and decimals.
DIGITS = r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?"
_NUMBER = re.compile(
    rf"(?P<sign>[-+])?(?P<digits>{DIGITS})\s*(?P<unit>万元|万|元|件|个|项|次|条)?(?P<note>\([^()]{{0,30}}\))?"
)


#: The longest text read as a number. No cell of a report is longer (a count, an amount, a note such as
#: "(含服务)"), and Python refuses to make an int of more than 4,300 digits: a longer text is no number.
MAX_NUMBER_TEXT = 100


def parse_number(raw: str, *, amount: bool = False) -> int | Decimal | None:
    """The number in a cell's folded text, or ``None`` when it holds none.

    Counts become ``int``; with ``amount=True`` the value is a ``Decimal`` in 万元 (``"251000元"``
    is 25.1, ``"85.64 万"`` is 85.64, a bare number is taken as 万元, the template's unit).
    Thousands separators are dropped (``"1,234"``; ``"1,23"`` is no number); a note after the number is ignored
    (``"20(含服务)"`` is 20); 零 or 〇 alone is 0, and a dash before a number is its sign (``"—3"`` is
    -3). A text longer than :data:`MAX_NUMBER_TEXT` characters holds none.
    """
    if len(raw) > MAX_NUMBER_TEXT:
        return None
    if not amount and raw.isdigit() and raw.isascii():
        return int(raw)  # the common case, as the pattern below would read it
    m = _NUMBER.fullmatch(raw.strip())
    if not m:
        return _number_otherwise(raw.strip(), amount)
    digits = m.group("digits").replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    if m.group("sign") == "-":
        value = -value
    unit = m.group("unit")
    if amount:
        if unit == "元":
            value = value / Decimal(10000)
        return value.normalize() if value != value.to_integral() else value.quantize(Decimal(1))
    if value != value.to_integral():
        return value
    return int(value)


#: The Chinese words for zero, which a cell may hold instead of "0".
ZERO_WORDS = "零〇"
#: Dashes that typeset text and input methods put for a minus sign before a number ("—3").
DASH_SIGNS = "—–"


def _number_otherwise(text: str, amount: bool) -> int | Decimal | None:
    """A number written otherwise than in digits: 零 or 〇 is 0, a dash before a number its sign."""
    if len(text) == 1 and text in ZERO_WORDS:
        return parse_number("0", amount=amount)
    if len(text) > 1 and text[0] in DASH_SIGNS and text[1] not in DASH_SIGNS:
        return parse_number("-" + text[1:], amount=amount)
    return None
