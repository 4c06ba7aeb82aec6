"""lmc.index"""
