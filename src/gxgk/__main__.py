"""``python -m gxgk``: the same as the ``gxgk`` command."""

import sys

from gxgk.cli import program

sys.exit(program())
