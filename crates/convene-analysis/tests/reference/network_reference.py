#!/usr/bin/env python3
"""Reference results for Convene's network analysis, computed with networkx.

Writes, next to this script, for every test graph NAME:
  network_NAME_edges.csv     the edge list (source,target[,sign][,weight])
  network_NAME_expected.json networkx's results for it

The output is deterministic: running the script again with the same networkx
version yields identical files. Run from the repository root:

  python3 crates/convene-analysis/tests/reference/network_reference.py

Requires networkx (and scipy, which networkx uses for PageRank and constraint).
The committed files were produced with networkx 3.6.1, scipy 1.17.1 and numpy
2.4.6; other versions may change the last digits of some values.
"""

import csv
import json
import os

import networkx as nx

# networkx computes PageRank and constraint with scipy when it is installed;
# without it, constraint takes another code path that gives NaN for nodes with
# in-ties only. Fail early rather than write different reference values.
import scipy  # noqa: F401

HERE = os.path.dirname(os.path.abspath(__file__))
# Power iterations are run far past networkx's default tolerance so that the
# results are exact to about 1e-12.
TOL = 1e-14


def signed_directed():
    """A small directed, signed, weighted graph with a separate component."""
    g = nx.DiGraph()
    ties = [
        ("govt", "army", 1, 2.0),
        ("army", "govt", 1, 1.0),
        ("govt", "rebels", -1, 3.0),
        ("rebels", "govt", -1, 2.0),
        ("rebels", "tribe_a", 1, 1.0),
        ("tribe_a", "rebels", 1, 2.0),
        ("tribe_a", "tribe_b", -1, 1.5),
        ("tribe_b", "govt", 1, 1.0),
        ("army", "tribe_b", 1, 2.5),
        ("church", "govt", 1, 1.0),
        ("church", "rebels", 1, 1.0),
        ("church", "tribe_a", 1, 0.5),
        ("ngo", "church", 1, 1.0),
        ("army", "rebels", -1, 1.0),
        ("media", "ngo", 1, 2.0),
        ("ngo", "media", -1, 1.0),
        ("diaspora", "media", 1, 1.0),
        ("traders", "smugglers", 1, 1.0),
        ("smugglers", "traders", -1, 1.0),
        ("smugglers", "border_guard", 1, 1.0),
    ]
    for s, t, sign, w in ties:
        g.add_edge(s, t, sign=sign, weight=w)
    return g


def kite():
    g = nx.krackhardt_kite_graph()
    return nx.relabel_nodes(g, {v: f"n{v}" for v in g})


GRAPHS = [
    # name, graph, weighted, signed
    ("florentine", nx.florentine_families_graph(), False, False),
    ("kite", kite(), False, False),
    ("lesmis", nx.les_miserables_graph(), True, False),
    ("signed_directed", signed_directed(), True, True),
]


def write_edges(name, g, weighted, signed):
    path = os.path.join(HERE, f"network_{name}_edges.csv")
    header = ["source", "target"]
    if signed:
        header.append("sign")
    if weighted:
        header.append("weight")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for s, t, d in g.edges(data=True):
            row = [s, t]
            if signed:
                row.append(str(d["sign"]))
            if weighted:
                row.append(repr(float(d["weight"])))
            w.writerow(row)


def balance(g):
    """Triangles of the undirected view; a pair is negative if any tie is."""
    sign = {}
    for s, t, d in g.edges(data=True):
        key = frozenset((s, t))
        sign[key] = min(sign.get(key, 1), d.get("sign", 1))
    u = nx.Graph(g)
    nodes = list(u)
    pos = {v: i for i, v in enumerate(nodes)}
    triangles = balanced = 0
    per_node = {v: 0 for v in nodes}
    for a in nodes:
        for b in u[a]:
            if pos[b] <= pos[a]:
                continue
            for c in u[b]:
                if pos[c] <= pos[b] or not u.has_edge(a, c):
                    continue
                triangles += 1
                p = sign[frozenset((a, b))] * sign[frozenset((b, c))] * sign[frozenset((a, c))]
                if p > 0:
                    balanced += 1
                else:
                    for v in (a, b, c):
                        per_node[v] += 1
    ratio = balanced / triangles if triangles else None
    return {"triangles": triangles, "balanced": balanced, "ratio": ratio}, per_node


def expected(g, weighted, signed):
    w = "weight" if weighted else None
    u = g.to_undirected() if g.is_directed() else g
    out = {
        "directed": g.is_directed(),
        "weighted": weighted,
        "nodes": list(g.nodes()),
        "degree": nx.degree_centrality(g),
        "betweenness": nx.betweenness_centrality(g, weight=w),
        "closeness": nx.closeness_centrality(g, distance=w),
        "eigenvector": nx.eigenvector_centrality(g, max_iter=100000, tol=TOL, weight=w),
        "pagerank": nx.pagerank(g, alpha=0.85, max_iter=100000, tol=TOL, weight=w),
        "constraint": nx.constraint(g, weight=w),
        "bridges": sorted(sorted(e) for e in nx.bridges(u)),
        "articulation_points": sorted(nx.articulation_points(u)),
    }
    mods = []
    for seed in range(10):
        parts = nx.community.louvain_communities(g, weight=w, seed=seed)
        mods.append(nx.community.modularity(g, parts, weight=w))
    out["louvain_modularity"] = mods
    parts = nx.community.louvain_communities(g, weight=w, seed=0)
    out["louvain_partition_seed0"] = sorted(sorted(c) for c in parts)
    bal, per_node = balance(g)
    out["balance"] = bal
    out["unbalanced_per_node"] = per_node
    pos = nx.DiGraph() if g.is_directed() else nx.Graph()
    pos.add_nodes_from(g)
    pos.add_edges_from((s, t, d) for s, t, d in g.edges(data=True) if d.get("sign", 1) > 0)
    out["positive_betweenness"] = nx.betweenness_centrality(pos, weight=w)
    # Influence on the first node: personalised PageRank over reversed positive ties.
    target = list(g.nodes())[0]
    rev = pos.reverse() if pos.is_directed() else pos
    out["influence_target"] = target
    out["influence"] = nx.pagerank(
        rev, alpha=0.85, personalization={target: 1}, max_iter=100000, tol=TOL, weight=w
    )
    return out


def main():
    for name, g, weighted, signed in GRAPHS:
        write_edges(name, g, weighted, signed)
        path = os.path.join(HERE, f"network_{name}_expected.json")
        with open(path, "w") as f:
            json.dump(expected(g, weighted, signed), f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
