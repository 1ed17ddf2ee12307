"""Corpora: reading in parallel, grouping by agency, series checks; gxgk check/parse/export on them."""

from __future__ import annotations

import csv
import io
import json

import attrs
import pytest

import gxgk
from gxgk import corpus
from gxgk.cli import main, program
from paths import REAL, SEEDS


def test_normalise_agency() -> None:
    assert corpus.normalise_agency("平潭综合实验区 2019年度政府信息公开工作年度报告") == "平潭综合实验区"
    assert corpus.normalise_agency("ＡＢＣ 区 政府信息公开工作") == "ABC区"
    assert corpus.normalise_agency("关于南谯区经信局2020年度政府信息公开工作年度报告") == "南谯区经信局"
    assert corpus.normalise_agency("政府信息公开工作年度报告") is None
    assert corpus.normalise_agency(None) is None


def test_read_in_parallel_keeps_order_and_goes_on() -> None:
    entries = list(corpus.read([SEEDS, REAL], jobs=2))
    assert [e.path for e in entries] == corpus.expand([SEEDS, REAL])
    failed = [e for e in entries if e.error]
    assert [e.path.rsplit("/", 1)[-1] for e in failed] == ["pingtan-2018-old-format.txt"]
    assert all(e.report is not None and e.findings is not None for e in entries if not e.error)


def test_series_per_agency_and_agency_map(tmp_path) -> None:
    a = gxgk.parse(SEEDS / "003_a190ec9e232fd5b0.txt")  # 2020, carried forward 0
    changed = a.applications.carried_over
    changed = attrs.evolve(changed, natural_person=gxgk.Cell(5, "5", 1, 1))
    b = attrs.evolve(
        a,
        year=2021,
        agency="张家港市工信局",
        applications=attrs.evolve(a.applications, carried_over=changed),
        source="b.txt",
    )
    assert list(corpus.check_series([a, b])) == []  # two agencies
    map_file = tmp_path / "map.csv"
    map_file.write_text("name,agency\n张家港市工信局,张家港市工业和信息化局\n", encoding="utf-8")
    mapping = corpus.load_agency_map(map_file)
    groups = corpus.group_by_agency([b, a], mapping)
    assert [[r.year for r in g] for g in groups.values()] == [[2020, 2021]]
    found = corpus.check_series([a, b], mapping)
    assert "GX501" in [f.rule for f in found]
    found = corpus.check_series([a, b], mapping, rules=["GX501"])
    assert [f.rule for f in found] == ["GX501"]
    assert found[0].source == "b.txt"
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="name"):
        corpus.load_agency_map(bad)


def test_check_corpus_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(SEEDS), str(REAL), "--jobs", "2", "--format", "jsonl"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert "summary" in lines[-1]
    summary = lines[-1]["summary"]
    assert summary["files"] == 16 and summary["unreadable"] == 1 and summary["errors"] >= 2
    findings = [line for line in lines[:-1] if "rule" in line]
    assert len(findings) == summary["errors"] + summary["warnings"] + summary["infos"]
    assert any(f["rule"] == "GX102" and f["source"].endswith("003_a190ec9e232fd5b0.txt") for f in findings)
    assert next(line for line in lines if "unreadable" in line)["source"].endswith("pingtan-2018-old-format.txt")


