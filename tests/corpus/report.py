"""Per-program status of the corpus: ``python -m tests.corpus.report [--ratchet] [NAME ...]``.

Prints, for each program, whether engine's run matches PyTorch's (MATCH), differs only
in how numbers round (ROUND) or otherwise (DIFFER), the seconds each library took, and
where the runs first part; then the counts and how the result stands
against ``expected.py``. ``--ratchet`` (on a run of the whole corpus) then moves the
programs that match now into ``expected.MATCHING``.
"""
import sys
import time

from tests.corpus import expected, harness, ratchet


def main(arguments):
    update = "--ratchet" in arguments
    names = [argument for argument in arguments if argument != "--ratchet"]
    started = time.monotonic()
    results = harness.run_corpus(names or None)
    matching, differing, differences = [], [], {}
    for name in sorted(results["torch"]):
        torch_run, engine_run = results["torch"][name], results["engine"][name]
        difference = harness.first_difference(torch_run, engine_run)
        timing = f"[{torch_run.seconds:4.1f} s / {engine_run.seconds:4.1f} s]"
        if difference is None:
            matching.append(name)
            print(f"MATCH  {timing} {name}")
        else:
            differing.append(name)
            differences[name] = difference
            label = "ROUND " if harness.differs_only_in_rounding(torch_run, engine_run) else "DIFFER"
            print(f"{label} {timing} {name}: {difference}")
    rounding = sum(harness.differs_only_in_rounding(results["torch"][name], results["engine"][name])
                   for name in differing)
    print(f"\n{len(matching)} of {len(matching) + len(differing)} programs match "
          f"({time.monotonic() - started:.1f} s); {rounding} more differ only in the rounding of "
          f"numbers (ROUND: same words, numbers within {harness.ROUNDING})")
    lost = sorted(set(expected.MATCHING) & set(differing))
    gained = sorted(set(matching) - set(expected.MATCHING))
    if lost:
        print("expected to match but differ now:", ", ".join(lost))
    if gained:
        print("match now; add to expected.MATCHING:", ", ".join(gained))
    if update and not names:
        ratchet.write(matching, differences)
        print("expected.py rewritten")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
