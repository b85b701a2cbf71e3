"""A worker process of the report's siting: started before the questions are asked, it
imports the solver and computes the towns' distances (the towns come first, pickled on
stdin) while the report reads coverage; then it sets up and solves the questions (each
one's options and coverage rows, pickled next) and answers the recommendations (pickled,
on stdout).

A process, not a thread: setting up a question and its greedy answer are Python, and in a
thread they held the GIL the report's own work needs. A plain child (`python -m`), as the
betweenness worker is (queries/_betweenness_worker.py).
"""

from __future__ import annotations

import os
import pickle
import sys


def main() -> None:
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the solver prints goes to stderr, never into the answer
    import highspy  # noqa: F401  (imported now, not when the first question is solved)

    from tsunagari.queries.siting import prepare, solve, within_reach

    towns = pickle.load(sys.stdin.buffer)
    within_reach(towns)  # computed once, ahead; each question then finds it done
    jobs = pickle.load(sys.stdin.buffer)
    # given the coverage rows and the towns, prepare reads nothing from a store
    results = [solve(prepare(None, o, coverage=rows, towns=towns)) for o, rows in jobs]  # type: ignore[arg-type]
    with answer:
        pickle.dump(results, answer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
