"""The built wheel carries the grammars: it parses a seed in a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import venv

import pytest

from paths import ROOT, SEEDS


@pytest.mark.slow
def test_wheel_in_fresh_venv_parses_seed_004(tmp_path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("gxgk-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import gxgk, sys; r = gxgk.parse(sys.argv[1]); "
        "print(r.edition, r.year, r.value('applications.total.total'), len(list(r.cells())))"
    )
    proc = subprocess.run(
        [str(python), "-c", code, str(SEEDS / "004_7972d62635cd0fc7.txt")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split() == ["2021", "2021", "0", "200"]
    listing = subprocess.run([str(python), "-m", "zipfile", "-l", str(wheel)], capture_output=True, text=True).stdout
    assert "gxgk/grammars/gxgk_2021.lark" in listing and "gxgk/py.typed" in listing
