"""Check that a speed change leaves every plan as it was: ``save`` writes the plans of the engine bench's first
N enterprises (wendao.bench.engine.sample_plans, timing fields removed) to a JSON file; ``compare`` builds them
again with the code on PYTHONPATH and reports every plan that differs, and how its roadmap's objective moved.

    PYTHONPATH=src python scripts/engine_same_plans.py save before.json --n 300
    PYTHONPATH=src python scripts/engine_same_plans.py compare before.json
    PYTHONPATH=src python scripts/engine_same_plans.py compare before.json --first 50   # a quick look
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from wendao.bench.engine import sample_plans


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("path")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first", type=int, default=None, help="compare: only the first N saved plans")
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    if args.action == "save":
        plans = sample_plans(args.n, args.seed)
        with open(args.path, "w", encoding="utf-8") as fh:
            json.dump({"n": args.n, "seed": args.seed, "plans": plans}, fh, ensure_ascii=False, sort_keys=True)
        print(
            f"saved {len(plans)} plans in {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
        )
        return 0
    with open(args.path, encoding="utf-8") as fh:
        saved = json.load(fh)
    if args.first is not None:
        saved["plans"] = saved["plans"][: args.first]
    plans = sample_plans(len(saved["plans"]), saved["seed"])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    # a JSON round trip, so both sides compare as the file holds them
    plans = json.loads(json.dumps(plans, ensure_ascii=False, sort_keys=True))
    differ = [i for i, (a, b) in enumerate(zip(saved["plans"], plans, strict=True)) if a != b]
    better = worse = same_objective = 0
    for i in differ:
        before, after = saved["plans"][i]["money"]["npv"], plans[i]["money"]["npv"]
        if after > before + 1e-9:
            better += 1
        elif after < before - 1e-9:
            worse += 1
        else:
            same_objective += 1
        print(f"plan {i} differs: plan NPV {before} -> {after}")
    print(
        f"{len(plans)} plans built in {seconds:.1f} s ({cpu_seconds:.1f} s CPU); {len(differ)} differ "
        f"({better} with a higher plan NPV, {worse} lower, {same_objective} the same NPV)"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
