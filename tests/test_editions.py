"""Editions as plugins: the registry, discovery through entry points, broken plugins, ``gxgk editions``,
and the example plugin (examples/gxgk-edition-example) installed into a fresh virtual environment."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pathlib
import subprocess
import sys
import textwrap
import venv
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

import gxgk
from gxgk import editions
from gxgk.cli import main
from gxgk.errors import EditionError, PluginError
from gxgk.records import Active2021, Applications2021
from paths import ROOT

EXAMPLE = ROOT / "examples" / "gxgk-edition-example"
SAMPLE_2021 = gxgk.sample_path().read_text(encoding="utf-8")

# -- the built-ins are defined like plugins ------------------------------------------------------------


def test_builtins_and_lineage() -> None:
    e2019, e2021 = editions.get("2019"), editions.get("2021")
    assert e2019.builtin and e2021.builtin and e2019.source == "built-in"
    assert e2021.parent == "2019" and e2021.lineage == ("2021", "2019") and e2021.derives_from("2019")
    assert not e2019.derives_from("2021")
    assert editions.available()[:2] == ["2019", "2021"]
    assert e2021.covers_year(2023) and not e2021.covers_year(2020) and e2019.covers_year(2020)


def test_spec_in_template_order() -> None:
    for name, count in (("2019", 198), ("2021", 200)):
        edition = editions.get(name)
        assert list(edition.spec) == list(edition.keys()) and len(edition.spec) == count
    assert editions.get("2021").kind("active.fees.amount") == "amount_wan_yuan"


def test_get_suggests_the_closest_name() -> None:
    with pytest.raises(EditionError, match=r"did you mean '2019'\?") as info:
        editions.get("2O19")
    assert isinstance(info.value, LookupError)
    with pytest.raises(EditionError, match="installed: 2019, 2021"):
        editions.get("nothing-like-it")


# -- plugins, in process: fake entry points ------------------------------------------------------------

FAKE = "gxgk_fake_edition_plugin"


@pytest.fixture(scope="session")
def fake_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An importable package with plugin objects, good and broken, and their grammar resources."""
    root = tmp_path_factory.mktemp("plugins")
    pkg = root / FAKE
    (pkg / "grammars").mkdir(parents=True)
    (pkg / "grammars" / "fake.lark").write_text("%import gxgk_2021 (active, applications, appeals)\n")
    (pkg / "grammars" / "broken.lark").write_text("%import gxgk_2021 (active, applications, appeals)\nactive: (\n")
    (pkg / "grammars" / "cells.tsv").write_text(
        "key\ttable\trow\tcolumn\tkind\nactive.fees.amount\t二\t第二十条第（八）项/行政事业性收费\t本年收费金额\tcount\n"
    )
    (pkg / "__init__.py").write_text(
        textwrap.dedent(
            """
            import attrs
            from gxgk.editions import Edition
            from gxgk.records import Active2021, Applications2021

            OK = Edition(
                name="fake-ok", title="fake", documents=("测试",), grammar="fake.lark", active=Active2021,
                applications=Applications2021, cells="cells.tsv", package=__name__, cells_dir="grammars",
                years=(2021, None), parent="2021",
            )
            MISSING_GRAMMAR = attrs.evolve(OK, name="fake-missing", grammar="nope.lark")
            BROKEN_GRAMMAR = attrs.evolve(OK, name="fake-broken", grammar="broken.lark")
            UNKNOWN_RULE = attrs.evolve(OK, name="fake-rule", rules=("ZZ999",))
            TAKEN = attrs.evolve(OK, name="2021")
            NOT_AN_EDITION = 42

            def make():
                return attrs.evolve(OK, name="fake-callable")
            """
        )
    )
    sys.path.insert(0, str(root))
    yield FAKE
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m.startswith(FAKE)]:
        del sys.modules[name]


Install = Callable[..., None]


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch, fake_package: str) -> Iterator[Install]:
    """``plugins(name=value, …)``: the registry as if only these entry points were installed."""

    def install(**points: str) -> None:
        eps = [importlib.metadata.EntryPoint(n, v, editions.ENTRY_POINT_GROUP) for n, v in points.items()]
        monkeypatch.setattr(editions, "_entry_points", lambda group: [e for e in eps if e.group == group])
        monkeypatch.setattr(editions, "_registry", {n: e for n, e in editions._registry.items() if e.builtin})
        monkeypatch.setattr(editions, "_failed", {})
        monkeypatch.setattr(editions, "_checked", {"2019", "2021"})
        monkeypatch.setattr(editions, "_discovered", False)
        editions._vocabulary.cache_clear()

    yield install
    editions._vocabulary.cache_clear()


