"""docs/notebooks/quickstart.ipynb runs headless, shows seed 003's errors and frames equal to the gold."""

from __future__ import annotations

import json
import os
import pickle
import re
import sys

import ipykernel  # noqa: F401 - the kernel the notebook runs in
import nbclient
import nbformat
import pandas as pd
import pytest

from gold import matches
from paths import DATA, GOLD, ROOT

NOTEBOOK = ROOT / "docs" / "notebooks" / "quickstart.ipynb"


def kernel_name() -> str:
    """The kernel "python3" when its kernel runs this interpreter's packages, else a kernel made for it."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
        if spec.argv[0] in (sys.executable, "python", "python3"):
            return "python3"
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(user=True, kernel_name="gxgk-test", display_name="gxgk tests")
    return "gxgk-test"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[dict]]:
    shared = ROOT.parent / "shared"
    if not (shared / "seeds").is_dir():  # the repository's copies have the same layout
        shared = DATA
    nb = nbformat.read(NOTEBOOK, as_version=4)
    dump = tmp_path_factory.mktemp("nb") / "seed_cells.pickle"
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import pickle\nwith open({str(dump)!r}, 'wb') as f:\n    pickle.dump(seed_cells.to_dict('records'), f)"
        )
    )
    env = {"GXGK_SHARED": str(shared)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        client = nbclient.NotebookClient(
            nb, kernel_name=kernel_name(), timeout=600, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
        )
        client.execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    with open(dump, "rb") as f:
        rows = pickle.load(f)
    return nb, rows


def test_runs_without_errors(executed: tuple[object, list[dict]]) -> None:
    nb, _ = executed
    for cell in nb.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))  # type: ignore[attr-defined]
    assert "skipped" not in text


def test_seed_003_shows_its_total_cells_as_errors(executed: tuple[object, list[dict]]) -> None:
    nb, _ = executed
    htmls = [
        o["data"]["text/html"]
        for c in nb.cells  # type: ignore[attr-defined]
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    seed = [h for h in htmls if "003_a190ec9e232fd5b0.txt" in h and 'class="gxgk gx-report"' in h]
    assert seed, "seed 003 is not displayed"
    for key in ("applications.total.natural_person", "applications.total.total"):
        match = re.search(rf'<td class="([^"]*)" data-key="{re.escape(key)}"', seed[0])
        assert match and "gx-error" in match.group(1).split(), key


def test_seed_frame_equals_the_gold(executed: tuple[object, list[dict]]) -> None:
    _, rows = executed
    assert len(rows) == 992
    gold = {}
    for path in GOLD.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold.update({(data["seed"], key): value for key, value in data["cells"].items()})
    wrong = []
    for row in rows:
        value = None if pd.isna(row["value"]) else int(row["value"])
        if value is None and not pd.isna(row["amount"]):
            value = row["amount"]
        expected = gold[(os.path.basename(row["source"]), row["key"])]
        if not matches(expected, value):
            wrong.append((row["source"], row["key"], value, expected))
    assert not wrong
    assert len({(os.path.basename(r["source"]), r["key"]) for r in rows}) == len(gold) == 992


def test_chart_drawn_when_matplotlib_is_there(executed: tuple[object, list[dict]]) -> None:
    nb, _ = executed
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))  # type: ignore[attr-defined]
