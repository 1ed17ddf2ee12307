"""Template editions: the registry, and what an edition bundles.

An :class:`Edition` is one object: its name and defining documents, its grammar (a resource of its
package), the record class of each table, its cell specification (keys, official labels, kinds),
the years it is meant for, and the rules it adds. The built-in editions ``2019`` and ``2021`` are
defined exactly like third-party ones, which packages register through the entry-point group
``gxgk.editions`` (see docs/editions.md).
"""

from __future__ import annotations

import csv
import difflib
import functools
import importlib
import importlib.resources
import io
import pathlib
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from gxgk.errors import EditionError, GrammarError, PluginError
from gxgk.records import (
    Active2019,
    Active2021,
    ActiveTable,
    Applications2019,
    Applications2021,
    ApplicationsTable,
)

__all__ = ["CellSpec", "Edition", "all_editions", "available", "get", "register"]

ENTRY_POINT_GROUP = "gxgk.editions"
TABLES = ("active", "applications", "appeals")


@attrs.frozen
class CellSpec:
    """One cell of an edition: its key, table (二/三/四), official row and column labels, and kind
    (``count``, ``delta`` — signed —, ``amount_wan_yuan``)."""

    key: str
    table: str
    row: str
    column: str
    kind: str


@attrs.frozen(eq=False)
class Edition:
    """A template edition.

    ``grammar`` names a ``.lark`` resource in ``package``/``grammar_dir`` with the start rules
    ``active``, ``applications`` and ``appeals``; it may ``%import`` gxgk's grammars (``terms``,
    ``gxgk_2019``, ``gxgk_2021``). ``active`` and ``applications`` are the record classes of those
    tables; ``cells`` names the TSV resource (key, table, row, column, kind) in ``package``/
    ``cells_dir``. ``years`` is the first and last report year the edition is meant for (None: open).
    ``parent`` names the edition this one derives from. ``rules`` are rule codes this edition adds
    (registered with :func:`gxgk.rules.rule`).
    """

    name: str
    title: str
    documents: tuple[str, ...]
    grammar: str
    active: type[ActiveTable]
    applications: type[ApplicationsTable]
    cells: str
    package: str = "gxgk"
    grammar_dir: str = "grammars"
    cells_dir: str = "editions"
    years: tuple[int | None, int | None] = (None, None)
    parent: str | None = None
    rules: tuple[str, ...] = ()
    source: str = "built-in"

    # -- derived, built once per process ----------------------------------------------------------

    @property
    def parser(self) -> Any:
        """The edition's LALR parser (built on first use, then cached for the process)."""
        return _parser(self)

    @property
    def spec(self) -> Mapping[str, CellSpec]:
        """The edition's cells by key, in template order."""
        return _spec(self)

    def kind(self, key: str) -> str:
        """The kind of the cell at ``key`` (``count`` when the spec does not list it)."""
        spec = self.spec.get(key)
        return spec.kind if spec else "count"

    def covers_year(self, year: int | None) -> bool:
        """True when the edition is meant for reports on ``year``."""
        if year is None:
            return False
        first, last = self.years
        return (first is None or year >= first) and (last is None or year <= last)

    def table_class(self, table: str) -> type[Any]:
        """The record class of ``table`` (``active`` or ``applications``)."""
        return self.active if table == "active" else self.applications

    def __repr__(self) -> str:
        return f"Edition({self.name!r}, source={self.source!r})"


_lock = threading.Lock()
_parsers: dict[str, Any] = {}
_specs: dict[str, Mapping[str, CellSpec]] = {}


def _grammar_path(edition: Edition) -> tuple[Any, pathlib.Path | None]:
    """Where the grammar is: a package resource, or (gxgk run from a source checkout) grammars/."""
    files = importlib.resources.files(edition.package)
    resource = files.joinpath(edition.grammar_dir).joinpath(edition.grammar)
    if resource.is_file():
        return resource, None
    if edition.package == "gxgk":
        checkout = pathlib.Path(__file__).resolve().parents[3] / "grammars"
        if (checkout / edition.grammar).is_file():
            return None, checkout
    raise GrammarError(
        f"edition {edition.name!r} ({edition.source}): grammar {edition.grammar!r} not found in "
        f"package {edition.package!r} under {edition.grammar_dir!r}"
    )


def _parser(edition: Edition) -> Any:
    parser = _parsers.get(edition.name)
    if parser is not None:
        return parser
    with _lock:
        parser = _parsers.get(edition.name)
        if parser is None:
            parser = _build_parser(edition)
            _parsers[edition.name] = parser
    return parser