def test_plugin_found_and_detection_prefers_the_builtin_on_a_tie(plugins: Install) -> None:
    plugins(**{"fake-ok": f"{FAKE}:OK", "fake-callable": f"{FAKE}:make"})
    assert editions.available() == ["2019", "2021", "fake-ok", "fake-callable"]
    ok = editions.get("fake-ok")
    assert ok.source == f"plugin {FAKE}:OK" and not ok.builtin and ok.lineage == ("fake-ok", "2021", "2019")
    assert editions.get("fake-callable").source == f"plugin {FAKE}:make"
    # its cells TSV changes one cell's kind; the rest is inherited from 2021, in template order
    assert ok.kind("active.fees.amount") == "count" and list(ok.spec) == list(editions.get("2021").spec)
    # the fake editions read a 2021 table exactly as well as 2021 does: the built-in keeps it
    report = gxgk.parse(SAMPLE_2021)
    assert report.edition == "2021" and report.table_editions.distinct() == ("2021",)
    forced = gxgk.parse(SAMPLE_2021, edition="fake-ok")
    assert forced.edition == "fake-ok" and [c.value for _, c in forced.cells()] == [c.value for _, c in report.cells()]
    assert not editions.failed()


@pytest.mark.parametrize(
    ("name", "target", "reason"),
    [
        ("fake-missing", f"{FAKE}:MISSING_GRAMMAR", "grammar 'nope.lark' not found in package"),
        ("fake-broken", f"{FAKE}:BROKEN_GRAMMAR", "grammar 'broken.lark'"),
        ("fake-nothing", "gxgk_no_such_plugin_module:EDITION", "ModuleNotFoundError"),
        ("fake-no-attr", f"{FAKE}:NO_SUCH_OBJECT", "AttributeError"),
        ("fake-int", f"{FAKE}:NOT_AN_EDITION", "gives int, not a gxgk.editions.Edition"),
        ("fake-rule", f"{FAKE}:UNKNOWN_RULE", "rule ZZ999 is listed in Edition.rules but not registered"),
        ("fake-taken", f"{FAKE}:TAKEN", "the name '2021' belongs to a built-in edition"),
    ],
)
def test_broken_plugin_is_named_and_does_not_break_the_builtins(
    plugins: Install, capsys: pytest.CaptureFixture[str], name: str, target: str, reason: str
) -> None:
    plugins(**{name: target, "fake-ok": f"{FAKE}:OK"})
    failures = editions.failed()
    assert list(failures) == [name]
    assert failures[name].startswith(f"plugin {name!r} (") and target in failures[name] and reason in failures[name]
    assert editions.available() == ["2019", "2021", "fake-ok"]
    assert editions.get("2021").source == "built-in"
    if name != "fake-taken":
        with pytest.raises(PluginError, match=reason.split("'")[0]):
            editions.get(name)
    report = gxgk.parse(SAMPLE_2021)
    assert report.edition == "2021" and report.value("applications.total.total") == 81
    assert main(["editions"]) == 0
    out = capsys.readouterr().out
    assert "fake-ok  (plugin" in out and "failed to load:" in out and f"    {name}: plugin {name!r}" in out


def test_edition_registered_in_process_is_checked_like_a_plugin(plugins: Install) -> None:
    plugins()
    tiny = editions.Edition(
        name="tiny",
        title="tiny",
        documents=(),
        grammar="no-such.lark",
        active=Active2021,
        applications=Applications2021,
        cells="cells-2021.tsv",
    )
    editions.register(tiny)
    assert "tiny" not in editions.available() and "not found" in editions.failed()["tiny"]
    assert gxgk.parse(SAMPLE_2021).edition == "2021"


def test_cli_editions_lists_builtins_with_source_years_documents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["editions", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_name = {e["name"]: e for e in data["editions"]}
    assert by_name["2021"]["source"] == "built-in" and by_name["2021"]["parent"] == "2019"
    assert by_name["2021"]["years"] == [2021, None] and by_name["2019"]["documents"] == ["国办公开办函〔2019〕60号"]
    assert main(["editions", "2021", "--cells"]) == 0
    assert "active.fees.amount\t二" in capsys.readouterr().out
    assert main(["editions", "2012"]) == 2
    assert "did you mean" in capsys.readouterr().err


# -- the example plugin, installed into a fresh virtual environment ----------------------------------------

_IN_VENV = """
import json, sys
from decimal import Decimal
import gxgk
from gxgk.convert import converter
from gxgk.records import Report
from hypothesis import given, settings
from gxgk import strategies

report = gxgk.parse(sys.argv[1])
again = converter.structure(json.loads(json.dumps(converter.unstructure(report))), Report)
assert again == report and type(again.active).__name__ == "ActiveFujianFee", again

seen = []

@settings(max_examples=15, deadline=None, database=None)
@given(strategies.reports("2021-fujian-fee"))
def round_trip(r):
    assert converter.structure(converter.unstructure(r), Report) == r
    assert not gxgk.check(r).errors
    seen.append(r.value("active.processing_fee.amount"))

round_trip()
print(json.dumps({"edition": again.edition, "round_trips": len(seen)}))
"""


@pytest.mark.slow
def test_example_plugin_in_fresh_venv(tmp_path: pytest.TempPathFactory) -> None:
    env_dir = tmp_path / "venv"  # type: ignore[operator]
    venv.create(env_dir, with_pip=True)  # no system site packages: only what pip installs
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python, gxgk_cmd = str(bindir / "python"), str(bindir / "gxgk")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", f"{ROOT}[strategies]", str(EXAMPLE)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    elsewhere = tmp_path / "elsewhere"  # type: ignore[operator]
    elsewhere.mkdir()
    sample = str(EXAMPLE / "sample.txt")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=elsewhere, capture_output=True, text=True, timeout=120)

    listing = run(gxgk_cmd, "editions")
    assert listing.returncode == 0, listing.stderr
    assert "2021-fujian-fee  (plugin gxgk_edition_example:EDITION, derives from 2021)" in listing.stdout
    assert "failed to load" not in listing.stdout

    parsed = run(gxgk_cmd, "parse", sample, "--format", "json")
    assert parsed.returncode == 0, parsed.stderr
    data = json.loads(parsed.stdout)
    assert data["edition"] == "2021-fujian-fee" and set(data["table_editions"].values()) == {"2021-fujian-fee"}
    assert data["active"]["processing_fee"]["amount"]["value"] == "0.035"
    assert data["active"]["fees"]["amount"]["value"] == "1260.35"

    checked = run(gxgk_cmd, "check", sample, "--format", "json")
    assert checked.returncode == 0, checked.stderr  # FJ101 on the sample is a warning
    (fj,) = [f for f in json.loads(checked.stdout) if f["rule"] == "FJ101"]
    assert fj["cells"] == ["active.processing_fee.amount"] and Decimal(str(fj["expected"])) == Decimal("0.042")

    plain = run(gxgk_cmd, "parse", "--format", "json", str(ROOT / "src" / "gxgk" / "samples" / "sample-2021.txt"))
    assert json.loads(plain.stdout)["edition"] == "2021"

    script = run(python, "-c", _IN_VENV, sample)
    assert script.returncode == 0, script.stderr
    assert json.loads(script.stdout.strip().splitlines()[-1]) == {"edition": "2021-fujian-fee", "round_trips": 15}


