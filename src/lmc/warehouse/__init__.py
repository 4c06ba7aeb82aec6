"""The warehouse: one embedded DuckDB file holding every source's tidy tables, their provenance and observations.

* :mod:`lmc.warehouse.db` — the only way in: ``connect(settings=None, read_only=True)``, ``read_table(name)``.
* :mod:`lmc.warehouse.ingest` — ``pull(sources, settings, progress)``: fetch, parse, stage and swap each source
  in one transaction, with a ``provenance`` row per file and the ``observations`` view.
* :mod:`lmc.warehouse.query` — status, one source's details, exports and read-only SQL, as typed results.

Only this package talks to DuckDB; numerical code receives data frames.
"""
