"""The MANIFEST source ids this area declares (imported by the tests; GTFS feeds and trade files belong elsewhere)."""

CONNECTOR_IDS = (
    "asem_connectivity_jrc", "cepii_geodist", "china_railway_stations", "glottolog", "natural_earth", "openflights", "owid",
    "oxcgrt", "passport_index", "sister_cities", "thailand_mots_arrivals", "trade_agtpa", "trade_wits_2009",
    "un_desa_migrant_stock", "unesco_whc", "wdi",
    "vrs_routes", "openalex_coauthorship", "oxcgrt_legacy", "ucdp_acd", "tourism_tha_asean_2011_2024",
    "tourism_vnat_2025",
)  # fmt: skip
