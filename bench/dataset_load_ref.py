"""Reference for bench/dataset_load.sh: load a JSONL dataset the way the
lesson's Python EvalDataset does (one object per example, ids kept unique),
with a set for the uniqueness check so the reference is not quadratic.
Prints: python EXAMPLES SECONDS PEAK_RSS_KIB FILE_BYTES."""
import json
import os
import resource
import sys
import time
from dataclasses import dataclass, field

PARTITIONS = {"golden", "regression", "adversarial", "distribution"}


@dataclass
class Example:
    id: str
    partition: str
    input: dict
    expected_output: object
    metadata: dict = field(default_factory=dict)
    created_at: str = ""
    tags: list = field(default_factory=list)


def main(path):
    start = time.monotonic()
    examples, seen = [], set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d["partition"] not in PARTITIONS or d["id"] in seen:
                raise SystemExit(f"bad example {d['id']}")
            seen.add(d["id"])
            examples.append(Example(d["id"], d["partition"], d["input"],
                                    d.get("expected_output"), d.get("metadata", {}),
                                    d.get("created_at", ""), d.get("tags", [])))
    elapsed = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("python", len(examples), f"{elapsed:.3f}", peak, os.path.getsize(path))


if __name__ == "__main__":
    main(sys.argv[1])
