"""The bipartite country-mechanism network and its centralities (networkx).

Countries on one side, mechanisms on the other, an edge for each current country membership. Bipartite
centralities (Borgatti & Everett 1997, as implemented in ``networkx.algorithms.bipartite``) normalise by the size of
the opposite set, so a country's degree centrality is the share of mechanisms it belongs to and a mechanism's the
share of countries it gathers. Betweenness marks the countries and mechanisms that bridge otherwise separate
groups (e.g. a mechanism joining South Asian and Mekong members).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
from networkx.algorithms import bipartite

from lmc import LMC_COUNTRIES
from lmc.mechanisms.frames import RegistryLike, as_frames
from lmc.mechanisms.results import NetworkResult


def bipartite_graph(registry: RegistryLike, *, include_dormant: bool = True) -> nx.Graph:
    """Graph with nodes ``('country', code)`` / ``('mechanism', id)`` named by code/id, attribute ``kind``."""
    f = as_frames(registry)
    mech = f.mechanisms if include_dormant else f.mechanisms[f.mechanisms["status"] == "active"]
    mem = f.members[(f.members["kind"] == "country") & f.members["left"].isna()
                    & f.members["mechanism"].isin(mech["mechanism"])]
    g = nx.Graph()
    for m in mech.itertuples(index=False):
        g.add_node(f"m:{m.mechanism}", kind="mechanism", label=str(m.abbreviation), code=str(m.mechanism))
    for c in sorted(set(mem["member"].astype(str))):
        g.add_node(f"c:{c}", kind="country", label=c, code=c, lmc=c in LMC_COUNTRIES)
    for r in mem.itertuples(index=False):
        g.add_edge(f"c:{r.member}", f"m:{r.mechanism}")
    return g


def mechanism_network(registry: RegistryLike, *, include_dormant: bool = True) -> NetworkResult:
    """Node table (code, label, kind, degree, degree/betweenness/closeness centrality) and edge list."""
    g = bipartite_graph(registry, include_dormant=include_dormant)
    mech_nodes = sorted(n for n, d in g.nodes(data=True) if d["kind"] == "mechanism")
    deg = bipartite.degree_centrality(g, mech_nodes)
    btw = bipartite.betweenness_centrality(g, mech_nodes)
    clo = bipartite.closeness_centrality(g, mech_nodes)
    rows = []
    for n, d in g.nodes(data=True):
        rows.append({"node": d["code"], "label": d["label"], "kind": d["kind"], "degree": g.degree(n),
                     "degree_centrality": deg[n], "betweenness": btw[n], "closeness": clo[n]})
    nodes = (pd.DataFrame(rows).sort_values(["kind", "degree", "node"], ascending=[True, False, True],
                                            kind="stable").reset_index(drop=True))
    edges = pd.DataFrame(sorted((g.nodes[u]["code"], g.nodes[v]["code"]) if g.nodes[u]["kind"] == "country"
                                else (g.nodes[v]["code"], g.nodes[u]["code"]) for u, v in g.edges()),
                         columns=["country", "mechanism"])
    return NetworkResult(nodes, edges, g)
