"""lmc.warehouse"""
