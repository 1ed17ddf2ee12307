"""Template editions: the registry, and what an edition bundles.

An :class:`Edition` is one object: its name and defining documents, its grammar (a resource of its
package), the record class of each table, its cell specification (keys, official labels, kinds),
the years it is meant for, the edition it derives from, and the rules it adds. The built-in editions
``2019`` and ``2021`` are defined exactly like third-party ones, which packages register through the
entry-point group ``gxgk.editions`` (see docs/editions.md)::

    from gxgk import editions

    editions.available()            # ['2019', '2021', '2021-fujian-fee', …]
    editions.get("2021").parent     # '2019'
    editions.get("2012")            # EditionError: … did you mean '2019'?
    editions.failed()               # {'broken': "plugin 'broken' (pkg.mod:EDITION): …"}

Discovery is lazy: the entry points are loaded the first time the registry is asked for editions
(never at ``import gxgk``). A plugin that cannot be loaded — its module or object missing, its
grammar absent or broken, its record classes or cell spec wrong, a rule it lists not registered — is
left out and recorded in :func:`failed` with the reason; the other editions keep working.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib
import importlib.resources
import io
import os
import pathlib
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from gxgk.errors import EditionError, GrammarError, PluginError
from gxgk.records import (
    Active2019,
    Active2021,
    ActiveTable,
    Appeal,
    Applications2019,
    Applications2021,
    ApplicationsTable,
)

__all__ = [
    "BUILT_IN",
    "ENTRY_POINT_GROUP",
    "CellSpec",
    "Edition",
    "all_editions",
    "available",
    "failed",
    "get",
    "register",
]

#: The entry-point group plugins register their editions in.
ENTRY_POINT_GROUP = "gxgk.editions"
#: The ``source`` of gxgk's own editions.
BUILT_IN = "built-in"
TABLES = ("active", "applications", "appeals")
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")


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
    ``gxgk_2019``, ``gxgk_2021``) and ``%override`` their rules. ``active`` and ``applications`` are
    the record classes of those tables (subclasses of :class:`~gxgk.records.ActiveTable` and
    :class:`~gxgk.records.ApplicationsTable`); ``cells`` names the TSV resource (key, table, row,
    column, kind) in ``package``/``cells_dir`` — with a ``parent``, it need only list the cells the
    edition adds or changes. ``years`` is the first and last report year the edition is meant for
    (None: open). ``parent`` names the edition this one derives from. ``rules`` are the codes of the
    rules this edition adds (registered with :func:`gxgk.rules.rule` in a module the entry point
    imports). ``source`` says where the edition comes from (``built-in``, ``plugin <module:object>``);
    discovery fills it in.
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
    source: str = "in-process"

    # -- derived, built once per process ----------------------------------------------------------

    @property
    def parser(self) -> Any:
        """The edition's LALR parser (built on first use, then cached for the process)."""
        return _parser(self)

    @property
    def spec(self) -> Mapping[str, CellSpec]:
        """The edition's cells by key, in template order (a parent's cells inherited)."""
        return _spec(self)

    @property
    def builtin(self) -> bool:
        """True for gxgk's own editions."""
        return self.source == BUILT_IN

    @property
    def lineage(self) -> tuple[str, ...]:
        """This edition's name, then its parent's, and so on (``('2021', '2019')``)."""
        names = [self.name]
        parent = self.parent
        while parent is not None and parent not in names:
            names.append(parent)
            ancestor = _registry.get(parent)
            parent = ancestor.parent if ancestor is not None else None
        return tuple(names)

    def derives_from(self, name: str) -> bool:
        """True when ``name`` is this edition or one of its ancestors."""
        return name in self.lineage

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

    def keys(self) -> Iterator[str]:
        """Every cell key of the edition, in template order (from its record classes)."""
        yield from _class_keys(self.active, "active")
        yield from _class_keys(self.applications, "applications")
        for group in APPEAL_GROUPS:
            for f in attrs.fields(Appeal):
                yield f"{group}.{f.name}"

    def __repr__(self) -> str:
        return f"Edition({self.name!r}, source={self.source!r})"


