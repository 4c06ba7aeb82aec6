"""Source connectors: one module per open dataset, each declaring a ``SOURCE`` (see :mod:`lmc.sources.base`)."""