class _Stdout(io.StringIO):
    """Standard output that keeps what had been flushed each time it was flushed."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: list[str] = []

    def flush(self) -> None:
        self.flushed.append(self.getvalue())


def test_check_jsonl_writes_each_reports_findings_before_the_next_report(monkeypatch: pytest.MonkeyPatch) -> None:
    import gxgk.cli.check as check_command

    out = _Stdout()
    seen_before: list[str] = []  # what had been flushed when each report was checked
    check_one = check_command.check_one

    def recording(job: tuple[object, ...]) -> tuple[object, ...]:
        seen_before.append(out.flushed[-1] if out.flushed else "")
        return check_one(job)

    monkeypatch.setattr(check_command, "check_one", recording)
    monkeypatch.setattr("sys.stdout", out)
    paths = sorted(str(p) for p in SEEDS.glob("*.txt"))[:3]
    assert len(paths) == 3
    main(["check", *paths, "--format", "jsonl"])
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    sources = [line["source"] for line in lines if "rule" in line]
    assert set(sources) <= set(paths) and len(set(sources)) >= 2
    # the findings of every report before the one being checked were out already, and whole
    for i in range(len(paths)):
        written = [json.loads(line)["source"] for line in seen_before[i].splitlines()]
        assert written == [s for s in sources if s in paths[:i]]


def test_the_library_leaves_the_collector_alone_and_gxgk_check_settles_its_own() -> None:
    import gc

    assert gc.get_freeze_count() == 0
    try:
        report = gxgk.parse(SEEDS / "003_a190ec9e232fd5b0.txt")
        gxgk.check(report)
        list(corpus.read([SEEDS], jobs=1))
        assert gc.get_freeze_count() == 0  # gc.freeze() is for processes gxgk runs itself
        main(["check", str(SEEDS / "003_a190ec9e232fd5b0.txt"), "--format", "jsonl", "--quiet"])
        assert gc.get_freeze_count() == 0  # main() called from a program: the program's collector
        program(["check", str(SEEDS / "003_a190ec9e232fd5b0.txt"), "--format", "jsonl", "--quiet"])
        assert gc.get_freeze_count() > 0  # the gxgk command: its own process
    finally:
        gc.unfreeze()
        corpus._gc_settled = corpus._own_process = False


def _freeze_count(_: object) -> int:
    import gc

    return gc.get_freeze_count()


def test_worker_processes_settle_their_collector_after_their_first_item() -> None:
    """The workers of ``jobs`` > 1 are gxgk's own processes: each freezes what it holds once its first
    item is done; the parent, the caller's process, is left alone."""
    import gc

    counts = list(corpus.parallel_map(_freeze_count, list(range(8)), 2))
    assert counts[0] == 0 and max(counts) > 0
    assert gc.get_freeze_count() == 0


def test_check_series_option(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(REAL), "--format", "jsonl"])
    without = capsys.readouterr().out.splitlines()
    main(["check", str(REAL), "--format", "jsonl", "--series"])
    with_series = capsys.readouterr().out.splitlines()
    added = [json.loads(x) for x in with_series if x not in without]
    assert added and all(f["rule"].startswith(("GX5", "GX6")) for f in added if "rule" in f)
    assert json.loads(with_series[-1])["summary"]["files"] == json.loads(without[-1])["summary"]["files"]


def test_parse_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEEDS), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 992
    assert rows[0]["key"] == "active.rules.made" and rows[0]["table"] == "二"


def test_export_duckdb(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    out = tmp_path / "x.duckdb"
    assert main(["export", str(SEEDS), "--to", str(out)]) == 0
    con = duckdb.connect(str(out), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM cells").fetchone()[0] == 992
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 5
        errors = con.execute("SELECT errors FROM reports WHERE source LIKE '%003_a190ec9e232fd5b0.txt'").fetchone()[0]
        assert errors == 2
        cells = con.execute(
            "SELECT cells FROM findings WHERE rule = 'GX102' AND source LIKE '%003%' ORDER BY line"
        ).fetchone()[0]
        assert "applications.total.natural_person" in cells
        amount = con.execute(
            "SELECT amount FROM cells WHERE key = 'active.procurement.amount' AND source LIKE '%000_%'"
        )
        assert str(amount.fetchone()[0]) == "85.640000"
    finally:
        con.close()
    # exported again: the file is replaced, not appended to
    assert main(["export", str(SEEDS / "000_f2c3bf976b1eabd1.txt"), "--to", str(out), "-q"]) == 0
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT count(*) FROM cells").fetchone()[0] == 198
    con.close()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_export_files(tmp_path, suffix: str) -> None:
    import pandas as pd

    out = tmp_path / f"corpus{suffix}"
    assert main(["export", str(SEEDS), str(REAL), "--to", str(out), "--jobs", "2", "-q"]) == 2  # one unreadable
    read = pd.read_parquet if suffix == ".parquet" else pd.read_csv
    cells = read(out)
    findings = read(tmp_path / f"corpus.findings{suffix}")
    reports = read(tmp_path / f"corpus.reports{suffix}")
    assert len(reports) == 16 and reports["error"].notna().sum() == 1
    assert len(cells) == sum(int(n) for n in reports["cells"].dropna())
    assert set(findings["scope"]) == {"report", "series"}


def test_export_rejects_unknown_output(tmp_path) -> None:
    assert main(["export", str(SEEDS), "--to", str(tmp_path / "x.xlsx")]) == 2
