#!/usr/bin/env python3
"""Reference implementation of the official SQuAD v1.1 answer metrics.

Written for llmassert's tests and benchmark, with the same structure and
operations as the official evaluation script's normalize_answer, f1_score
and exact_match_score (so its speed is the script's speed too):
lower-case, delete string.punctuation, replace the words a/an/the
(regex \\b(a|an|the)\\b) by a space, then ' '.join(text.split()); F1 over
token multisets. Run it with the Python whose behaviour you want to compare
against (the tests use /usr/bin/python3).

Commands:
  score [--metric token_f1|exact_match] FILE   JSONL {"id","prediction","reference"}
                                               -> JSONL {"id", scores...}
  pairs FILE      lines "HEXPRED HEXREF" (UTF-8 bytes in hex, "-" for none; invalid bytes
                  decode as U+FFFD like errors="replace") -> lines
                  "HEXNORMPRED HEXNORMREF EM F1 PRECISION RECALL" (floats by repr)
  props           one line per run of code points with equal properties:
                  "START END lower=DELTA|lower=HEX,HEX word space sigma1 sigma2"
                  or "START END unassigned" (hex, END inclusive)
"""
import json
import re
import string
import sys
import unicodedata
from collections import Counter


def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""

    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def f1_parts(prediction, ground_truth):
    """(f1, precision, recall); f1 exactly as the official f1_score."""
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0.0, 0.0, 0.0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1, precision, recall


def exact_match(prediction, ground_truth):
    return 1.0 if normalize_answer(prediction) == normalize_answer(ground_truth) else 0.0


def cmd_score(argv):
    metric = "token_f1"
    if len(argv) >= 2 and argv[0] == "--metric":
        metric = argv[1]
        argv = argv[2:]
    if len(argv) != 1 or metric not in ("token_f1", "exact_match"):
        sys.exit("usage: squad_ref.py score [--metric token_f1|exact_match] FILE")
    src = sys.stdin if argv[0] == "-" else open(argv[0], encoding="utf-8")
    out = sys.stdout
    dumps = json.dumps
    for line in src:
        if not line.strip():
            continue
        rec = json.loads(line)
        if metric == "token_f1":
            f1, p, r = f1_parts(rec["prediction"], rec["reference"])
            out.write(dumps({"id": rec["id"], "f1": f1, "precision": p, "recall": r},
                            ensure_ascii=False) + "\n")
        else:
            em = exact_match(rec["prediction"], rec["reference"])
            out.write(dumps({"id": rec["id"], "score": em}, ensure_ascii=False) + "\n")


def _unhex(h):
    return b"" if h == "-" else bytes.fromhex(h)


def cmd_pairs(argv):
    out = sys.stdout
    with open(argv[0], encoding="ascii") as src:
        for line in src:
            hp, hr = line.split()
            p = _unhex(hp).decode("utf-8", "replace")
            r = _unhex(hr).decode("utf-8", "replace")
            f1, prec, rec = f1_parts(p, r)
            out.write("%s %s %r %r %r %r\n" % (
                normalize_answer(p).encode("utf-8").hex() or "-",
                normalize_answer(r).encode("utf-8").hex() or "-",
                exact_match(p, r), f1, prec, rec))


def char_props(c):
    ch = chr(c)
    low = ch.lower()
    if len(low) == 1:
        lower = "lower=%d" % (ord(low) - c)
    else:
        lower = "lower=" + ",".join("%x" % ord(x) for x in low)
    word = int(ch.isalnum() or ch == "_")
    space = int(ch.isspace())
    # Final sigma after ch alone, and after "A" + ch: together these pin
    # down Cased and Case_Ignorable as far as str.lower() can see them.
    sigma1 = int((ch + "\u03a3").lower()[-1] == "\u03c2")
    sigma2 = int(("A" + ch + "\u03a3").lower()[-1] == "\u03c2")
    return "%s %d %d %d %d" % (lower, word, space, sigma1, sigma2)


def cmd_props(argv):
    out = sys.stdout
    run_start, run_props = None, None
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            props = "surrogate"
        elif unicodedata.category(chr(c)) == "Cn":
            props = "unassigned"
        else:
            props = char_props(c)
        if props != run_props or props.startswith("lower=") and "," in props.split()[0]:
            if run_start is not None and run_props != "surrogate":
                out.write("%x %x %s\n" % (run_start, c - 1, run_props))
            run_start, run_props = c, props
    out.write("%x %x %s\n" % (run_start, 0x10FFFF, run_props))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, argv = sys.argv[1], sys.argv[2:]
    if cmd == "score":
        cmd_score(argv)
    elif cmd == "pairs":
        cmd_pairs(argv)
    elif cmd == "props":
        cmd_props(argv)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