def _build_parser(edition: Edition) -> Any:
    from lark import Lark
    from lark.exceptions import GrammarError as LarkGrammarError
    from lark.exceptions import LarkError
    from lark.load_grammar import FromPackageLoader

    from gxgk.lexer import TokenStreamLexer

    _, checkout = _grammar_path(edition)
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": TokenStreamLexer,
        "start": list(TABLES),
        "maybe_placeholders": False,
    }
    try:
        if checkout is not None:
            return Lark.open(str(checkout / edition.grammar), **options)
        gxgk_grammars = _gxgk_grammar_loader(FromPackageLoader)
        return Lark.open_from_package(
            edition.package,
            edition.grammar,
            (edition.grammar_dir,),
            import_paths=[gxgk_grammars] if gxgk_grammars else [],
            **options,
        )
    except (LarkGrammarError, LarkError, OSError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GrammarError(f"edition {edition.name!r} ({edition.source}): grammar {edition.grammar!r}: {first}") from e


def _gxgk_grammar_loader(loader_cls: Any) -> Any:
    """A loader for gxgk's own grammars, so a plugin's grammar can ``%import gxgk_2021 (…)``."""
    if importlib.resources.files("gxgk").joinpath("grammars").joinpath("terms.lark").is_file():
        return loader_cls("gxgk", ("grammars",))
    checkout = pathlib.Path(__file__).resolve().parents[3] / "grammars"
    if checkout.is_dir():
        return str(checkout)
    return None


def _spec(edition: Edition) -> Mapping[str, CellSpec]:
    spec = _specs.get(edition.name)
    if spec is None:
        resource = importlib.resources.files(edition.package).joinpath(edition.cells_dir).joinpath(edition.cells)
        try:
            text = resource.read_text(encoding="utf-8")
        except OSError as e:
            raise PluginError(f"edition {edition.name!r} ({edition.source}): cell spec {edition.cells!r}: {e}") from e
        rows = csv.DictReader(io.StringIO(text), delimiter="\t")
        spec = {r["key"]: CellSpec(r["key"], r["table"], r["row"], r["column"], r["kind"]) for r in rows}
        _specs[edition.name] = spec
    return spec


# -- the registry ---------------------------------------------------------------------------------

EDITION_2019 = Edition(
    name="2019",
    title="中华人民共和国政府信息公开工作年度报告格式（试行）",
    documents=("国办公开办函〔2019〕60号",),
    grammar="gxgk_2019.lark",
    active=Active2019,
    applications=Applications2019,
    cells="cells-2019.tsv",
    years=(2019, 2020),
)

EDITION_2021 = Edition(
    name="2021",
    title="中华人民共和国政府信息公开工作年度报告格式",
    documents=("国办公开办函〔2021〕30号",),
    grammar="gxgk_2021.lark",
    active=Active2021,
    applications=Applications2021,
    cells="cells-2021.tsv",
    years=(2021, None),
    parent="2019",
)

_registry: dict[str, Edition] = {}
_failed: dict[str, str] = {}
_discovered = False


def register(edition: Edition) -> Edition:
    """Register an edition (replacing one of the same name); returns it."""
    _registry[edition.name] = edition
    _parsers.pop(edition.name, None)
    _specs.pop(edition.name, None)
    return edition


register(EDITION_2019)
register(EDITION_2021)


def _discover() -> None:
    """Load the editions of the entry-point group ``gxgk.editions`` once; a broken one is recorded."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _registry:
            continue
        try:
            obj = ep.load()
            edition = obj() if callable(obj) and not isinstance(obj, Edition) else obj
            if not isinstance(edition, Edition):
                raise TypeError(f"entry point gives {type(edition).__name__}, not gxgk.editions.Edition")
            edition = attrs.evolve(edition, source=f"plugin {ep.value}")
            register(edition)
        except Exception as e:  # a broken plugin must not break the built-in editions
            _failed[ep.name] = f"plugin {ep.name!r} ({ep.value}): {type(e).__name__}: {e}"


def available() -> list[str]:
    """The names of the installed editions: built-ins first, then plugins."""
    _discover()
    return list(_registry)


def all_editions() -> list[Edition]:
    """Every installed edition that loads."""
    _discover()
    return list(_registry.values())


def failed() -> Mapping[str, str]:
    """Plugins that could not be loaded, with the reason."""
    _discover()
    return dict(_failed)


def get(name: str) -> Edition:
    """The edition called ``name``; :class:`EditionError` with the closest name on a typo."""
    _discover()
    edition = _registry.get(str(name))
    if edition is not None:
        return edition
    if name in _failed:
        raise PluginError(_failed[name])
    close = difflib.get_close_matches(str(name), list(_registry), n=1, cutoff=0.3)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise EditionError(f"no edition {name!r} is installed (installed: {', '.join(_registry)}){hint}")


def iter_terminals(editions: Iterator[Edition] | list[Edition]) -> Iterator[tuple[str, str, int]]:
    """``(name, regex, priority)`` of every terminal with a pattern in the editions' grammars."""
    for edition in editions:
        for t in edition.parser.terminals:
            pattern = t.pattern
            if getattr(pattern, "type", "") == "re" or hasattr(pattern, "to_regexp"):
                yield t.name, pattern.to_regexp(), t.priority


@functools.lru_cache(maxsize=8)
def _vocabulary(names: tuple[str, ...]) -> Any:
    from gxgk.lexer import Vocabulary

    return Vocabulary(iter_terminals([_registry[n] for n in names]))


def vocabulary(editions: list[Edition]) -> Any:
    """The lexer's label vocabulary for a set of editions (cached per set)."""
    return _vocabulary(tuple(e.name for e in editions))


Hook = Callable[..., Any]
