"""Per-program status of the corpus: ``python -m tests.corpus.report [NAME ...]``.

Prints, for each program, whether engine's run matches PyTorch's and where they
first part, then the counts and how the result stands against ``expected.py``.
"""
import sys
import time

from tests.corpus import expected, harness


def main(names):
    started = time.monotonic()
    results = harness.run_corpus(names or None)
    matching, differing = [], []
    for name in sorted(results["torch"]):
        torch_run, engine_run = results["torch"][name], results["engine"][name]
        difference = harness.first_difference(torch_run, engine_run)
        timing = f"[{torch_run.seconds:4.1f} s / {engine_run.seconds:4.1f} s]"
        if difference is None:
            matching.append(name)
            print(f"MATCH  {timing} {name}")
        else:
            differing.append(name)
            print(f"DIFFER {timing} {name}: {difference}")
    print(f"\n{len(matching)} of {len(matching) + len(differing)} programs match "
          f"({time.monotonic() - started:.1f} s)")
    lost = sorted(set(expected.MATCHING) & set(differing))
    gained = sorted(set(matching) - set(expected.MATCHING))
    if lost:
        print("expected to match but differ now:", ", ".join(lost))
    if gained:
        print("match now; add to expected.MATCHING:", ", ".join(gained))
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
