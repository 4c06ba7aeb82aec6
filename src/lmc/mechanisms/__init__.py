"""Cooperation mechanisms: the registry (curated, :mod:`lmc.sources.mechanisms`) and the analysis of overlaps.

Pure functions over the registry (or its four warehouse tables), each returning a frozen result object:

* :func:`membership_overlap`, :func:`sector_overlap` -- Jaccard matrices between mechanisms;
* :func:`congestion` -- active mechanisms per country x sector; :func:`coordination_candidates` -- cells with three
  or more, with their programmes;
* :func:`timeline` -- creation of mechanisms and later events; :func:`mechanism_network` -- the bipartite
  country-mechanism network with centralities;
* :func:`shared_mechanisms_by_pair_year` -- shared mechanisms per LMC country pair per year (institutions pillar).

Charts live in :mod:`lmc.mechanisms.charts` (imported on demand: matplotlib is slow to import), the workbook in
:mod:`lmc.mechanisms.export`.
"""

from lmc.mechanisms.catalogue import list_mechanisms, mechanism_detail
from lmc.mechanisms.congestion import congestion, coordination_candidates
from lmc.mechanisms.frames import RegistryFrames, as_frames
from lmc.mechanisms.network import bipartite_graph, mechanism_network
from lmc.mechanisms.overlap import jaccard_matrix, membership_overlap, sector_overlap
from lmc.mechanisms.pairs import lmc_pairs, shared_mechanisms_by_pair_year, shared_mechanisms_detail
from lmc.mechanisms.timeline import timeline
from lmc.sources.mechanisms import Registry, load_registry

__all__ = [
    "Registry", "RegistryFrames", "as_frames", "bipartite_graph", "congestion", "coordination_candidates",
    "jaccard_matrix", "list_mechanisms", "lmc_pairs", "load_registry", "mechanism_detail", "mechanism_network",
    "membership_overlap", "sector_overlap", "shared_mechanisms_by_pair_year", "shared_mechanisms_detail", "timeline",
]
