"""The command line as a user runs it: output formats, exit status, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gxgk.cli import main
from paths import REAL, SEEDS

SEED_003 = str(SEEDS / "003_a190ec9e232fd5b0.txt")
SEED_004 = str(SEEDS / "004_7972d62635cd0fc7.txt")


def test_parse_json_has_edition_year_agency_and_cells(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", SEED_003, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["edition"], data["year"]) == ("2019", 2020)
    assert "张家港市工业和信息化局" in data["agency"]
    cell = data["applications"]["unavailable"]["not_held"]["natural_person"]
    assert cell["value"] == 2 and cell["raw"] == "2" and cell["line"] > 0
    assert data["review"]["upheld"] == {"value": None, "raw": "", "line": 85, "column": 2}


def test_parse_json_loads_back_into_an_equal_record(capsys: pytest.CaptureFixture[str]) -> None:
    import gxgk
    from gxgk.convert import converter

    main(["parse", SEED_004, "--format", "json"])
    loaded = converter.structure(json.loads(capsys.readouterr().out), gxgk.Report)
    assert loaded == gxgk.parse(SEED_004)


def test_check_text_is_one_line_per_finding_like_a_linter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SEED_003]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].startswith(f"{SEED_003}:") and " GX102 error " in lines[0]
    assert "2 error(s)" in out.err


def test_check_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SEED_003, "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    error = findings[0]
    assert set(error) >= {"rule", "severity", "message", "cells", "expected", "actual", "line"}
    assert error["severity"] == "error" and "applications.total.natural_person" in error["cells"]


def test_check_exit_0_without_errors_and_2_on_unreadable(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert main(["check", SEED_004]) == 0
    capsys.readouterr()
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02binary")
    assert main(["check", str(junk)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("gxgk: ") and "Traceback" not in "\n".join(err)


def test_check_a_corpus_as_jsonl_streams_and_summarises(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(SEEDS), str(REAL), "--format", "jsonl", "--jobs", "2"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert status == 1  # seed 003 has an error; the pre-2019 report is reported and the batch goes on
    summary = lines[-1]["summary"]
    assert summary["files"] == 16 and summary["unreadable"] == 1 and summary["errors"] == 2
    assert any(x.get("unreadable") for x in lines)


def test_check_sample_and_rule_selection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--sample"]) == 0
    assert main(["check", SEED_003, "--exclude", "GX102"]) == 0
    assert main(["check", SEED_003, "--rules", "GX102", "--format", "csv"]) == 1
    rows = capsys.readouterr().out.splitlines()
    assert rows[-3].startswith("source,line,rule") and len(rows) == 3 + 2


def test_bad_input_is_one_line_on_stderr_not_a_traceback(tmp_path) -> None:
    unrelated = tmp_path / "poem.txt"
    unrelated.write_text("床前明月光，疑是地上霜。\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gxgk", "parse", str(unrelated)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a 政府信息公开工作年度报告" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "gxgk", "parse", str(tmp_path / "missing.txt")], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
