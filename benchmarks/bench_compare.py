"""Time gxgk.compare.compare_texts on two 20,000-character texts (target: well under 50 ms).

Run: ``python benchmarks/bench_compare.py [--chars N] [--repeat R]``. Prints the median and the best
time of each case; the cases cover the extremes of the scan (nothing shared, everything shared, half
shared in passages of sentence length) and a larger ``min_passage``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from gxgk.compare import compare_texts, normalize_text

PUNCTUATION = "，。；、：“”（） \n"


def random_text(rng: random.Random, n: int) -> str:
    """About ``n`` characters of CJK "sentences" with punctuation and spaces."""
    out: list[str] = []
    while len(out) < n:
        out.extend(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(8, 40)))
        out.append(rng.choice(PUNCTUATION))
    return "".join(out[:n])


def half_copied(rng: random.Random, previous: str, n: int) -> str:
    """About ``n`` characters, half copied from ``previous`` in passages of 20 to 200 characters."""
    out: list[str] = []
    size = 0
    while size < n:
        length = rng.randint(20, 200)
        if rng.random() < 0.5:
            start = rng.randrange(0, len(previous) - length)
            piece = previous[start : start + length]
        else:
            piece = random_text(rng, length)
        out.append(piece)
        size += len(piece)
    return "".join(out)[:n]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(2024)
    n = args.chars
    previous = random_text(rng, n)
    cases = {
        "disjoint": (previous, random_text(rng, n), 13),
        "identical": (previous, previous, 13),
        "half copied": (previous, half_copied(rng, previous, n), 13),
        "half copied, min_passage=50": (previous, half_copied(rng, previous, n), 50),
    }
    normalize_text(previous)  # builds the character tables once (about 20 ms), as the first call would
    median, best = timed(lambda: normalize_text(previous), args.repeat)
    print(f"{'normalize_text, one text':32} median {median:6.2f} ms   best {best:6.2f} ms   ({n} chars)")
    for name, (a, b, k) in cases.items():
        result = compare_texts(a, b, min_passage=k)
        median, best = timed(lambda a=a, b=b, k=k: compare_texts(a, b, min_passage=k), args.repeat)
        print(
            f"{'compare_texts, ' + name:32} median {median:6.2f} ms   best {best:6.2f} ms   "
            f"(rate {result.rate:.1%}, {len(result.passages)} passages)"
        )
    # linearity: doubling the length should roughly double the time
    for size in (n // 2, n, 2 * n, 4 * n):
        a = random_text(rng, size)
        b = half_copied(rng, a, size)
        median, _ = timed(lambda a=a, b=b: compare_texts(a, b), max(3, args.repeat // 3))
        print(f"{'half copied, ' + str(size) + ' chars':32} median {median:6.2f} ms")


if __name__ == "__main__":
    main()
