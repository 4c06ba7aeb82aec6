"""lmc.curated"""