def _class_keys(cls: type[Any], prefix: str) -> Iterator[str]:
    from gxgk.records import Cell

    for f in attrs.fields(attrs.resolve_types(cls)):
        key = f"{prefix}.{f.name}"
        if f.type is Cell:
            yield key
        elif isinstance(f.type, type) and attrs.has(f.type):
            yield from _class_keys(f.type, key)


_lock = threading.RLock()
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
    cache = _cache_path(edition)
    if cache is not None:
        options["cache"] = cache
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


def _cache_path(edition: Edition) -> str | None:
    """The file Lark keeps the edition's analysed parser in between runs, or None (no cache).

    It is ``$XDG_CACHE_HOME/gxgk`` (``~/.cache/gxgk``), one file per edition, gxgk, Lark and Python
    version; ``GXGK_NO_CACHE=1`` turns it off. Lark stores the hash of the grammar and of every file
    it imports and rebuilds when they differ or the file cannot be read; it skips writing when it
    cannot write, so a stale, broken or read-only cache costs only the build it was meant to save.
    The directory keeps the 32 newest files: before a new one is written the oldest go.
    """
    import hashlib
    import re
    import sys

    if os.environ.get("GXGK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "gxgk")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    from lark import __version__ as lark_version

    from gxgk._version import __version__

    # where the grammar is read from: a checkout and an installed copy of one version (a test venv,
    # say) would otherwise share a file, each rebuilding it for the other
    resource, checkout = _grammar_path(edition)
    location = str(checkout / edition.grammar) if checkout is not None else str(resource)
    where = f"{edition.package}/{edition.grammar_dir}/{edition.grammar}/{edition.source}/{location}"
    tag = hashlib.sha256(where.encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", edition.name)
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    path = os.path.join(directory, f"{name}-{tag}-gxgk{__version__}-lark{lark_version}-py{py}{_CACHE_SUFFIX}")
    if not os.path.exists(path):  # Lark is about to build the parser and write a new file
        _prune_cache(directory, _CACHE_KEEP - 1)
    return path


_CACHE_SUFFIX = ".lark-cache"
#: The most parser caches kept: every place a grammar is read from (a checkout, each virtual
#: environment, a plugin) has its own file, so the directory would otherwise grow with every new one.
_CACHE_KEEP = 32


def _prune_cache(directory: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently written parser caches in ``directory``.

    It runs only before a parser is built, never on a hit. A cache deleted here that is still in
    use costs one rebuild. Errors are ignored: another process may be pruning or writing too.
    """
    try:
        entries = [e for e in os.scandir(directory) if e.name.endswith(_CACHE_SUFFIX) and e.is_file()]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    except OSError:
        return
    for entry in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


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
        own = _read_spec(edition)
        inherited: dict[str, CellSpec] = {}
        if edition.parent is not None and edition.parent in _registry and edition.parent != edition.name:
            inherited = dict(_spec(_registry[edition.parent]))
        merged = {**inherited, **own}
        # template order, from the record classes; a parent's cells the edition dropped are left out
        ordered = {k: merged[k] for k in edition.keys() if k in merged}
        ordered.update((k, v) for k, v in own.items() if k not in ordered)
        spec = ordered
        _specs[edition.name] = spec
    return spec


def _read_spec(edition: Edition) -> dict[str, CellSpec]:
    resource = importlib.resources.files(edition.package).joinpath(edition.cells_dir).joinpath(edition.cells)
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as e:
        raise PluginError(
            f"edition {edition.name!r} ({edition.source}): cell spec {edition.cells!r} not found in package "
            f"{edition.package!r} under {edition.cells_dir!r}: {e}"
        ) from e
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    wanted = {"key", "table", "row", "column", "kind"}
    if not wanted <= set(rows.fieldnames or ()):
        raise PluginError(
            f"edition {edition.name!r} ({edition.source}): cell spec {edition.cells!r} needs the columns "
            f"{', '.join(sorted(wanted))} (has {', '.join(rows.fieldnames or ()) or 'none'})"
        )
    return {r["key"]: CellSpec(r["key"], r["table"], r["row"], r["column"], r["kind"]) for r in rows}


# -- the label vocabulary ----------------------------------------------------------------------


def iter_terminals(editions: Iterable[Edition]) -> Iterator[tuple[str, str, int]]:
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
    """The lexer's label vocabulary for a set of editions (cached per set).

    Terminals are shared by name: a plugin's new label needs a new terminal name (``R2_PROCESSING_FEE``);
    a name that is already gxgk's keeps gxgk's pattern.
    """
    return _vocabulary(tuple(e.name for e in editions))


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
    source=BUILT_IN,
)

#: The 2021 edition reads as "the 2019 edition, except…": see grammars/gxgk_2021.lark.
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
    source=BUILT_IN,
)

_registry: dict[str, Edition] = {}
_failed: dict[str, str] = {}
_checked: set[str] = set()
_discovered = False


def register(edition: Edition) -> Edition:
    """Register an edition (replacing one of the same name); returns it.

    Plugins do not call this: their entry point is enough. It is for editions defined in a script or
    a test; such an edition is checked (grammar, records, cell spec, rules) the first time the
    registry is asked for editions, like a plugin's.
    """
    with _lock:
        _registry[edition.name] = edition
        _failed.pop(edition.name, None)
        _checked.discard(edition.name)
        _forget(edition.name)
    return edition


def _forget(name: str) -> None:
    """Drop what was built from an edition of this name (parser, spec, vocabularies)."""
    _parsers.pop(name, None)
    for key in [k for k, e in _specs.items() if k == name or name in _lineage_names(k)]:
        _specs.pop(key, None)
    _vocabulary.cache_clear()


def _lineage_names(name: str) -> tuple[str, ...]:
    edition = _registry.get(name)
    return edition.lineage if edition is not None else (name,)


register(EDITION_2019)
register(EDITION_2021)
_checked.update(("2019", "2021"))


def _describe(ep: Any) -> str:
    dist = getattr(ep, "dist", None)
    where = f"{ep.value}"
    if dist is not None:
        where += f", distribution {dist.name} {dist.version}"
    return f"plugin {ep.name!r} ({where})"


def _load_entry_point(ep: Any) -> Edition:
    obj = ep.load()
    edition = obj() if callable(obj) and not isinstance(obj, Edition) else obj
    if not isinstance(edition, Edition):
        raise TypeError(f"the entry point gives {type(edition).__name__}, not a gxgk.editions.Edition")
    return attrs.evolve(edition, source=f"plugin {ep.value}")


def _discover() -> None:
    """Load the editions of the entry-point group ``gxgk.editions`` once; a broken one is recorded."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        try:
            found = _entry_points(ENTRY_POINT_GROUP)
        except Exception as e:  # broken installation metadata must not break the built-ins
            _failed["<entry points>"] = f"entry points {ENTRY_POINT_GROUP!r} could not be listed: {e}"
            found = []
        for ep in found:
            described = _describe(ep)
            try:
                edition = _load_entry_point(ep)
                taken = _registry.get(edition.name)
                if taken is not None and taken.builtin:
                    raise PluginError(f"the name {edition.name!r} belongs to a built-in edition")
                if taken is not None:
                    raise PluginError(f"the name {edition.name!r} is also given by {taken.source}")
            except Exception as e:  # a broken plugin must not break the other editions
                _failed[ep.name] = f"{described}: {_reason(e)}"
                continue
            register(edition)
        _discovered = True


def _entry_points(group: str) -> list[Any]:
    """The entry points of ``group``, as :func:`importlib.metadata.entry_points` lists them.

    That function reads the metadata of every installed distribution, tens of milliseconds at every
    start. Here the ``entry_points.txt`` files on ``sys.path`` are searched for the group first, and
    importlib.metadata is asked only when one declares it (or when a path entry is not a folder, a
    zip say, which only importlib.metadata reads).
    """
    declared = False
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                declared = True  # a zip or another kind of path entry: let importlib.metadata read it
            continue
        try:
            with os.scandir(folder) as names:
                infos = [e.path for e in names if e.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for info in infos:
            try:
                with open(os.path.join(info, "entry_points.txt"), encoding="utf-8", errors="replace") as f:
                    if f"[{group}]" in f.read():
                        declared = True
            except OSError:
                continue
    if not declared:
        return []
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


def _reason(e: BaseException) -> str:
    text = str(e).strip()
    if isinstance(e, (PluginError, GrammarError)):
        return text
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _validate(edition: Edition) -> None:
    """Raise :class:`PluginError` unless ``edition`` can read reports: the checks a plugin must pass."""
    what = f"edition {edition.name!r} ({edition.source})"
    for table, base in (("active", ActiveTable), ("applications", ApplicationsTable)):
        cls = edition.table_class(table)
        if not (isinstance(cls, type) and issubclass(cls, base) and attrs.has(cls)):
            raise PluginError(f"{what}: its {table} class must be an attrs subclass of gxgk.records.{base.__name__}")
    if edition.parent is not None and edition.parent not in _registry:
        raise PluginError(f"{what}: its parent edition {edition.parent!r} is not installed")
    _read_spec(edition)
    list(edition.keys())
    parser = edition.parser  # raises GrammarError, naming the edition
    missing = [t for t in TABLES if t not in (parser.options.start or ())]
    if missing:
        raise PluginError(f"{what}: its grammar has no start rule {', '.join(missing)}")
    if edition.rules:
        from gxgk import rules

        known = {r.code for r in rules.all_rules()}
        unknown = [c for c in edition.rules if c not in known]
        if unknown:
            raise PluginError(
                f"{what}: rule {', '.join(unknown)} is listed in Edition.rules but not registered "
                "(define it with gxgk.rules.rule in a module the entry point imports)"
            )


def _ensure_checked() -> None:
    """Check the editions not checked yet (plugins, in-process ones); move broken ones to failed()."""
    pending = [e for n, e in _registry.items() if n not in _checked]
    if not pending:
        return
    with _lock:
        for edition in pending:
            if _registry.get(edition.name) is not edition:
                continue
            try:
                _validate(edition)
            except Exception as e:
                _registry.pop(edition.name, None)
                _forget(edition.name)
                label = edition.source[len("plugin ") :] if edition.source.startswith("plugin ") else edition.source
                _failed[edition.name] = f"plugin {edition.name!r} ({label}): {_reason(e)}"
                continue
            _checked.add(edition.name)


def _ready() -> None:
    _discover()
    _ensure_checked()


def available() -> list[str]:
    """The names of the installed editions that load: built-ins first, then plugins."""
    _ready()
    return list(_registry)


def all_editions() -> list[Edition]:
    """Every installed edition that loads: built-ins first, then plugins."""
    _ready()
    return list(_registry.values())


def failed() -> Mapping[str, str]:
    """Plugins that could not be loaded, by name, with the reason (naming the plugin)."""
    _ready()
    return dict(_failed)


def get(name: str) -> Edition:
    """The edition called ``name``.

    Raises :class:`~gxgk.errors.PluginError` (with the reason) when it is a plugin that failed to
    load, :class:`~gxgk.errors.EditionError` with the closest installed name otherwise.
    """
    _ready()
    edition = _registry.get(str(name))
    if edition is not None:
        return edition
    if name in _failed:
        raise PluginError(_failed[name])
    import difflib  # here: only an unknown name needs it

    close = difflib.get_close_matches(str(name), list(_registry), n=1, cutoff=0.3)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise EditionError(f"no edition {name!r} is installed (installed: {', '.join(_registry)}){hint}")
