"""A worker process of the report's siting: set up and solve its questions (the towns and
each question's options and coverage rows, pickled on stdin) and answer the recommendations
(pickled, on stdout).

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
    towns, jobs = pickle.load(sys.stdin.buffer)
    from tsunagari.queries.siting import prepare, solve

    # given the coverage rows and the towns, prepare reads nothing from a store
    results = [solve(prepare(None, o, coverage=rows, towns=towns)) for o, rows in jobs]  # type: ignore[arg-type]
    with answer:
        pickle.dump(results, answer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
