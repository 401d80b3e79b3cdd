#!/usr/bin/env python3
"""Betweenness benchmark helper: make a random graph, or time python-igraph on it.

  igraph_bench.py generate N M SEED EDGES.csv   write a G(n, m) random graph
  igraph_bench.py time EDGES.csv CONVENE.txt     time igraph, compare values

The graph is simple and undirected: M distinct edges drawn uniformly, no self-loops.
"""

import random
import sys
import time

import igraph


def generate(n, m, seed, path):
    rng = random.Random(seed)
    edges = set()
    while len(edges) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            edges.add((min(a, b), max(a, b)))
    # Every node appears, so both tools see the same n.
    with open(path, "w") as f:
        f.write("source,target\n")
        for a, b in sorted(edges, key=lambda e: rng.random()):
            f.write(f"v{a},v{b}\n")


def time_igraph(edges_path, convene_path):
    names = {}
    pairs = []
    with open(edges_path) as f:
        next(f)
        for line in f:
            a, b = line.strip().split(",")
            for x in (a, b):
                if x not in names:
                    names[x] = len(names)
            pairs.append((names[a], names[b]))
    g = igraph.Graph(n=len(names), edges=pairs, directed=False)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        values = g.betweenness(directed=False)
        best = min(best, time.perf_counter() - start)
    convene = {}
    with open(convene_path) as f:
        for line in f:
            node, v = line.split()
            convene[node] = float(v)
    worst = max(abs(values[i] - convene[x]) for x, i in names.items())
    scale = max(1.0, max(values))
    print(f"{best:.4f} {worst / scale:.3e}")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        time_igraph(sys.argv[2], sys.argv[3])
