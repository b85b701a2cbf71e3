"""A worker process of sampled betweenness: read the network and its share of the source
batches (pickled, on stdin), answer each batch's dependency sums (pickled, on stdout).

A plain child process (`python -m`), not multiprocessing's spawn, which re-runs the
caller's main module in the child (a script without `if __name__ == "__main__"` would
start the whole command again).
"""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    n, a, b, batches = pickle.load(sys.stdin.buffer)  # a, b: numpy arrays of vertex numbers
    import igraph
    import numpy as np

    # the parent's own copy has these vertices and ties in this order: the same numbers
    graph = igraph.Graph(n=n, edges=list(zip(a.tolist(), b.tolist(), strict=True)))
    raws = [np.array(graph.betweenness(directed=False, sources=s)) for s in batches]
    pickle.dump(raws, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
