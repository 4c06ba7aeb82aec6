"""lmc.indicators"""
