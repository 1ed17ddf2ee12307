"""``gxgk compare PREVIOUS CURRENT``: an agency's report against its previous one.

Prints the repetition rate of each prose section and of the whole prose, the changed table cells and
the cross-year findings, as text, JSON or a self-contained HTML page.
"""

from __future__ import annotations

import argparse
import enum
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gxgk.compare import Comparison

__all__ = ["format_text", "register", "run"]


def _min_passage(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a share between 0 and 1, not {text}")
    return value


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to ``subparsers`` and return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "compare",
        help="compare a report with the same agency's previous one",
        description=(
            "Compare an agency's report with its previous one: the share of each prose section "
            "(一、五、六) repeated from last year's text (与上年度重复率), the table cells that changed, and "
            "the cross-year findings (上年结转 = 上年度结转下年度, 现行有效件数)."
        ),
    )
    parser.add_argument("previous", metavar="PREVIOUS", help="the earlier report (any format gxgk reads)")
    parser.add_argument("current", metavar="CURRENT", help="the later report")
    parser.add_argument(
        "--format",
        choices=("text", "json", "html"),
        default="text",
        help="output format (default: text); html is one self-contained page",
    )
    parser.add_argument(
        "--min-passage",
        type=_min_passage,
        default=13,
        metavar="N",
        help="shortest repeated passage counted, in characters without spaces or punctuation (default: 13)",
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=0.5,
        metavar="F",
        help="warn (GX601) when the whole prose repeats more than this share (default: 0.5)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``gxgk compare``: 0 on success, 2 when a report cannot be read."""
    from gxgk import parse
    from gxgk.compare import compare
    from gxgk.errors import GxgkError

    try:
        # Path, not str: gxgk.parse reads a str that names no file as the report's text
        previous = parse(Path(args.previous))
        current = parse(Path(args.current))
    except GxgkError as error:
        message = " ".join(str(error).split())
        print(f"gxgk compare: {message}", file=sys.stderr)
        return 2
    comparison = compare(previous, current, min_passage=args.min_passage, threshold=args.threshold)
    if args.format == "json":
        output = json.dumps(_unstructure(comparison), ensure_ascii=False, indent=2, default=_json_default)
    elif args.format == "html":
        output = comparison.to_html()
    else:
        output = format_text(comparison)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 1 if any(f.severity.value == "error" for f in comparison.findings) else 0


def _unstructure(comparison: Comparison) -> Any:
    try:
        from gxgk.convert import converter
    except ImportError:
        import attrs

        return attrs.asdict(comparison, value_serializer=_serialize)
    return converter.unstructure(comparison)


def _serialize(_instance: object, _field: object, value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):  # Severity
        return value.value
    return value


def _json_default(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def format_text(comparison: Comparison) -> str:
    """The comparison as plain text, one line per section, changed cell and finding."""
    c = comparison
    lines = []
    agency = c.current.agency or c.previous.agency
    lines.append(f"{agency + '：' if agency else ''}{c.previous.label} → {c.current.label}")
    lines.append(f"重复率（片段不少于 {c.min_passage} 字，阈值 {c.threshold * 100:.4g}%）:")
    width = max(len(item.title) for item in (*c.sections, c.prose))
    for item in (*c.sections, c.prose):
        mark = "  超过阈值" if item is c.prose and c.exceeds_threshold else ""
        lines.append(
            f"  {item.title:\u3000<{width}}  {item.rate:6.1%}  "
            f"({item.repeated_chars}/{item.current_chars} 字, {len(item.passages)} 段){mark}"
        )
    lines.append(f"变化的单元格: {len(c.changed)}")
    for ch in c.changed:
        change = ""
        if ch.difference is not None:
            change = f"  ({'+' if ch.difference > 0 else ''}{ch.difference}"
            change += f", {ch.relative:+.1%})" if ch.relative is not None else ")"
        lines.append(f"  {ch.key}: {_show(ch.previous)} → {_show(ch.current)}{change}")
    for label, cells in ((c.previous.label, c.only_previous), (c.current.label, c.only_current)):
        if cells:
            lines.append(f"仅见于 {label}: {len(cells)}")
            lines.extend(f"  {one.key}: {_show(one.value)}" for one in cells)
    lines.append(f"发现: {len(c.findings)}")
    lines.extend(f"  {f.rule} {f.severity.value} {f.message}" for f in c.findings)
    return "\n".join(lines) + "\n"


def _show(value: object) -> str:
    return "空" if value is None else str(value)
