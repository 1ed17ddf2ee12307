"""The synthetic corpus of the benchmarks: consistent reports from :mod:`gxgk.strategies`, written by
:mod:`gxgk.renderers` in every layout, generated deterministically and cached on disk.

Report ``i`` is of edition ``EDITIONS[i % 2]`` and layout ``LAYOUTS[(i // 2) % len(LAYOUTS)]``, rendered
with ``random.Random(seed + i)``. The reports are drawn by running a Hypothesis test under a fixed
``@seed`` with the example database off and only the generate phase, which is deterministic and much
faster than ``strategy.example()``. The files go to ``benchmarks/results/corpus-<n>-<seed>/`` (git-ignored):
``NNNNN-<edition>-<layout>.txt`` (``.html`` for the html layout), so later runs only read them, as long
as the strategies, the renderers and Hypothesis are those the files were made with (``COMPLETE`` holds
their fingerprint; a corpus made from others is generated again).
"""

from __future__ import annotations

import pathlib
import random
import warnings

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results"
EDITIONS = ("2019", "2021")


def layouts() -> tuple[str, ...]:
    from gxgk.renderers import LAYOUTS

    return tuple(LAYOUTS)


def corpus_dir(n: int, seed: int) -> pathlib.Path:
    return RESULTS / f"corpus-{n}-{seed}"


def _draw_reports(edition: str, count: int, seed: int) -> list[object]:
    """``count`` reports of ``edition``, the same on every run."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from gxgk import strategies

    drawn: list[object] = []

    @hseed(seed)
    @settings(
        max_examples=count,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.reports(edition))
    def collect(report: object) -> None:
        drawn.append(report)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    # Hypothesis may stop short of max_examples: draw again with further seeds until there are enough
    extra = 1
    while len(drawn) < count:
        more = _draw_reports(edition, count - len(drawn), seed + 1000 * extra)
        drawn.extend(more)
        extra += 1
    return drawn[:count]


def fingerprint(n: int, seed: int) -> str:
    """What the corpus is made from: its size and seed, the sources of the strategies and the renderers,
    and the Hypothesis version that draws the reports. A corpus on disk made from anything else is stale."""
    import hashlib
    import inspect

    import hypothesis

    from gxgk import renderers, strategies

    digest = hashlib.sha256()
    for module in (strategies, renderers):
        digest.update(inspect.getsource(module).encode("utf-8"))
    return f"{n} reports, seed {seed}, hypothesis {hypothesis.__version__}, sources {digest.hexdigest()[:16]}\n"


def build(n: int, seed: int = 2024, *, log: bool = True) -> pathlib.Path:
    """The corpus of ``n`` reports (generated on the first call, then read from its directory; generated
    again when what it is made from has changed, see :func:`fingerprint`)."""
    directory = corpus_dir(n, seed)
    done = directory / "COMPLETE"
    made_from = fingerprint(n, seed)
    if done.exists() and done.read_text(encoding="utf-8") == made_from:
        return directory
    from gxgk.renderers import render

    if directory.exists():
        for stale in directory.iterdir():
            stale.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    names = layouts()
    per_edition = {ed: (n + 1 - i) // 2 for i, ed in enumerate(EDITIONS)}
    if log:
        print(f"generating the corpus of {n:,} reports in {directory} (once) …", flush=True)
    pools = {ed: _draw_reports(ed, count, seed + i) for i, (ed, count) in enumerate(per_edition.items())}
    taken = dict.fromkeys(EDITIONS, 0)
    for i in range(n):
        edition = EDITIONS[i % 2]
        layout = names[(i // 2) % len(names)]
        report = pools[edition][taken[edition]]
        taken[edition] += 1
        text = render(report, layout, rng=random.Random(seed + i))  # type: ignore[arg-type]
        suffix = ".html" if layout == "html" else ".txt"
        (directory / f"{i:05d}-{edition}-{layout}{suffix}").write_text(text, encoding="utf-8")
    done.write_text(made_from, encoding="utf-8")
    return directory


def files(n: int, seed: int = 2024) -> list[pathlib.Path]:
    """The corpus files in order."""
    directory = build(n, seed)
    return sorted(p for p in directory.iterdir() if p.suffix in (".txt", ".html"))
