#!/usr/bin/env python3
"""Time `llmassert score --metric token_f1` and the Python SQuAD reference on
one JSONL file, check that they agree on every pair, print the figures."""
import argparse
import json
import os
import subprocess
import sys
import time

TARGET = 50.0


def timed(argv, out_path, runs):
    """Best wall-clock time of `runs` runs (the output of the last is kept)."""
    best = None
    for _ in range(runs):
        with open(out_path, "wb") as out:
            start = time.perf_counter()
            subprocess.run(argv, stdout=out, check=True)
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def compare(ours_path, ref_path):
    """Number of pairs, and the first few that differ in id or any score."""
    differ = []
    n = 0
    with open(ours_path, encoding="utf-8") as a, open(ref_path, encoding="utf-8") as b:
        for la, lb in zip(a, b):
            n += 1
            x, y = json.loads(la), json.loads(lb)
            # Python floats parse correctly rounded: == is equality of doubles.
            if x != y:
                differ.append((n, la.strip(), lb.strip()))
        rest_a, rest_b = a.read(), b.read()
    if rest_a.strip() or rest_b.strip():
        differ.append((n + 1, "line counts differ", ""))
    return n, differ


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", required=True)
    ap.add_argument("--llmassert", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("pairs")
    a = ap.parse_args()

    size_mb = os.path.getsize(a.pairs) / 1e6
    with open(a.pairs, encoding="utf-8") as f:
        count = sum(1 for line in f if line.strip())
    ours = os.path.join(a.work, "llmassert.jsonl")
    ours1 = os.path.join(a.work, "llmassert-1job.jsonl")
    ref = os.path.join(a.work, "python.jsonl")
    cmd = [a.llmassert, "score", "--metric", "token_f1", "--input", a.pairs]

    t_py = timed([a.python, a.reference, "score", "--metric", "token_f1", a.pairs], ref, a.runs)
    t_c = timed(cmd, ours, a.runs)
    t_c1 = timed(cmd + ["--jobs", "1"], ours1, a.runs)
    n, differ = compare(ours, ref)
    n1, differ1 = compare(ours1, ref)

    ratio, ratio1 = t_py / t_c, t_py / t_c1
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print("SQuAD token F1, %d prediction/reference pairs (%.1f MB JSONL), best of %d runs"
          % (count, size_mb, a.runs))
    print("  (%d CPUs, load average %.2f: other work on the machine slows both sides)"
          % (cpus, load))
    print("  %-48s %9.3f s" % ("Python, official SQuAD v1.1 f1_score", t_py))
    print("  %-48s %9.3f s   %6.1fx" % ("llmassert score --metric token_f1 (%d CPUs)" % cpus,
                                        t_c, ratio))
    print("  %-48s %9.3f s   %6.1fx" % ("llmassert score --metric token_f1 --jobs 1",
                                        t_c1, ratio1))
    print("  target: at least %.0fx faster than Python: %s"
          % (TARGET, "met" if ratio >= TARGET else "NOT met"))
    ok = not differ and not differ1 and n == count and n1 == count
    print("  agreement: %d/%d pairs identical (id, f1, precision, recall)"
          % (n - len(differ), count))
    for line, x, y in (differ + differ1)[:5]:
        print("    line %d differs:\n      llmassert: %s\n      python:    %s" % (line, x, y))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
