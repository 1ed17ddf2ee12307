"""The ``gxgk`` command line: ``gxgk parse``, ``gxgk check`` and the other subcommands.

Each subcommand is a module of this package with ``register(subparsers)`` and ``run(args) -> int``;
heavy imports happen inside ``run`` so that start-up stays short.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main", "program"]

#: subcommand name -> module; order is the order of ``gxgk --help``.
COMMANDS: dict[str, str] = {
    "parse": "gxgk.cli.parse",
    "check": "gxgk.cli.check",
    "compare": "gxgk.cli.compare",
    "export": "gxgk.cli.export",
    "editions": "gxgk.cli.editions",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every installed subcommand."""
    from gxgk._version import __version__

    parser = argparse.ArgumentParser(
        prog="gxgk",
        description="Read and check 政府信息公开工作年度报告 (government information-disclosure annual reports).",
    )
    parser.add_argument("--version", action="version", version=f"gxgk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a subcommand not built yet or its module missing
            continue
        command = module.register(sub)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``gxgk``; returns the exit status (0 ok, 1 an error finding, 2 unreadable input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def program(argv: Sequence[str] | None = None) -> int:
    """:func:`main` as the ``gxgk`` command (and ``python -m gxgk``) runs it: in a process of its own.

    Such a process may tune what only its owner should: after its first report, ``gxgk check`` moves
    what the process keeps to its end out of the cyclic collector's way (:func:`gxgk.corpus.settle_gc`).
    :func:`main`, called from a user's program, leaves the collector alone.
    """
    from gxgk import corpus

    corpus.own_process()
    return main(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(program())