def test_entry_points_are_found_on_sys_path_without_reading_every_distribution(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the quick search of entry_points.txt files finds a declared group and hands over to importlib.metadata
    info = tmp_path / "gxgk_fake_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gxgk-fake-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gxgk.editions]\nfake = gxgk_fake_plugin:EDITION\n", encoding="utf-8")
    assert editions._entry_points("gxgk.editions-test") == []
    monkeypatch.syspath_prepend(str(tmp_path))
    found = editions._entry_points(editions.ENTRY_POINT_GROUP)
    assert [(e.name, e.value) for e in found if e.name == "fake"] == [("fake", "gxgk_fake_plugin:EDITION")]
    assert [e.dist.name for e in found if e.name == "fake"] == ["gxgk-fake-plugin"]
    assert editions._entry_points("gxgk.editions-test") == []


# -- the parser cache --------------------------------------------------------------------------------


def test_parser_cache_is_written_once_and_then_read(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GXGK_NO_CACHE", raising=False)
    edition = editions.get("2021")
    first = editions._build_parser(edition)
    (cache,) = (tmp_path / "gxgk").iterdir()
    assert cache.name.startswith("2021-") and cache.name.endswith(".lark-cache")
    written = cache.stat().st_mtime_ns
    second = editions._build_parser(edition)  # read from the file, not written again
    assert cache.stat().st_mtime_ns == written
    assert [str(r) for r in second.rules] == [str(r) for r in first.rules]
    assert [(t.name, t.pattern.to_regexp()) for t in second.terminals] == [
        (t.name, t.pattern.to_regexp()) for t in first.terminals
    ]


def test_parser_cache_off_and_broken(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("GXGK_NO_CACHE", "1")
    editions._build_parser(editions.get("2019"))
    assert not (tmp_path / "gxgk").exists()
    monkeypatch.delenv("GXGK_NO_CACHE")
    path = pathlib.Path(editions._cache_path(editions.get("2019")) or "")
    path.write_bytes(b"not a pickle")  # a broken file: rebuilt, then rewritten
    parser = editions._build_parser(editions.get("2019"))
    assert parser.rules and path.read_bytes() != b"not a pickle"


def test_parser_cache_keeps_the_newest_files(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GXGK_NO_CACHE", raising=False)
    directory = tmp_path / "gxgk"
    directory.mkdir()
    old = []
    for i in range(editions._CACHE_KEEP + 5):
        f = directory / f"old{i:02d}.lark-cache"
        f.write_bytes(b"x")
        os.utime(f, (1_000_000 + i, 1_000_000 + i))  # old00 is the oldest
        old.append(f)
    other = directory / "notes.txt"  # not a cache: left alone
    other.write_text("keep me", encoding="utf-8")
    path = editions._cache_path(editions.get("2021"))  # a miss: the directory is pruned first
    assert path is not None and not os.path.exists(path)
    left = sorted(p.name for p in directory.glob("*.lark-cache"))
    assert left == [f.name for f in old[-(editions._CACHE_KEEP - 1) :]]
    assert other.exists()
    editions._build_parser(editions.get("2021"))
    assert len(list(directory.glob("*.lark-cache"))) == editions._CACHE_KEEP
    editions._cache_path(editions.get("2021"))  # a hit prunes nothing
    assert len(list(directory.glob("*.lark-cache"))) == editions._CACHE_KEEP
