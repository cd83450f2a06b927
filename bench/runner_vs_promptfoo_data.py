#!/usr/bin/env python3
"""Write the workload of bench/runner_vs_promptfoo.sh for both tools.

Usage: runner_vs_promptfoo_data.py DIR N CONCURRENCY BASE_URL

DIR gets, for llmassert: cases.jsonl (the dataset), config.json (the three
roles on BASE_URL, each allowed CONCURRENCY calls in flight; cache off) and
suite.json; for promptfoo: promptfooconfig.json (the same cases inline, the
same model names and checks). Prints the expected counts: "cases=N pass=P
fail=F contains_fail=A semantic_fail=B judge_fail=C".

Every case is one model call and three checks: contains "refund", semantic
similarity to the expected output >= 0.8, and a judge rubric. The fake
server (bench/eval_server) echoes the prompt ("echo: TEXT"), and its judge
fails an answer holding the marker ZZPOOR, so the data decides each verdict:
  - i % 10 == 3: the text does not mention a refund (contains fails);
  - i % 7 == 2: the expected output is unrelated (similarity near 0);
  - i % 11 == 5: the text carries ZZPOOR (the judge fails it).
"""
import json
import os
import sys

RUBRIC = "The response answers the customer's question about their order politely."
ITEMS = ["blender", "kettle", "desk lamp", "backpack", "headphones", "coffee grinder",
         "rain jacket", "phone case", "yoga mat", "toaster", "monitor stand"]
UNRELATED = ("Zebras graze quietly beside violet mountains while astronomers catalogue "
             "distant quasars tonight.")


def case(i):
    item = ITEMS[i % len(ITEMS)]
    order = (i * 7919) % 100000
    if i % 10 == 3:
        text = f"Case {i}: my {item} from order {order} arrived scratched, what are my options?"
    else:
        text = f"Case {i}: my {item} from order {order} arrived broken, can I get a refund?"
    if i % 11 == 5:
        text += " ZZPOOR"
    answer = "echo: " + text  # what the fake subject answers
    expected = UNRELATED if i % 7 == 2 else answer
    return text, expected


def main():
    out, n, conc, url = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    cases = [case(i) for i in range(n)]

    with open(os.path.join(out, "cases.jsonl"), "w") as f:
        for i, (text, expected) in enumerate(cases):
            f.write(json.dumps({"id": f"case-{i:05d}", "partition": "distribution",
                                "input": {"text": text}, "expected_output": expected}) + "\n")
    role = {"provider": "openai", "base_url": url, "max_concurrency": conc,
            "max_attempts": 1, "timeout": 60}
    config = {"subject": dict(role, model="bench-subject"),
              "judge": dict(role, model="bench-judge"),
              "embedder": dict(role, model="bench-embed"),
              "cache": {"mode": "off", "path": "cache.sqlite"}}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    suite = {
        "name": "bench",
        "dataset": "cases.jsonl",
        "config": "config.json",
        "model": {"type": "llm", "provider": "openai", "model": "bench-subject",
                  "temperature": 0, "prompt": {"version": "v1", "user": "{{input.text}}"}},
        "metrics": [
            {"type": "contains", "terms": ["refund"]},
            {"type": "semantic", "threshold": 0.8},
            {"type": "judge", "criteria": RUBRIC, "threshold": 3},
        ],
        "gate": {"distribution_min_rate": 0.5},
        "concurrency": conc,
        "cache": "off",
        "history": "history.sqlite",
        "output": {"dir": "llmassert-out"},
    }
    with open(os.path.join(out, "suite.json"), "w") as f:
        json.dump(suite, f, indent=2)

    pconf = {"apiBaseUrl": url, "apiKey": "bench-dummy-key"}
    promptfoo = {
        "description": "bench",
        "prompts": ["{{text}}"],
        "providers": [{"id": "openai:chat:bench-subject",
                       "config": dict(pconf, temperature=0)}],
        "defaultTest": {
            "options": {"provider": {
                "text": {"id": "openai:chat:bench-judge", "config": pconf},
                "embedding": {"id": "openai:embedding:bench-embed", "config": pconf}}},
            "assert": [
                {"type": "contains", "value": "refund"},
                {"type": "similar", "value": "{{expected}}", "threshold": 0.8},
                {"type": "llm-rubric", "value": RUBRIC},
            ],
        },
        "tests": [{"vars": {"text": t, "expected": e}} for t, e in cases],
    }
    with open(os.path.join(out, "promptfooconfig.json"), "w") as f:
        json.dump(promptfoo, f)

    c_fail = sum(1 for i in range(n) if i % 10 == 3)
    s_fail = sum(1 for i in range(n) if i % 7 == 2)
    j_fail = sum(1 for i in range(n) if i % 11 == 5)
    fail = sum(1 for i in range(n) if i % 10 == 3 or i % 7 == 2 or i % 11 == 5)
    print(f"cases={n} pass={n - fail} fail={fail} contains_fail={c_fail} "
          f"semantic_fail={s_fail} judge_fail={j_fail}")


if __name__ == "__main__":
    main()
